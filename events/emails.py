"""The emails of events, sent through the notification ledger: a place that came free from
the waitlist, and a coordinator's message to everyone signed up. `register_emails()` registers
their kinds with the ledger, from the app's ready()."""

from django.utils.translation import gettext_lazy as _

from participants.notifications.ledger import Email, Kind, Planned, moment, notify, register_kind

from .models import Message, SignUp

PLACE = "event_place"
PROMOTED = "promoted"
MESSAGE = "event_message"


def place_email(signup: SignUp) -> None:
    """The waitlist gave `signup` a place."""
    program, details = signup.event.program_id, {"event": PROMOTED}
    notify([Planned(signup.user_id, PLACE, SignUp, signup.pk, moment(), program, details)])


def message_email(message: Message, user_ids) -> None:
    program = message.event.program_id
    notify(Planned(user_id, MESSAGE, Message, message.pk, "sent", program) for user_id in user_ids)


def _places(rows) -> dict:
    signups = SignUp.objects.select_related("event__program").in_bulk(
        [row.object_id for row in rows]
    )
    emails = {}
    for row in rows:
        signup = signups.get(row.object_id)
        confirmed = signup and signup.status == SignUp.Status.CONFIRMED
        emails[row.pk] = confirmed and Email("event", {"event": signup.event, "kind": PROMOTED})
    return emails


def _messages(rows) -> dict:
    messages = Message.objects.select_related("event__program", "sent_by").in_bulk(
        [row.object_id for row in rows]
    )
    emails = {}
    for row in rows:
        message = messages.get(row.object_id)
        emails[row.pk] = message and Email(
            "event_message", {"event": message.event, "message": message}
        )
    return emails


def register_emails() -> None:
    register_kind(Kind(PLACE, _("A place at an event that came free"), _places, can_opt_out=False))
    register_kind(Kind(MESSAGE, _("Messages about the events you signed up for"), _messages))
