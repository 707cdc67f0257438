"""The emails of help requests, sent through the notification ledger: a new question to the
programme's coordinators, an answer to the person who asked. `register_emails()` registers
their kind with the ledger, from the app's ready()."""

from django.utils.translation import gettext_lazy as _

from participants.notifications.ledger import Email, Kind, Planned, moment, notify, register_kind

from .models import HelpRequest

KIND = "help"


def help_email(help_request: HelpRequest, recipient_ids, event: str) -> None:
    """`event`: asked (to the coordinators) or answered (to the asker)."""
    period, program = moment(), help_request.participant.cycle.program_id
    notify(
        Planned(user_id, KIND, HelpRequest, help_request.pk, period, program, {"event": event})
        for user_id in recipient_ids
    )


def _emails(rows) -> dict:
    requests = HelpRequest.objects.select_related(
        "participant__user", "participant__cycle__program"
    ).in_bulk([row.object_id for row in rows])
    emails = {}
    for row in rows:
        help_request = requests.get(row.object_id)
        emails[row.pk] = help_request and Email(
            KIND,
            {
                "help_request": help_request,
                "program": help_request.participant.cycle.program,
                "event": row.details["event"],
            },
        )
    return emails


def register_emails() -> None:
    register_kind(Kind(KIND, _("Help requests and their answers"), _emails, can_opt_out=False))
