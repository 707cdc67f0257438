"""Forming pairs and groups: the writes behind the matching page and the pairings by hand.
Each function writes everything or nothing, and queues its emails after the commit."""

from collections import defaultdict

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from participants.models import (
    AuditEntry,
    MatchingCriterion,
    MatchingRun,
    Membership,
    PairChoice,
    Pairing,
    Participant,
)
from participants.notifications.emails import pairing_email
from participants.pairings import matching
from programs.models import Cycle, Question, Questionnaire


class PairingError(Exception):
    """A change that cannot be made; the message says why, for the coordinator."""


def _lock_cycle(cycle) -> Cycle:
    """Serialise the writes of one cycle's matching: two coordinators never interleave."""
    return Cycle.objects.select_for_update().get(pk=cycle.pk)


def _new_pairing(cycle, members, *, status, score=None, reasons=()) -> Pairing:
    pairing = Pairing.objects.create(cycle=cycle, status=status, score=score, reasons=list(reasons))
    Membership.objects.bulk_create(Membership(pairing=pairing, participant=p) for p in members)
    return pairing


def _start_all(cycle, groups: list[list[Participant]]) -> list[Pairing]:
    """Active pairings of the given members, written in two queries however many there
    are; each member is emailed their pair or group."""
    pairings = Pairing.objects.bulk_create(
        Pairing(
            cycle=cycle,
            status=Pairing.Status.ACTIVE,
            starts_on=max(timezone.localdate(), cycle.starts_on),
            ends_on=cycle.ends_on,
        )
        for _ in groups
    )
    Membership.objects.bulk_create(
        Membership(pairing=pairing, participant=member)
        for pairing, members in zip(pairings, groups, strict=True)
        for member in members
    )
    for pairing, members in zip(pairings, groups, strict=True):
        pairing_email(pairing, members, "published")
    return pairings


# The matching page.

Tag = Question.MatchingTag
Rule = MatchingCriterion.Rule
# The usual criteria: (mentor's tag, mentee's tag, rule, weight).
USUAL_CRITERIA = [
    (Tag.COMPETENCES_OFFERED, Tag.COMPETENCES_WANTED, Rule.OVERLAP, 8),
    (Tag.LANGUAGE, Tag.LANGUAGE, Rule.MUST_MATCH, 0),
    (Tag.DEPARTMENT, Tag.DEPARTMENT, Rule.DIFFERENT, 3),
    (Tag.MEETING_FORMAT, Tag.MEETING_FORMAT, Rule.SAME, 2),
    (Tag.AVAILABILITY, Tag.AVAILABILITY, Rule.OVERLAP, 2),
]


@transaction.atomic
def criteria_from_tags(cycle) -> list[MatchingCriterion]:
    """Pair the questions of the mentor and mentee questionnaires by their matching tags,
    with the usual rule and weight; criteria the cycle already has are not added twice."""
    questions = {}
    for question in Question.objects.filter(questionnaire__cycle=cycle).exclude(matching_tag=""):
        role = question.questionnaire.purpose
        questions.setdefault((role, question.matching_tag), question)
    existing = set(cycle.matching_criteria.values_list("mentor_question", "mentee_question"))
    added = []
    for mentor_tag, mentee_tag, rule, weight in USUAL_CRITERIA:
        mentor_q = questions.get((Questionnaire.Purpose.MENTOR_REGISTRATION, mentor_tag))
        mentee_q = questions.get((Questionnaire.Purpose.MENTEE_REGISTRATION, mentee_tag))
        if mentor_q and mentee_q and (mentor_q.pk, mentee_q.pk) not in existing:
            added.append(
                MatchingCriterion.objects.create(
                    cycle=cycle,
                    mentor_question=mentor_q,
                    mentee_question=mentee_q,
                    rule=rule,
                    weight=weight,
                )
            )
    return added


def draft_of(cycle, mentee) -> Pairing | None:
    return Pairing.objects.drafts().filter(cycle=cycle, members=mentee).first()


def free_places(mentor: Participant, *, drafts=True) -> int:
    """Places the mentor has left: capacity minus mentees in active (and draft) pairings."""
    statuses = [Pairing.Status.ACTIVE, *([Pairing.Status.DRAFT] if drafts else [])]
    taken = Membership.objects.filter(
        pairing__members=mentor,
        pairing__status__in=statuses,
        participant__role=Participant.Role.MENTEE,
    ).count()
    return mentor.effective_capacity - taken


@transaction.atomic
def run(cycle, *, user=None) -> MatchingRun:
    """Suggest pairs for everyone not yet paired; the drafts of the last run are replaced,
    the locked pairs kept."""
    cycle = _lock_cycle(cycle)
    result = matching.solve(matching.load_problem(cycle))
    Pairing.objects.drafts().filter(cycle=cycle).delete()
    pairings = Pairing.objects.bulk_create(
        Pairing(cycle=cycle, status=Pairing.Status.DRAFT, score=s.score, reasons=s.reasons)
        for s in result.suggestions
    )
    Membership.objects.bulk_create(
        Membership(pairing=pairing, participant_id=pid)
        for pairing, s in zip(pairings, result.suggestions, strict=True)
        for pid in (s.mentor, s.mentee)
    )
    return MatchingRun.objects.create(
        cycle=cycle,
        run_by=user if user and user.is_authenticated else None,
        total_score=result.total_score,
        matched=len(result.suggestions),
        unmatched=[u.as_json() for u in result.unmatched],
    )


