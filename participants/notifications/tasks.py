"""Background work about people. Tasks are thin: they load rows by id and call the model."""

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
def plan_self_assessment() -> int:
    """Plan the self-assessment prompts and follow-ups that are due, and send them."""
    from participants.notifications.ledger import dispatch, plan
    from participants.registrations.self_assessment import due_prompts

    planned = plan(due_prompts())
    dispatch()
    return planned
