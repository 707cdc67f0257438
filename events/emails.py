"""The emails of events, sent through the notification ledger: a place that came free from
the waitlist, and a coordinator's message to everyone signed up."""

from django.utils.translation import gettext_lazy as _

from participants.notifications.ledger import (
    Email,
    Kind,
    Planned,
    moment,
    notify,
    object_ids,
    register,
)

from .models import Message, SignUp

PLACE = "event_place"
MESSAGE = "event_message"


def place_email(signup: SignUp) -> None:
    """The waitlist gave `signup` a place."""
    about, program = f"signup:{signup.pk}", signup.event.program_id
    notify([Planned(signup.user_id, PLACE, about, f"promoted:{moment()}", program)])


def message_email(message: Message, user_ids) -> None:
    about, program = f"message:{message.pk}", message.event.program_id
    notify(Planned(user_id, MESSAGE, about, "sent", program) for user_id in user_ids)


def _places(rows) -> dict:
    signups = SignUp.objects.select_related("event__program").in_bulk(object_ids(rows))
    emails = {}
    for row, signup_id in zip(rows, object_ids(rows), strict=True):
        signup = signups.get(signup_id)
        confirmed = signup and signup.status == SignUp.Status.CONFIRMED
        emails[row.pk] = confirmed and Email("event", {"event": signup.event, "kind": "promoted"})
    return emails


def _messages(rows) -> dict:
    messages = Message.objects.select_related("event__program", "sent_by").in_bulk(object_ids(rows))
    emails = {}
    for row, message_id in zip(rows, object_ids(rows), strict=True):
        message = messages.get(message_id)
        emails[row.pk] = message and Email(
            "event_message", {"event": message.event, "message": message}
        )
    return emails


register(Kind(PLACE, _("A place at an event that came free"), _places, can_opt_out=False))
register(Kind(MESSAGE, _("Messages about the events you signed up for"), _messages))
