"""A real Celery worker, started as its own process, runs a task that came through Redis."""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from mentorship.celery import app as celery_app
from participants.models import Notification
from participants.notifications.tasks import send_notifications
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parent.parent


def database_url() -> str:
    """The test database, as a URL the worker's settings can read."""
    db = connection.settings_dict
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


@pytest.fixture
def worker(tmp_path):
    """A worker on a queue of its own, writing the emails it sends into files."""
    queue = f"test-{uuid.uuid4().hex}"
    outbox = tmp_path / "outbox"
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "EMAIL_URL": f"filemail:///{outbox}",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "mentorship", "worker", "--pool=solo",
         "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel=INFO",
         f"--queues={queue}", f"--hostname={queue}@localhost"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while not celery_app.control.ping([f"{queue}@localhost"], timeout=0.5):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the worker did not start:\n{process.stdout.read()}")
        yield queue, outbox
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_process_sends_the_welcome_email_queued_in_redis(worker):
    queue, outbox = worker
    celery_app.conf.task_always_eager = False
    person = UserFactory(email="worker.test@university.example", language="lv")
    welcome = Notification.objects.create(
        recipient=person, kind="welcome", about=person, period="once"
    )

    send_notifications.apply_async(([welcome.id],), queue=queue)

    deadline = time.monotonic() + 30
    while not (outbox.exists() and any(outbox.iterdir())):
        assert time.monotonic() < deadline, "the worker sent nothing within 30 s"
        time.sleep(0.2)
    welcome.refresh_from_db()
    assert welcome.state == Notification.State.SENT, "the worker recorded it in the database"
    (sent,) = outbox.iterdir()
    message = sent.read_text()
    assert "To: worker.test@university.example" in message
    assert "Content-Language: lv" in message
