"""The administration site at scale: every registered admin's changelist and the change form of
one of its rows, opened by a superuser and by a coordinator, makes the same number of queries
with 3 rows of each kind as with 15 (the counts are pinned), shows the rows it should and, to
a coordinator, nothing of another programme. Change forms name no person beyond their own
row's, so none of them renders a select box of everyone; the pickers that look people up as
typed answer only those who may use them."""

import datetime
from types import SimpleNamespace

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib import admin
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from events.models import SignUp
from meetings.models import HelpRequest
from participants.models import Answer, AuditEntry, Membership, Notification, Pairing, Response
from programs import admin as programs_admin
from programs.models import Cycle, Document
from tests.factories import (
    CoordinatorFactory,
    CycleFactory,
    EventFactory,
    MeetingFactory,
    ParticipantFactory,
    ProgramFactory,
    UserFactory,
    registration_questionnaire,
)

pytestmark = pytest.mark.django_db

SMALL, LARGE = 3, 15
PAGE = 25  # rows on a changelist's page
ELSEWHERE = "Elsewhere"  # the name of everything in the programme the coordinator does not run

# Queries of each page, by admin and by who opens it. Neither grows with the rows: list
# filters read their programmes or cycles in one query (the cycle filter read each cycle's
# programme, 81 queries on a large installation), rows come with what their columns name
# (list_select_related, a prefetch of a pairing's members or of the ledger's recipients and of
# the kinds of object its emails are about) and
# inlines with what theirs do.
CHANGELIST_QUERIES = {
    "superuser": {
        "auth_group": 7,
        "account_emailaddress": 6,
        "mfa_authenticator": 7,
        "programs_program": 6,
        "programs_cycle": 7,
        "programs_questionnaire": 7,
        "programs_document": 7,
        "participants_user": 6,
        "participants_participant": 8,
        "participants_response": 7,
        "participants_pairing": 10,
        "participants_notification": 9,
        "participants_auditentry": 7,
        "meetings_meeting": 10,
        "meetings_helprequest": 7,
        "events_event": 9,
    },
    "coordinator": {
        "programs_program": 9,
        "programs_cycle": 10,
        "programs_questionnaire": 10,
        "programs_document": 10,
        "participants_participant": 11,
        "participants_response": 10,
        "participants_pairing": 13,
        "participants_notification": 12,
        "meetings_meeting": 13,
        "meetings_helprequest": 10,
        "events_event": 12,
    },
}
CHANGE_FORM_QUERIES = {
    "superuser": {
        "auth_group": 7,
        "account_emailaddress": 6,
        "mfa_authenticator": 6,
        "programs_program": 7,
        "programs_cycle": 8,
        "programs_questionnaire": 9,
        "programs_document": 6,
        "participants_user": 9,
        "participants_participant": 8,
        "participants_response": 13,
        "participants_pairing": 10,
        "participants_notification": 8,
        "participants_auditentry": 8,
        "meetings_meeting": 7,
        "meetings_helprequest": 9,
        "events_event": 9,
    },
    "coordinator": {
        "programs_program": 10,
        "programs_cycle": 11,
        "programs_questionnaire": 12,
        "programs_document": 9,
        "participants_participant": 11,
        "participants_response": 16,
        "participants_pairing": 13,
        "participants_notification": 11,
        "meetings_meeting": 10,
        "meetings_helprequest": 12,
        "events_event": 12,
    },
}


def admin_name(model) -> str:
    return f"{model._meta.app_label}_{model._meta.model_name}"


def accepted(cycle, role, first_name, token):
    user = UserFactory(
        first_name=first_name,
        last_name=token,
        email=f"{first_name}.{token}@university.example".lower(),
    )
    return ParticipantFactory(user=user, cycle=cycle, role=role, status="accepted")


