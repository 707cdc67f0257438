"""Run inside a benchmark database (`python -m tests.bench.matching`): times `suggest_pairs`
for 5,000 mentees and 2,000 mentors (capacities 1-3, five criteria) and prints, as JSON, the
time, the peak memory, and the optimal total beside a greedy assignment's (best pairs first),
which it must not trail. Everything it writes is rolled back."""

import io
import json
import os
import resource
import sys
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentorship.settings")
django.setup()

import numpy as np  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402

from participants.pairings import matching  # noqa: E402
from tests.factories import CycleFactory, matching_cohort  # noqa: E402

MENTEES, MENTORS = 5_000, 2_000


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


def measure() -> dict:
    with transaction.atomic():
        cycle = CycleFactory()
        matching_cohort(cycle, mentors=MENTORS, mentees=MENTEES, seed=2026)
        out = io.StringIO()
        started = time.perf_counter()
        call_command("suggest_pairs", cycle.pk, "--json", stdout=out)
        seconds = time.perf_counter() - started
        result = json.loads(out.getvalue())
        greedy_count, greedy_total = greedy(matching.load_problem(cycle))
        transaction.set_rollback(True)
    return {
        "mentees": MENTEES,
        "mentors": MENTORS,
        "seconds": seconds,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "pairs": len(result["suggestions"]),
        "total": result["total_score"],
        "greedy_pairs": greedy_count,
        "greedy_total": greedy_total,
    }


if __name__ == "__main__":
    json.dump(measure(), sys.stdout)
