"""A person's data rights: everything the product holds about them, to read and to download,
and erasing it.

Erasing follows one rule (README, "Personal data"): what only the person wrote or chose goes
(their answers, the notes and next steps of the meetings they logged, their help requests'
texts, their calendar key and reminder choices, their sign-in addresses and second factors,
the emails planned for them); what the pair or group and the reports need stays, without the
person's name: their registrations, memberships and sign-ups point to an anonymous account,
meetings keep their date, length and topics, goals and plans stay with the pairing, and the
history says "someone".
"""

import datetime
import secrets

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from events.models import SignUp
from meetings.models import Change, Goal, HelpRequest, Meeting, PlanItem
from participants.models import Answer, AuditEntry, Notification, Pairing, Participant
from programs.models import Cycle


def _iso(value):
    return value.isoformat() if value else None


def collect(user) -> dict:
    """Everything held about `user`, as plain data (for JSON and for the readable page)."""
    participations = (
        Participant.objects.filter(user=user)
        .select_related("cycle__program")
        .order_by("cycle__starts_on", "role")
    )
    answers = (
        Answer.objects.filter(response__participant__user=user)
        .select_related("question", "response__questionnaire")
        .order_by("response__pk", "question__order", "question__pk")
    )
    pairings = Pairing.objects.filter(members__user=user).exclude(status=Pairing.Status.DRAFT)
    return {
        "account": {
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "language": user.language,
            "joined": _iso(user.date_joined),
            "reminders_switched_off": list(user.muted_notifications),
            "email_addresses": list(
                EmailAddress.objects.filter(user=user).values_list("email", flat=True)
            ),
        },
        "registrations": [
            {
                "programme": p.cycle.program.name,
                "cycle": p.cycle.name,
                "role": p.role,
                "status": p.status,
                "applied": _iso(p.applied_at),
            }
            for p in participations
        ],
        "answers": [
            {
                "questionnaire": a.response.questionnaire.title,
                "question": a.question.text,
                "answer": a.value,
            }
            for a in answers
        ],
        "pairings": [
            {
                "programme": str(p.cycle),
                "status": p.status,
                "starts_on": _iso(p.starts_on),
                "ends_on": _iso(p.ends_on),
                "goals": [
                    {"title": g.title, "status": g.status, "progress": g.progress}
                    for g in Goal.objects.filter(pairing=p)
                ],
                "plan": [
                    {"what": i.what, "done": i.done} for i in PlanItem.objects.filter(pairing=p)
                ],
            }
            for p in pairings.select_related("cycle__program")
        ],
        "meetings_logged": [
            {
                "date": _iso(m.held_on),
                "minutes": m.duration_minutes,
                "format": m.format,
                "topics": m.topics,
                "notes": m.notes,
                "next_steps": m.next_steps,
            }
            for m in Meeting.objects.filter(logged_by=user).order_by("held_on")
        ],
        "help_requests": [
            {
                "asked": _iso(h.created_at),
                "topic": h.topic,
                "message": h.message,
                "answer": h.answer,
                "status": h.status,
            }
            for h in HelpRequest.objects.filter(participant__user=user).order_by("created_at")
        ],
        "events": [
            {
                "event": s.event.title,
                "starts": _iso(s.event.starts_at),
                "status": s.status,
                "attended": s.attended,
            }
            for s in SignUp.objects.filter(user=user).select_related("event")
        ],
        "emails": [
            {
                "kind": n.kind,
                "state": n.state,
                "planned": _iso(n.created_at),
                "sent": _iso(n.sent_at),
            }
            for n in Notification.objects.filter(recipient=user).order_by("created_at")
        ],
    }


@transaction.atomic
def erase(user, *, by=None) -> None:
    """Erase the person by the rule in this module's docstring; the account can no longer log
    in and shows as an anonymous person. A coordinator's erasure (`by`) is audited."""
    if by is not None and by != user:
        AuditEntry.record(by, AuditEntry.Action.ERASED, people=[user])
    Answer.objects.filter(response__participant__user=user).delete()
    Meeting.objects.filter(logged_by=user).update(notes="", next_steps="", logged_by=None)
    Meeting.objects.filter(confirmed_by=user).update(confirmed_by=None)
    Change.objects.filter(author=user).update(author=None)
    HelpRequest.objects.filter(participant__user=user).update(message=_("(erased)"), answer="")
    Notification.objects.filter(recipient=user).delete()
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    # A new (unusable) password ends every session of the account: Django checks it.
    user.erased_at = timezone.now()
    user.email = f"erased-{user.pk}-{secrets.token_hex(4)}@invalid"
    user.first_name, user.last_name = "", ""
    user.is_active = user.is_staff = user.is_superuser = False
    user.calendar_token = None
    user.muted_notifications = []
    user.set_unusable_password()
    user.save()
    user.groups.clear()
    user.coordinated_programs.clear()


@transaction.atomic
def erase_expired(today=None) -> dict:
    """After the retention period, erase the personal data of cycles that ended: their
    questionnaire answers, meeting notes and help requests' texts; and the accounts of people
    who took part in nothing newer and run nothing."""
    today = today or timezone.localdate()
    limit = today - datetime.timedelta(days=settings.PERSONAL_DATA_RETENTION_DAYS)
    expired = Cycle.objects.filter(ends_on__lt=limit)
    answers = Answer.objects.filter(response__participant__cycle__in=expired).delete()[0]
    notes = (
        Meeting.objects.filter(pairing__cycle__in=expired)
        .exclude(notes="", next_steps="")
        .update(notes="", next_steps="")
    )
    HelpRequest.objects.filter(participant__cycle__in=expired).exclude(
        message=_("(erased)")
    ).update(message=_("(erased)"), answer="")
    current = Participant.objects.exclude(cycle__in=expired).values("user")
    people = (
        get_user_model()
        .objects.filter(participations__cycle__in=expired, erased_at=None)
        .exclude(pk__in=current)
        .exclude(is_staff=True)
        .exclude(is_superuser=True)
        .exclude(coordinated_programs__isnull=False)
        .distinct()
    )
    erased = 0
    for person in people:
        erase(person)
        erased += 1
    return {"answers": answers, "meetings": notes, "people": erased}
