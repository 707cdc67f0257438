"""Background work about people. Tasks are thin: they load rows by id and call the model."""

from smtplib import SMTPException

from celery import shared_task
from django.contrib.auth import get_user_model

from mentorship import mail


@shared_task(bind=True, max_retries=6, default_retry_delay=60, retry_backoff=True)
def send_welcome(self, user_id: int) -> bool:
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return False
    try:
        return user.send_welcome()
    except (SMTPException, OSError) as exc:
        raise self.retry(exc=exc) from exc


REGISTRATION_EMAILS = {"received", "accepted", "waitlisted", "declined"}


@shared_task(bind=True, max_retries=6, default_retry_delay=60, retry_backoff=True)
def send_registration_email(self, participant_id: int, event: str) -> bool:
    """Tell a person their registration was received, or what was decided about it."""
    from .models import Participant

    if event not in REGISTRATION_EMAILS:
        raise ValueError(event)
    participant = (
        Participant.objects.select_related("user", "cycle__program")
        .filter(pk=participant_id, user__is_active=True)
        .first()
    )
    if participant is None:
        return False
    try:
        mail.send(
            "registration",
            to=participant.user,
            context={"participant": participant, "cycle": participant.cycle, "event": event},
        )
    except (SMTPException, OSError) as exc:
        raise self.retry(exc=exc) from exc
    return True
