"""Cohort-wide matching: accepted mentees to accepted mentors' free places.

The matching is an assignment problem. Every mentor's free places become columns, every
mentee a row; SciPy's `linear_sum_assignment` (a shortest-augmenting-path solver) finds the
assignment that, first, gives as many mentees as possible a mentor and, among those, has the
highest total score. A pair that breaks a hard constraint, or that a coordinator ruled out,
is never suggested; a pair a coordinator locked in is always kept.

`solve()` is pure: it reads a `Problem` and returns a `Result`, the same one for the same
input. `load_problem()` builds the problem of a cycle from the database in a few queries.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db import models
from scipy.optimize import linear_sum_assignment

from participants.models import (
    Answer,
    MatchingCriterion,
    Membership,
    PairChoice,
    Pairing,
    Participant,
)

Rule = MatchingCriterion.Rule


@dataclass(frozen=True)
class Criterion:
    id: int
    label: str
    rule: str
    weight: int
    mentor_question: int
    mentee_question: int

    @property
    def is_hard(self) -> bool:
        return self.rule in MatchingCriterion.HARD_RULES


@dataclass(frozen=True)
class Person:
    """An accepted participant as the matching sees them; `places` counts only for mentors."""

    id: int
    user_id: int
    name: str
    answers: dict[int, Any] = field(default_factory=dict, hash=False, compare=False)
    places: int = 0


@dataclass(frozen=True)
class Problem:
    mentors: tuple[Person, ...]
    mentees: tuple[Person, ...]
    criteria: tuple[Criterion, ...] = ()
    locked: frozenset[tuple[int, int]] = frozenset()  # (mentor id, mentee id)
    ruled_out: frozenset[tuple[int, int]] = frozenset()

    @property
    def max_pair_score(self) -> float:
        return float(sum(c.weight for c in self.criteria if not c.is_hard))


@dataclass(frozen=True)
class Suggestion:
    mentor: int
    mentee: int
    score: float
    reasons: list[dict]
    locked: bool = False


@dataclass(frozen=True)
class Unmatched:
    """Someone left without a pair, and why: a reason code with its details."""

    participant: int
    role: str
    reason: str
    details: dict = field(default_factory=dict)

    def as_json(self) -> dict:
        return {"participant": self.participant, "role": self.role, "reason": self.reason,
                **self.details}  # fmt: skip


@dataclass(frozen=True)
class Result:
    suggestions: list[Suggestion]
    unmatched: list[Unmatched]

    @property
    def total_score(self) -> float:
        return float(np.round(sum(s.score for s in self.suggestions), 2))


# Why someone is left over.
NO_PLACES = "no_places"  # no mentor has a free place
CONSTRAINTS = "constraints"  # every possible partner is excluded by a hard rule or a choice
PLACES_TAKEN = "places_taken"  # the mentors who fit are full
NO_MENTEES_LEFT = "no_mentees_left"  # every mentee who could come already has a mentor


def normalised(value) -> frozenset[str]:
    """An answer as a set of comparable words: case, spacing and list order do not count."""
    if isinstance(value, bool):
        return frozenset({"yes" if value else "no"})
    items = value if isinstance(value, list) else [value]
    return frozenset(" ".join(str(v).split()).casefold() for v in items if v not in (None, ""))


def _shown(value, keys) -> list[str]:
    """The original spelling of the items of `value` whose normalised form is in `keys`."""
    items = value if isinstance(value, list) else [value]
    return [str(v) for v in items if normalised(v) and normalised(v) <= keys]


def explain(criteria, mentor: Person, mentee: Person) -> tuple[float, list[dict], list[int]]:
    """Score one pair: its points, a reason per criterion, and the hard criteria it breaks.
    The arithmetic is the same as the vectorised scoring's, so the numbers agree."""
    total, reasons, broken = 0.0, [], []
    for c in criteria:
        mine, theirs = mentor.answers.get(c.mentor_question), mentee.answers.get(c.mentee_question)
        a, b = normalised(mine), normalised(theirs)
        common = a & b
        points, ok = 0.0, True
        if a and b:
            if c.rule == Rule.OVERLAP:
                points = c.weight * len(common) / len(b)
            elif c.rule == Rule.SAME:
                points = float(c.weight) if a == b else 0.0
            elif c.rule == Rule.DIFFERENT:
                points = float(c.weight) if a != b else 0.0
            elif c.rule == Rule.MUST_MATCH:
                ok = bool(common)
            elif c.rule == Rule.MUST_DIFFER:
                ok = not common
        if not ok:
            broken.append(c.id)
        total += points
        reasons.append(
            {
                "criterion": c.id,
                "label": c.label,
                "rule": c.rule,
                "points": round(points, 2),
                "answered": bool(a and b),
                "ok": ok,
                "same": bool(a) and a == b,
                "common": _shown(theirs, common),
                "mentor": _shown(mine, a),
                "mentee": _shown(theirs, b),
            }
        )
    return float(np.round(total, 2)), reasons, broken


