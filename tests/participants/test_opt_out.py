"""Switching reminders off (`participants/views.py`: reminders, notifications_stop) and the
coordinators' page of their programmes' emails (emails_overview, emails_retry)."""

import datetime
import re
import zoneinfo
from smtplib import SMTPRecipientsRefused
from urllib.parse import urlsplit

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from events.models import SignUp
from participants.models import Notification, Participant
from participants.notifications import ledger as notifications
from programs.models import Cycle
from tests.factories import (
    CoordinatorFactory,
    CycleFactory,
    EventFactory,
    MeetingFactory,
    ParticipantFactory,
    ProgramFactory,
    UserFactory,
    active_pairing,
    member_user,
)

pytestmark = pytest.mark.django_db

VILNIUS = zoneinfo.ZoneInfo("Europe/Vilnius")
REMINDERS = ["meeting_reminder", "coordinator_digest", "event_reminder", "self_assessment"]
MEETING = "Time for your next mentoring meeting"
EVENT = "Tomorrow: "
# Wednesday 13 May 2026 at 10:00 in Vilnius: the pair last met a week before, and the seminar
# is tomorrow evening.
NOW = datetime.datetime(2026, 5, 13, 10, tzinfo=VILNIUS)


class RefusingBackend(BaseEmailBackend):
    """A mail server that refuses every message."""

    def send_messages(self, messages):
        raise SMTPRecipientsRefused({m.to[0]: (550, b"Mailbox unavailable") for m in messages})


@pytest.fixture
def job(hourly_job):
    """The hourly job (now, unless told when); returns the emails that run sent."""
    return lambda moment=NOW: hourly_job(moment)


@pytest.fixture
def pairing():
    """A pair reminded to meet at NOW, both of whom have a place at tomorrow's seminar."""
    program = ProgramFactory(cadence="weekly")
    cycle = CycleFactory(
        program=program,
        starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2026, 12, 31),
        stage=Cycle.Stage.WORKING,
    )
    with time_machine.travel(NOW, tick=False):
        pairing = active_pairing(cycle, started_days_ago=60)
    MeetingFactory(pairing=pairing, held_on=datetime.date(2026, 5, 6))
    starts_at = NOW + datetime.timedelta(days=1, hours=8)
    event = EventFactory(
        program=program, starts_at=starts_at, ends_at=starts_at + datetime.timedelta(hours=2)
    )
    for role in ("mentor", "mentee"):
        SignUp.objects.create(
            event=event, user=member_user(pairing, role), status=SignUp.Status.CONFIRMED
        )
    return pairing


def members_of(pairing) -> list[str]:
    return [member_user(pairing, role).email for role in ("mentor", "mentee")]


def received(sent, user) -> list[str]:
    """Which reminders `user` got: "event", "meeting"."""
    prefixes = {EVENT: "event", MEETING: "meeting"}
    mine = [m.subject for m in sent if m.to == [user.email]]
    return sorted(name for prefix, name in prefixes.items() for s in mine if s.startswith(prefix))


# The account page


def box(page, name) -> str:
    """The form's input named `name`."""
    (found,) = re.findall(rf'<input[^>]* name="{name}"[^>]*>', page)
    return found


def test_the_reminders_page_lists_each_kind_with_a_ticked_box(client, person):
    client.force_login(person)

    page = client.get(reverse("participants:reminders")).content.decode()

    for kind in notifications.opt_out_kinds():
        assert escape(str(kind.label)) in page
        assert 'type="checkbox"' in box(page, kind.name), kind.name
        assert "checked" in box(page, kind.name), kind.name
    assert set(REMINDERS) <= {kind.name for kind in notifications.opt_out_kinds()}


def test_the_reminders_page_needs_a_login(client):
    response = client.get(reverse("participants:reminders"))
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))


