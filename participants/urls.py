from django.urls import path

from . import pairing_views, review, views

app_name = "participants"
urlpatterns = [
    path("cycles/<int:cycle_pk>/register/<str:role>/", views.register, name="register"),
    path("registrations/<int:pk>/", views.registration_detail, name="registration"),
    path("registrations/<int:pk>/edit/", views.registration_edit, name="registration_edit"),
    path(
        "registrations/<int:pk>/self-assessment/",
        views.self_assessment_page,
        name="self_assessment",
    ),
    path("accounts/reminders/", views.reminders, name="reminders"),
    path("emails/stop/<str:token>/", views.notifications_stop, name="notifications_stop"),
    path("coordinate/emails/", views.emails_overview, name="emails"),
    path("coordinate/emails/retry/", views.emails_retry, name="emails_retry"),
    path(
        "registrations/<int:pk>/withdraw/",
        views.registration_withdraw,
        name="registration_withdraw",
    ),
    path(
        "coordinate/cycles/<int:cycle_pk>/registrations/",
        review.registrations,
        name="registrations",
    ),
    path(
        "coordinate/cycles/<int:cycle_pk>/registrations/<int:pk>/answers/",
        review.registration_answers,
        name="registration_answers",
    ),
    path("coordinate/cycles/<int:cycle_pk>/decide/", review.decide, name="decide"),
    path(
        "coordinate/registrations/<int:pk>/guardian-consent/",
        review.guardian_consent,
        name="guardian_consent",
    ),
    path(
        "coordinate/cycles/<int:cycle_pk>/base/<str:role>.<str:fmt>",
        review.export_base,
        name="export_base",
    ),
    path("coordinate/cycles/<int:cycle_pk>/matching/", pairing_views.matching, name="matching"),
    path(
        "coordinate/cycles/<int:cycle_pk>/matching/criteria/",
        pairing_views.criteria,
        name="matching_criteria",
    ),
    path(
        "coordinate/cycles/<int:cycle_pk>/matching/criteria/from-tags/",
        pairing_views.criteria_from_tags,
        name="matching_criteria_from_tags",
    ),
    path("coordinate/cycles/<int:cycle_pk>/matching/run/", pairing_views.run, name="matching_run"),
    path(
        "coordinate/cycles/<int:cycle_pk>/matching/pairs/<int:pk>/",
        pairing_views.draft_action,
        name="matching_draft",
    ),
    path(
        "coordinate/cycles/<int:cycle_pk>/matching/ruled-out/<int:pk>/allow/",
        pairing_views.allow,
        name="matching_allow",
    ),
    path(
        "coordinate/cycles/<int:cycle_pk>/matching/mentees/<int:mentee_pk>/",
        pairing_views.reassign,
        name="matching_reassign",
    ),
    path(
        "coordinate/cycles/<int:cycle_pk>/matching/publish/",
        pairing_views.publish,
        name="matching_publish",
    ),
    path("coordinate/cycles/<int:cycle_pk>/pairings/", pairing_views.pairings, name="pairings"),
    path(
        "coordinate/cycles/<int:cycle_pk>/pairings/new/",
        pairing_views.pairing_new,
        name="pairing_new",
    ),
    path("coordinate/pairings/<int:pk>/end/", pairing_views.pairing_end, name="pairing_end"),
]
