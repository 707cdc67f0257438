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


PAIRING_EMAILS = {"published", "joined", "ended"}


@shared_task(bind=True, max_retries=6, default_retry_delay=60, retry_backoff=True)
def send_pairing_email(self, pairing_id: int, participant_id: int, event: str) -> bool:
    """Tell one member about their pair or group: who they work with and how to reach them,
    or that it has ended and why."""
    from .models import Pairing

    if event not in PAIRING_EMAILS:
        raise ValueError(event)
    pairing = (
        Pairing.objects.select_related("cycle__program")
        .with_members()
        .filter(pk=pairing_id)
        .first()
    )
    member = (
        next((m for m in pairing.members.all() if m.pk == participant_id), None)
        if pairing
        else None
    )
    if member is None or not member.user.is_active:
        return False
    try:
        mail.send(
            "pairing",
            to=member.user,
            context={
                "pairing": pairing,
                "member": member,
                "others": pairing.others_for(member.user),
                "cycle": pairing.cycle,
                "event": event,
            },
        )
    except (SMTPException, OSError) as exc:
        raise self.retry(exc=exc) from exc
    return True


@shared_task
def send_notifications(notification_ids: list[int]) -> dict:
    """Send one batch of the ledger's emails (each claimed first, so never twice)."""
    from .notifications import deliver

    return deliver(notification_ids)


@shared_task
def dispatch_notifications() -> int:
    """Hand the ledger's ready emails to the workers in batches (every minute)."""
    from .notifications import dispatch

    return dispatch()


@shared_task
def plan_self_assessment() -> int:
    """Plan the self-assessment prompts and follow-ups that are due, and send them."""
    from .notifications import dispatch, plan
    from .self_assessment import due_prompts

    planned = plan(due_prompts())
    dispatch()
    return planned
