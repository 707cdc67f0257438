"""Redis is not a single point of failure: with a redis-server of the test's own stopped, people
log in, read their pages and save their work; the emails their actions cause wait in the
ledger and go out through Redis once it is back."""

import datetime
import html
import logging
import os
import re
import signal
import socket
import subprocess
import time
from urllib.parse import urlparse

import pytest
import redis
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from redis.backoff import NoBackoff
from redis.retry import Retry

from meetings.models import Meeting
from mentorship.cache import OutageTolerantRedisCache
from mentorship.celery import app as celery_app
from mentorship.celery import queue
from participants.models import Notification, Participant
from participants.notifications.tasks import dispatch_notifications
from tests.factories import (
    PASSWORD,
    CoordinatorFactory,
    EventFactory,
    ParticipantFactory,
    active_pairing,
    member_user,
)
from tests.participants.test_accounts import SIGNUP, link_in

pytestmark = pytest.mark.outage


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(condition, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"{what}: not within {seconds} s"
        time.sleep(0.05)


class RedisServer:
    """A redis-server of the test's own on a free port, keeping nothing on disk, stopped by
    its pid (never the shared one on 6379)."""

    def __init__(self, directory):
        self.directory, self.port = directory, free_port()
        self.pidfile = directory / "redis.pid"
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        subprocess.run(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--daemonize", "yes", "--pidfile", str(self.pidfile),
             "--dir", str(self.directory), "--logfile", str(self.directory / "redis.log")],
            check=True,
        )  # fmt: skip
        wait_for(lambda: self.answers() and self.pidfile.exists(), 10, "redis-server starts")

    def stop(self) -> None:
        os.kill(int(self.pidfile.read_text()), signal.SIGTERM)
        wait_for(lambda: not self.answers() and not self.pidfile.exists(), 10, "it stops")

    def answers(self) -> bool:
        with redis.Redis(port=self.port, socket_timeout=0.5, retry=Retry(NoBackoff(), 0)) as client:
            try:
                return client.ping()
            except redis.ConnectionError:
                return False


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(tmp_path)
    server.start()
    yield server
    if server.pidfile.exists():
        server.stop()


def tolerant_cache(url) -> OutageTolerantRedisCache:
    return OutageTolerantRedisCache(url, {"KEY_PREFIX": "outage-test"})


def test_a_stopped_redis_reads_as_misses_at_once_drops_writes_and_is_used_again_when_back(
    redis_server, caplog
):
    cache = tolerant_cache(redis_server.url)
    cache._cache.rest_seconds = 0.1  # Redis is asked again soon after it failed
    cache.set("figure", 42)
    assert cache.get("figure") == 42
    redis_server.stop()

    started = time.monotonic()
    assert cache.get("figure", "missing") == "missing"
    assert time.monotonic() - started < 0.3
    cache.set("figure", 43)
    cache.set_many({"a": 1, "b": 2})
    cache.delete("figure")
    assert cache.get_many(["a", "b"]) == {}
    assert cache.add("lock", True) is True, "as the dummy cache: allauth's limits let through"
    assert cache.get_or_set("counted", lambda: 7) == 7
    with pytest.raises(ValueError):
        cache.incr("counter")
    warnings = [r for r in caplog.records if r.name == "mentorship.cache"]
    assert len(warnings) == 1, "one warning, not one per call"
    assert warnings[0].levelno == logging.WARNING

    redis_server.start()
    time.sleep(0.15)
    cache.set("figure", 44)
    assert cache.get("figure") == 44


def test_a_redis_that_does_not_answer_costs_one_short_wait_then_none():
    with socket.socket() as silent:  # accepts connections, never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        cache = tolerant_cache(f"redis://127.0.0.1:{silent.getsockname()[1]}/0")

        started = time.monotonic()
        assert cache.get("figure", "missing") == "missing"
        assert time.monotonic() - started < 1.5
        started = time.monotonic()
        for _ in range(20):
            assert cache.get("figure") is None
            cache.set("figure", 1)
        assert time.monotonic() - started < 0.1, "Redis is left alone for a few seconds"


@pytest.fixture
def outage(redis_server, settings):
    """The cache and the Celery broker on the test's own Redis; tasks go through it."""
    settings.CACHES = {
        "default": {
            "BACKEND": "mentorship.cache.OutageTolerantRedisCache",
            "LOCATION": redis_server.url,
            "KEY_PREFIX": "mentorship",
        }
    }
    broker = celery_app.conf.broker_url
    celery_app.conf.broker_url = redis_server.url
    celery_app.conf.task_always_eager = False
    yield redis_server
    celery_app.conf.broker_url = broker


def test_queuing_a_task_with_the_broker_stopped_gives_up_at_once(outage, caplog):
    outage.stop()
    started = time.monotonic()
    assert queue(dispatch_notifications) is False
    assert time.monotonic() - started < 1
    assert "participants.notifications.tasks.dispatch_notifications was not queued" in caplog.text


def test_queuing_a_task_to_a_broker_that_does_not_answer_gives_up_within_a_second(monkeypatch):
    with socket.socket() as silent:  # accepts connections, never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        monkeypatch.setattr(celery_app.conf, "task_always_eager", False)
        monkeypatch.setattr(
            celery_app.conf, "broker_url", f"redis://127.0.0.1:{silent.getsockname()[1]}/0"
        )
        started = time.monotonic()
        assert queue(dispatch_notifications) is False
        assert time.monotonic() - started < 1.5


