"""Each save of a row a cycle's figures count marks the cycle's figures as changed
(`mentorship.freshness`). The writes that go around these signals mark it themselves: the
pairings formed and ended and the decisions on registrations through their audit entry,
answers where they are written, a meeting's deletion, erasures for every cycle. (No
`post_delete` receiver: one would make Django load every row a deletion cascades to.)"""

from django.db.models.signals import post_save

from events.models import Event, SignUp
from meetings.models import HelpRequest, Meeting
from mentorship import freshness
from participants.models import Membership, Pairing, Participant, Response, User
from programs.models import Cycle, Program, StageEntry


def _of_event(event) -> dict:
    if event.cycle_id:
        return {"cycle": event.cycle_id}
    return {"program": event.program_id} if event.program_id else {}


# For each model, which figures a row of it is counted in: {"cycle": id}, {"program": id},
# or {} for every cycle's.
COUNTED_IN = {
    Participant: lambda row: {"cycle": row.cycle_id},
    Pairing: lambda row: {"cycle": row.cycle_id},
    Membership: lambda row: {"cycle": row.pairing.cycle_id},
    Meeting: lambda row: {"cycle": row.pairing.cycle_id},
    HelpRequest: lambda row: {"cycle": row.participant.cycle_id},
    Response: lambda row: {"cycle": row.participant.cycle_id},
    StageEntry: lambda row: {"cycle": row.cycle_id},
    Cycle: lambda row: {"cycle": row.pk},
    Program: lambda row: {"program": row.pk},
    Event: _of_event,
    SignUp: lambda row: _of_event(row.event),
}


def _changed(sender, instance, **kwargs):
    freshness.changed(**COUNTED_IN[sender](instance))


def _user_changed(sender, instance, update_fields=None, **kwargs):
    # Who switched reminders off is counted, each time from a save of that field alone. The
    # names the figures show are not watched (signing up and logging in save the account
    # too): a new name shows once the kept figures expire.
    if update_fields and "muted_notifications" in update_fields:
        freshness.changed()


def connect() -> None:
    for model in COUNTED_IN:
        post_save.connect(_changed, sender=model, dispatch_uid=f"figures-{model.__name__}")
    post_save.connect(_user_changed, sender=User, dispatch_uid="figures-user")