def add_unit(token: str, coordinator) -> dict:
    """A programme (run by `coordinator`, if given) with one of everything the admin lists,
    each named with `token`; returns the rows by admin."""
    today = timezone.localdate()
    program = ProgramFactory(
        name=f"Programme {token}", coordinators=[coordinator] if coordinator else []
    )
    cycle = CycleFactory(
        program=program,
        name=f"Cycle {token}",
        starts_on=today - datetime.timedelta(days=60),
        ends_on=today + datetime.timedelta(days=240),
        stage=Cycle.Stage.WORKING,
    )
    questionnaire = registration_questionnaire(cycle)
    questionnaire.title = f"Registration {token}"
    questionnaire.save()
    mentor = accepted(cycle, "mentor", "Mentor", token)
    mentee = accepted(cycle, "mentee", "Mentee", token)
    pairing = Pairing.objects.create(
        cycle=cycle, status=Pairing.Status.ACTIVE, starts_on=today - datetime.timedelta(days=30)
    )
    Membership.objects.bulk_create(
        Membership(pairing=pairing, participant=p) for p in (mentor, mentee)
    )
    response = Response.objects.create(participant=mentee, questionnaire=questionnaire)
    Answer.objects.bulk_create(
        Answer(response=response, question=question, value="An answer")
        for question in questionnaire.questions.filter(kind="short_text")
    )
    event = EventFactory(program=program, title=f"Seminar {token}")
    SignUp.objects.create(event=event, user=mentor.user, status="confirmed")
    SignUp.objects.create(event=event, user=mentee.user, status="confirmed")
    return {
        "auth_group": Group.objects.create(name=f"Group {token}"),
        "account_emailaddress": EmailAddress.objects.get(user=mentor.user),
        "mfa_authenticator": Authenticator.objects.create(
            user=mentor.user,
            type=Authenticator.Type.RECOVERY_CODES,
            data={"seed": "0" * 40, "used_mask": 0},
        ),
        "programs_program": program,
        "programs_cycle": cycle,
        "programs_questionnaire": questionnaire,
        "programs_document": Document.objects.create(
            program=program,
            title=f"Regulations {token}",
            file=SimpleUploadedFile("rules.pdf", b"%PDF-1.7 regulations"),
        ),
        "participants_user": mentor.user,
        "participants_participant": mentee,
        "participants_response": response,
        "participants_pairing": pairing,
        "participants_notification": Notification.objects.create(
            recipient=mentor.user,
            kind="meeting_reminder",
            about=pairing,
            period="2026-W10",
            program=program,
        ),
        "participants_auditentry": AuditEntry.objects.create(
            action=AuditEntry.Action.ACCEPTED, person=mentee.user, cycle=cycle
        ),
        "meetings_meeting": MeetingFactory(pairing=pairing, logged_by=mentor.user),
        "meetings_helprequest": HelpRequest.objects.create(
            participant=mentee, topic=HelpRequest.Topic.METHODS, message="How do I start?"
        ),
        "events_event": event,
    }


def token(number: int) -> str:
    return f"Unit{number:02d}"


@pytest.fixture
def world():
    """The coordinator's programmes, one unit each, and one unit of a programme they do not
    run; `grow(n)` adds units up to n."""
    w = SimpleNamespace(
        coordinator=CoordinatorFactory(first_name="Rasa", last_name="Coordinator"),
        superuser=UserFactory(is_staff=True, is_superuser=True, last_name="Administrator"),
        units=[],
    )
    w.elsewhere = add_unit(ELSEWHERE, None)

    def grow(size):
        while len(w.units) < size:
            w.units.append(add_unit(token(len(w.units) + 1), w.coordinator))

    w.grow = grow
    grow(SMALL)
    return w


def page(client, url):
    """(queries, response) of a page, asked twice so that what a process reads once (the
    content types) is not counted."""
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    return len(captured), response


def changelists(client, names):
    return {name: page(client, reverse(f"admin:{name}_changelist")) for name in names}


def change_forms(client, names, unit):
    return {
        name: page(client, reverse(f"admin:{name}_change", args=[unit[name].pk])) for name in names
    }


def queries(pages) -> dict:
    return {name: count for name, (count, _) in pages.items()}


def rows_seen(world, who, name) -> int:
    """How many rows a changelist counts: all of them for a superuser, and for the
    coordinator their programmes' (a pairing's two registrations, one row of the rest)."""
    if who == "superuser":
        return type(world.units[0][name])._default_manager.count()
    return len(world.units) * (2 if name == "participants_participant" else 1)


