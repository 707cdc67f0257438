from django.urls import path

from . import views

app_name = "events"
urlpatterns = [
    path("", views.event_list, name="list"),
    path("<int:pk>/", views.event_detail, name="detail"),
    path("<int:pk>/sign-up/", views.event_signup, name="signup"),
    path("<int:pk>/cancel/", views.event_cancel, name="cancel"),
    path("<int:pk>/event.ics", views.event_ics, name="ics"),
    path("<int:pk>/materials/<int:material_pk>/", views.material_download, name="material"),
    path("<int:pk>/attendance/", views.attendance, name="attendance"),
    path("<int:pk>/attendance/<int:signup_pk>/", views.mark_attendance, name="mark_attendance"),
    path("<int:pk>/sign-ups.<str:fmt>", views.export_signups, name="export"),
    path("<int:pk>/message/", views.message, name="message"),
]
