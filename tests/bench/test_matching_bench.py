"""Benchmark of the matching (`make bench`, not part of `make test`): 5,000 mentees and
2,000 mentors with capacities 1-3 and five criteria, through `manage.py suggest_pairs`.
Target: under 10 seconds on a 2-core machine. The optimal total is printed beside the total
of a greedy assignment of the same instance (best pairs first), which it must not trail."""

import io
import json
import resource
import time

import numpy as np
import pytest
from django.core.management import call_command

from participants import matching
from tests.factories import CycleFactory, matching_cohort

MENTEES, MENTORS, BUDGET_SECONDS = 5_000, 2_000, 10.0

pytestmark = [pytest.mark.bench, pytest.mark.django_db]


def greedy(problem: matching.Problem) -> tuple[int, float]:
    """Best-scoring allowed pairs first, each taken while both sides are free."""
    scores = matching.Scores(problem)
    places = np.array([m.places for m in problem.mentors])
    taken = np.zeros(len(problem.mentees), dtype=bool)
    rows, columns = np.nonzero(scores.allowed)
    order = np.argsort(-scores.points[rows, columns], kind="stable")
    count, total = 0, 0.0
    for row, column in zip(rows[order], columns[order], strict=True):
        if not taken[row] and places[column] > 0:
            taken[row] = True
            places[column] -= 1
            count += 1
            total += scores.points[row, column]
    return count, round(total, 2)


def test_suggest_pairs_for_5000_mentees_and_2000_mentors():
    cycle = CycleFactory()
    matching_cohort(cycle, mentors=MENTORS, mentees=MENTEES, seed=2026)

    out = io.StringIO()
    started = time.perf_counter()
    call_command("suggest_pairs", cycle.pk, "--json", stdout=out)
    elapsed = time.perf_counter() - started
    result = json.loads(out.getvalue())

    optimal_count, optimal_total = len(result["suggestions"]), result["total_score"]
    greedy_count, greedy_total = greedy(matching.load_problem(cycle))
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"\nsuggest_pairs: {MENTEES} mentees, {MENTORS} mentors: {elapsed:.2f} s "
        f"(budget {BUDGET_SECONDS:.0f} s), peak memory {peak_mb:.0f} MB"
        f"\n  optimal: {optimal_count} pairs, total score {optimal_total:.2f}"
        f"\n  greedy:  {greedy_count} pairs, total score {greedy_total:.2f}"
    )
    assert elapsed < BUDGET_SECONDS
    assert (optimal_count, optimal_total) >= (greedy_count, greedy_total)
