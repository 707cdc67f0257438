"""The notification ledger under the failures it is built for: the daily job run twice, two runs
at once, a mail server that refuses or does not answer, a worker that died holding its rows, and
a resend that must read as the same message. Mail goes to a real SMTP server (aiosmtpd) on
127.0.0.1, except in the first test, which reads Django's outbox."""

import datetime
import email
import logging
import socket
import threading
import uuid
import zoneinfo
from collections import Counter
from functools import partial

import pytest
from aiosmtpd.controller import Controller
from django.contrib.auth import get_user_model
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from meetings.reminders import due_reminders
from participants.models import Membership, Notification, Pairing, Participant
from participants.notifications.ledger import deliver, dispatch, plan
from participants.notifications.tasks import plan_notifications
from programs.models import Cycle, Program
from tests.factories import CoordinatorFactory, CycleFactory, ProgramFactory, active_pairing

State = Notification.State
# A Tuesday, after the hour the reminders go out in the programmes' time zone.
TUESDAY_MORNING = datetime.datetime(2026, 3, 10, 10, 0, tzinfo=zoneinfo.ZoneInfo("Europe/Vilnius"))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class MailSink:
    """A real SMTP server on 127.0.0.1 that keeps the messages it accepts. Each recipient's
    first `refusals` messages are refused with 451 (try again later); the addresses in
    `unknown` are refused at RCPT TO with 550."""

    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.refusals = 0
        self.unknown: set[str] = set()
        self.attempts: Counter[str] = Counter()  # messages offered, per recipient
        self.sessions: list = []  # one a connection that sent something
        self._accepted: list[email.message.Message] = []
        self._lock = threading.Lock()
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)

    def __enter__(self):
        logging.getLogger("mail.log").setLevel(logging.WARNING)  # a line per SMTP command
        self._controller.start()
        return self

    def __exit__(self, *exc_info):
        self._controller.stop()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.unknown:
            return "550 5.1.1 no such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content)
        with self._lock:
            if not any(known is session for known in self.sessions):
                self.sessions.append(session)
            for recipient in envelope.rcpt_tos:
                self.attempts[recipient] += 1
            if any(self.attempts[r] <= self.refusals for r in envelope.rcpt_tos):
                return "451 4.3.0 try again later"
            self._accepted.append(message)
        return "250 OK"

    def received(self) -> list[tuple[str, str]]:
        """(To, Message-ID) of each message accepted, in the order they came."""
        with self._lock:
            return [(message["To"], message["Message-ID"]) for message in self._accepted]

    def __len__(self):
        with self._lock:
            return len(self._accepted)


@pytest.fixture
def mail_server(settings):
    """Django sends over SMTP to a MailSink for the test."""
    with MailSink() as sink:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = sink.port
        yield sink


