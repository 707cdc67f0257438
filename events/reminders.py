"""The reminder the day before an event, to everyone with a place, sent through the
notification ledger (so once). It goes out from REMINDER_HOUR on the day before, in the
programme's time zone (the site's for an event of the whole institution); a run missed that
day is made up until the event starts. `register_emails()` registers its kind and its planner
(`due_reminders()`) with the ledger, from the app's ready()."""

import datetime
import zoneinfo

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from participants.notifications.ledger import (
    Email,
    Kind,
    Planned,
    Planner,
    register_kind,
    register_planner,
)

from .models import Event, SignUp

KIND = "event_reminder"
PERIOD = "day-before"


def _zone(event) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(event.program.time_zone if event.program else settings.TIME_ZONE)


def is_due(event, now) -> bool:
    local_now = timezone.localtime(now, _zone(event))
    start = timezone.localtime(event.starts_at, _zone(event))
    day_before = start.date() - datetime.timedelta(days=1)
    if now >= event.starts_at or local_now.date() < day_before:
        return False
    return local_now.date() > day_before or local_now.hour >= settings.REMINDER_HOUR


def due_reminders(now=None) -> list[Planned]:
    now = now or timezone.now()
    soon = Event.objects.filter(
        starts_at__gt=now, starts_at__lte=now + datetime.timedelta(days=3)
    ).select_related("program")
    events = {event.pk: event for event in soon if is_due(event, now)}
    signups = SignUp.objects.confirmed().filter(event__in=list(events))
    return [
        Planned(user_id, KIND, Event, event_id, PERIOD, events[event_id].program_id)
        for event_id, user_id in signups.values_list("event_id", "user_id")
    ]


def _emails(rows) -> dict:
    ids = {row.object_id for row in rows}
    events = {e.pk: e for e in Event.objects.filter(pk__in=ids).select_related("program")}
    places = set(
        SignUp.objects.confirmed()
        .filter(event__in=ids, user__in={row.recipient_id for row in rows})
        .values_list("event_id", "user_id")
    )
    emails = {}
    for row in rows:
        event = events.get(row.object_id)
        wanted = event and event.starts_at > timezone.now()
        if not wanted or (event.pk, row.recipient_id) not in places:
            emails[row.pk] = None  # over, or the place was given back
            continue
        emails[row.pk] = Email(KIND, {"event": event, "program": event.program})
    return emails


def register_emails() -> None:
    register_kind(Kind(KIND, _("Reminders the day before an event"), _emails))
    register_planner(Planner("event_reminders", due_reminders))
