"""Reactions to account events from allauth."""

from allauth.account.models import EmailAddress
from allauth.account.signals import email_confirmed
from django.db import transaction
from django.dispatch import receiver

from .tasks import send_welcome


@receiver(email_confirmed)
def welcome_after_first_confirmation(sender, request, email_address, **kwargs):
    """A person's first confirmed address completes sign-up: welcome them, once."""
    user_id = email_address.user_id
    other_verified = (
        EmailAddress.objects.filter(user_id=user_id, verified=True)
        .exclude(pk=email_address.pk)
        .exists()
    )
    if not other_verified:
        transaction.on_commit(lambda: send_welcome.delay(user_id))
