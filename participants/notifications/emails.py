"""The emails about a person's account, registration and pairing, sent through the notification
ledger: each is planned in the transaction of the action that causes it and sent once after it
(the welcome once per person: its row's period never changes). `register_emails()` registers
their kinds with the ledger, from the app's ready()."""

from django.utils.translation import gettext_lazy as _

from participants.models import Pairing, Participant, User
from participants.notifications.ledger import Email, Kind, Planned, moment, notify, register_kind

WELCOME = "welcome"
REGISTRATION = "registration"
PAIRING = "pairing"


def welcome_email(user_id: int) -> None:
    notify([Planned(user_id, WELCOME, User, user_id, "once")])


def registration_email(participant: Participant, event: str) -> None:
    """`event`: received, or the decision: accepted, waitlisted, declined."""
    program, details = participant.cycle.program_id, {"event": event}
    planned = Planned(
        participant.user_id, REGISTRATION, Participant, participant.pk, moment(), program, details
    )
    notify([planned])


def pairing_email(pairing: Pairing, participants, event: str) -> None:
    """`event`: published, joined (added to a group) or ended."""
    period, program = moment(), pairing.cycle.program_id
    notify(
        Planned(
            p.user_id,
            PAIRING,
            Pairing,
            pairing.pk,
            period,
            program,
            details={"event": event, "member": p.pk},
        )
        for p in participants
    )


def _welcomes(rows) -> dict:
    return {row.pk: Email(WELCOME, {}) for row in rows}


def _registrations(rows) -> dict:
    participants = Participant.objects.select_related("cycle__program").in_bulk(
        [row.object_id for row in rows]
    )
    emails = {}
    for row in rows:
        participant = participants.get(row.object_id)
        event = row.details["event"]
        # A decision changed again before its email went out is not sent.
        current = participant and (event == "received" or participant.status == event)
        context = {"participant": participant, "event": event}
        emails[row.pk] = (
            Email(REGISTRATION, {**context, "cycle": participant.cycle}) if current else None
        )
    return emails


def _pairings(rows) -> dict:
    pairings = Pairing.objects.select_related("cycle__program").with_members()
    pairings = pairings.in_bulk([row.object_id for row in rows])
    emails = {}
    for row in rows:
        pairing = pairings.get(row.object_id)
        members = pairing.members.all() if pairing else []
        member = next((m for m in members if m.pk == row.details["member"]), None)
        event = row.details["event"]
        # News of a pairing that has ended since is not sent; that it ended is.
        current = pairing and (event == "ended") == (pairing.status == Pairing.Status.ENDED)
        if member is None or not current:
            emails[row.pk] = None
            continue
        emails[row.pk] = Email(
            PAIRING,
            {
                "pairing": pairing,
                "member": member,
                "others": pairing.others_for(member.user),
                "cycle": pairing.cycle,
                "event": event,
            },
        )
    return emails


def register_emails() -> None:
    register_kind(
        Kind(WELCOME, _("Welcome to the mentorship programmes"), _welcomes, can_opt_out=False)
    )
    register_kind(
        Kind(REGISTRATION, _("About your registration"), _registrations, can_opt_out=False)
    )
    register_kind(Kind(PAIRING, _("About your pair or group"), _pairings, can_opt_out=False))