def test_unticking_a_kind_stops_that_kind_only(client, job, pairing):
    mentor, mentee = member_user(pairing, "mentor"), member_user(pairing, "mentee")
    client.force_login(mentor)
    kinds = [kind.name for kind in notifications.opt_out_kinds()]
    wanted = {name: "on" for name in kinds if name != "meeting_reminder"}

    response = client.post(reverse("participants:reminders"), wanted)

    assert response.status_code == 302
    mentor.refresh_from_db()
    assert mentor.muted_notifications == ["meeting_reminder"]
    page = client.get(reverse("participants:reminders")).content.decode()
    assert "checked" not in box(page, "meeting_reminder")
    assert "checked" in box(page, "event_reminder")
    sent = job()
    assert received(sent, mentor) == ["event"]
    assert received(sent, mentee) == ["event", "meeting"]
    # Not even planned, so the coordinators' page does not count it as "not needed".
    assert not Notification.objects.filter(recipient=mentor, kind="meeting_reminder").exists()


# The one-click link in every reminder


def stop_link(email) -> str:
    """The path of the link in the email's List-Unsubscribe header."""
    return urlsplit(email.extra_headers["List-Unsubscribe"].strip("<>")).path


def test_visiting_the_link_in_an_email_asks_first_and_changes_nothing(client, job, pairing):
    mentor = member_user(pairing, "mentor")
    (email,) = [m for m in job() if m.to == [mentor.email] and m.subject.startswith(MEETING)]

    response = client.get(stop_link(email))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Stop sending" in page and mentor.email in page and "Stop them</button>" in page
    assert "reminders to meet and log the meetings" in page
    mentor.refresh_from_db()
    assert mentor.muted_notifications == []


