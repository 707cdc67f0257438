"""The reminder the day before an event (`events/reminders.py`): everyone with a place gets one,
from 09:00 on the day before in the programme's time zone; a run missed that day is made up
until the event starts; a place given back before the email goes out stops it."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.core import mail

from events import signup as signups
from events.models import SignUp
from events.reminders import due_reminders
from participants.models import Notification
from participants.notifications.ledger import dispatch, plan
from participants.notifications.tasks import plan_notifications
from tests.factories import EventFactory, ProgramFactory, UserFactory

pytestmark = pytest.mark.django_db

VILNIUS = zoneinfo.ZoneInfo("Europe/Vilnius")
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
TITLE = "Seminar: feedback that students read"


def at(*moment, zone=VILNIUS) -> datetime.datetime:
    return datetime.datetime(*moment, tzinfo=zone)


@pytest.fixture
def job(hourly_job):
    """The hourly job at a moment; returns the addresses that run reminded of the event."""

    def run(moment):
        return sorted(m.to[0] for m in hourly_job(moment) if m.subject == f"Tomorrow: {TITLE}")

    return run


@pytest.fixture
def event():
    """A seminar at 18:00 on Thursday 14 May 2026 in Vilnius, with two places."""
    starts_at = at(2026, 5, 14, 18)
    return EventFactory(
        title=TITLE,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=2),
        capacity=2,
    )


def with_status(event, status, **user_fields):
    user = UserFactory(**user_fields)
    SignUp.objects.create(event=event, user=user, status=status)
    return user


def test_the_day_before_at_nine_everyone_with_a_place_is_reminded_once(job, event):
    first = with_status(event, SignUp.Status.CONFIRMED)
    second = with_status(event, SignUp.Status.CONFIRMED)
    with_status(event, SignUp.Status.WAITLISTED)
    with_status(event, SignUp.Status.CANCELLED)
    with_status(event, SignUp.Status.CONFIRMED, is_active=False)

    assert job(at(2026, 5, 12, 12)) == []
    assert job(at(2026, 5, 13, 8, 59)) == []
    assert job(at(2026, 5, 13, 9)) == sorted([first.email, second.email])
    assert job(at(2026, 5, 13, 10)) == []
    assert job(at(2026, 5, 14, 12)) == []
    assert Notification.objects.filter(kind="event_reminder").count() == 2


def test_the_reminder_says_what_where_and_when_and_can_be_switched_off(
    event, django_capture_on_commit_callbacks
):
    person = with_status(event, SignUp.Status.CONFIRMED)
    mail.outbox.clear()
    with (
        time_machine.travel(at(2026, 5, 13, 9), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        plan_notifications()

    (email,) = mail.outbox
    assert email.to == [person.email]
    assert f"A reminder: you have a place at “{TITLE}”." in email.body
    assert event.place in email.body and event.get_absolute_url() in email.body
    assert "/emails/stop/" in email.extra_headers["List-Unsubscribe"]
    row = Notification.objects.get(kind="event_reminder")
    assert email.extra_headers["Message-ID"] == row.message_id
    assert row.program_id == event.program_id


def test_someone_who_signs_up_later_that_day_is_reminded_on_the_next_run(job, event):
    early = with_status(event, SignUp.Status.CONFIRMED)
    assert job(at(2026, 5, 13, 9)) == [early.email]

    late = UserFactory()
    with time_machine.travel(at(2026, 5, 13, 15), tick=False):
        assert signups.sign_up(event, late).status == SignUp.Status.CONFIRMED

    assert job(at(2026, 5, 13, 16)) == [late.email]


def test_a_run_missed_the_day_before_is_made_up_on_the_day_before_the_start(job, event):
    person = with_status(event, SignUp.Status.CONFIRMED)

    assert job(at(2026, 5, 14, 7)) == [person.email], "before nine, but the event is today"
    assert job(at(2026, 5, 14, 17)) == []


def test_no_reminder_once_the_event_has_started(job, event):
    with_status(event, SignUp.Status.CONFIRMED)

    assert job(at(2026, 5, 14, 18)) == []
    assert job(at(2026, 5, 14, 18, 30)) == []
    assert not Notification.objects.filter(kind="event_reminder").exists()


def test_a_place_given_back_between_planning_and_sending_is_not_reminded(
    event, django_capture_on_commit_callbacks
):
    leaving = with_status(event, SignUp.Status.CONFIRMED)
    staying = with_status(event, SignUp.Status.CONFIRMED)
    mail.outbox.clear()
    with (
        time_machine.travel(at(2026, 5, 13, 9), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert plan(due_reminders()) == 2
        signups.cancel(SignUp.objects.get(event=event, user=leaving))
        dispatch()

    assert [m.to for m in mail.outbox if m.subject.startswith("Tomorrow")] == [[staying.email]]
    row = Notification.objects.get(kind="event_reminder", recipient=leaving)
    assert row.state == Notification.State.SKIPPED and row.sent_at is None


def test_the_day_before_is_counted_in_the_programmes_time_zone(job):
    starts_at = at(2026, 1, 15, 18, zone=NEW_YORK)
    event = EventFactory(
        title=TITLE,
        program=ProgramFactory(time_zone="America/New_York"),
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=2),
    )
    person = with_status(event, SignUp.Status.CONFIRMED)

    # 09:00 on the 14th in Vilnius is 02:00 in New York.
    assert job(at(2026, 1, 14, 9)) == []
    assert job(at(2026, 1, 14, 8, 59, zone=NEW_YORK)) == []
    assert job(at(2026, 1, 14, 9, zone=NEW_YORK)) == [person.email]


def test_the_reminder_shows_the_time_in_its_programmes_zone_and_its_readers_language(
    hourly_job,
):
    """18:00 in New York and 18:00 in Tokyo, on the same day; the site's zone is Vilnius's."""
    people = {}
    for zone, language in (("America/New_York", "lt"), ("Asia/Tokyo", "en")):
        starts_at = at(2026, 5, 14, 18, zone=zoneinfo.ZoneInfo(zone))
        event = EventFactory(
            title=TITLE,
            program=ProgramFactory(time_zone=zone),
            starts_at=starts_at,
            ends_at=starts_at + datetime.timedelta(hours=2),
        )
        people[zone] = with_status(event, SignUp.Status.CONFIRMED, language=language)

    # The day before in both: 10:00 in New York, 23:00 in Tokyo.
    sent = {m.to[0]: m for m in hourly_job(at(2026, 5, 13, 14, zone=datetime.UTC))}

    new_york, tokyo = sent[people["America/New_York"].email], sent[people["Asia/Tokyo"].email]
    # In Vilnius they would read 01:00 on the 15th and noon on the 14th.
    assert "Kada: 2026 m. gegužės 14 d., 18:00\N{EN DASH}20:00" in new_york.body
    assert "When: May 14, 2026, 6 p.m.\N{EN DASH}8 p.m." in tokyo.body
    assert "2026 m. gegužės 14 d., 18:00\N{EN DASH}20:00" in new_york.alternatives[0][0]
    assert "May 14, 2026, 6 p.m.\N{EN DASH}8 p.m." in tokyo.alternatives[0][0]