@pytest.mark.parametrize("who", ["superuser", "coordinator"])
def test_each_changelist_makes_as_many_queries_with_15_rows_as_with_3(client, world, who):
    client.force_login(getattr(world, who))
    names = CHANGELIST_QUERIES[who]
    small = changelists(client, names)
    world.grow(LARGE)
    large = changelists(client, names)

    assert queries(small) == queries(large) == names
    for name, (_, response) in large.items():
        changelist, shown = response.context["cl"], response.content.decode()
        assert changelist.result_count == rows_seen(world, who, name), name
        assert len(changelist.result_list) == min(changelist.result_count, PAGE), name
        assert [n for n in range(1, LARGE + 1) if token(n).lower() in shown.lower()], name
        # The coordinator's pages, filters included, name nothing of another programme.
        assert who == "superuser" or ELSEWHERE not in shown, name


@pytest.mark.parametrize("who", ["superuser", "coordinator"])
def test_each_change_form_makes_as_many_queries_with_15_rows_as_with_3(client, world, who):
    client.force_login(getattr(world, who))
    names = CHANGE_FORM_QUERIES[who]
    small = change_forms(client, names, world.units[0])
    world.grow(LARGE)
    large = change_forms(client, names, world.units[0])

    assert queries(small) == queries(large) == names
    others = [f"{role} {name}" for role in ("Mentor", "Mentee") for name in (token(2), ELSEWHERE)]
    for name, (_, response) in large.items():
        shown = response.content.decode()
        assert token(1).lower() in shown.lower(), name
        # Nobody but the row's own people: no select box of everyone.
        assert not [other for other in others if other in shown], name


def test_every_registered_admin_is_measured():
    registered = {admin_name(model) for model in admin.site._registry}
    assert set(CHANGELIST_QUERIES["superuser"]) == registered
    assert set(CHANGE_FORM_QUERIES["superuser"]) == registered


def test_the_meeting_changelist_reads_its_rows_without_distinct(client, world):
    client.force_login(world.superuser)
    url = reverse("admin:meetings_meeting_changelist")
    for query in ("", "?q=mentee"):  # also a search through the pairing's members
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url + query)
        assert response.status_code == 200
        assert token(1) in response.content.decode()
        assert not [q for q in captured.captured_queries if "DISTINCT" in q["sql"].upper()]


def autocomplete(client, field_name, term, model_name="program", app_label="programs"):
    return client.get(
        reverse("admin:autocomplete"),
        {"app_label": app_label, "model_name": model_name, "field_name": field_name, "term": term},
    )


def test_a_coordinator_finds_people_as_typed_to_name_a_programmes_coordinators(client, world):
    client.force_login(world.coordinator)
    found = autocomplete(client, "coordinators", f"mentee {token(2)}")

    assert found.status_code == 200
    assert [result["text"] for result in found.json()["results"]] == [f"Mentee {token(2)}"]


def test_the_people_picker_answers_no_other_field_and_nobody_else(client, world):
    client.force_login(world.coordinator)
    assert autocomplete(client, "user", "mentee", "emailaddress", "account").status_code == 403
    assert autocomplete(client, "user", "mentee", "authenticator", "mfa").status_code == 403
    participant = ParticipantFactory(user=UserFactory(is_staff=True)).user
    client.force_login(participant)  # staff, but runs no programme
    assert autocomplete(client, "coordinators", "mentee").status_code == 403


def test_a_rows_checkbox_is_the_one_django_renders(world):
    meeting_admin = admin.site._registry[type(world.units[0]["meetings_meeting"])]
    for row in world.units[0].values():
        written = admin.site._registry[type(row)].action_checkbox(row)
        assert written == admin.ModelAdmin.action_checkbox(meeting_admin, row)


def test_a_list_longer_than_the_paginator_counts_says_there_are_more(client, world, monkeypatch):
    monkeypatch.setattr(programs_admin, "COUNTED_UP_TO", 2)
    client.force_login(world.coordinator)
    response = client.get(reverse("admin:meetings_meeting_changelist"))

    assert response.context["cl"].result_count == 2
    assert "2+ meetings" in response.content.decode()
    monkeypatch.setattr(programs_admin, "COUNTED_UP_TO", SMALL)
    response = client.get(reverse("admin:meetings_meeting_changelist"))
    assert f"{SMALL} meetings" in response.content.decode()