class Scores:
    """Every mentee-mentor pair's points and whether it is allowed, as (mentees x mentors)
    arrays, computed a criterion at a time with set overlaps as matrix products."""

    def __init__(self, problem: Problem):
        mentors, mentees = problem.mentors, problem.mentees
        shape = (len(mentees), len(mentors))
        self.points = np.zeros(shape)
        self.allowed = np.ones(shape, dtype=bool)
        self.blocked_by: dict[int, np.ndarray] = {}
        for c in problem.criteria:
            a = [normalised(m.answers.get(c.mentor_question)) for m in mentors]
            b = [normalised(m.answers.get(c.mentee_question)) for m in mentees]
            self._add(c, a, b)
        self.points = np.round(self.points, 2)
        excluded = np.zeros(shape, dtype=bool)
        mentor_at = {m.id: j for j, m in enumerate(mentors)}
        mentee_at = {m.id: i for i, m in enumerate(mentees)}
        for mentor_id, mentee_id in problem.ruled_out:
            if mentor_id in mentor_at and mentee_id in mentee_at:
                excluded[mentee_at[mentee_id], mentor_at[mentor_id]] = True
        mentor_users = np.array([m.user_id for m in mentors], dtype=np.int64)
        mentee_users = np.array([m.user_id for m in mentees], dtype=np.int64)
        excluded |= mentee_users[:, None] == mentor_users[None, :]  # nobody mentors themselves
        self.excluded = excluded
        self.allowed &= ~excluded

    def _add(self, c: Criterion, a: list[frozenset], b: list[frozenset]) -> None:
        vocabulary = {word: k for k, word in enumerate(sorted(set().union(*a, *b)))}
        mentor_words = _one_hot(a, vocabulary)
        mentee_words = _one_hot(b, vocabulary)
        # How many answers each pair shares: exact in float32, then float64 like `explain`.
        common = (mentee_words @ mentor_words.T).astype(np.float64)
        mentee_sizes = mentee_words.sum(axis=1).astype(np.float64)
        answered = (mentee_sizes > 0)[:, None] & (mentor_words.sum(axis=1) > 0)[None, :]
        if c.rule == Rule.OVERLAP:
            sizes = np.maximum(mentee_sizes, 1)[:, None]
            self.points += np.where(answered, c.weight * common / sizes, 0.0)
            return
        if c.rule in (Rule.SAME, Rule.DIFFERENT):
            codes = {s: k for k, s in enumerate(sorted({*a, *b}, key=sorted))}
            same = np.array([codes[s] for s in b])[:, None] == np.array([codes[s] for s in a])
            hit = same if c.rule == Rule.SAME else ~same
            self.points += np.where(answered & hit, float(c.weight), 0.0)
            return
        broken = answered & ((common == 0) if c.rule == Rule.MUST_MATCH else (common > 0))
        self.blocked_by[c.id] = broken
        self.allowed &= ~broken


def _one_hot(sets: list[frozenset], vocabulary: dict) -> np.ndarray:
    matrix = np.zeros((len(sets), max(len(vocabulary), 1)), dtype=np.float32)
    for row, words in enumerate(sets):
        matrix[row, [vocabulary[w] for w in words]] = 1.0
    return matrix


