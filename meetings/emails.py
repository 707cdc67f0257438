"""The emails of help requests, sent through the notification ledger: a new question to the
programme's coordinators, an answer to the person who asked."""

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

from .models import HelpRequest

KIND = "help"


def help_email(help_request: HelpRequest, recipient_ids, event: str) -> None:
    """`event`: asked (to the coordinators) or answered (to the asker)."""
    about, period = f"help:{help_request.pk}", f"{event}:{moment()}"
    program = help_request.participant.cycle.program_id
    notify(Planned(user_id, KIND, about, period, program) for user_id in recipient_ids)


def _emails(rows) -> dict:
    requests = HelpRequest.objects.select_related(
        "participant__user", "participant__cycle__program"
    ).in_bulk(object_ids(rows))
    emails = {}
    for row, request_id in zip(rows, object_ids(rows), strict=True):
        help_request = requests.get(request_id)
        emails[row.pk] = help_request and Email(
            KIND,
            {
                "help_request": help_request,
                "program": help_request.participant.cycle.program,
                "event": row.period.split(":")[0],
            },
        )
    return emails


register(Kind(KIND, _("Help requests and their answers"), _emails, can_opt_out=False))
