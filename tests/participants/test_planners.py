"""The one registry of planners beside the kinds of email: each app registers its planners
and kinds from its ready(), once; the one hourly task and `manage.py send_reminders` run
every planner registered, and beat names that one task."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command

from events import reminders as event_reminders
from meetings import reminders as meeting_reminders
from participants.models import Notification, User
from participants.notifications import ledger
from participants.notifications.emails import WELCOME
from participants.notifications.ledger import Planned, Planner
from participants.notifications.tasks import plan_notifications
from participants.registrations import self_assessment
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]


def test_each_app_registers_its_planners_from_ready():
    registered = ledger.PLANNERS
    assert registered == {
        "meeting_reminders": Planner("meeting_reminders", meeting_reminders.due_reminders),
        "event_reminders": Planner("event_reminders", event_reminders.due_reminders),
        "self_assessment": Planner("self_assessment", self_assessment.due_prompts),
    }


def test_running_the_apps_ready_again_registers_nothing_twice():
    planners, kinds = dict(ledger.PLANNERS), dict(ledger.KINDS)

    for label in ("participants", "meetings", "events"):
        apps.get_app_config(label).ready()

    assert (planners, kinds) == (ledger.PLANNERS, ledger.KINDS)


def test_a_name_taken_by_another_planner_or_kind_is_refused():
    with pytest.raises(ValueError, match="'meeting_reminders' is registered already"):
        ledger.register_planner(Planner("meeting_reminders", lambda: []))
    with pytest.raises(ValueError, match="'welcome' is registered already"):
        ledger.register_kind(ledger.Kind(WELCOME, "Another welcome", lambda rows: {}))

    assert ledger.PLANNERS["meeting_reminders"].due is meeting_reminders.due_reminders
    assert ledger.KINDS[WELCOME].label == "Welcome to the mentorship programmes"


@pytest.fixture
def greeted(monkeypatch):
    """A planner of one more app, registered as an app's ready() registers one: it finds a
    welcome due for each of the people in the list it returns."""
    people = []
    monkeypatch.setattr(ledger, "PLANNERS", dict(ledger.PLANNERS))

    def due():
        return [Planned(person.pk, WELCOME, User, person.pk, "test") for person in people]

    ledger.register_planner(Planner("greetings", due))
    return people


@pytest.mark.django_db
def test_the_hourly_task_runs_a_registered_planner_and_sends_what_it_planned(
    greeted, mailoutbox, django_capture_on_commit_callbacks
):
    person = UserFactory()
    greeted.append(person)

    with django_capture_on_commit_callbacks(execute=True):
        assert plan_notifications() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert plan_notifications() == 0, "planned once"

    row = Notification.objects.get(recipient=person)
    assert (row.kind, row.about, row.period, row.state) == (WELCOME, person, "test", "sent")
    assert [message.to for message in mailoutbox] == [[person.email]]


@pytest.mark.django_db
def test_the_command_runs_a_registered_planner_and_sends_what_it_planned(
    greeted, mailoutbox, capsys
):
    person = UserFactory()
    greeted.append(person)

    call_command("send_reminders")
    assert "1 planned; 1 sent" in capsys.readouterr().out
    call_command("send_reminders")
    assert "0 planned; 0 sent" in capsys.readouterr().out

    assert Notification.objects.get(recipient=person).state == Notification.State.SENT
    assert [message.to for message in mailoutbox] == [[person.email]]


def test_beat_starts_one_planning_task_and_a_worker_knows_every_task_beat_names():
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert tasks == {
        "participants.notifications.tasks.plan_notifications",
        "participants.notifications.tasks.dispatch_notifications",
        "mentorship.privacy.tasks.erase_expired_data",
    }
    # A fresh process, set up as a worker sets itself up: the tasks it knows.
    script = (
        "import django, json; django.setup(); from mentorship.celery import app; "
        "app.loader.import_default_modules(); print(json.dumps(sorted(app.tasks)))"
    )
    known = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "mentorship.settings"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert tasks <= set(json.loads(known.stdout.splitlines()[-1]))
