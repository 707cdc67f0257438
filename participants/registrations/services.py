"""Registration rules: who may register, and the writes that registering and deciding make.
Each function writes everything or nothing, and queues its emails after the commit."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from participants.models import Answer, AuditEntry, Participant, Response
from participants.notifications.emails import registration_email
from programs.models import Question, Questionnaire


def refusal(*, user, cycle, role) -> str | None:
    """Why `user` may not register as `role` in `cycle` now, or None if they may."""
    existing = Participant.objects.filter(user=user, cycle=cycle, role=role).first()
    if existing and existing.status == Participant.Status.WITHDRAWN:
        contact = cycle.program.contact_email or _("the programme's coordinators")
        return _("You withdrew from this cycle. To take part again, write to %(contact)s.") % {
            "contact": contact
        }
    if existing:
        return _("You have already registered as %(role)s in this cycle.") % {
            "role": existing.get_role_display().lower()
        }
    if not cycle.is_registration_open():
        return _("Registration for %(cycle)s is closed.") % {"cycle": cycle}
    if not cycle.questionnaire_for(Questionnaire.registration_purpose(role)):
        return _("This cycle does not take registrations in this role yet.")
    return None


def _capacity_from(answers: dict) -> int | None:
    for question, value in answers.items():
        if question.matching_tag == Question.MatchingTag.CAPACITY and isinstance(value, int):
            return value
    return None


def save_answers(response: Response, answers: dict) -> None:
    response.answers.all().delete()
    Answer.objects.bulk_create(
        Answer(response=response, question=question, value=value)
        for question, value in answers.items()
        if value not in (None, "", [])
    )


@transaction.atomic
def register(
    *, user, cycle, role, questionnaire, answers: dict, consented=False, is_minor=False
) -> Participant:
    participant = Participant.objects.create(
        user=user,
        cycle=cycle,
        role=role,
        capacity=_capacity_from(answers) if role == Participant.Role.MENTOR else None,
        consented_at=timezone.now() if consented else None,
        is_minor=is_minor,
    )
    response = Response.objects.create(participant=participant, questionnaire=questionnaire)
    save_answers(response, answers)
    registration_email(participant, "received")
    return participant


@transaction.atomic
def update_answers(*, participant: Participant, response: Response, answers: dict) -> None:
    save_answers(response, answers)
    response.save(update_fields=["updated_at"])
    if participant.role == Participant.Role.MENTOR:
        participant.capacity = _capacity_from(answers)
        participant.save(update_fields=["capacity"])


def waiting_for_guardian(participants) -> list[Participant]:
    """Those of `participants` who are minors without a recorded guardian's consent."""
    return [p for p in participants if p.needs_guardian_consent]


def guardian_refusal(participants) -> str | None:
    """Why these people cannot be accepted yet, said to the coordinator, or None."""
    waiting = waiting_for_guardian(participants)
    if not waiting:
        return None
    return _(
        "Nobody was accepted. Under 18 and without a guardian's consent yet: %(people)s. "
        "Record the consent first (“Guardian's consent received”), then accept."
    ) % {"people": ", ".join(str(p.user) for p in waiting)}


@transaction.atomic
def record_guardian_consent(participant: Participant, *, by) -> None:
    participant.record_guardian_consent(by=by)
    AuditEntry.record(
        by, AuditEntry.Action.GUARDIAN_CONSENT, people=[participant.user], cycle=participant.cycle
    )


@transaction.atomic
def withdraw(participant: Participant) -> None:
    participant.set_status(Participant.Status.WITHDRAWN)


@transaction.atomic
def decide(*, participants, status: str, by=None) -> int:
    """Accept, waitlist or decline; each person whose status changes is emailed, and the
    decision is written in the audit trail."""
    if status not in Participant.DECISIONS:
        raise ValueError(status)
    if status == Participant.Status.ACCEPTED and waiting_for_guardian(participants):
        raise ValueError("a minor without a guardian's consent cannot be accepted")
    changed = [p for p in participants if p.set_status(status)]
    for participant in changed:
        registration_email(participant, status)
    if changed:
        AuditEntry.record(by, status, people=[p.user for p in changed], cycle=changed[0].cycle)
    return len(changed)
