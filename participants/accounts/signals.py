"""Reactions to account events from allauth, and to changes of what a person may see;
`connect()` connects them, from the app's ready()."""

from allauth.account.models import EmailAddress
from allauth.account.signals import email_confirmed
from django.db.models.signals import m2m_changed, post_save

from participants.models import Membership, Pairing, Participant
from participants.notifications.emails import welcome_email
from programs import reach
from programs.models import Program


def welcome_after_first_confirmation(sender, request, email_address, **kwargs):
    """A person's first confirmed address completes sign-up: welcome them, once."""
    user_id = email_address.user_id
    other_verified = (
        EmailAddress.objects.filter(user_id=user_id, verified=True)
        .exclude(pk=email_address.pk)
        .exists()
    )
    if not other_verified:
        welcome_email(user_id)


def connect() -> None:
    email_confirmed.connect(welcome_after_first_confirmation, dispatch_uid="welcome")
    # A registration, pairing or membership written in a request changes what its person may
    # see in the rest of it; so does a change to a programme's coordinators.
    for model in (Participant, Pairing, Membership):
        post_save.connect(reach.forget, sender=model, dispatch_uid=f"reach-{model.__name__}")
    coordinators = Program.coordinators.through
    m2m_changed.connect(reach.forget, sender=coordinators, dispatch_uid="reach-coord")
