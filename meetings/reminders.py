"""Meeting reminders, following each programme's cadence, and the coordinators' weekly digest
of pairings at risk. Both are found in the database by `due_reminders()` and sent through the
notification ledger, which makes each email go out once.

- A pairing that is not on track (no meeting for one cadence period: 7, 14 or 30 days; see
  `cadence.py`) reminds every member once per period of its cadence: once an ISO week,
  once a fortnight or once a calendar month.
- Every coordinator of a programme with pairings overdue (no meeting for two periods) gets
  one digest an ISO week, from the digest weekday on, listing them across their programmes.
Each programme's reminders go out from REMINDER_HOUR in the programme's time zone.
`register_emails()` registers both kinds and their planner with the ledger, from the app's
ready().
"""

import datetime
import zoneinfo
from collections.abc import Iterator

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from participants.models import Membership, Pairing, Participant, User
from participants.notifications.ledger import (
    PLAN_CHUNK,
    Email,
    Kind,
    Planned,
    Planner,
    period_of_fortnight,
    period_of_month,
    period_of_week,
    register_kind,
    register_planner,
)
from programs.models import Document, Program

from .cadence import State, cadence_of, with_cadence
from .models import HelpRequest

REMINDER = "meeting_reminder"
DIGEST = "coordinator_digest"
# The digest names this many overdue pairings, longest without a meeting first, and counts the
# rest (the dashboard lists them all).
DIGEST_LISTS = 50
PERIODS = {
    Program.Cadence.WEEKLY: period_of_week,
    Program.Cadence.BIWEEKLY: period_of_fortnight,
    Program.Cadence.MONTHLY: period_of_month,
}


def local_now(program, now) -> datetime.datetime:
    return timezone.localtime(now, zoneinfo.ZoneInfo(program.time_zone))


def _under_way(program, today):
    """The programme's active pairings that have started, in a cycle that is not over."""
    return (
        Pairing.objects.active()
        .filter(cycle__program=program, cycle__ends_on__gte=today, starts_on__lte=today)
        .select_related("cycle__program")
    )


def _pairings_due(program, today):
    """The programme's pairings under way that are not on track, with their state."""
    return with_cadence(_under_way(program, today), today=today).exclude(
        cadence_state=State.ON_TRACK
    )


def due_reminders(now=None) -> Iterator[Planned]:
    """The reminders and digests due now, one by one: a fan-out of any size is read in chunks
    and planned in chunks, never held in memory whole."""
    now = now or timezone.now()
    for program in Program.objects.filter(
        cycles__pairings__status=Pairing.Status.ACTIVE
    ).distinct():
        local = local_now(program, now)
        if local.hour < settings.REMINDER_HOUR:
            continue
        today = local.date()
        due = _pairings_due(program, today)
        period = PERIODS[program.cadence](today)
        members = Membership.objects.filter(
            pairing__in=due.values("pk"), participant__status=Participant.Status.ACCEPTED
        ).values_list("pairing_id", "participant__user_id")
        for pairing_id, user_id in members.iterator(chunk_size=PLAN_CHUNK):
            yield Planned(user_id, REMINDER, Pairing, pairing_id, period, program.pk)
        if (
            local.weekday() >= settings.DIGEST_WEEKDAY
            and due.filter(cadence_state=State.OVERDUE).exists()
        ):
            week = period_of_week(today)
            for user_id in program.coordinators.values_list("pk", flat=True):
                # About its recipient: their pairings at risk, across their programmes.
                yield Planned(user_id, DIGEST, User, user_id, week)


def _guide(program) -> str:
    """Where the programme's members read what to talk about: its guide, else its page."""
    guide = (
        Document.objects.filter(program=program, kind=Document.Kind.GUIDE).order_by("pk").first()
    )
    return (guide or program).get_absolute_url()


def _reminders(rows) -> dict:
    """Each row's reminder, unless its pairing met since: the cadence is judged on the date of
    the pairing's programme, as when it was planned."""
    ids = {row.object_id for row in rows}
    found = Pairing.objects.active().filter(pk__in=ids).select_related("cycle__program")
    now = timezone.now()
    pairings = {}
    for program in {p.cycle.program for p in found}:
        today = local_now(program, now).date()
        of_program = with_cadence(found.filter(cycle__program=program), today=today)
        pairings.update((p.pk, p) for p in of_program.with_members())
    guides = {}
    emails = {}
    for row in rows:
        pairing = pairings.get(row.object_id)
        if pairing is None or pairing.cadence_state == State.ON_TRACK:
            emails[row.pk] = None  # ended, or they have met since
            continue
        program = pairing.cycle.program
        if program.pk not in guides:
            guides[program.pk] = _guide(program)
        emails[row.pk] = Email(
            REMINDER,
            {
                "pairing": pairing,
                "program": program,
                "cadence": cadence_of(pairing),
                # Their names, as the member knows them.
                "others": [other.user for other in pairing.others_for(row.recipient)],
                "log_url": reverse("meetings:meeting_new", args=[pairing.pk]),
                "guide_url": guides[program.pk],
            },
        )
    return emails


def _digests(rows) -> dict:
    """Each coordinator's overdue pairings and open help requests, across their programmes."""
    emails = {}
    for row in rows:
        programs = list(Program.objects.coordinated_by(row.recipient))
        overdue, total = [], 0
        for program in programs:
            today = local_now(program, timezone.now()).date()
            pairings = with_cadence(_under_way(program, today), today=today).filter(
                cadence_state=State.OVERDUE
            )
            total += pairings.count()
            if len(overdue) < DIGEST_LISTS:
                overdue += pairings.with_members().order_by("cadence_since", "pk")[
                    : DIGEST_LISTS - len(overdue)
                ]
        waiting = HelpRequest.objects.filter(
            participant__cycle__program__in=programs, status=HelpRequest.Status.OPEN
        ).count()
        if not overdue:
            emails[row.pk] = None  # they have all met since
            continue
        for pairing in overdue:
            pairing.cadence = cadence_of(pairing)
        emails[row.pk] = Email(
            DIGEST,
            {
                "overdue": overdue,
                "total": total,
                "more": total - len(overdue),
                "dashboard_url": reverse("coordinate"),
                "open_help": waiting,
                "help_url": reverse("meetings:coordinate_help"),
            },
        )
    return emails


def register_emails() -> None:
    register_kind(Kind(REMINDER, _("Reminders to meet and log the meetings"), _reminders))
    register_kind(Kind(DIGEST, _("The coordinators' weekly digest of pairings at risk"), _digests))
    register_planner(Planner("meeting_reminders", due_reminders))
