"""Background work of events. Tasks are thin: they call a plain function."""

from celery import shared_task


@shared_task
def plan_reminders() -> int:
    """Plan the reminders of tomorrow's events, and send them (every hour)."""
    from participants.notifications.ledger import dispatch, plan

    from .reminders import due_reminders

    planned = plan(due_reminders())
    dispatch()
    return planned
