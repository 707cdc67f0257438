"""The ledger's typed keys: a row is about an object (its content type and id), with `details`
for what else tells two emails apart, and the claim is unique over them as it was over the
old strings ("pairing:12:34", "accepted:<moment>"): the same email planned twice is one row,
two different ones are two. The migration turns every old key into the new one."""

import datetime
import importlib
import json
from pathlib import Path

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction

from events.models import Event
from meetings.reminders import DIGEST, REMINDER
from participants.models import Notification, Pairing, Participant, User
from participants.notifications.emails import pairing_email, registration_email
from participants.notifications.ledger import Planned, plan
from tests.factories import ParticipantFactory, UserFactory, active_pairing

ROOT = Path(__file__).resolve().parents[2]
migration = importlib.import_module("participants.migrations.0015_notification_typed_keys")
MOMENT = datetime.datetime(2026, 12, 4, 17, tzinfo=datetime.UTC)


@pytest.mark.django_db
def test_the_same_reminder_planned_twice_is_one_row():
    person = UserFactory()
    reminder = Planned(person.pk, REMINDER, Pairing, 12, "2026-W48")

    plan([reminder, reminder])
    assert plan([reminder]) == 0

    row = Notification.objects.get()
    assert (row.content_type.model_class(), row.object_id, row.details) == (Pairing, 12, {})


@pytest.mark.django_db
def test_the_same_period_about_two_things_is_two_rows_even_with_the_same_id():
    person = UserFactory()

    assert (
        plan(Planned(person.pk, REMINDER, model, 5, "2026-W48") for model in (Pairing, Event)) == 2
    )
    assert plan([Planned(person.pk, REMINDER, Pairing, 6, "2026-W48")]) == 1

    assert Notification.objects.count() == 3


@pytest.mark.django_db
def test_two_decisions_at_one_moment_are_two_rows_and_a_decision_retried_is_one():
    participant = ParticipantFactory()

    with time_machine.travel(MOMENT, tick=False):
        registration_email(participant, "accepted")
        registration_email(participant, "accepted")
        registration_email(participant, "waitlisted")

    rows = Notification.objects.about(participant)
    assert sorted(row.details["event"] for row in rows) == ["accepted", "waitlisted"]
    assert {row.period for row in rows} == {"261204170000000000"}


@pytest.mark.django_db
def test_each_member_of_a_group_has_a_row_of_their_own_about_the_pairing():
    pairing = active_pairing(mentees=2)
    members = list(pairing.members.all())

    with time_machine.travel(MOMENT, tick=False):
        pairing_email(pairing, members, "published")
        pairing_email(pairing, members, "published")

    rows = Notification.objects.about(pairing)
    assert sorted((row.recipient_id, row.details["member"]) for row in rows) == sorted(
        (member.user_id, member.pk) for member in members
    )
    assert {row.details["event"] for row in rows} == {"published"}


@pytest.mark.django_db
def test_the_database_refuses_a_second_row_of_the_same_claim_whatever_the_order_of_details():
    person = UserFactory()
    key = {"recipient": person, "kind": "pairing", "about": person, "period": "261204"}
    Notification.objects.create(**key, details={"event": "published", "member": 34})

    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(**key, details={"member": 34, "event": "published"})
    Notification.objects.create(**key, details={"member": 35, "event": "published"})
    assert Notification.objects.count() == 2


@pytest.mark.django_db
def test_rows_are_found_by_what_they_are_about():
    first, second = ParticipantFactory(), ParticipantFactory()
    for participant in (first, second):
        plan([Planned(participant.user_id, "self_assessment", Participant, participant.pk, "p")])

    assert Notification.objects.about(first).get().recipient == first.user
    everyone = Participant.objects.filter(pk__in=[first.pk, second.pk])
    assert Notification.objects.about(everyone).count() == 2
    assert not Notification.objects.about(first.user).exists()


# The conversion of the old keys (participants/migrations/0015_notification_typed_keys.py)

