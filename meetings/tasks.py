"""Background work of the workspace. Tasks are thin: they load rows by id and send."""

from smtplib import SMTPException

from celery import shared_task
from django.contrib.auth import get_user_model

from mentorship import mail

HELP_EMAILS = {"asked", "answered"}


@shared_task(bind=True, max_retries=6, default_retry_delay=60, retry_backoff=True)
def send_help_email(self, help_request_id: int, recipient_id: int, event: str) -> bool:
    """Tell a coordinator about a new request for help, or the asker about the answer."""
    from .models import HelpRequest

    if event not in HELP_EMAILS:
        raise ValueError(event)
    help_request = (
        HelpRequest.objects.select_related("participant__user", "participant__cycle__program")
        .filter(pk=help_request_id)
        .first()
    )
    recipient = get_user_model().objects.filter(pk=recipient_id, is_active=True).first()
    if help_request is None or recipient is None:
        return False
    try:
        mail.send(
            "help",
            to=recipient,
            context={
                "help_request": help_request,
                "program": help_request.participant.cycle.program,
                "event": event,
            },
        )
    except (SMTPException, OSError) as exc:
        raise self.retry(exc=exc) from exc
    return True


@shared_task
def plan_reminders() -> int:
    """Plan the meeting reminders and digests that are due, and send them (every hour)."""
    from participants.notifications import dispatch, plan

    from .reminders import due_reminders

    planned = plan(due_reminders())
    dispatch()
    return planned
