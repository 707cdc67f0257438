"""The events' pages: the public list and each event's page for everyone; attendance, the
sign-ups' export and messages for the event's coordinators, under coordinate/ like every
coordinators' page (the second factor is asked for by that prefix)."""

from django.urls import path

from . import views

app_name = "events"
urlpatterns = [
    path("events/", views.event_list, name="list"),
    path("events/<int:pk>/", views.event_detail, name="detail"),
    path("events/<int:pk>/sign-up/", views.event_signup, name="signup"),
    path("events/<int:pk>/cancel/", views.event_cancel, name="cancel"),
    path("events/<int:pk>/event.ics", views.event_ics, name="ics"),
    path("events/<int:pk>/materials/<int:material_pk>/", views.material_download, name="material"),
    path("coordinate/events/<int:pk>/attendance/", views.attendance, name="attendance"),
    path(
        "coordinate/events/<int:pk>/attendance/<int:signup_pk>/",
        views.mark_attendance,
        name="mark_attendance",
    ),
    path("coordinate/events/<int:pk>/sign-ups.<str:fmt>", views.export_signups, name="export"),
    path("coordinate/events/<int:pk>/message/", views.message, name="message"),
]
