"""Background work that reads several apps: erasing personal data after its retention."""

from celery import shared_task


@shared_task
def erase_expired_data() -> dict:
    """Erase the personal data of cycles past their retention period (daily)."""
    from mentorship.privacy.personal_data import erase_expired

    return erase_expired()
