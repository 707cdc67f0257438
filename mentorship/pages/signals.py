"""Each save of a row that a kept page shows marks what it changes (`mentorship.freshness`):
its cycle (the cycle's figures and registrations), a pairing (its page), a person (their
home), the events (every events list), or a programme (each of its cycles). The writes that go
around these signals mark it themselves: pairings formed and ended and decisions on
registrations through their audit entry, answers where they are written, a meeting's
confirmation and deletion, erasures for everything. (No `post_delete` receiver: one would make
Django load every row a deletion cascades to; a goal or step deleted is recorded in the
pairing's history, whose entry marks it.)"""

from django.db.models.signals import post_save

from events.models import Event, SignUp
from meetings.models import Change, Goal, HelpRequest, Meeting, PlanItem
from mentorship import freshness as f
from participants.models import Membership, Pairing, Participant, Response, User
from programs.models import Cycle, Program, Questionnaire, StageEntry


def _of_event(event) -> tuple[str, ...]:
    """An event is counted in its cycle's figures, or in those of its programme's cycles."""
    if event.cycle_id:
        return (f.cycle(event.cycle_id),)
    return (f.program(event.program_id),) if event.program_id else ()


def _of_pairing(row) -> tuple[str, ...]:
    return f.cycle(row.pairing.cycle_id), f.pairing(row.pairing_id)


def _of_participant(row) -> tuple[str, ...]:
    # A member's role or withdrawal shows on their pairings' pages.
    pairings = Membership.objects.filter(participant=row).values_list("pairing", flat=True)
    return f.cycle(row.cycle_id), f.person(row.user_id), *map(f.pairing, pairings)


def _of_own(row) -> tuple[str, ...]:
    """A person's own row of a cycle: a question for the coordinators, an answered form."""
    return f.cycle(row.participant.cycle_id), f.person(row.participant.user_id)


# For each model, the marks a save of a row of it changes.
MARKS = {
    Participant: _of_participant,
    Pairing: lambda row: (f.cycle(row.cycle_id), f.pairing(row.pk)),
    Membership: _of_pairing,
    Meeting: _of_pairing,
    Goal: _of_pairing,
    PlanItem: _of_pairing,
    Change: _of_pairing,
    HelpRequest: _of_own,
    Response: _of_own,
    # A cycle's name, dates and stage, and its questionnaires, show on the pages of all its
    # pairings and people: rare writes, so they mark the whole programme.
    StageEntry: lambda row: (f.program(row.cycle.program_id),),
    Cycle: lambda row: (f.program(row.program_id),),
    Questionnaire: lambda row: (f.program(row.cycle.program_id),),
    Program: lambda row: (f.program(row.pk), f.EVENTS, f.EVENT_DETAILS),  # public or not
    Event: lambda row: (*_of_event(row), f.EVENTS, f.EVENT_DETAILS),
    SignUp: lambda row: (*_of_event(row.event), f.EVENTS, f.person(row.user_id)),
}


def _changed(sender, instance, **kwargs):
    f.changed(*MARKS[sender](instance))


NAMED_BY = {"first_name", "last_name", "email"}


def _user_changed(sender, instance, created=False, update_fields=None, **kwargs):
    # Who switched reminders off is counted in every cycle's figures; a person's name and
    # email show in their cycles' pages and on their pairings'. Other saves of the account
    # (a login's, say) change nothing shown.
    fields = set(update_fields) if update_fields else None
    if fields and "muted_notifications" in fields:
        f.changed(f.EVERYTHING)
    if created or (fields is not None and not fields & NAMED_BY):
        return
    cycles = Participant.objects.filter(user=instance).values_list("cycle", flat=True)
    pairings = Membership.objects.filter(participant__user=instance).values_list(
        "pairing", flat=True
    )
    f.changed(f.person(instance.pk), *map(f.cycle, set(cycles)), *map(f.pairing, pairings))


def connect() -> None:
    for model in MARKS:
        post_save.connect(_changed, sender=model, dispatch_uid=f"kept-{model.__name__}")
    post_save.connect(_user_changed, sender=User, dispatch_uid="kept-user")