def test_a_mail_programs_one_click_request_stops_that_kind(job, pairing):
    mentor, mentee = member_user(pairing, "mentor"), member_user(pairing, "mentee")
    (email,) = [m for m in job() if m.to == [mentor.email] and m.subject.startswith(MEETING)]
    mail_program = Client(enforce_csrf_checks=True)

    response = mail_program.post(stop_link(email), {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200 and "Done" in response.content.decode()
    mentor.refresh_from_db()
    assert mentor.muted_notifications == ["meeting_reminder"]
    assert mail_program.post(stop_link(email)).status_code == 200, "twice is harmless"
    mentor.refresh_from_db()
    assert mentor.muted_notifications == ["meeting_reminder"]
    next_week = job(NOW + datetime.timedelta(days=7))
    assert [m.to for m in next_week if m.subject.startswith(MEETING)] == [[mentee.email]]


def test_a_tampered_link_is_refused(client, job, pairing):
    mentor = member_user(pairing, "mentor")
    (email,) = [m for m in job() if m.to == [mentor.email] and m.subject.startswith(MEETING)]
    path = stop_link(email)
    token = path.rstrip("/").rsplit("/", 1)[1]
    tampered = path.replace(token, token[:-2] + ("AA" if token[-2:] != "AA" else "BB"))
    unknown_kind = urlsplit(notifications.stop_url(mentor, "newsletter")).path

    for link in (tampered, unknown_kind):
        response = client.post(link)
        assert response.status_code == 404
        assert "This link does not work" in response.content.decode()
    mentor.refresh_from_db()
    assert mentor.muted_notifications == []


# The coordinators' page of emails


def ledger_row(program, state, kind="meeting_reminder", **fields):
    recipient = fields.pop("recipient", None) or UserFactory()
    return Notification.objects.create(
        recipient=recipient,
        kind=kind,
        about=recipient,
        period="2026-W20",
        program=program,
        state=state,
        **fields,
    )


def test_a_coordinator_sees_the_emails_of_their_programmes_by_kind_and_state(client):
    coordinator = CoordinatorFactory()
    mine, theirs = ProgramFactory(coordinators=[coordinator]), ProgramFactory()
    State = Notification.State
    for state in [State.SENT, State.SENT, State.PENDING, State.SENDING, State.FAILED]:
        ledger_row(mine, state)
    ledger_row(mine, State.SKIPPED, kind="event_reminder")
    for state in [State.SENT, State.FAILED, State.SKIPPED]:
        ledger_row(theirs, state)
    refused = ledger_row(mine, State.FAILED, error="SMTPRecipientsRefused: mailbox unavailable")
    hidden = ledger_row(theirs, State.FAILED, error="SMTPDataError: elsewhere")
    client.force_login(coordinator)

    page = client.get(reverse("participants:emails")).content.decode()

    assert "<td>Reminders to meet and log the meetings</td><td>2</td><td>2</td><td>2</td>" in page
    assert "<td>Reminders the day before an event</td><td>0</td><td>0</td><td>0</td><td>1</td>" in (
        page
    )
    assert refused.recipient.email in page and "SMTPRecipientsRefused: mailbox unavailable" in page
    assert hidden.recipient.email not in page and "elsewhere" not in page


def test_failed_emails_are_listed_with_their_error_and_sent_again(
    client, job, pairing, settings, django_capture_on_commit_callbacks
):
    coordinator = CoordinatorFactory()
    pairing.cycle.program.coordinators.add(coordinator)
    settings.NOTIFICATION_MAX_ATTEMPTS = 1
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    assert job() == []
    failed = Notification.objects.filter(state=Notification.State.FAILED)
    assert failed.count() == 4
    client.force_login(coordinator)

    page = client.get(reverse("participants:emails")).content.decode()

    assert "SMTPRecipientsRefused" in page and "Mailbox unavailable" in page
    assert member_user(pairing, "mentee").email in page
    assert "Send the failed emails again</button>" in page

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with (
        time_machine.travel(NOW + datetime.timedelta(minutes=5), tick=False),
        django_capture_on_commit_callbacks() as after_commit,
    ):
        response = client.post(reverse("participants:emails_retry"))
    assert response.status_code == 302 and response.url == reverse("participants:emails")
    rows = Notification.objects.all()
    assert {(row.state, row.attempts) for row in rows} == {(Notification.State.PENDING, 0)}
    with time_machine.travel(NOW + datetime.timedelta(minutes=5), tick=False):
        for callback in after_commit:
            callback()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(2 * members_of(pairing))
    assert set(Notification.objects.values_list("state", flat=True)) == {"sent"}


def test_the_page_lists_who_switched_reminders_off_in_the_coordinators_programmes(client):
    coordinator = CoordinatorFactory()
    mine, theirs = ProgramFactory(coordinators=[coordinator]), ProgramFactory()
    quiet = ParticipantFactory(
        cycle=CycleFactory(program=mine), status=Participant.Status.ACCEPTED
    ).user
    quiet.muted_notifications = ["event_reminder", "self_assessment"]
    quiet.save()
    elsewhere = ParticipantFactory(
        cycle=CycleFactory(program=theirs), status=Participant.Status.ACCEPTED
    ).user
    elsewhere.muted_notifications = ["event_reminder"]
    elsewhere.save()
    client.force_login(coordinator)

    page = client.get(reverse("participants:emails")).content.decode()

    assert quiet.email in page
    assert "Reminders the day before an event; Reminders to answer the self-assessment" in page
    assert elsewhere.email not in page


def test_the_emails_page_is_for_coordinators_only(client, person):
    theirs = ProgramFactory()
    failed = ledger_row(theirs, Notification.State.FAILED, error="SMTPDataError")
    staff_without_programmes = CoordinatorFactory()

    assert client.get(reverse("participants:emails")).status_code == 302, "to the login page"
    for someone in (person, staff_without_programmes):
        client.force_login(someone)
        assert client.get(reverse("participants:emails")).status_code == 404
        client.post(reverse("participants:emails_retry"))
        failed.refresh_from_db()
        assert failed.state == Notification.State.FAILED
