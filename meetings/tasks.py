"""Background work of the workspace. Tasks are thin: they call a plain function."""

from celery import shared_task


@shared_task
def plan_reminders() -> int:
    """Plan the meeting reminders and digests that are due, and send them (every hour)."""
    from participants.notifications.ledger import dispatch, plan

    from .reminders import due_reminders

    planned = plan(due_reminders())
    dispatch()
    return planned
