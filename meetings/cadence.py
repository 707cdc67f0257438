"""How regularly each pairing meets against its programme's cadence, worked out in the database
in one place, for the workspace, the meeting reminders and the coordinators' dashboard.

A pairing is *on track* while its last meeting (or, before the first one, its start) is less
than one cadence period ago (7, 14 or 30 days), *due* from then on, and *overdue* once two
periods have passed without a meeting.
"""

import datetime
from dataclasses import dataclass

from django.db import models
from django.db.models import Case, Count, OuterRef, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from programs.models import Program

from .models import Meeting


class State(models.TextChoices):
    ON_TRACK = "on_track", _("On track")
    DUE = "due", _("Meeting due")
    OVERDUE = "overdue", _("Overdue")


def with_cadence(pairings, today: datetime.date | None = None):
    """Annotate each pairing with `meetings_this_month`, `cadence_since` and `cadence_state`,
    in the same query as the pairings themselves (from the date of its last meeting, which
    the pairing keeps)."""
    today = today or timezone.localdate()
    month_start = today.replace(day=1)
    next_month = (month_start + datetime.timedelta(days=32)).replace(day=1)
    meetings = Meeting.objects.filter(pairing=OuterRef("pk")).order_by()
    this_month = (
        meetings.filter(held_on__gte=month_start, held_on__lt=next_month)
        .values("pairing")
        .annotate(count=Count("pk"))
        .values("count")
    )
    whens = []
    for cadence, days in Program.CADENCE_DAYS.items():
        for state, periods in ((State.ON_TRACK, 1), (State.DUE, 2)):
            whens.append(
                When(
                    cycle__program__cadence=cadence,
                    cadence_since__gt=today - datetime.timedelta(days=days * periods),
                    then=Value(state.value),
                )
            )
    return pairings.annotate(
        meetings_this_month=Coalesce(Subquery(this_month), 0),
        cadence_since=Coalesce("last_meeting_on", "starts_on", "cycle__starts_on"),
        cadence_state=Case(*whens, default=Value(State.OVERDUE.value)),
    )


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


def cadence_of(pairing) -> Cadence:
    """The cadence of a pairing annotated by `with_cadence` (its programme selected too)."""
    cadence = pairing.cycle.program.cadence
    return Cadence(
        state=State(pairing.cadence_state),
        last_meeting_on=pairing.last_meeting_on,
        meetings_this_month=pairing.meetings_this_month,
        expected_this_month=Program.MEETINGS_A_MONTH[cadence],
        due_on=pairing.cadence_since + datetime.timedelta(days=Program.CADENCE_DAYS[cadence]),
    )
