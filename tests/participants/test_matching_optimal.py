"""The matching solver against an exhaustive search, on small random instances."""

import itertools
import random

import pytest

from participants.pairings import matching
from participants.pairings.matching import Criterion, Person, Problem

WORDS = ["a", "b", "c", "d"]
RULES = ["overlap", "same", "different", "must_match", "must_differ"]


def random_problem(seed: int) -> Problem:
    rng = random.Random(seed)
    criteria = tuple(
        Criterion(
            id=k,
            label=f"c{k}",
            rule=rng.choice(RULES),
            weight=rng.randint(0, 10),
            mentor_question=100 + k,
            mentee_question=200 + k,
        )
        for k in range(rng.randint(1, 3))
    )

    def answers(base):
        result = {}
        for c in criteria:
            roll = rng.random()
            if roll < 0.15:
                continue  # not answered
            value = rng.sample(WORDS, rng.randint(1, 3)) if roll < 0.6 else rng.choice(WORDS)
            result[base + c.id] = value
        return result

    mentors = tuple(
        Person(id=i, user_id=i, name=f"m{i}", answers=answers(100), places=rng.randint(0, 3))
        for i in range(1, rng.randint(1, 4) + 1)
    )
    mentees = tuple(
        Person(
            id=10 + i, user_id=rng.choice([10 + i] * 5 + [1]), name=f"e{i}", answers=answers(200)
        )
        for i in range(1, rng.randint(1, 5) + 1)
    )
    pairs = [(m.id, e.id) for m in mentors for e in mentees]
    ruled_out = frozenset(p for p in pairs if rng.random() < 0.15)
    free = [p for p in pairs if p not in ruled_out]
    locked = frozenset(rng.sample(free, 1)) if free and rng.random() < 0.3 else frozenset()
    return Problem(mentors, mentees, criteria, locked, ruled_out)


def allowed(problem, mentor, mentee) -> bool:
    if (mentor.id, mentee.id) in problem.locked:
        return True
    _, _, broken = matching.explain(problem.criteria, mentor, mentee)
    return (
        not broken
        and (mentor.id, mentee.id) not in problem.ruled_out
        and mentor.user_id != mentee.user_id
    )


def brute_force(problem) -> tuple[int, float]:
    """The most mentees matched and, with that many, the highest total score."""
    best = (-1, -1.0)
    options = [[None, *problem.mentors] for _ in problem.mentees]
    fits = {(m.id, e.id): allowed(problem, m, e) for m in problem.mentors for e in problem.mentees}
    points = {
        (m.id, e.id): matching.explain(problem.criteria, m, e)[0]
        for m in problem.mentors
        for e in problem.mentees
    }
    for choice in itertools.product(*options):
        used = {}
        count, total, ok = 0, 0.0, True
        for mentee, mentor in zip(problem.mentees, choice, strict=True):
            locked = next((m for m, e in problem.locked if e == mentee.id), None)
            if mentor is None:
                if locked is not None and _places(problem, locked) > 0:
                    ok = False  # a lock with a place is always kept
                continue
            if locked is not None and mentor.id != locked and _places(problem, locked) > 0:
                ok = False
            if not fits[(mentor.id, mentee.id)]:
                ok = False
            used[mentor.id] = used.get(mentor.id, 0) + 1
            if used[mentor.id] > mentor.places:
                ok = False
            count += 1
            total += points[(mentor.id, mentee.id)]
        if ok and (count, round(total, 2)) > best:
            best = (count, round(total, 2))
    return best


def _places(problem, mentor_id) -> int:
    return next(m.places for m in problem.mentors if m.id == mentor_id)


def check_invariants(problem, result):
    mentors = {m.id: m for m in problem.mentors}
    mentees = {m.id: m for m in problem.mentees}
    given = [s.mentee for s in result.suggestions]
    assert len(given) == len(set(given)), "a mentee gets one mentor"
    for mentor in problem.mentors:
        assert sum(s.mentor == mentor.id for s in result.suggestions) <= mentor.places
    for s in result.suggestions:
        mentor, mentee = mentors[s.mentor], mentees[s.mentee]
        if s.locked:
            assert (s.mentor, s.mentee) in problem.locked
            continue
        assert allowed(problem, mentor, mentee), "hard constraints and exclusions hold"
        score, reasons, _ = matching.explain(problem.criteria, mentor, mentee)
        assert s.score == pytest.approx(score) == pytest.approx(sum(r["points"] for r in reasons))
    for mentor_id, mentee_id in problem.locked:
        if mentors[mentor_id].places > 0:
            assert (mentor_id, mentee_id) in {(s.mentor, s.mentee) for s in result.suggestions}
    left = {u.participant for u in result.unmatched}
    assert left == (set(mentees) - set(given)) | {
        m.id
        for m in problem.mentors
        if m.places > 0 and m.id not in {s.mentor for s in result.suggestions}
    }
    assert all(u.reason for u in result.unmatched)