def solve(problem: Problem) -> Result:
    """The best assignment of the problem's mentees to its mentors' free places."""
    problem = _sorted(problem)
    mentors, mentees = problem.mentors, problem.mentees
    scores = Scores(problem)
    places = np.array([max(m.places, 0) for m in mentors], dtype=np.int64)
    assigned: list[tuple[int, int, bool]] = []  # (mentee row, mentor column, locked)
    mentor_at = {m.id: j for j, m in enumerate(mentors)}
    mentee_at = {m.id: i for i, m in enumerate(mentees)}
    for mentor_id, mentee_id in sorted(problem.locked):
        i, j = mentee_at.get(mentee_id), mentor_at.get(mentor_id)
        if i is None or j is None or places[j] == 0 or any(r == i for r, _, _ in assigned):
            continue
        assigned.append((i, j, True))
        places[j] -= 1
    locked_rows = {i for i, _, _ in assigned}
    rows = np.array([i for i in range(len(mentees)) if i not in locked_rows], dtype=np.int64)
    columns = np.repeat(np.arange(len(mentors)), places)  # one column per free place
    if len(rows) and len(columns):
        allowed = scores.allowed[np.ix_(rows, columns)]
        # A forbidden pair costs more than any set of allowed pairs can earn, so the solver
        # uses as few as it can; they are then dropped, leaving the largest matching possible.
        forbidden = min(len(rows), len(columns)) * problem.max_pair_score + 1.0
        cost = np.where(allowed, -scores.points[np.ix_(rows, columns)], forbidden)
        for r, c in zip(*linear_sum_assignment(cost), strict=True):
            if allowed[r, c]:
                assigned.append((int(rows[r]), int(columns[c]), False))
    suggestions = []
    for i, j, locked in sorted(assigned, key=lambda a: (mentors[a[1]].id, mentees[a[0]].id)):
        _, reasons, _ = explain(problem.criteria, mentors[j], mentees[i])
        score = float(scores.points[i, j])
        suggestions.append(Suggestion(mentors[j].id, mentees[i].id, score, reasons, locked))
    return Result(suggestions, _unmatched(problem, scores, places, assigned))


def _sorted(problem: Problem) -> Problem:
    """The same problem in a canonical order, so the order of the input never matters."""
    return Problem(
        mentors=tuple(sorted(problem.mentors, key=lambda p: p.id)),
        mentees=tuple(sorted(problem.mentees, key=lambda p: p.id)),
        criteria=tuple(sorted(problem.criteria, key=lambda c: c.id)),
        locked=problem.locked,
        ruled_out=problem.ruled_out,
    )


def _unmatched(problem, scores: Scores, places, assigned) -> list[Unmatched]:
    """Why each mentee without a mentor, and each mentor with no mentee, is left over.
    `places` are the free places the solver had, after the locked pairs."""
    mentors, mentees = problem.mentors, problem.mentees
    matched_rows = {i for i, _, _ in assigned}
    used = Counter(j for _, j, _ in assigned)
    left = [i for i in range(len(mentees)) if i not in matched_rows]
    open_columns = places > 0
    result = []
    for i in left:
        fits = scores.allowed[i] & open_columns
        if not open_columns.any():
            result.append(Unmatched(mentees[i].id, "mentee", NO_PLACES))
        elif not fits.any():
            blocked = _blocking(scores, lambda matrix, i=i: matrix[i, open_columns])
            result.append(Unmatched(mentees[i].id, "mentee", CONSTRAINTS, blocked))
        else:
            details = {"mentors": int(fits.sum())}
            result.append(Unmatched(mentees[i].id, "mentee", PLACES_TAKEN, details))
    left_rows = np.array(left, dtype=np.int64)
    for j, mentor in enumerate(mentors):
        if used[j] or mentor.places <= 0:
            continue
        if not len(left_rows):
            result.append(Unmatched(mentor.id, "mentor", NO_MENTEES_LEFT))
        else:
            blocked = _blocking(scores, lambda matrix, j=j: matrix[left_rows, j])
            result.append(Unmatched(mentor.id, "mentor", CONSTRAINTS, blocked))
    return result


def _blocking(scores: Scores, select) -> dict:
    """Which hard criteria, and how many coordinators' choices, exclude the pairs that
    `select` picks out of a (mentees x mentors) matrix."""
    criteria = sorted(cid for cid, matrix in scores.blocked_by.items() if select(matrix).any())
    return {"criteria": criteria, "excluded": int(select(scores.excluded).sum())}


