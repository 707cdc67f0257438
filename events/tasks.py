"""Background work of events. Tasks are thin: they load rows by id and send."""

from smtplib import SMTPException

from celery import shared_task
from django.contrib.auth import get_user_model

from mentorship import mail

EVENT_EMAILS = {"promoted"}


@shared_task(bind=True, max_retries=6, default_retry_delay=60, retry_backoff=True)
def send_event_email(self, signup_id: int, kind: str) -> bool:
    """Tell a person something about their place: that the waitlist gave them one."""
    from .models import SignUp

    if kind not in EVENT_EMAILS:
        raise ValueError(kind)
    signup = (
        SignUp.objects.select_related("user", "event__program")
        .filter(pk=signup_id, user__is_active=True, status=SignUp.Status.CONFIRMED)
        .first()
    )
    if signup is None:
        return False
    try:
        mail.send("event", to=signup.user, context={"event": signup.event, "kind": kind})
    except (SMTPException, OSError) as exc:
        raise self.retry(exc=exc) from exc
    return True


@shared_task(bind=True, max_retries=6, default_retry_delay=60, retry_backoff=True)
def send_event_message(self, message_id: int, user_id: int) -> bool:
    """Email a coordinator's message about an event to one person signed up for it."""
    from .models import Message

    message = Message.objects.select_related("event__program", "sent_by").filter(pk=message_id)
    message = message.first()
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if message is None or user is None:
        return False
    try:
        mail.send(
            "event_message",
            to=user,
            context={"event": message.event, "message": message},
        )
    except (SMTPException, OSError) as exc:
        raise self.retry(exc=exc) from exc
    return True


@shared_task
def plan_reminders() -> int:
    """Plan the reminders of tomorrow's events, and send them (every hour)."""
    from participants.notifications import dispatch, plan

    from .reminders import due_reminders

    planned = plan(due_reminders())
    dispatch()
    return planned
