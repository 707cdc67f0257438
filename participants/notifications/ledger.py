"""The notification ledger at work: the reminders and prompts that background work sends, each
exactly once.

1. The planners (meeting reminders, event reminders, self-assessment prompts), registered with
   `register_planner()`, are run every hour by `plan_due()`: each finds in the database what
   is due and `plan()` writes one ledger row per recipient, kind, what it is about, details
   and period, skipping the rows that exist: a planner run twice, or two at once, plans
   nothing twice; a missed run is made up by the next, which finds the same things due.
2. `dispatch()` hands the rows that are ready to the workers in batches, each its own task,
   after the commit, so any number of workers share a large fan-out.
3. `deliver()` claims a batch's rows (rows locked, skipping those another worker holds, and
   marked as being sent) before sending, sends over one connection, and writes down each
   outcome: sent; or waiting again, with a later next attempt (exponential backoff with
   jitter); or failed after the last attempt. A row claimed by a worker that died becomes
   ready again after NOTIFICATION_CLAIM_SECONDS. The one window left - the mail server took
   the message and the worker died before writing "sent" - is made harmless by a Message-ID
   derived from the row: a resend is the same message, which mail programs show once.

Each app registers its kinds with `register_kind()`, from its `AppConfig.ready()`: how to build
the emails of a batch of rows (None for a row no longer needed: a meeting took place, a
questionnaire was answered), rendered in the recipient's language and the time zone of the
row's programme.
"""

import contextlib
import datetime
import itertools
import json
import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from smtplib import SMTPException, SMTPRecipientsRefused, SMTPResponseException

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.mail import get_connection
from django.db import models, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from mentorship import mail
from mentorship.celery import queue
from participants.models import Notification, User

# Imported here, not where it is queued, so that every process that loads the ledger (each
# app's ready() registers its kinds with it) has Celery know the ledger's tasks.
from participants.notifications.tasks import send_notifications

STOP_SALT = "participants.notifications.stop"


@dataclass(frozen=True)
class Email:
    """What to send for one ledger row: the templates' name and their context."""

    template: str
    context: dict


@dataclass(frozen=True)
class Kind:
    name: str
    label: str  # lazily translated: what the person switches off
    build: Callable[[list[Notification]], dict[int, Email | None]]
    can_opt_out: bool = True


@dataclass(frozen=True)
class Planned:
    """An email to plan: to whom, of which kind, about which object (its model and id), for
    which period, and what else tells it apart from another about the same (`details`: the
    decision it announces, the member of a pairing it is for)."""

    recipient_id: int
    kind: str
    about: type[models.Model]
    about_id: int
    period: str
    program_id: int | None = None
    details: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Planner:
    """What finds in the database the emails of background work due now (run every hour)."""

    name: str
    due: Callable[[], Iterable[Planned]]


KINDS: dict[str, Kind] = {}
PLANNERS: dict[str, Planner] = {}


def register_kind(kind: Kind) -> None:
    _register(KINDS, kind)


def register_planner(planner: Planner) -> None:
    _register(PLANNERS, planner)


def _register(registry: dict, entry) -> None:
    """Registering the same entry again changes nothing (a ready() run twice); another entry
    under a name already taken is an error rather than a silent replacement."""
    if registry.setdefault(entry.name, entry) != entry:
        raise ValueError(f"{entry.name!r} is registered already")


def opt_out_kinds() -> list[Kind]:
    return [kind for kind in KINDS.values() if kind.can_opt_out]


# Planned emails are written this many at a time, so a planner's memory does not grow with
# the size of its fan-out.
PLAN_CHUNK = 2000


def plan_due() -> int:
    """Plan what every registered planner finds due now; returns how many rows are new."""
    return sum(plan(planner.due()) for planner in PLANNERS.values())


def plan(items: Iterable[Planned]) -> int:
    """Write the planned emails into the ledger, leaving out those already there and those
    their recipient switched off. Returns how many rows are new (of those a planner running at
    the same moment writes first, each counts for both, but is written, and sent, once)."""
    items = iter(items)
    written = 0
    while chunk := list(itertools.islice(items, PLAN_CHUNK)):
        written += _plan_chunk(chunk)
    return written


# The columns of the claim: the ledger's unique constraint.
CLAIM = ["recipient_id", "kind", "content_type_id", "object_id", "details", "period"]


def _plan_chunk(items: list[Planned]) -> int:
    muted = dict(
        User.objects.filter(
            pk__in={item.recipient_id for item in items}, is_active=True
        ).values_list("pk", "muted_notifications")
    )
    types = ContentType.objects.get_for_models(*{item.about for item in items})  # cached
    rows = [
        Notification(
            recipient_id=item.recipient_id,
            kind=item.kind,
            content_type=types[item.about],
            object_id=item.about_id,
            details=item.details,
            period=item.period,
            program_id=item.program_id,
        )
        for item in items
        if item.recipient_id in muted and item.kind not in muted[item.recipient_id]
    ]
    existing = {
        _key(values)
        for values in Notification.objects.filter(
            recipient__in={row.recipient_id for row in rows},
            kind__in={row.kind for row in rows},
            period__in={row.period for row in rows},
        ).values_list(*CLAIM)
    }
    rows = [row for row in rows if _key(getattr(row, name) for name in CLAIM) not in existing]
    # A planner running at the same moment may write some of them first: those are skipped.
    Notification.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
    return len(rows)


def _key(values) -> tuple:
    """A claim as a member of a set: its details (a dict) as their JSON, keys in order."""
    return tuple(json.dumps(v, sort_keys=True) if isinstance(v, dict) else v for v in values)