def _pair_of(draft: Pairing) -> tuple[Participant, Participant]:
    return draft.mentors[0], draft.mentees[0]


@transaction.atomic
def lock(draft: Pairing, *, locked=True) -> None:
    mentor, mentee = _pair_of(draft)
    if locked:
        PairChoice.objects.update_or_create(
            mentor=mentor, mentee=mentee, defaults={"cycle": draft.cycle, "kind": "locked"}
        )
    else:
        PairChoice.objects.filter(mentor=mentor, mentee=mentee, kind="locked").delete()


@transaction.atomic
def rule_out(draft: Pairing) -> None:
    """Never suggest this pair again; the mentee is matched anew at the next run."""
    mentor, mentee = _pair_of(draft)
    PairChoice.objects.update_or_create(
        mentor=mentor, mentee=mentee, defaults={"cycle": draft.cycle, "kind": "ruled_out"}
    )
    draft.delete()


def score_for(cycle, mentor: Participant, mentee: Participant) -> tuple[float, list, list]:
    """The score of a pair the coordinator is considering, with its reasons and the hard
    criteria it breaks."""
    criteria = matching.criteria_of(cycle)
    mentor_person, mentee_person = matching.people(criteria, [mentor, mentee])
    return matching.explain(criteria, mentor_person, mentee_person)


def candidates(cycle, mentee: Participant) -> list[dict]:
    """Every accepted mentor of the cycle for one mentee, best score first: what the
    coordinator chooses from when reassigning by hand."""
    problem = matching.load_problem(cycle, mentee=mentee)
    me = next(iter(matching.people(problem.criteria, [mentee])))
    drafted = defaultdict(list)
    for draft in Pairing.objects.drafts().filter(cycle=cycle).with_members():
        mentor, other = _pair_of(draft)
        drafted[mentor.pk].append((draft, other))
    rows = []
    for mentor in problem.mentors:
        score, reasons, broken = matching.explain(problem.criteria, mentor, me)
        others = [(d, o) for d, o in drafted.get(mentor.id, []) if o.pk != mentee.pk]
        rows.append(
            {
                "mentor": mentor,
                "score": score,
                "reasons": reasons,
                "broken": broken,
                "ruled_out": (mentor.id, me.id) in problem.ruled_out,
                "free": mentor.places - len(others),
                "drafts": others,
                "current": len(others) < len(drafted.get(mentor.id, [])),
            }
        )
    rows.sort(key=lambda r: (-r["score"], r["mentor"].name, r["mentor"].id))
    return rows


def _draft(cycle, mentor, mentee) -> Pairing:
    score, reasons, _ = score_for(cycle, mentor, mentee)
    draft = _new_pairing(
        cycle, [mentor, mentee], status=Pairing.Status.DRAFT, score=score, reasons=reasons
    )
    PairChoice.objects.update_or_create(
        mentor=mentor, mentee=mentee, defaults={"cycle": cycle, "kind": "locked"}
    )
    return draft


def _release(cycle, mentee) -> Participant | None:
    """Remove the mentee's draft and its lock; return the mentor it had."""
    draft = Pairing.objects.drafts().filter(cycle=cycle, members=mentee).with_members().first()
    if draft is None:
        return None
    mentor, _ = _pair_of(draft)
    PairChoice.objects.filter(mentor=mentor, mentee=mentee, kind="locked").delete()
    draft.delete()
    return mentor


@transaction.atomic
def assign(cycle, mentee: Participant, mentor: Participant, *, displace=None) -> Pairing:
    """Give the mentee this mentor by hand, locked in. When the mentor is full, `displace`
    names the mentee whose place it is: they swap mentors (or, if the first mentee had none,
    the displaced one is left for the next run)."""
    cycle = _lock_cycle(cycle)
    _check_pairable(cycle, [mentor, mentee])
    if busy(cycle, [mentee]):
        raise PairingError(
            _("%(person)s is already in an active pair or group.") % {"person": mentee.user}
        )
    previous = _release(cycle, mentee)
    if displace is not None:
        if _release(cycle, displace) != mentor:
            message = _("%(person)s is not paired with this mentor.")
            raise PairingError(message % {"person": displace.user})
        if previous is not None:
            _draft(cycle, previous, displace)
    if free_places(mentor) <= 0:
        raise PairingError(
            _("%(mentor)s has no free place. Swap with one of their mentees instead.")
            % {"mentor": mentor.user}
        )
    if PairChoice.objects.filter(mentor=mentor, mentee=mentee, kind="ruled_out").exists():
        PairChoice.objects.filter(mentor=mentor, mentee=mentee).delete()
    return _draft(cycle, mentor, mentee)


def _check_pairable(cycle, participants) -> None:
    for p in participants:
        if p.cycle_id != cycle.pk or not p.is_accepted:
            raise PairingError(
                _("%(person)s is not an accepted participant of this cycle.") % {"person": p.user}
            )