USER = ("participants", "user")
PARTICIPANT = ("participants", "participant")
PAIRING = ("participants", "pairing")
OLD_ROWS = [
    # recipient, kind, about, period -> model, object id, details, period
    ((5, "welcome", "user:5", "once"), (USER, 5, {}, "once")),
    (
        (5, "registration", "participant:7", "accepted:261204170000123456"),
        (PARTICIPANT, 7, {"event": "accepted"}, "261204170000123456"),
    ),
    (
        (5, "registration", "participant:7", "waitlisted:261204170000123456"),
        (PARTICIPANT, 7, {"event": "waitlisted"}, "261204170000123456"),
    ),
    (
        (5, "pairing", "pairing:12:34", "published:261204170000123456"),
        (PAIRING, 12, {"member": 34, "event": "published"}, "261204170000123456"),
    ),
    (
        (5, "pairing", "pairing:12:35", "published:261204170000123456"),
        (PAIRING, 12, {"member": 35, "event": "published"}, "261204170000123456"),
    ),
    ((5, "meeting_reminder", "pairing:12", "2026-W48"), (PAIRING, 12, {}, "2026-W48")),
    ((5, "coordinator_digest", "pairings-at-risk", "2026-W48"), (USER, 5, {}, "2026-W48")),
    (
        (5, "help", "help:3", "answered:261204170000123456"),
        (("meetings", "helprequest"), 3, {"event": "answered"}, "261204170000123456"),
    ),
    (
        (5, "event_place", "signup:9", "promoted:261204170000123456"),
        (("events", "signup"), 9, {"event": "promoted"}, "261204170000123456"),
    ),
    ((5, "event_message", "message:4", "sent"), (("events", "message"), 4, {}, "sent")),
    ((5, "event_reminder", "event:6", "day-before"), (("events", "event"), 6, {}, "day-before")),
    ((5, "self_assessment", "participant:8", "follow-up-1"), (PARTICIPANT, 8, {}, "follow-up-1")),
    ((5, "meeting_reminder", "x", "p"), (USER, 5, {"about": "x"}, "p")),
    ((5, "meeting_reminder", "y", "p"), (USER, 5, {"about": "y"}, "p")),
]


@pytest.mark.parametrize(("old", "new"), OLD_ROWS)
def test_the_migration_turns_an_old_key_into_the_typed_one_and_back(old, new):
    recipient, kind, about, period = old

    assert migration.typed_key(recipient, kind, about, period) == new
    assert migration.old_key(kind, *new) == (about, period)


def test_old_rows_that_were_apart_stay_apart():
    def claim(recipient, kind, about, period):
        model, object_id, details, period = migration.typed_key(recipient, kind, about, period)
        return (recipient, kind, model, object_id, json.dumps(details, sort_keys=True), period)

    assert len({claim(*old) for old, _new in OLD_ROWS}) == len(OLD_ROWS)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "about", "period", "planned"),
    [
        ("welcome", "user:{user}", "once", lambda user: (User, user, "once")),
        (REMINDER, "pairing:12", "2026-W48", lambda user: (Pairing, 12, "2026-W48")),
        (DIGEST, "pairings-at-risk", "2026-W48", lambda user: (User, user, "2026-W48")),
        ("event_reminder", "event:6", "day-before", lambda user: (Event, 6, "day-before")),
        ("self_assessment", "participant:8", "prompt", lambda user: (Participant, 8, "prompt")),
    ],
)
def test_a_converted_row_is_the_claim_its_planner_writes_now(kind, about, period, planned):
    """An email planned again every hour until its period is over is not planned twice across
    the migration."""
    user = UserFactory().pk
    model, object_id, details, new_period = migration.typed_key(
        user, kind, about.format(user=user), period
    )
    Notification.objects.create(
        recipient_id=user,
        kind=kind,
        content_type=ContentType.objects.get_by_natural_key(*model),
        object_id=object_id,
        details=details,
        period=new_period,
    )

    assert plan([Planned(user, kind, *planned(user))]) == 0


def test_no_key_is_split_on_a_colon_anywhere_in_the_product():
    product = ["mentorship", "participants", "programs", "meetings", "events"]
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for package in product
        for path in (ROOT / package).rglob("*.py")
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if 'split(":")' in line or "split(':')" in line
    ]
    assert found == []
