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
