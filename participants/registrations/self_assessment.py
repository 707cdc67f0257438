"""The end-of-cycle self-assessment: who is asked when, the prompt and its follow-ups, and the
writing of the answers.

A cycle's accepted participants are asked from `Cycle.self_assessment_days` before its end,
or from the day it enters its completion stage if that comes first. Whoever has not answered
gets up to two follow-ups, seven days apart. `register_emails()` registers the prompt's kind and
its planner (`due_prompts()`) with the ledger, from the app's ready().
"""

import datetime
import zoneinfo

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from participants.models import Notification, Participant, Response
from participants.notifications.ledger import (
    Email,
    Kind,
    Planned,
    Planner,
    register_kind,
    register_planner,
)
from participants.registrations.services import save_answers
from programs.models import Cycle, Questionnaire

KIND = "self_assessment"
PERIODS = ["prompt", "follow-up-1", "follow-up-2"]
FOLLOW_UP_DAYS = 7
# A cycle more than this long over is not prompted any more.
LATE_DAYS = 60


def open_cycles(today: datetime.date):
    """The cycles whose participants are asked to self-assess now."""
    cycles = Cycle.objects.filter(ends_on__gte=today - datetime.timedelta(days=LATE_DAYS))
    cycles = cycles.select_related("program").prefetch_related("questionnaires")
    return [cycle for cycle in cycles if is_open(cycle, today)]


def is_open(cycle, today: datetime.date) -> bool:
    return today <= cycle.ends_on + datetime.timedelta(days=LATE_DAYS) and (
        cycle.stage == Cycle.Stage.COMPLETION or cycle.self_assessment_opens() <= today
    )


def waiting(participants, today: datetime.date) -> list:
    """Those of `participants` (the cycle selected) asked to self-assess who have not yet."""
    candidates = [p for p in participants if p.is_accepted and is_open(p.cycle, today)]
    if not candidates:
        return []
    questionnaires = {}
    for questionnaire in Questionnaire.objects.filter(cycle__in={p.cycle_id for p in candidates}):
        questionnaires.setdefault(questionnaire.cycle_id, {})[questionnaire.purpose] = questionnaire
    answered = set(
        Response.objects.filter(participant__in=candidates).values_list(
            "participant_id", "questionnaire_id"
        )
    )
    found = []
    for participant in candidates:
        mine = questionnaires.get(participant.cycle_id, {})
        purposes = Questionnaire.self_assessment_purposes(participant.role)
        questionnaire = next((mine[p] for p in purposes if p in mine), None)
        if questionnaire and (participant.pk, questionnaire.pk) not in answered:
            found.append(participant)
    return found


def _answered(participant, questionnaires) -> bool:
    questionnaire = questionnaires.get(participant.role)
    return questionnaire is None or questionnaire.pk in participant.answered


def due_prompts(now=None) -> list[Planned]:
    """The prompt, or the next follow-up, of everyone who has not answered yet."""
    now = now or timezone.now()
    planned = []
    for cycle in open_cycles(timezone.localdate(now)):
        local = timezone.localtime(now, zoneinfo.ZoneInfo(cycle.program.time_zone))
        if local.hour < settings.REMINDER_HOUR or not is_open(cycle, local.date()):
            continue  # like the other reminders: from the morning in the programme's zone
        questionnaires = {role: cycle.self_assessment_for(role) for role in Participant.Role}
        participants = (
            Participant.objects.accepted()
            .filter(cycle=cycle, user__is_active=True)
            .prefetch_related("responses")
        )
        sent = {}
        for row in Notification.objects.filter(kind=KIND).about(participants):
            sent.setdefault(row.object_id, {})[row.period] = row
        for participant in participants:
            participant.answered = {r.questionnaire_id for r in participant.responses.all()}
            if _answered(participant, questionnaires):
                continue
            period = _next_period(sent.get(participant.pk, {}), now)
            if period:
                user, program = participant.user_id, cycle.program_id
                planned.append(Planned(user, KIND, Participant, participant.pk, period, program))
    return planned


def _next_period(rows: dict, now) -> str | None:
    """The first prompt, then each follow-up a week after the one before was sent."""
    for number, period in enumerate(PERIODS):
        if period in rows:
            continue
        if number == 0:
            return period
        before = rows.get(PERIODS[number - 1])
        waited = (
            before
            and before.sent_at
            and before.sent_at <= now - datetime.timedelta(days=FOLLOW_UP_DAYS)
        )
        return period if waited else None
    return None


def _emails(rows) -> dict:
    participants = {
        p.pk: p
        for p in Participant.objects.filter(pk__in=[row.object_id for row in rows])
        .select_related("cycle__program")
        .prefetch_related("responses", "cycle__questionnaires")
    }
    emails = {}
    for row in rows:
        participant = participants.get(row.object_id)
        if participant is None or not participant.is_accepted:
            emails[row.pk] = None
            continue
        questionnaire = participant.cycle.self_assessment_for(participant.role)
        participant.answered = {r.questionnaire_id for r in participant.responses.all()}
        if questionnaire is None or questionnaire.pk in participant.answered:
            emails[row.pk] = None
            continue
        emails[row.pk] = Email(
            "self_assessment",
            {
                "participant": participant,
                "cycle": participant.cycle,
                "program": participant.cycle.program,
                "questionnaire": questionnaire,
                "follow_up": row.period != PERIODS[0],
                "link": reverse("participants:self_assessment", args=[participant.pk]),
            },
        )
    return emails


def register_emails() -> None:
    register_kind(Kind(KIND, _("Reminders to answer the self-assessment"), _emails))
    register_planner(Planner("self_assessment", due_prompts))


@transaction.atomic
def answer(*, participant, questionnaire, answers: dict) -> Response:
    """Store (or replace) the participant's self-assessment."""
    response, _ = Response.objects.get_or_create(
        participant=participant, questionnaire=questionnaire
    )
    save_answers(response, answers)
    response.save(update_fields=["updated_at"])
    return response
