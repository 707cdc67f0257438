"""How regularly each pairing meets against its programme's cadence, worked out in the database
in one place, for the workspace, the meeting reminders and the coordinators' dashboard.

A pairing is *on track* while its last meeting (or, before the first one, its start) is less
than one cadence period ago (7, 14 or 30 days), *due* from then on, and *overdue* once two
periods have passed without a meeting.
"""

import datetime
from dataclasses import dataclass

from django.db import models
from django.db.models import Case, Count, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from programs.models import Program

from .models import Meeting


class State(models.TextChoices):
    ON_TRACK = "on_track", _("On track")
    DUE = "due", _("Meeting due")
    OVERDUE = "overdue", _("Overdue")


# A pairing is in the first state whose number of cadence periods has not yet passed since its
# last meeting (or its start); after the last one, it is overdue. In SQL and in Python alike.
PERIODS = ((State.ON_TRACK, 1), (State.DUE, 2))


def month_of(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The first day of the month of `today` and of the next one."""
    start = today.replace(day=1)
    return start, (start + datetime.timedelta(days=32)).replace(day=1)


def with_meetings_this_month(pairings, today: datetime.date | None = None):
    """Annotate each pairing with `meetings_this_month`, what `cadence_of()` needs beside the
    pairing's own columns."""
    start, end = month_of(today or timezone.localdate())
    this_month = (
        Meeting.objects.filter(pairing=OuterRef("pk"), held_on__gte=start, held_on__lt=end)
        .order_by()
        .values("pairing")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return pairings.annotate(meetings_this_month=Coalesce(Subquery(this_month), 0))


def with_cadence(pairings, today: datetime.date | None = None):
    """Annotate each pairing with `meetings_this_month`, `cadence_since` and `cadence_state`,
    in the same query as the pairings themselves (from the date of its last meeting, which
    the pairing keeps): for the lists that filter or count pairings by their state."""
    today = today or timezone.localdate()
    whens = []
    for cadence, days in Program.CADENCE_DAYS.items():
        for state, periods in PERIODS:
            whens.append(
                When(
                    cycle__program__cadence=cadence,
                    cadence_since__gt=today - datetime.timedelta(days=days * periods),
                    then=Value(state.value),
                )
            )
    return with_meetings_this_month(pairings, today).annotate(
        cadence_since=Coalesce("last_meeting_on", "starts_on", "cycle__starts_on"),
        cadence_state=Case(*whens, default=Value(State.OVERDUE.value)),
    )


def with_cadence_of_cycle(pairings, cycle, today: datetime.date | None = None):
    """Annotate the pairings of one `cycle` with `cadence_since`, and say which of them are in
    each state, as a filter of that column for each: its pairings share the programme's
    cadence, so neither the cycle nor the programme is joined and no case is compiled."""
    today = today or timezone.localdate()
    days = Program.CADENCE_DAYS[cycle.program.cadence]
    filters, newer = {}, None
    for state, periods in PERIODS:
        limit = today - datetime.timedelta(days=days * periods)
        filters[state] = Q(cadence_since__gt=limit)
        if newer is not None:
            filters[state] &= Q(cadence_since__lte=newer)
        newer = limit
    filters[State.OVERDUE] = Q(cadence_since__lte=newer)
    since = Coalesce("last_meeting_on", "starts_on", Value(cycle.starts_on))
    return pairings.annotate(cadence_since=since), filters


def state_on(since: datetime.date, cadence: str, today: datetime.date) -> State:
    """The state of a pairing whose last meeting (or start) was on `since`."""
    days = Program.CADENCE_DAYS[cadence]
    for state, periods in PERIODS:
        if since > today - datetime.timedelta(days=days * periods):
            return state
    return State.OVERDUE


@dataclass(frozen=True)
class Cadence:
    state: State
    last_meeting_on: datetime.date | None
    meetings_this_month: int
    expected_this_month: int
    due_on: datetime.date

    @property
    def label(self) -> str:
        return self.state.label


def cadence_of(pairing, today: datetime.date | None = None) -> Cadence:
    """The cadence of a pairing with `meetings_this_month` (from `with_cadence()` or
    `with_meetings_this_month()`, or set by the caller) and its programme selected; its state
    is worked out here unless `with_cadence()` did it in the query."""
    cadence = pairing.cycle.program.cadence
    since = pairing.last_meeting_on or pairing.starts_on or pairing.cycle.starts_on
    state = getattr(pairing, "cadence_state", None)
    return Cadence(
        state=State(state) if state else state_on(since, cadence, today or timezone.localdate()),
        last_meeting_on=pairing.last_meeting_on,
        meetings_this_month=pairing.meetings_this_month,
        expected_this_month=Program.MEETINGS_A_MONTH[cadence],
        due_on=since + datetime.timedelta(days=Program.CADENCE_DAYS[cadence]),
    )