def notify(items: Iterable[Planned]) -> None:
    """Plan the emails an action causes (a decision, a published pairing, an answer) inside
    its transaction, and hand them to the workers once it commits."""
    plan(items)
    transaction.on_commit(dispatch)


def moment() -> str:
    """A period for an email an action causes: the action's moment, so a later action of the
    same kind is a new email and a retried one is not."""
    return timezone.now().strftime("%y%m%d%H%M%S%f")


def dispatch(now=None) -> int:
    """Queue the ready rows in batches, each batch a task; returns how many rows."""
    now = now or timezone.now()
    ids = list(Notification.objects.to_queue(now).order_by("pk").values_list("pk", flat=True))
    size = settings.NOTIFICATION_BATCH_SIZE
    for start in range(0, len(ids), size):
        batch = ids[start : start + size]
        Notification.objects.filter(pk__in=batch).update(queued_at=now)
        transaction.on_commit(lambda batch=batch: _hand_over(batch))
    return len(ids)


def _hand_over(batch: list[int]) -> None:
    """Queue a batch for the workers. If the broker does not take it, its rows are ready to
    be queued again at once, so the dispatcher's next run after the outage sends them."""
    if not queue(send_notifications, batch):
        Notification.objects.filter(pk__in=batch).update(queued_at=None)


def _claim(ids, now) -> list[int]:
    """Take the rows of `ids` that are ready and that no other worker holds."""
    with transaction.atomic():
        claimed = list(
            Notification.objects.ready(now)
            .filter(pk__in=ids)
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)
        )
        Notification.objects.filter(pk__in=claimed).update(
            state=Notification.State.SENDING, claimed_at=now, attempts=F("attempts") + 1
        )
    return claimed


def stop_url(user, kind: str) -> str:
    token = signing.dumps({"user": user.pk, "kind": kind}, salt=STOP_SALT, compress=True)
    return settings.SITE_URL + reverse("participants:notifications_stop", args=[token])


def read_stop_token(token: str) -> tuple[int, str] | None:
    try:
        data = signing.loads(token, salt=STOP_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("kind") not in KINDS:
        return None
    return data.get("user"), data["kind"]


def _message(row: Notification, email: Email):
    kind = KINDS[row.kind]
    context = dict(email.context)
    headers = {"Message-ID": row.message_id}
    if kind.can_opt_out:
        context["stop_url"] = stop_url(row.recipient, row.kind)
        headers["List-Unsubscribe"] = f"<{context['stop_url']}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    time_zone = row.program.time_zone if row.program else settings.TIME_ZONE
    message = mail.render(email.template, to=row.recipient, context=context, time_zone=time_zone)
    message.extra_headers.update(headers)
    return message


def _retry_or_fail(row: Notification, error: Exception, now) -> None:
    if row.attempts >= settings.NOTIFICATION_MAX_ATTEMPTS:
        state, next_attempt = Notification.State.FAILED, now
    else:
        delay = settings.NOTIFICATION_RETRY_SECONDS * 2 ** (row.attempts - 1)
        delay *= random.uniform(0.5, 1.5)  # jitter: retries of a mail server outage spread out
        state, next_attempt = Notification.State.PENDING, now + datetime.timedelta(seconds=delay)
    Notification.objects.filter(pk=row.pk, state=Notification.State.SENDING).update(
        state=state,
        next_attempt_at=next_attempt,
        queued_at=None,
        error=f"{type(error).__name__}: {error}"[:1000],
    )


def deliver(ids, now=None) -> dict[str, int]:
    """Send the ready rows among `ids`; returns how many were sent, skipped and retried."""
    now = now or timezone.now()
    counts = {"sent": 0, "skipped": 0, "retried": 0}
    claimed = _claim(ids, now)
    rows = list(Notification.objects.filter(pk__in=claimed).select_related("recipient", "program"))
    emails = {}
    for name in {row.kind for row in rows}:
        of_kind = [row for row in rows if row.kind == name]
        emails.update(KINDS[name].build(of_kind) if name in KINDS else {})
    connection = None
    try:
        for number, row in enumerate(rows):
            email = emails.get(row.pk)
            wanted = row.recipient.is_active and row.kind not in row.recipient.muted_notifications
            if not email or not wanted:
                Notification.objects.filter(pk=row.pk).update(state=Notification.State.SKIPPED)
                counts["skipped"] += 1
                continue
            message = _message(row, email)
            try:
                if connection is None:
                    connection = get_connection()
                    connection.open()
                connection.send_messages([message])
            except (SMTPResponseException, SMTPRecipientsRefused) as error:  # this one refused
                _retry_or_fail(row, error, timezone.now())
                counts["retried"] += 1
                connection = _close(connection)
                continue
            except (SMTPException, OSError) as error:  # no server: the rest waits too
                for left in rows[number:]:
                    _retry_or_fail(left, error, timezone.now())
                counts["retried"] += len(rows) - number
                break
            Notification.objects.filter(pk=row.pk).update(
                state=Notification.State.SENT, sent_at=timezone.now(), error=""
            )
            counts["sent"] += 1
    finally:
        _close(connection)
    return counts


def _close(connection):
    if connection is not None:
        with contextlib.suppress(SMTPException, OSError):
            connection.close()
    return None


def period_of_week(day: datetime.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


# Fortnights are counted from a Monday, so each one runs Monday to Sunday.
FORTNIGHTS_FROM = datetime.date(2024, 1, 1)


def period_of_fortnight(day: datetime.date) -> str:
    return f"F{(day - FORTNIGHTS_FROM).days // 14}"


def period_of_month(day: datetime.date) -> str:
    return f"{day:%Y-%m}"
