"""`manage.py suggest_pairs CYCLE_ID [--json]`: print the matching's suggestions for a cycle,
without saving them, for scripts and the benchmark."""

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from participants.pairings import matching
from participants.pairings.explanations import reason_text, unmatched_text
from programs.models import Cycle


class Command(BaseCommand):
    help = "Print the suggested pairs of a cycle (nothing is saved)."

    def add_arguments(self, parser):
        parser.add_argument("cycle_id", type=int)
        parser.add_argument("--json", action="store_true", help="Print JSON instead of text.")

    def handle(self, *args, cycle_id, **options):
        cycle = Cycle.objects.filter(pk=cycle_id).first()
        if cycle is None:
            raise CommandError(f"There is no cycle {cycle_id}.")
        problem = matching.load_problem(cycle)
        result = matching.solve(problem)
        names = {p.id: p.name for p in (*problem.mentors, *problem.mentees)}
        labels = {c.id: c.label for c in problem.criteria}
        unmatched = [
            {
                **u.as_json(),
                "name": names[u.participant],
                "why": unmatched_text(u.as_json(), labels),
            }
            for u in result.unmatched
        ]
        if options["json"]:
            self.stdout.write(json.dumps(_as_json(cycle, result, names, unmatched), indent=2))
            return
        for s in result.suggestions:
            lock = " " + _("(locked)") if s.locked else ""
            self.stdout.write(f"{names[s.mentor]} - {names[s.mentee]}: {s.score:g}{lock}")
            for reason in s.reasons:
                self.stdout.write(
                    f"    {reason['label']}: +{reason['points']:g} {reason_text(reason)}"
                )
        for entry in unmatched:
            self.stdout.write(
                f"{_('Unmatched')}: {entry['name']} ({entry['role']}): {entry['why']}"
            )
        self.stdout.write(
            _("%(pairs)d pairs, total score %(score)s, %(left)d people unmatched.")
            % {
                "pairs": len(result.suggestions),
                "score": f"{result.total_score:g}",
                "left": len(unmatched),
            }
        )


def _as_json(cycle, result, names, unmatched) -> dict:
    return {
        "cycle": {"id": cycle.pk, "name": str(cycle)},
        "total_score": result.total_score,
        "suggestions": [
            {
                "mentor": {"id": s.mentor, "name": names[s.mentor]},
                "mentee": {"id": s.mentee, "name": names[s.mentee]},
                "score": s.score,
                "locked": s.locked,
                "reasons": s.reasons,
            }
            for s in result.suggestions
        ],
        "unmatched": unmatched,
    }
