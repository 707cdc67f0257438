"""`manage.py demo`: load the invented demo data (safe to run again) and print the logins."""

from django.core.management.base import BaseCommand
from django.db import transaction

from mentorship.demo.data import PASSWORD, create_demo


class Command(BaseCommand):
    help = "Create invented demo programmes and people; running it again creates no duplicates."

    def handle(self, *args, **options):
        with transaction.atomic():
            logins = create_demo()
        self.stdout.write(self.style.SUCCESS("Demo data is ready. Log in with:"))
        for role, email in logins.items():
            self.stdout.write(f"  {role:34} {email}")
        self.stdout.write(f"  {'password (every demo account)':34} {PASSWORD}")