# Publishing, and pairings by hand.


def busy(cycle, participants) -> list[Participant]:
    """Those who already have an active pairing and are not allowed more than one."""
    ids = set(
        Membership.objects.filter(
            pairing__cycle=cycle,
            pairing__status=Pairing.Status.ACTIVE,
            participant__in=[p.pk for p in participants],
        ).values_list("participant_id", flat=True)
    )
    return [p for p in participants if p.pk in ids and not p.several_pairings_allowed]


def _audit(by, action, cycle, pairings, details="") -> None:
    people = get_user_model().objects.filter(
        participations__memberships__pairing__in=[p.pk for p in pairings]
    )
    AuditEntry.record(by, action, people=people.distinct(), cycle=cycle, details=details)


@transaction.atomic
def publish(cycle, *, by=None) -> list[Pairing]:
    """Turn the drafts into active pairings and email everyone their pair or group.

    A mentor who is not allowed several pairings gets one pairing with all their mentees (a
    group when there are several), joining the active one they may already have. Drafts of
    people who have withdrawn or been paired meanwhile are dropped, and no mentor gets more
    mentees than places. Publishing again finds no drafts, so nothing is created twice."""
    cycle = _lock_cycle(cycle)
    drafts = list(
        Pairing.objects.drafts()
        .filter(cycle=cycle)
        .prefetch_related(Prefetch("members", queryset=Participant.objects.select_related("user")))
        .order_by("pk")
    )
    taken, paired = matching.active_mentee_counts(cycle)
    by_mentor = defaultdict(list)
    for draft in drafts:
        mentor, mentee = _pair_of(draft)
        free = mentor.effective_capacity - taken[mentor.pk] - len(by_mentor[mentor])
        if mentee.pk in paired and not mentee.several_pairings_allowed:
            continue
        if mentor.is_accepted and mentee.is_accepted and free > 0:
            by_mentor[mentor].append(mentee)
    Pairing.objects.filter(pk__in=[d.pk for d in drafts]).delete()
    PairChoice.objects.filter(cycle=cycle, kind=PairChoice.Kind.LOCKED).delete()
    existing = _active_pairing_of_mentors(cycle, by_mentor)
    joined, new = [], []
    for mentor, mentees in by_mentor.items():
        if mentor.several_pairings_allowed:
            new += [[mentor, mentee] for mentee in mentees]
        elif mentor.pk in existing:
            group = existing[mentor.pk]
            Membership.objects.bulk_create(
                Membership(pairing=group, participant=mentee) for mentee in mentees
            )
            pairing_email(group, [mentor, *mentees], "joined")
            joined.append(group)
        elif mentees:
            new.append([mentor, *mentees])
    published = joined + _start_all(cycle, new)
    _audit(by, AuditEntry.Action.PAIRED, cycle, published, _("published from the matching"))
    return published


def _active_pairing_of_mentors(cycle, mentors) -> dict[int, Pairing]:
    rows = Membership.objects.filter(
        pairing__cycle=cycle,
        pairing__status=Pairing.Status.ACTIVE,
        participant__in=[m.pk for m in mentors],
    ).select_related("pairing")
    return {row.participant_id: row.pairing for row in rows.order_by("pairing_id")}


def capacity_overruns(cycle, mentors, mentees) -> list[tuple[Participant, int, int]]:
    """Mentors whom a new pairing would give more mentees than their capacity:
    (mentor, mentees they would have, capacity)."""
    overruns = []
    for mentor in mentors:
        free, capacity = free_places(mentor, drafts=False), mentor.effective_capacity
        if free < len(mentees):
            overruns.append((mentor, capacity - free + len(mentees), capacity))
    return overruns


@transaction.atomic
def create(cycle, mentors, mentees, *, by=None) -> Pairing:
    """A pair or group formed by hand, active at once; its members are emailed."""
    cycle = _lock_cycle(cycle)
    people = [*mentors, *mentees]
    _check_pairable(cycle, people)
    taken = busy(cycle, people)
    if taken:
        raise PairingError(
            _("Already in an active pair or group: %(people)s.")
            % {"people": ", ".join(str(p.user) for p in taken)}
        )
    for mentee in mentees:
        _release(cycle, mentee)
    created = _start_all(cycle, [people])[0]
    _audit(by, AuditEntry.Action.PAIRED, cycle, [created], _("formed by hand"))
    return created


@transaction.atomic
def end(pairing: Pairing, reason: str, *, by=None) -> None:
    """End an active pairing early or at the end of the cycle; its members are emailed."""
    updated = Pairing.objects.filter(pk=pairing.pk, status=Pairing.Status.ACTIVE).update(
        status=Pairing.Status.ENDED, ends_on=timezone.localdate(), end_reason=reason
    )
    if not updated:
        raise PairingError(_("This pairing is not active."))
    pairing.refresh_from_db()
    pairing_email(pairing, pairing.members.all(), "ended")
    _audit(by, AuditEntry.Action.PAIRING_ENDED, pairing.cycle, [pairing], reason)
