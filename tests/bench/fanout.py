"""The reminder fan-out's data and its floor, run inside the fan-out database
(`python -m tests.bench.fanout setup N` or `python -m tests.bench.fanout floor`).

- setup: one programme whose current cycle has N active pairings of a mentor and a mentee,
  all due a meeting (none overdue, so no coordinators' digest), people of four languages.
- floor: the same reminder emails, built by the same code, sent by a plain loop over one SMTP
  connection: no ledger, no queue, no workers. Prints emails, seconds and peak memory.
"""

import datetime
import json
import os
import resource
import sys
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentorship.settings")
django.setup()

from django.core.mail import get_connection  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from meetings import reminders  # noqa: E402
from participants.models import Membership, Notification, Pairing, Participant, User  # noqa: E402
from participants.notifications.ledger import KINDS, _message  # noqa: E402
from programs.models import Cycle, Program  # noqa: E402

BATCH = 100


def table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


@transaction.atomic
def setup(count: int) -> dict:
    today = timezone.localdate()
    program = Program.objects.create(
        name="Reminder fan-out", slug="fanout", cadence=Program.Cadence.MONTHLY
    )
    cycle = Cycle.objects.create(
        program=program,
        name="Fan-out",
        starts_on=today - datetime.timedelta(days=90),
        ends_on=today + datetime.timedelta(days=210),
        registration_opens=timezone.now() - datetime.timedelta(days=120),
        registration_closes=timezone.now() - datetime.timedelta(days=100),
        stage=Cycle.Stage.WORKING,
    )
    # 40 days without a meeting: due under a monthly cadence, overdue only after 60.
    started = today - datetime.timedelta(days=40)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO {table(User)} (password, is_superuser, email, first_name, last_name,
                language, is_staff, is_active, date_joined, muted_notifications)
            SELECT '!', false, 'fanout-' || g || '@load.example', 'Vardas' || g, 'Pavardė',
                (ARRAY['en', 'lt', 'lv', 'ru'])[1 + g %% 4], false, true, now(), '[]'::jsonb
            FROM generate_series(1, %s) AS g""",
            [2 * count],
        )
        cursor.execute(
            f"""INSERT INTO {table(Participant)} (user_id, cycle_id, role, status,
                several_pairings_allowed, is_minor, applied_at, status_changed_at)
            SELECT id, %s, CASE WHEN row_number() OVER (ORDER BY id) %% 2 = 1
                THEN 'mentor' ELSE 'mentee' END, 'accepted', false, false, now(), now()
            FROM {table(User)} WHERE email LIKE 'fanout-%%'""",
            [cycle.pk],
        )
        cursor.execute(
            f"""INSERT INTO {table(Pairing)} (cycle_id, status, starts_on, end_reason, reasons,
                created_at, meetings_count, meetings_minutes)
            SELECT %s, 'active', %s, '', '[]'::jsonb, now(), 0, 0 FROM generate_series(1, %s)""",
            [cycle.pk, started, count],
        )
        cursor.execute(
            f"""INSERT INTO {table(Membership)} (pairing_id, participant_id, joined_at)
            SELECT p.id, q.id, now()
            FROM (SELECT id, row_number() OVER (ORDER BY id) AS n
                  FROM {table(Pairing)} WHERE cycle_id = %s) AS p
            JOIN (SELECT id, (row_number() OVER (ORDER BY id) + 1) / 2 AS n
                  FROM {table(Participant)} WHERE cycle_id = %s) AS q ON q.n = p.n""",
            [cycle.pk, cycle.pk],
        )
        cursor.execute("ANALYZE")
    return {"pairings": count, "emails": 2 * count}


def floor() -> dict:
    ids = list(
        Notification.objects.filter(kind=reminders.REMINDER)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    mail = get_connection()
    mail.open()
    started = time.perf_counter()
    sent = 0
    for start in range(0, len(ids), BATCH):
        rows = list(
            Notification.objects.filter(pk__in=ids[start : start + BATCH]).select_related(
                "recipient", "program"
            )
        )
        emails = KINDS[reminders.REMINDER].build(rows)
        for row in rows:
            mail.send_messages([_message(row, emails[row.pk])])
            sent += 1
    seconds = time.perf_counter() - started
    mail.close()
    return {
        "emails": sent,
        "seconds": seconds,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


if __name__ == "__main__":
    if sys.argv[1] == "setup":
        json.dump(setup(int(sys.argv[2])), sys.stdout)
    else:
        json.dump(floor(), sys.stdout)
