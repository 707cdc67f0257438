"""Taking and giving back a place at an event. Each write locks the event's row first, so two
people asking for the last place at the same moment are served one after the other: one gets
it, the other the waitlist. A freed place goes to the first person waiting, who is emailed."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .emails import place_email
from .models import Event, SignUp


class SignUpError(Exception):
    """Why a sign-up or a cancellation was refused, said to the person."""


def _locked(event: Event) -> Event:
    return Event.objects.select_for_update().get(pk=event.pk)


def _free_places(event: Event) -> int | None:
    """How many places are left; None when the event has no limit."""
    if event.capacity is None:
        return None
    return max(event.capacity - event.signups.confirmed().count(), 0)


def sign_up(event: Event, user) -> SignUp:
    """Give `user` a place, or a turn on the waitlist when the event is full."""
    with transaction.atomic():
        event = _locked(event)
        if not event.is_open_for_signup():
            raise SignUpError(_("The sign-up for this event has closed."))
        signup = SignUp.objects.filter(event=event, user=user).first()
        if signup and signup.status != SignUp.Status.CANCELLED:
            raise SignUpError(_("You have already signed up for this event."))
        free = _free_places(event)
        status = SignUp.Status.CONFIRMED if free is None or free > 0 else SignUp.Status.WAITLISTED
        signup = signup or SignUp(event=event, user=user)
        signup.status = status
        signup.signed_up_at = timezone.now()
        signup.attended = None
        signup.save()
        return signup


def cancel(signup: SignUp) -> SignUp | None:
    """Give the place (or the turn on the waitlist) back; return whoever got the place."""
    with transaction.atomic():
        event = _locked(signup.event)
        if event.starts_at <= timezone.now():
            raise SignUpError(_("The event has started: a sign-up can no longer be cancelled."))
        signup.refresh_from_db()
        if signup.status == SignUp.Status.CANCELLED:
            return None
        signup.status = SignUp.Status.CANCELLED
        signup.save(update_fields=["status"])
        promoted = fill_free_places(event)
    return promoted[0] if promoted else None


def fill_free_places(event: Event) -> list[SignUp]:
    """Give the free places to the people waiting longest, and email them. Call it with the
    event's row locked (inside `sign_up`, `cancel`, or after raising the capacity)."""
    free = _free_places(event)
    waiting = event.signups.waitlisted().order_by("signed_up_at", "pk")
    promoted = list(waiting if free is None else waiting[:free])
    for signup in promoted:
        signup.status = SignUp.Status.CONFIRMED
        signup.save(update_fields=["status"])
        place_email(signup)
    return promoted


def raise_capacity(event: Event) -> list[SignUp]:
    """After a coordinator changed the event: fill any places it now has free."""
    with transaction.atomic():
        return fill_free_places(_locked(event))