def run_queued_tasks() -> int:
    """Do a worker's job in the test's process: run each task waiting in Redis, including those
    the tasks run queue. Returns how many ran."""
    ran = 0
    with celery_app.connection_for_read() as connection:
        waiting = connection.SimpleQueue("celery")
        while True:
            try:
                message = waiting.get(timeout=1)
            except waiting.Empty:
                return ran
            args, kwargs, _ = message.payload
            celery_app.tasks[message.headers["task"]].apply(args, kwargs, throw=True)
            message.ack()
            ran += 1


def text(response) -> str:
    """What the visitor reads on a page that answered 200, its spaces collapsed."""
    assert response.status_code == 200
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def log_in(client, user, password):
    return client.post(reverse("account_login"), {"login": user.email, "password": password})


# Each request commits, as in production, so that what it queues after the commit is queued.
@pytest.mark.django_db(transaction=True)
def test_with_redis_down_people_log_in_read_their_pages_and_log_a_meeting(client, outage, caplog):
    pairing = active_pairing()
    cycle = pairing.cycle
    mentor, mentee = member_user(pairing, "mentor"), member_user(pairing, "mentee")
    coordinator = CoordinatorFactory()
    cycle.program.coordinators.add(coordinator)
    EventFactory(program=cycle.program, title="Seminar: feedback that helps")
    outage.stop()

    # The limit of failed logins fails open: five wrong passwords would lock the address
    # for five minutes; with Redis down they are not counted.
    assert "Sign In" in text(client.get(reverse("account_login")))
    for _ in range(6):
        assert "not correct" in text(log_in(client, mentor, "not-the-password"))
    response = log_in(client, mentor, PASSWORD)
    assert response.status_code == 302
    assert response.url == reverse("my_mentorship")
    assert client.session["_auth_user_id"] == str(mentor.pk)

    assert mentee.get_full_name() in text(client.get(reverse("my_mentorship")))
    pairing_page = reverse("meetings:pairing", args=[pairing.pk])
    assert mentee.get_full_name() in text(client.get(pairing_page))
    assert "Seminar: feedback that helps" in text(client.get(reverse("events:list")))
    response = client.post(
        reverse("meetings:meeting_new", args=[pairing.pk]),
        {"held_on": (timezone.localdate() - datetime.timedelta(days=1)).isoformat(),
         "duration_minutes": 50, "format": Meeting.Format.ONLINE, "topics": ["planning"],
         "notes": "Planned the first lecture.", "next_steps": "", "next_meeting_at": ""},
        follow=True,
    )  # fmt: skip
    assert "The meeting is logged." in text(response)
    meeting = Meeting.objects.get(pairing=pairing)
    assert (meeting.logged_by, meeting.duration_minutes) == (mentor, 50)

    # The figures are counted on the visit, so they already hold the meeting.
    client.force_login(coordinator)
    dashboard = text(client.get(reverse("dashboard", args=[cycle.pk])))
    assert "Pairs and groups 1 active, 0 of them groups" in dashboard
    assert "Meetings held 1" in text(client.get(reverse("report", args=[cycle.pk])))
    assert "The cache (Redis) does not answer" in caplog.text


@pytest.mark.django_db(transaction=True)
def test_the_emails_caused_while_redis_is_down_wait_in_the_ledger_and_go_out_when_it_is_back(
    client, outage, caplog
):
    cycle = active_pairing().cycle
    coordinator = CoordinatorFactory()
    cycle.program.coordinators.add(coordinator)
    applicant = ParticipantFactory(cycle=cycle, role="mentee")
    outage.stop()

    newcomer = Client()
    assert newcomer.post(reverse("account_signup"), SIGNUP).status_code == 302
    (confirmation,) = mail.outbox
    assert newcomer.post(urlparse(link_in(confirmation)).path).status_code == 302
    client.force_login(coordinator)
    decided = client.post(
        reverse("participants:decide", args=[cycle.pk]),
        {"status": "accepted", "participants": [applicant.pk]},
        follow=True,
    )
    assert "1 registration is now “Accepted”" in text(decided)
    applicant.refresh_from_db()
    assert applicant.status == Participant.Status.ACCEPTED

    waiting = Notification.objects.to_queue()
    assert sorted(waiting.values_list("kind", "recipient__email")) == [
        ("registration", applicant.user.email),
        ("welcome", SIGNUP["email"]),
    ]
    assert mail.outbox == [confirmation], "allauth sends the confirmation link at once"
    assert "send_notifications was not queued" in caplog.text

    # Redis is back: beat starts the dispatcher, a worker runs it and the batch it queues.
    outage.start()
    assert queue(dispatch_notifications)
    assert run_queued_tasks() == 2
    assert sorted((m.to[0], m.subject) for m in mail.outbox[1:]) == [
        (SIGNUP["email"], "Welcome to the mentorship programmes"),
        (applicant.user.email, f"You are accepted: {cycle.program.name}"),
    ]
    assert not Notification.objects.exclude(state=Notification.State.SENT).exists()
