"""Background work about people. Tasks are thin: they load rows by id and call the model."""

from smtplib import SMTPException

from celery import shared_task
from django.contrib.auth import get_user_model


@shared_task(bind=True, max_retries=6, default_retry_delay=60, retry_backoff=True)
def send_welcome(self, user_id: int) -> bool:
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return False
    try:
        return user.send_welcome()
    except (SMTPException, OSError) as exc:
        raise self.retry(exc=exc) from exc


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