@pytest.mark.parametrize("block", range(6))
def test_the_solver_finds_the_optimum_of_small_random_instances(block):
    for seed in range(block * 40, block * 40 + 40):
        problem = random_problem(seed)
        result = matching.solve(problem)
        check_invariants(problem, result)
        count, total = brute_force(problem)
        assert len(result.suggestions) == count, seed
        assert result.total_score == pytest.approx(total, abs=0.011), seed


def test_same_input_same_output_whatever_the_order():
    problem = random_problem(7)
    rng = random.Random(1)
    for _ in range(5):
        shuffled = Problem(
            tuple(rng.sample(problem.mentors, len(problem.mentors))),
            tuple(rng.sample(problem.mentees, len(problem.mentees))),
            tuple(rng.sample(problem.criteria, len(problem.criteria))),
            problem.locked,
            problem.ruled_out,
        )
        assert matching.solve(shuffled) == matching.solve(problem)


def test_a_larger_instance_keeps_every_rule():
    rng = random.Random(3)
    criteria = (
        Criterion(1, "competences", "overlap", 8, 101, 201),
        Criterion(2, "language", "must_match", 0, 102, 202),
        Criterion(3, "department", "different", 3, 103, 203),
    )
    mentors = tuple(
        Person(
            i,
            i,
            f"m{i}",
            {101: rng.sample(WORDS, 2), 102: rng.choice(WORDS), 103: rng.choice("xyz")},
            rng.randint(1, 3),
        )
        for i in range(1, 31)
    )
    mentees = tuple(
        Person(
            100 + i,
            100 + i,
            f"e{i}",
            {201: rng.sample(WORDS, 2), 202: rng.choice(WORDS), 203: rng.choice("xyz")},
        )
        for i in range(60)
    )
    locked = frozenset({(1, 100), (2, 101)})
    ruled_out = frozenset({(3, 102), (4, 103)})
    problem = Problem(mentors, mentees, criteria, locked, ruled_out)
    check_invariants(problem, matching.solve(problem))


def test_reasons_explain_the_score_ignoring_case_spacing_and_order():
    criteria = (
        Criterion(1, "Competences", "overlap", 9, 101, 201),
        Criterion(2, "Department", "same", 4, 102, 202),
        Criterion(3, "Format", "different", 2, 103, 203),
    )
    mentor = Person(
        1, 1, "Ona", {101: ["Feedback", "Assessment"], 102: "Faculty of  Physics", 103: "Online"}
    )
    mentee = Person(
        2,
        2,
        "Ieva",
        {
            201: ["assessment", "Digital tools", "feedback"],
            202: "faculty of physics",
            203: "online",
        },
    )
    score, reasons, broken = matching.explain(criteria, mentor, mentee)
    assert [r["points"] for r in reasons] == [6.0, 4.0, 0.0]  # 9 x 2/3, same, not different
    assert score == 10 and broken == []
    assert reasons[0]["common"] == ["assessment", "feedback"]


def test_each_person_left_over_says_why():
    hard = (Criterion(1, "Language", "must_match", 0, 101, 201),)
    nobody = Problem((), (Person(10, 10, "e", {}),), hard)
    assert matching.solve(nobody).unmatched[0].reason == matching.NO_PLACES

    mentor = Person(1, 1, "m", {101: "lt"}, places=1)
    excluded = Problem((mentor,), (Person(10, 10, "e", {201: "ru"}),), hard)
    [entry] = [u for u in matching.solve(excluded).unmatched if u.role == "mentee"]
    assert entry.reason == matching.CONSTRAINTS and entry.details["criteria"] == [1]

    soft = (Criterion(1, "Language", "same", 5, 101, 201),)
    lost = Problem(
        (mentor,), (Person(10, 10, "e", {201: "lt"}), Person(11, 11, "f", {201: "ru"})), soft
    )
    result = matching.solve(lost)
    assert [(s.mentor, s.mentee) for s in result.suggestions] == [(1, 10)]
    assert result.unmatched[0].reason == matching.PLACES_TAKEN

    spare = Person(2, 2, "spare", {101: "lt"}, places=2)
    everyone = Problem((mentor, spare), (Person(10, 10, "e", {201: "lt"}),), soft)
    [left] = matching.solve(everyone).unmatched
    assert left.participant == 2 and left.reason == matching.NO_MENTEES_LEFT
