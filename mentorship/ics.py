"""Calendar files (RFC 5545) for meetings and events: one place that builds them, so every
download and the personal feed read the same in Outlook, Google Calendar and phones."""

import datetime
from dataclasses import dataclass
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.utils import timezone


@dataclass(frozen=True)
class Entry:
    """One calendar entry. `uid` stays the same when the entry changes, so calendars update
    it in place instead of adding a copy."""

    uid: str
    start: datetime.datetime
    duration: datetime.timedelta
    summary: str
    description: str = ""
    location: str = ""
    url: str = ""


def _uid(key: str) -> str:
    return f"{key}@{urlsplit(settings.SITE_URL).hostname or 'localhost'}"


def to_ics(entries, *, name: str = "") -> bytes:
    """A calendar with the entries; times are written in UTC, which every client converts."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", f"-//{settings.SITE_NAME}//Mentorship//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if name:
        calendar.add("x-wr-calname", name)
    stamp = timezone.now().astimezone(datetime.UTC)
    for entry in entries:
        event = icalendar.Event()
        event.add("uid", _uid(entry.uid))
        event.add("dtstamp", stamp)
        event.add("dtstart", entry.start.astimezone(datetime.UTC))
        event.add("duration", entry.duration)
        event.add("summary", entry.summary)
        for key, value in (
            ("description", entry.description),
            ("location", entry.location),
            ("url", entry.url),
        ):
            if value:
                event.add(key, value)
        calendar.add_component(event)
    return calendar.to_ical()
