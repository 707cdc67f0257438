"""The figures of a cycle for the coordinators' dashboard and the end-of-cycle report.

Counts, sums and groupings are computed by the database, a query per figure, so the number of
queries does not grow with the number of people, pairings or meetings. The self-assessment's
distributions are tallied from one query of its answers.
"""

import datetime
from collections import Counter, defaultdict

from django.db.models import Count, Exists, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from events.models import Event, SignUp
from meetings.cadence import State, cadence_of, with_cadence_of_cycle, with_meetings_this_month
from meetings.models import HelpRequest, Meeting
from participants.models import (
    Answer,
    Membership,
    Notification,
    Pairing,
    Participant,
    Response,
    full_name,
)
from programs.models import Cycle, Question, Questionnaire, StageEntry

ROLES = [Participant.Role.MENTOR, Participant.Role.MENTEE]


def count_of(rows, outer: str):
    """How many of `rows` belong to the outer query's row (their `outer` field is its pk), 0
    when none: a subquery per count, where counting over joins of several tables would
    multiply them."""
    per_row = rows.filter(**{outer: OuterRef("pk")}).order_by().values(outer)
    return Coalesce(Subquery(per_row.annotate(n=Count("pk")).values("n")), 0)


OVERDUE_SHOWN = 20


def registrations(cycle) -> dict:
    """{role: {status: count}} with every role and status present."""
    table = {role: dict.fromkeys(Participant.Status.values, 0) for role in ROLES}
    rows = (
        Participant.objects.filter(cycle=cycle)
        .values_list("role", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for role, status, number in rows:
        table[role][status] = number
    return table


def accepted_by_role(registered: dict) -> dict:
    """{role: accepted people} from the table of `registrations()`."""
    return {role: registered[role][Participant.Status.ACCEPTED] for role in ROLES}


def unmatched(cycle) -> dict:
    """Accepted people in no active pairing, by role: each looked for among the memberships of
    the cycle's own active pairings, which the database gathers once (without the cycle, the
    look-up read every membership of the installation)."""
    in_active = Membership.objects.filter(
        participant=OuterRef("pk"), pairing__cycle=cycle, pairing__status=Pairing.Status.ACTIVE
    )
    alone = _by_role(
        Participant.objects.accepted().filter(cycle=cycle).exclude(Exists(in_active)), Count("pk")
    )
    return {role: alone.get(role, 0) for role in ROLES}


def _by_role(rows, count, role="role") -> dict:
    return dict(rows.values_list(role).annotate(n=count).order_by())


def pairings(cycle) -> dict:
    rows = (
        Pairing.objects.filter(cycle=cycle)
        .exclude(status=Pairing.Status.DRAFT)
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = dict(rows)
    # Each active pairing's members counted from the membership index alone (COUNT(*)).
    members = Membership.objects.filter(pairing=OuterRef("pk")).order_by().values("pairing")
    groups = (
        Pairing.objects.active()
        .filter(cycle=cycle)
        .annotate(size=Subquery(members.annotate(n=Count("*")).values("n")))
        .filter(size__gt=2)
        .count()
    )
    return {
        "active": counts.get(Pairing.Status.ACTIVE, 0),
        "ended": counts.get(Pairing.Status.ENDED, 0),
        "groups": groups,
    }


def cadence(cycle, today=None) -> dict:
    """How many active pairings are on track, due or overdue, and the overdue ones."""
    today = today or timezone.localdate()
    active, states = with_cadence_of_cycle(
        Pairing.objects.active().filter(cycle=cycle), cycle, today
    )
    counts = active.aggregate(**{state.value: Count("pk", filter=q) for state, q in states.items()})
    overdue = with_member_names(
        list(
            with_meetings_this_month(active.filter(states[State.OVERDUE]), today).order_by(
                "cadence_since", "pk"
            )[:OVERDUE_SHOWN]
        )
    )
    for pairing in overdue:
        pairing.cycle = cycle  # what cadence_of() reads, without joining it again
        pairing.cadence = cadence_of(pairing, today)
    return {"counts": counts, "overdue": overdue}


def week_of(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def month_of(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def meetings_by(cycle, period=week_of) -> list[dict]:
    """Meetings and their hours per week (or month) over the cycle, oldest first. The database
    counts them by day, from one range of the (cycle, date, duration) index and without
    turning each of tens of thousands of dates into a week; the few hundred days are added up
    here."""
    days = (
        Meeting.objects.filter(cycle=cycle)
        .values_list("held_on")
        .annotate(meetings=Count("*"), minutes=Sum("duration_minutes"))
        .order_by()
    )
    totals = defaultdict(lambda: [0, 0])
    for day, meetings, minutes in days:
        total = totals[period(day)]
        total[0] += meetings
        total[1] += minutes
    return [
        {"period": start, "meetings": meetings, "hours": minutes / 60}
        for start, (meetings, minutes) in sorted(totals.items())
    ]


def weekly_series(cycle, today=None) -> dict:
    """Meetings per week from the cycle's start to today (or its end), empty weeks included,
    as chart labels and values."""
    today = today or timezone.localdate()
    counts = {row["period"]: row["meetings"] for row in meetings_by(cycle)}
    week = week_of(cycle.starts_on)
    last = min(today, cycle.ends_on)
    labels, values = [], []
    while week <= last:
        labels.append(week.isoformat())
        values.append(counts.get(week, 0))
        week += datetime.timedelta(days=7)
    return {"labels": labels, "values": values}


def help_requests(cycle) -> dict:
    rows = (
        HelpRequest.objects.filter(participant__cycle=cycle)
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = dict.fromkeys(HelpRequest.Status.values, 0)
    counts.update(rows)
    return counts


def _of_cycle(cycle):
    """The cycle's events: tied to it, or of its programme within its dates."""
    return Event.objects.filter(
        Q(cycle=cycle)
        | Q(
            cycle=None,
            program_id=cycle.program_id,
            starts_at__date__gte=cycle.starts_on,
            starts_at__date__lte=cycle.ends_on,
        )
    )


def events(cycle, *, upcoming: bool) -> list[Event]:
    """The cycle's events (tied to it, or of its programme within its dates), with places
    taken and attendance."""
    found = _of_cycle(cycle).with_places()
    # A subquery like the places': a join of the sign-ups would repeat each for every one.
    found = found.annotate(attended=count_of(SignUp.objects.filter(attended=True), "event"))
    now = timezone.now()
    if upcoming:
        return list(found.filter(ends_at__gte=now).order_by("starts_at")[:10])
    return list(found.filter(ends_at__lt=now).order_by("starts_at"))


def self_assessment_completion(cycle, accepted: dict) -> dict:
    """Of the accepted participants, how many answered their self-assessment, by role."""
    purposes = [Questionnaire.Purpose.SELF_ASSESSMENT, Questionnaire.Purpose.MENTOR_SELF_ASSESSMENT,
                Questionnaire.Purpose.MENTEE_SELF_ASSESSMENT]  # fmt: skip
    # From the cycle's self-assessment questionnaires to their answers: as many rows as
    # there are answers, not as there are participants.
    answered = _by_role(
        Response.objects.filter(
            questionnaire__cycle=cycle,
            questionnaire__purpose__in=purposes,
            participant__status=Participant.Status.ACCEPTED,
        ),
        Count("participant", distinct=True),
        role="participant__role",
    )
    return {role: {"total": accepted[role], "answered": answered.get(role, 0)} for role in ROLES}


def emails(cycle) -> dict:
    counts = dict.fromkeys(Notification.State.values, 0)
    counts.update(
        Notification.objects.filter(program_id=cycle.program_id)
        .values_list("state")
        # COUNT(*): the (programme, state) index alone answers, without the rows.
        .annotate(n=Count("*"))
        .order_by()
    )
    counts["opted_out"] = (
        Participant.objects.accepted()
        .filter(cycle=cycle)
        .exclude(user__muted_notifications=[])
        .values("user")
        .distinct()
        .count()
    )
    return counts


def dashboard(cycle) -> dict:
    registered = registrations(cycle)
    accepted = accepted_by_role(registered)
    return {
        "stages": list(StageEntry.objects.filter(cycle=cycle).order_by("entered_at")),
        "registrations": registered,
        "unmatched": unmatched(cycle),
        "pairings": pairings(cycle),
        "cadence": cadence(cycle),
        "weekly": weekly_series(cycle),
        "help": help_requests(cycle),
        "events": events(cycle, upcoming=True),
        "self_assessment": self_assessment_completion(cycle, accepted),
        "emails": emails(cycle),
    }


def key_figures(cycle, registered: dict | None = None, completion: dict | None = None) -> dict:
    """The figures a cycle is compared by with the one before (from its table of
    `registrations()` and its `self_assessment_completion()`, when the caller has them)."""
    people = accepted_by_role(registered or registrations(cycle))
    # The pairs formed, and their meetings from the counts each pairing keeps rather than
    # from the cycle's tens of thousands of meetings: one query of the cycle's pairings.
    formed = Pairing.objects.filter(cycle=cycle).aggregate(
        pairings=Count("pk", filter=~Q(status=Pairing.Status.DRAFT)),
        meetings=Coalesce(Sum("meetings_count"), 0),
        minutes=Coalesce(Sum("meetings_minutes"), 0),
    )
    held = (
        _of_cycle(cycle)
        .filter(ends_at__lt=timezone.now())
        .aggregate(
            events=Count("pk", distinct=True),
            attended=Count("signups", filter=Q(signups__attended=True)),
        )
    )
    completion = completion or self_assessment_completion(cycle, people)
    return {
        "mentors": people[Participant.Role.MENTOR],
        "mentees": people[Participant.Role.MENTEE],
        "pairings": formed["pairings"],
        "meetings": formed["meetings"],
        "hours": formed["minutes"] / 60,
        "events": held["events"],
        "attended": held["attended"],
        "self_assessed": sum(c["answered"] for c in completion.values()),
    }


def per_pairing(cycle, listed: int | None = None) -> list[Pairing]:
    """The cycle's pairings with their meetings and hours (as each pairing keeps them) and
    the names of their mentors and mentees, most meetings first: every one, or the first
    `listed`."""
    found = list(
        Pairing.objects.filter(cycle=cycle)
        .exclude(status=Pairing.Status.DRAFT)
        .only("status", "meetings_count", "meetings_minutes")
        .order_by("-meetings_count", "pk")[:listed]
    )
    for pairing in with_member_names(found):
        pairing.hours = pairing.meetings_minutes / 60
    return found


def with_member_names(pairings: list[Pairing]) -> list[Pairing]:
    """Give each pairing `mentor_names` and `mentee_names`, each person named as everywhere
    (as their account's `str()`), from plain rows: a participant, an account and the
    prefetch's own queryset for each of thousands of members cost several times the query."""
    names = defaultdict(lambda: {role: [] for role in ROLES})
    rows = (
        Membership.objects.filter(pairing__in=pairings)
        .order_by("participant__user__last_name", "participant__user__first_name", "participant")
        .values_list(
            "pairing",
            "participant__role",
            "participant__user__first_name",
            "participant__user__last_name",
            "participant__user__email",
            "participant__user__erased_at",
        )
    )
    for pairing, role, first_name, last_name, email, erased_at in rows:
        names[pairing][role].append(full_name(first_name, last_name, erased_at) or email)
    for pairing in pairings:
        pairing.mentor_names, pairing.mentee_names = (
            ", ".join(names[pairing.pk][role]) for role in ROLES
        )
    return pairings


def self_assessment_results(cycle) -> list[dict]:
    """Per question (questions of the same text in the mentors' and mentees' questionnaires
    side by side): for scales the average and the count of each value, for choices and
    yes/no the count of each option, for written answers the texts (without names where the
    question is anonymous)."""
    answers = (
        Answer.objects.filter(
            # From the cycle's own questionnaires, not from every answer of the installation.
            response__questionnaire__cycle=cycle,
            response__participant__cycle=cycle,
            response__participant__status=Participant.Status.ACCEPTED,
            response__questionnaire__purpose__in=[
                Questionnaire.Purpose.SELF_ASSESSMENT,
                Questionnaire.Purpose.MENTOR_SELF_ASSESSMENT,
                Questionnaire.Purpose.MENTEE_SELF_ASSESSMENT,
            ],
        )
        .select_related("question", "response__participant__user")
        .order_by("question__questionnaire__purpose", "question__order", "question__pk", "pk")
    )
    questions = {}
    values = defaultdict(lambda: defaultdict(list))
    for answer in answers:
        question = answer.question
        questions.setdefault(question.text, question)
        participant = answer.response.participant
        name = "" if question.anonymous else str(participant.user)
        values[question.text][participant.role].append((answer.value, name))
    return [_result(question, values[text]) for text, question in questions.items()]


def _result(question, by_role) -> dict:
    result = {"question": question, "roles": {}}
    for role in ROLES:
        given = by_role.get(role, [])
        if question.kind == Question.Kind.SCALE:
            numbers = [v for v, _ in given if isinstance(v, int)]
            tally = Counter(numbers)
            summary = {
                "average": sum(numbers) / len(numbers) if numbers else None,
                "distribution": [(n, tally.get(n, 0)) for n in range(1, 6)],
            }
        elif question.kind in (*Question.CHOICE_KINDS, Question.Kind.YES_NO):
            tally = Counter()
            for value, _ in given:
                tally.update(value if isinstance(value, list) else [value])
            options = question.choices if question.kind != Question.Kind.YES_NO else [True, False]
            summary = {"counts": [(option, tally.get(option, 0)) for option in options]}
        else:
            summary = {"texts": [(str(v), name) for v, name in given if v not in ("", None)]}
        result["roles"][role] = {"answers": len(given), **summary}
    return result


def report(cycle, previous: Cycle | None, listed: int | None = None) -> dict:
    """The end-of-cycle report, beside the `previous` cycle's figures: every pairing in it,
    or (on the page) the first `listed`."""
    registered = registrations(cycle)
    completion = self_assessment_completion(cycle, accepted_by_role(registered))
    return {
        "figures": key_figures(cycle, registered, completion),
        "previous": previous,
        "previous_figures": key_figures(previous) if previous else None,
        "registrations": registered,
        "per_pairing": per_pairing(cycle, listed),
        "monthly": meetings_by(cycle, month_of),
        "events": events(cycle, upcoming=False),
        "help": help_requests(cycle),
        "self_assessment": completion,
        "results": self_assessment_results(cycle),
    }
