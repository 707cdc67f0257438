from django.urls import path

from . import coordinate, views

urlpatterns = [
    path("", views.home, name="home"),
    path("my/", views.my_mentorship, name="my_mentorship"),
    path("my/calendar/renew/", views.calendar_renew, name="calendar_renew"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
    path("coordinate/", coordinate.overview, name="coordinate"),
    path("coordinate/cycles/<int:pk>/dashboard/", coordinate.dashboard, name="dashboard"),
    path("coordinate/cycles/<int:pk>/report/", coordinate.report, name="report"),
    path("coordinate/cycles/<int:pk>/report.xlsx", coordinate.report_xlsx, name="report_xlsx"),
]
