"""Real Celery worker processes send a fan-out of a thousand meeting reminders, handed to them
through Redis in batches, into a real SMTP server: each email once, and still each once (or,
for the one in flight, the same message twice) when the worker is killed in the middle."""

import os
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from meetings.reminders import due_reminders
from mentorship.celery import app as celery_app
from participants.models import Notification
from participants.notifications.ledger import dispatch, plan
from tests.participants.test_ledger import MailSink, due_pairings, expected_mail

ROOT = Path(__file__).resolve().parent.parent
PAIRINGS = 500  # of two members each: a thousand reminders, ten batches


def database_url() -> str:
    """The test database, as a URL the worker's settings can read."""
    db = connection.settings_dict
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def wait_for(condition, seconds: float, what: str, every: float = 0.1) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"{what}: not within {seconds} s"
        time.sleep(every)


class Workers:
    """Worker processes on the test's own queue, sending to the test's SMTP server; each
    writes its log into a file of its own."""

    def __init__(self, queue: str, mail_port: int, logs: Path):
        self.queue, self.mail_port, self.logs = queue, mail_port, logs
        self.processes: list[subprocess.Popen] = []

    def start(self, **environment) -> subprocess.Popen:
        number = len(self.processes) + 1
        name = f"{self.queue}-{number}@localhost"
        env = {
            **os.environ,
            "DATABASE_URL": database_url(),
            "REDIS_URL": celery_app.conf.broker_url,
            "EMAIL_URL": f"smtp://127.0.0.1:{self.mail_port}",
            **environment,
        }
        log = self.logs / f"worker-{number}.log"
        with log.open("w") as output:
            process = subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "mentorship", "worker", "--pool=solo",
                 "--concurrency=1", "--without-gossip", "--without-mingle", "--without-heartbeat",
                 "--loglevel=INFO", f"--queues={self.queue}", f"--hostname={name}"],
                cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT,
            )  # fmt: skip
        self.processes.append(process)
        deadline = time.monotonic() + 30
        while not celery_app.control.ping([name], timeout=0.5):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the worker did not start:\n{log.read_text()}")
        return process

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@pytest.fixture
def fan_out(transactional_db, settings):
    """A thousand meeting reminders planned in the ledger (by the test, at any hour)."""
    settings.REMINDER_HOUR = 0
    due_pairings(PAIRINGS)
    assert plan(due_reminders()) == 2 * PAIRINGS
    return expected_mail()


@pytest.fixture
def workers(tmp_path):
    """Tasks queued by the test go through Redis to the workers started on its own queue; the
    workers are stopped, and the queue forgotten, at the end."""
    queue = f"test-{uuid.uuid4().hex}"
    default_queue = celery_app.conf.task_default_queue
    celery_app.conf.update(task_default_queue=queue, task_always_eager=False)
    with MailSink() as sink:
        started = Workers(queue, sink.port, tmp_path)
        try:
            yield started, sink
        finally:
            started.stop()
            celery_app.conf.update(task_default_queue=default_queue, task_always_eager=True)
            with celery_app.connection_for_write() as broker:
                broker.default_channel.client.delete(queue)


def sent_count() -> int:
    return Notification.objects.filter(state=Notification.State.SENT).count()


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_sends_a_fan_out_of_a_thousand_reminders_each_once(fan_out, workers):
    started, mail_server = workers
    started.start()

    assert dispatch() == 1000
    wait_for(lambda: sent_count() == 1000, 40, "the worker sent the thousand reminders")
    started.stop()

    assert Counter(mail_server.received()) == fan_out
    assert len(mail_server.sessions) == 10, "each batch of 100 over one SMTP connection"


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_in_the_middle_of_a_fan_out_loses_no_email_and_doubles_none(
    fan_out, workers, settings
):
    started, mail_server = workers
    first = started.start()
    dispatch()
    # 350: in the middle of the fourth batch, not between two.
    wait_for(lambda: len(mail_server) >= 350, 30, "the worker sent 350 reminders", every=0.01)
    os.kill(first.pid, signal.SIGKILL)
    first.wait()
    killed_at, at_kill = timezone.now(), len(mail_server)
    assert at_kill < 1000, "the worker was killed in the middle of the fan-out"
    stuck = Notification.objects.filter(state=Notification.State.SENDING).count()
    assert stuck > 0, "the worker died holding rows"

    # The batches still in Redis go to the new worker; the rows the dead one had claimed wait
    # until their claim is older than NOTIFICATION_CLAIM_SECONDS, and the next dispatch.
    settings.NOTIFICATION_CLAIM_SECONDS = 2
    started.start(NOTIFICATION_CLAIM_SECONDS="2")
    time.sleep(max(0.0, 2.5 - (timezone.now() - killed_at).total_seconds()))
    dispatch()
    wait_for(lambda: sent_count() == 1000, 40, "every reminder was sent after the kill")
    started.stop()

    messages = defaultdict(list)
    for recipient, message_id in mail_server.received():
        messages[recipient].append(message_id)
    expected = dict(fan_out.keys())  # each recipient's one Message-ID
    assert messages.keys() == expected.keys()
    assert {r: set(ids) for r, ids in messages.items()} == {r: {i} for r, i in expected.items()}
    duplicates = len(mail_server) - len(expected)
    print(
        f"killed after {at_kill} messages with {stuck} rows claimed; "
        f"{duplicates} delivered twice, with the same Message-ID"
    )
    assert duplicates <= 1, "at most the message in flight at the kill is delivered twice"
