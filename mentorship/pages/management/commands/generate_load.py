"""`manage.py generate_load`: fill an empty PostgreSQL database with realistic volumes for
measuring the pages (see mentorship/pages/load.py), and print the benchmark's subjects."""

from django.core.management.base import BaseCommand, CommandError

from mentorship.pages import load


class Command(BaseCommand):
    help = (
        "Fill an empty PostgreSQL database with invented programmes, cycles, people, pairings, "
        "meetings and events in realistic volumes (100,000 people and 1,000,000 meetings at the "
        "default size), all or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--pairings",
            type=int,
            default=load.DEFAULT_PAIRINGS,
            help="Pairings to create; everything else scales with it (default %(default)s).",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=load.DEFAULT_SEED,
            help="Seed of the random choices: the same seed gives the same data on the same day.",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Add the load even though the database already holds programmes.",
        )

    def handle(self, *args, pairings, seed, force, **options):
        if pairings < 1:
            raise CommandError("Give at least one pairing with --pairings.")
        subjects = load.generate(pairings=pairings, seed=seed, force=force, write=self.stdout.write)
        self.stdout.write(self.style.SUCCESS("The load is in. The benchmark's subjects:"))
        for name, pk in subjects.items():
            self.stdout.write(f"  {name:<12} {pk}")
        self.stdout.write(f"  {'password':<12} {load.PASSWORD} (every generated account)")