# Loading a cycle's problem from the database.


def criteria_of(cycle) -> tuple[Criterion, ...]:
    return tuple(
        Criterion(
            id=c.pk,
            label=c.mentor_question.text,
            rule=c.rule,
            weight=c.weight,
            mentor_question=c.mentor_question_id,
            mentee_question=c.mentee_question_id,
        )
        for c in cycle.matching_criteria.select_related("mentor_question").order_by("pk")
    )


def active_mentee_counts(cycle) -> tuple[Counter, set[int]]:
    """For each mentor, how many mentees share their active pairings; and who is paired."""
    rows = Membership.objects.filter(
        pairing__cycle=cycle, pairing__status=Pairing.Status.ACTIVE
    ).values_list("pairing_id", "participant_id", "participant__role")
    mentors_of, mentees_of = defaultdict(set), defaultdict(set)
    for pairing_id, participant_id, role in rows:
        group = mentors_of if role == Participant.Role.MENTOR else mentees_of
        group[pairing_id].add(participant_id)
    counts = Counter()
    for pairing_id, mentor_ids in mentors_of.items():
        for mentor_id in mentor_ids:
            counts[mentor_id] += len(mentees_of[pairing_id])
    paired = set().union(*mentors_of.values(), *mentees_of.values())
    return counts, paired


def _person(participant, answers, places=0) -> Person:
    user = participant.user
    return Person(
        id=participant.pk,
        user_id=participant.user_id,
        name=user.get_full_name() or user.email,
        answers=answers.get(participant.pk, {}),
        places=places,
    )


def _answers(criteria, participant_ids) -> dict[int, dict[int, Any]]:
    """The answers the criteria compare, by participant and question, in one query."""
    questions = {q for c in criteria for q in (c.mentor_question, c.mentee_question)}
    answers = defaultdict(dict)
    rows = Answer.objects.filter(
        question_id__in=questions, response__participant__in=participant_ids
    ).values_list("response__participant_id", "question_id", "value")
    for participant_id, question_id, value in rows:
        answers[participant_id][question_id] = value
    return answers


def people(criteria, participants) -> list[Person]:
    """The given participants (with their users) as the matching sees them."""
    answers = _answers(criteria, [p.pk for p in participants])
    return [_person(p, answers) for p in participants]


def load_problem(cycle, criteria=None, *, mentee=None) -> Problem:
    """The cycle's matching problem: accepted mentors with free places left, accepted mentees
    not yet in an active pairing (or only `mentee`), the criteria, and the coordinators'
    choices."""
    criteria = criteria_of(cycle) if criteria is None else criteria
    taken, paired = active_mentee_counts(cycle)
    accepted = Participant.objects.filter(cycle=cycle).accepted()
    if mentee is not None:
        accepted = accepted.filter(models.Q(role=Participant.Role.MENTOR) | models.Q(pk=mentee.pk))
    # Every field a person's name is made of (`User.get_full_name`), or each name is a query.
    name = ["user__first_name", "user__last_name", "user__email", "user__erased_at"]
    everyone = list(
        accepted.select_related("user").only("pk", "role", "capacity", *name).order_by("pk")
    )
    answers = _answers(criteria, [p.pk for p in everyone])
    default = cycle.default_mentor_capacity
    mentors = tuple(
        _person(p, answers, (p.capacity if p.capacity is not None else default) - taken[p.pk])
        for p in everyone
        if p.role == Participant.Role.MENTOR
    )
    mentees = tuple(
        _person(p, answers)
        for p in everyone
        if p.role == Participant.Role.MENTEE and p.pk not in paired
    )
    choices = PairChoice.objects.filter(cycle=cycle).values_list("mentor_id", "mentee_id", "kind")
    return Problem(
        mentors=mentors,
        mentees=mentees,
        criteria=criteria,
        locked=frozenset((m, e) for m, e, k in choices if k == PairChoice.Kind.LOCKED),
        ruled_out=frozenset((m, e) for m, e, k in choices if k == PairChoice.Kind.RULED_OUT),
    )
