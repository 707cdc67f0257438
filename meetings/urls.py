from django.urls import path

from . import help_views, views

app_name = "meetings"
urlpatterns = [
    path("pairings/<int:pk>/", views.pairing_detail, name="pairing"),
    path("pairings/<int:pk>/history/", views.history, name="history"),
    path("pairings/<int:pk>/goals/new/", views.goal_edit, name="goal_new"),
    path("pairings/<int:pk>/goals/<int:goal_pk>/", views.goal_edit, name="goal_edit"),
    path("pairings/<int:pk>/goals/<int:goal_pk>/delete/", views.goal_delete, name="goal_delete"),
    path("pairings/<int:pk>/plan/new/", views.plan_item_edit, name="plan_item_new"),
    path("pairings/<int:pk>/plan/<int:item_pk>/", views.plan_item_edit, name="plan_item_edit"),
    path(
        "pairings/<int:pk>/plan/<int:item_pk>/delete/",
        views.plan_item_delete,
        name="plan_item_delete",
    ),
    path("pairings/<int:pk>/plan/<int:item_pk>/done/", views.plan_item_done, name="plan_item_done"),
    path("pairings/<int:pk>/meetings/new/", views.meeting_new, name="meeting_new"),
    path("pairings/<int:pk>/meetings/<int:meeting_pk>/", views.meeting_edit, name="meeting_edit"),
    path(
        "pairings/<int:pk>/meetings/<int:meeting_pk>/delete/",
        views.meeting_delete,
        name="meeting_delete",
    ),
    path(
        "pairings/<int:pk>/meetings/<int:meeting_pk>/confirm/",
        views.meeting_confirm,
        name="meeting_confirm",
    ),
    path(
        "pairings/<int:pk>/meetings/<int:meeting_pk>/next.ics",
        views.meeting_ics,
        name="meeting_ics",
    ),
    path("help/", help_views.my_requests, name="help"),
    path("help/<int:pk>/", help_views.help_request, name="help_request"),
    path("help/<int:pk>/close/", help_views.help_close, name="help_close"),
    path("coordinate/help/", help_views.coordinate_list, name="coordinate_help"),
    path("coordinate/help/<int:pk>/", help_views.coordinate_detail, name="coordinate_help_detail"),
    path(
        "coordinate/help/<int:pk>/close/",
        help_views.coordinate_close,
        name="coordinate_help_close",
    ),
]
