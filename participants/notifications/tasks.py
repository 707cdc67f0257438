"""The ledger's background work: planning (every hour), dispatching (every minute) and sending a
batch. Tasks are thin: they call the ledger's plain functions, imported inside them because
the ledger imports this module."""

from celery import shared_task


@shared_task
def send_notifications(notification_ids: list[int]) -> dict:
    """Send one batch of the ledger's emails (each claimed first, so never twice)."""
    from participants.notifications.ledger import deliver

    return deliver(notification_ids)


@shared_task
def dispatch_notifications() -> int:
    """Hand the ledger's ready emails to the workers in batches (every minute)."""
    from participants.notifications.ledger import dispatch

    return dispatch()


@shared_task
def plan_notifications() -> int:
    """Plan what every registered planner finds due (meeting and event reminders,
    self-assessment prompts), and hand it to the workers (every hour)."""
    from participants.notifications.ledger import dispatch, plan_due

    planned = plan_due()
    dispatch()
    return planned