def due_pairings(count: int, *, program=None, days_since_start=10, size=2) -> list:
    """`count` active pairings of `size` accepted members each (a mentor first), in a weekly
    programme, started `days_since_start` days ago with no meeting logged: a reminder is due
    after 7 days, the coordinators' digest after 14. Written in bulk; returns the members'
    users, pairing by pairing."""
    today = timezone.localdate()
    cycle = CycleFactory(
        program=program or ProgramFactory(cadence=Program.Cadence.WEEKLY),
        starts_on=today - datetime.timedelta(days=60),
        ends_on=today + datetime.timedelta(days=240),
        stage=Cycle.Stage.WORKING,
    )
    tag = uuid.uuid4().hex[:8]
    users = get_user_model().objects.bulk_create(
        get_user_model()(
            email=f"due-{tag}-{n}@university.example", first_name=f"F{n}", last_name=f"L{n}"
        )
        for n in range(count * size)
    )
    participants = Participant.objects.bulk_create(
        Participant(
            user=user,
            cycle=cycle,
            role=Participant.Role.MENTEE if n % size else Participant.Role.MENTOR,
            status=Participant.Status.ACCEPTED,
        )
        for n, user in enumerate(users)
    )
    pairings = Pairing.objects.bulk_create(
        Pairing(
            cycle=cycle,
            status=Pairing.Status.ACTIVE,
            starts_on=today - datetime.timedelta(days=days_since_start),
            ends_on=cycle.ends_on,
        )
        for _ in range(count)
    )
    Membership.objects.bulk_create(
        Membership(pairing=pairings[n // size], participant=participant)
        for n, participant in enumerate(participants)
    )
    return users


def expected_mail(rows=None) -> Counter:
    """Each ledger row's message, once: (To, Message-ID)."""
    rows = Notification.objects.select_related("recipient") if rows is None else rows
    return Counter((row.recipient.email, row.message_id) for row in rows)


def at_once(*functions) -> list:
    """Run the functions in threads of their own (each with its own database connection),
    released together; returns what they returned."""
    barrier = threading.Barrier(len(functions))
    results, errors = [None] * len(functions), []

    def run(number, function):
        try:
            barrier.wait(timeout=10)
            results[number] = function()
        except BaseException as error:  # handed to the test's thread below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(functions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a thread is stuck"
    assert not errors, errors
    return results


@pytest.mark.django_db
def test_the_daily_job_run_twice_a_day_on_two_days_sends_each_reminder_and_digest_once(
    time_machine, mailoutbox, django_capture_on_commit_callbacks
):
    time_machine.move_to(TUESDAY_MORNING, tick=False)
    coordinator = CoordinatorFactory()
    program = ProgramFactory(cadence=Program.Cadence.WEEKLY, coordinators=[coordinator])
    cycle = CycleFactory(
        program=program,
        starts_on=TUESDAY_MORNING.date() - datetime.timedelta(days=60),
        ends_on=TUESDAY_MORNING.date() + datetime.timedelta(days=240),
        stage=Cycle.Stage.WORKING,
    )
    due = active_pairing(cycle, started_days_ago=10)
    overdue = active_pairing(cycle, started_days_ago=20)  # also in the coordinator's digest
    members = [m.participant.user for p in (due, overdue) for m in p.memberships.all()]

    for day in (0, 0, 1, 1):  # Tuesday and Wednesday of the same ISO week
        time_machine.move_to(TUESDAY_MORNING + datetime.timedelta(days=day), tick=False)
        with django_capture_on_commit_callbacks(execute=True):
            plan_notifications()

    rows = list(Notification.objects.select_related("recipient"))
    assert Counter(row.kind for row in rows) == {"meeting_reminder": 4, "coordinator_digest": 1}
    assert {row.state for row in rows} == {State.SENT}
    assert Counter(message.to[0] for message in mailoutbox) == Counter(
        [user.email for user in members] + [coordinator.email]
    )
    sent = Counter((m.to[0], m.extra_headers["Message-ID"]) for m in mailoutbox)
    assert sent == expected_mail(rows)


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_plan_and_send_each_reminder_once(mail_server, time_machine):
    time_machine.move_to(TUESDAY_MORNING, tick=False)
    members = due_pairings(30)
    planned = threading.Barrier(2)

    def run():
        plan(due_reminders())
        planned.wait(timeout=10)  # and send at the same moment too
        return deliver(list(Notification.objects.values_list("pk", flat=True)))

    results = at_once(run, run)

    assert sum(result["sent"] for result in results) == len(members) == 60
    rows = list(Notification.objects.select_related("recipient"))
    assert sorted(row.recipient.email for row in rows) == sorted(u.email for u in members)
    assert {row.state for row in rows} == {State.SENT}
    assert Counter(mail_server.received()) == expected_mail(rows)


@pytest.mark.django_db(transaction=True)
def test_two_senders_given_the_same_rows_at_once_send_each_email_once(mail_server, time_machine):
    time_machine.move_to(TUESDAY_MORNING, tick=False)
    due_pairings(30)
    plan(due_reminders())
    ids = list(Notification.objects.values_list("pk", flat=True))

    results = []
    for start in range(0, len(ids), 12):  # five races, each may be lost or won
        batch = ids[start : start + 12]
        results += at_once(partial(deliver, batch), partial(deliver, batch))

    assert sum(result["sent"] for result in results) == len(ids) == 60
    assert set(Notification.objects.values_list("state", flat=True)) == {State.SENT}
    assert Counter(mail_server.received()) == expected_mail()


@pytest.mark.django_db
def test_a_batch_goes_over_one_smtp_connection(mail_server, time_machine):
    time_machine.move_to(TUESDAY_MORNING, tick=False)
    due_pairings(5)
    plan(due_reminders())

    deliver(list(Notification.objects.values_list("pk", flat=True)))

    assert len(mail_server) == 10
    assert len(mail_server.sessions) == 1


@pytest.mark.django_db
def test_a_mail_server_refusing_twice_gets_each_email_once_after_the_backoff(
    mail_server, time_machine, settings, django_capture_on_commit_callbacks
):
    time_machine.move_to(TUESDAY_MORNING, tick=False)
    members = due_pairings(3)
    plan(due_reminders())
    ids = list(Notification.objects.values_list("pk", flat=True))
    mail_server.refusals = 2
    retry = settings.NOTIFICATION_RETRY_SECONDS

    def waiting(attempts: int, wait: float) -> datetime.datetime:
        """Every row waits about `wait` seconds (give or take half) after its attempts;
        returns the latest next attempt."""
        now = timezone.now()
        rows = list(Notification.objects.all())
        assert {row.state for row in rows} == {State.PENDING}
        assert {row.attempts for row in rows} == {attempts}
        assert all("451" in row.error and "try again later" in row.error for row in rows)
        waits = [(row.next_attempt_at - now).total_seconds() for row in rows]
        assert all(wait * 0.5 <= seconds <= wait * 1.5 for seconds in waits), waits
        assert len(set(waits)) > 1, "the retries are spread out, not all at the same moment"
        return max(row.next_attempt_at for row in rows)

    assert deliver(ids) == {"sent": 0, "skipped": 0, "retried": 6}
    latest = waiting(attempts=1, wait=retry)
    with django_capture_on_commit_callbacks() as queued:
        assert dispatch() == 0
    assert queued == []

    time_machine.move_to(latest + datetime.timedelta(seconds=1), tick=False)
    with django_capture_on_commit_callbacks(execute=True) as queued:
        assert dispatch() == 6
    assert len(queued) == 1
    latest = waiting(attempts=2, wait=2 * retry)
    with django_capture_on_commit_callbacks() as queued:
        assert dispatch() == 0
    assert queued == []

    time_machine.move_to(latest + datetime.timedelta(seconds=1), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert dispatch() == 6

    rows = list(Notification.objects.select_related("recipient"))
    assert {(row.state, row.attempts, row.error) for row in rows} == {(State.SENT, 3, "")}
    assert mail_server.attempts == {user.email: 3 for user in members}
    assert Counter(mail_server.received()) == expected_mail(rows)


@pytest.mark.django_db
def test_an_email_refused_at_every_attempt_fails_and_is_listed_for_its_coordinators(
    mail_server, time_machine, settings, client, django_capture_on_commit_callbacks
):
    time_machine.move_to(TUESDAY_MORNING, tick=False)
    coordinator, outsider = CoordinatorFactory(), CoordinatorFactory()
    program = ProgramFactory(cadence=Program.Cadence.WEEKLY, coordinators=[coordinator])
    ProgramFactory(coordinators=[outsider])
    mentor, mentee = due_pairings(1, program=program)
    plan(due_reminders())
    mail_server.refusals = 1000
    last = settings.NOTIFICATION_MAX_ATTEMPTS

    for attempt in range(1, last + 1):
        with django_capture_on_commit_callbacks(execute=True):
            assert dispatch() == 2, f"attempt {attempt}"
        rows = list(Notification.objects.all())
        assert {row.attempts for row in rows} == {attempt}
        if attempt < last:
            assert {row.state for row in rows} == {State.PENDING}
            latest = max(row.next_attempt_at for row in rows)
            time_machine.move_to(latest + datetime.timedelta(seconds=1), tick=False)

    assert {row.state for row in rows} == {State.FAILED}
    assert mail_server.attempts == {mentor.email: last, mentee.email: last}
    assert len(mail_server) == 0
    time_machine.shift(datetime.timedelta(hours=2))
    with django_capture_on_commit_callbacks() as queued:
        assert dispatch() == 0, "a failed email waits for a coordinator to send it again"
    assert queued == []

    client.force_login(coordinator)
    page = client.get(reverse("participants:emails")).content.decode()
    assert mentor.email in page and mentee.email in page
    assert "451" in page
    client.force_login(outsider)
    page = client.get(reverse("participants:emails")).content.decode()
    assert mentor.email not in page and mentee.email not in page


@pytest.mark.django_db
def test_a_recipient_the_mail_server_refuses_does_not_hold_back_the_rest_of_the_batch(
    mail_server, time_machine
):
    time_machine.move_to(TUESDAY_MORNING, tick=False)
    due_pairings(3)
    plan(due_reminders())
    rows = list(Notification.objects.select_related("recipient").order_by("pk"))
    # The lowest and the highest id: whichever way the batch is ordered, one of them is first.
    refused = [rows[0], rows[-1]]
    mail_server.unknown = {row.recipient.email for row in refused}

    counts = deliver([row.pk for row in rows])

    assert Counter(mail_server.received()) == expected_mail(rows[1:-1])
    assert counts["sent"] == 4
    states = dict(Notification.objects.values_list("pk", "state"))
    assert {states[row.pk] for row in rows[1:-1]} == {State.SENT}
    for row in refused:
        row.refresh_from_db()
        assert row.state in (State.PENDING, State.FAILED)
        assert "550" in row.error


@pytest.mark.django_db
def test_a_mail_server_that_does_not_answer_loses_nothing(
    settings, time_machine, django_capture_on_commit_callbacks
):
    time_machine.move_to(TUESDAY_MORNING, tick=False)
    port = free_port()  # nothing listens there yet
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    due_pairings(2)
    plan(due_reminders())
    ids = list(Notification.objects.values_list("pk", flat=True))

    assert deliver(ids) == {"sent": 0, "skipped": 0, "retried": 4}
    rows = list(Notification.objects.all())
    assert {(row.state, row.attempts) for row in rows} == {(State.PENDING, 1)}
    assert all(row.next_attempt_at > timezone.now() for row in rows)
    assert all("Connection refused" in row.error for row in rows)

    with MailSink(port) as sink:
        time_machine.move_to(max(row.next_attempt_at for row in rows), tick=False)
        with django_capture_on_commit_callbacks(execute=True):
            assert dispatch() == 4

    assert set(Notification.objects.values_list("state", flat=True)) == {State.SENT}
    assert Counter(sink.received()) == expected_mail()


@pytest.mark.django_db
def test_rows_left_sending_by_a_dead_worker_are_sent_once_their_claim_is_old(
    mail_server, time_machine, settings, django_capture_on_commit_callbacks
):
    time_machine.move_to(TUESDAY_MORNING, tick=False)
    due_pairings(1)
    plan(due_reminders())
    dead, busy = Notification.objects.select_related("recipient").order_by("pk")
    claim = datetime.timedelta(seconds=settings.NOTIFICATION_CLAIM_SECONDS)
    now = timezone.now()
    for row, claimed_at in ((dead, now - claim - datetime.timedelta(seconds=1)),
                            (busy, now - datetime.timedelta(seconds=10))):  # fmt: skip
        Notification.objects.filter(pk=row.pk).update(
            state=State.SENDING, attempts=1, claimed_at=claimed_at, queued_at=claimed_at
        )

    with django_capture_on_commit_callbacks(execute=True):
        assert dispatch() == 1
    assert mail_server.received() == [(dead.recipient.email, dead.message_id)]
    dead.refresh_from_db()
    assert (dead.state, dead.attempts) == (State.SENT, 2)

    assert deliver([busy.pk])["sent"] == 0, "a claim younger than the claim time is respected"
    busy.refresh_from_db()
    assert busy.state == State.SENDING
    time_machine.shift(claim)
    assert deliver([busy.pk])["sent"] == 1

    assert Counter(mail_server.received()) == expected_mail()


@pytest.mark.django_db
def test_an_email_sent_again_carries_the_same_message_id(mail_server, time_machine):
    time_machine.move_to(TUESDAY_MORNING, tick=False)
    due_pairings(1)
    plan(due_reminders())
    again, once = Notification.objects.select_related("recipient").order_by("pk")

    deliver([again.pk, once.pk])
    Notification.objects.filter(pk=again.pk).update(
        state=State.PENDING, next_attempt_at=timezone.now(), queued_at=None
    )
    assert deliver([again.pk, once.pk])["sent"] == 1

    assert Counter(mail_server.received()) == {
        (again.recipient.email, again.message_id): 2,
        (once.recipient.email, once.message_id): 1,
    }
    assert again.message_id != once.message_id


@pytest.mark.django_db
def test_a_fan_out_larger_than_a_chunk_is_planned_whole_and_once(time_machine, monkeypatch):
    time_machine.move_to(TUESDAY_MORNING, tick=False)
    monkeypatch.setattr("participants.notifications.ledger.PLAN_CHUNK", 7)
    members = due_pairings(30)

    assert plan(due_reminders()) == 60
    assert plan(due_reminders()) == 0, "a second run plans nothing twice"

    rows = Notification.objects.filter(kind="meeting_reminder")
    assert sorted(rows.values_list("recipient__email", flat=True)) == sorted(
        user.email for user in members
    )
