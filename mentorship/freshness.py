"""When what a page shows last changed, so that the page can keep the HTML it rendered until
something in it changes: the dashboard and the report, the registrations list, a pairing's
page, a person's home and the events list.

Each write marks what it changes: its cycle (what the cycle's figures and registrations
show), its programme, a pairing (its page: meetings, goals, plan, members), a person (their
own sign-ups, questions and answers), the events (every events list: places taken change with
each sign-up), the events' details, or everything. A mark is a new random value under its
name in the cache, written at once and again when the transaction commits. `stamp()` reads
the marks a page depends on, and `kept()` keeps the page's HTML under a key that holds them:
a meeting logged in one pair leaves the pages of the cycle's other pairs kept. A change made
around the models that nobody marks is seen when the kept HTML expires, at most `KEPT_FOR`
seconds later.
"""

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.core.cache import cache
from django.db import transaction
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

KEPT_FOR = 300
EVERYTHING = "everything"
EVENTS = "events"  # any event or sign-up: the lists show each event's places taken
EVENT_DETAILS = "event-details"  # an event's own fields: when, where, what


def cycle(pk) -> str:
    return f"cycle:{pk}"


def program(pk) -> str:
    return f"program:{pk}"


def pairing(pk) -> str:
    return f"pairing:{pk}"


def person(pk) -> str:
    return f"person:{pk}"


def of_cycle(row) -> tuple[str, str]:
    """What the figures of a cycle depend on: the cycle's and its programme's marks."""
    return program(row.program_id), cycle(row.pk)


def changed(*marks: str) -> None:
    """Mark these as changed, now and again once the current transaction commits (a page
    rendered in between, from the rows as they were before, is kept under the first mark
    only, so it is never shown after the commit)."""
    if not marks:
        return

    def mark():
        # A new value each time, even when the clock does not move (a frozen test clock).
        cache.set_many(dict.fromkeys((f"mark:{m}" for m in marks), secrets.token_hex(8)), None)

    mark()
    transaction.on_commit(mark)


def stamp(*marks: str) -> str:
    """What the last changes to these (and to everything) were, as one string."""
    keys = [f"mark:{m}" for m in (EVERYTHING, *marks)]
    found = cache.get_many(keys)
    return ".".join(str(found.get(key, 0)) for key in keys)


@dataclass(frozen=True)
class Kept:
    html: SafeString
    at: datetime  # when it was rendered


def kept(request, name: str, stamp: str, template: str, context_of: Callable[[], dict]) -> Kept:
    """The part of a page `template` renders from `context_of()`, kept from an earlier visit
    while the `stamp` (with the page's name, the visitor's language and time zone, today's
    date and the query string) is the same; rendered now otherwise, or when the visitor asks
    (`?fresh`).

    `name` says whose it is: a page every coordinator of a cycle sees alike names the cycle,
    a person's own page names the person too. A context with `changes_at` (the moment the
    HTML turns wrong by the clock alone: an event ends, an edit window closes) is rendered
    again from then on. Forms in it keep working: their CSRF token is put in for each
    visitor and each response, never kept."""
    query = request.GET.copy()
    query.pop("fresh", None)
    parts = [
        name,
        get_language(),
        timezone.get_current_timezone_name(),
        timezone.localdate().isoformat(),
        stamp,
        query.urlencode(),
    ]
    key = "kept:" + hashlib.sha256("|".join(parts).encode()).hexdigest()
    now = timezone.now()
    found = None if "fresh" in request.GET else cache.get(key)
    if found is None or (found.get("until") is not None and found["until"] <= now):
        context = {**context_of(), "csrf_token": _csrf_stand_in()}
        until = context.get("changes_at")
        html = str(render_to_string(template, context, request=request))
        found = {"html": html, "at": now, "until": until}
        lasts = KEPT_FOR if until is None else min(KEPT_FOR, (until - now).total_seconds())
        if lasts > 0:
            cache.set(key, found, int(lasts) + 1)
    html = found["html"].replace(_csrf_stand_in(), get_token(request))
    return Kept(mark_safe(html), found["at"])


def _csrf_stand_in() -> str:
    """What kept HTML holds where a form's CSRF token goes: the same in every process."""
    return "csrf" + salted_hmac("kept-csrf-stand-in", "").hexdigest()
