"""The participants' pages, gathered from their sub-packages under one namespace."""

from django.urls import path

from .accounts import views as accounts
from .notifications import views as emails
from .pairings import views as pairings
from .registrations import review
from .registrations import views as registrations

app_name = "participants"
urlpatterns = [
    path("cycles/<int:cycle_pk>/register/<str:role>/", registrations.register, name="register"),
    path("registrations/<int:pk>/", registrations.registration_detail, name="registration"),
    path("registrations/<int:pk>/edit/", registrations.registration_edit, name="registration_edit"),
    path(
        "registrations/<int:pk>/self-assessment/",
        registrations.self_assessment_page,
        name="self_assessment",
    ),
    path("accounts/reminders/", accounts.reminders, name="reminders"),
    path("emails/stop/<str:token>/", emails.notifications_stop, name="notifications_stop"),
    path("coordinate/emails/", emails.emails_overview, name="emails"),
    path("coordinate/emails/retry/", emails.emails_retry, name="emails_retry"),
    path(
        "registrations/<int:pk>/withdraw/",
        registrations.registration_withdraw,
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
    path("coordinate/cycles/<int:cycle_pk>/matching/", pairings.matching, name="matching"),
    path(
        "coordinate/cycles/<int:cycle_pk>/matching/criteria/",
        pairings.criteria,
        name="matching_criteria",
    ),
    path(
        "coordinate/cycles/<int:cycle_pk>/matching/criteria/from-tags/",
        pairings.criteria_from_tags,
        name="matching_criteria_from_tags",
    ),
    path("coordinate/cycles/<int:cycle_pk>/matching/run/", pairings.run, name="matching_run"),
    path(
        "coordinate/cycles/<int:cycle_pk>/matching/pairs/<int:pk>/",
        pairings.draft_action,
        name="matching_draft",
    ),
    path(
        "coordinate/cycles/<int:cycle_pk>/matching/ruled-out/<int:pk>/allow/",
        pairings.allow,
        name="matching_allow",
    ),
    path(
        "coordinate/cycles/<int:cycle_pk>/matching/mentees/<int:mentee_pk>/",
        pairings.reassign,
        name="matching_reassign",
    ),
    path(
        "coordinate/cycles/<int:cycle_pk>/matching/publish/",
        pairings.publish,
        name="matching_publish",
    ),
    path("coordinate/cycles/<int:cycle_pk>/pairings/", pairings.pairings, name="pairings"),
    path(
        "coordinate/cycles/<int:cycle_pk>/pairings/new/",
        pairings.pairing_new,
        name="pairing_new",
    ),
    path("coordinate/pairings/<int:pk>/end/", pairings.pairing_end, name="pairing_end"),
]
