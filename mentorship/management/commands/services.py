"""`manage.py services`: check that the database and Redis answer, and say how to start them.

`make test` calls it first, so a missing service stops the run at once with a clear message
instead of a hundred failing tests.
"""

import warnings

import redis
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.utils import OperationalError

HOW_TO_START = {
    "PostgreSQL": (
        "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start  "
        "(or point DATABASE_URL at a running server)"
    ),
    "Redis": (
        'redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save ""  '
        "(or point REDIS_URL at a running server)"
    ),
}


class Command(BaseCommand):
    help = "Check that the database and Redis named by DATABASE_URL and REDIS_URL answer."

    def handle(self, *args, **options):
        problems = [p for p in (self._database(), self._redis()) if p]
        if problems:
            raise CommandError("\n".join(problems))
        self.stdout.write("The database and Redis answer.")

    def _database(self):
        vendor = connection.vendor
        try:
            # The server, not the project's database: the tests create their own.
            with warnings.catch_warnings(), connection._nodb_cursor() as cursor:
                warnings.simplefilter("ignore", RuntimeWarning)
                cursor.execute("SELECT 1")
        except OperationalError as exc:
            name = "PostgreSQL" if vendor == "postgresql" else vendor
            start = HOW_TO_START.get(name, "start it")
            return f"{name} does not answer ({str(exc).strip()}). Start it: {start}"
        return None

    def _redis(self):
        if not settings.REDIS_URL:
            return "REDIS_URL is not set: the tests need Redis. " + HOW_TO_START["Redis"]
        try:
            redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=3).ping()
        except redis.RedisError as exc:
            start = HOW_TO_START["Redis"]
            return f"Redis does not answer at {settings.REDIS_URL} ({exc}). Start it: {start}"
        return None
