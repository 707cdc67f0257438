"""Registrations: a person's place in a cycle in one role, and their answers to its
questionnaires (registration, self-assessment, check-ins)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mentorship.choices import ChoiceLabels
from programs.models import Cycle, Question, Questionnaire
from programs.reach import reach_of


class ParticipantQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A person sees their own registrations; coordinators those of their programmes."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        coordinated = sorted(reach_of(user).coordinated)
        return self.filter(models.Q(user=user) | models.Q(cycle__program__in=coordinated))

    def coordinated_by(self, user):
        return self.filter(cycle__in=Cycle.objects.coordinated_by(user))

    def mentors(self):
        return self.filter(role=Participant.Role.MENTOR)

    def mentees(self):
        return self.filter(role=Participant.Role.MENTEE)

    def accepted(self):
        return self.filter(status=Participant.Status.ACCEPTED)


class Participant(ChoiceLabels, models.Model):
    """One person taking one role in one cycle."""

    class Role(models.TextChoices):
        MENTOR = "mentor", _("Mentor")
        MENTEE = "mentee", _("Mentee")

    class Status(models.TextChoices):
        APPLIED = "applied", _("Applied")
        ACCEPTED = "accepted", _("Accepted")
        WAITLISTED = "waitlisted", _("Waitlisted")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    DECISIONS = (Status.ACCEPTED, Status.WAITLISTED, Status.DECLINED)

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="participations",
        verbose_name=_("person"),
    )
    cycle = models.ForeignKey(
        Cycle, on_delete=models.CASCADE, related_name="participants", verbose_name=_("cycle")
    )
    role = models.CharField(_("role"), max_length=8, choices=Role.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.APPLIED
    )
    capacity = models.PositiveSmallIntegerField(
        _("mentor capacity"),
        null=True,
        blank=True,
        help_text=_("How many mentees this mentor takes; empty means the cycle's default."),
    )
    several_pairings_allowed = models.BooleanField(
        _("several pairings allowed"),
        default=False,
        help_text=_(
            "Normally a person is in one active pair or group per cycle. Tick to allow more; "
            "a mentor allowed more meets each mentee from the matching as a separate pair."
        ),
    )
    consented_at = models.DateTimeField(
        _("agreed to the privacy notice"), null=True, blank=True, editable=False
    )
    is_minor = models.BooleanField(
        _("under 18"), default=False, help_text=_("Needs a guardian's consent to be accepted.")
    )
    guardian_consent_at = models.DateTimeField(
        _("guardian's consent received"), null=True, blank=True, editable=False
    )
    guardian_consent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("guardian's consent recorded by"),
    )
    applied_at = models.DateTimeField(_("applied"), default=timezone.now)
    status_changed_at = models.DateTimeField(_("status changed"), default=timezone.now)

    objects = ParticipantQuerySet.as_manager()

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["cycle", "role", "status_changed_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "cycle", "role"], name="one_registration_per_cycle_and_role"
            ),
        ]
        # In the order of the registrations list, so a page of it is read from the index
        # rather than by sorting the whole cycle (and the counts by role and status too).
        indexes = [
            models.Index(
                fields=["cycle", "role", "status", "status_changed_at", "id"],
                name="participant_review_order",
            )
        ]

    def __str__(self):
        return f"{self.user} ({self.get_role_display()}, {self.cycle})"

    @property
    def is_editable_by_owner(self) -> bool:
        return self.status == self.Status.APPLIED

    @property
    def effective_capacity(self) -> int:
        return self.capacity if self.capacity is not None else self.cycle.default_mentor_capacity

    def clean(self):
        if self.status == self.Status.ACCEPTED and self.needs_guardian_consent:
            raise ValidationError(
                {"status": _("Under 18: record the guardian's consent before accepting.")}
            )

    @property
    def needs_guardian_consent(self) -> bool:
        """A minor is accepted only once a coordinator recorded their guardian's consent."""
        return self.is_minor and self.guardian_consent_at is None

    def record_guardian_consent(self, *, by) -> None:
        self.guardian_consent_at = timezone.now()
        self.guardian_consent_by = by
        self.save(update_fields=["guardian_consent_at", "guardian_consent_by"])

    @property
    def is_accepted(self) -> bool:
        return self.status == self.Status.ACCEPTED

    def set_status(self, status: str) -> bool:
        """Record a decision (or a withdrawal); False when nothing changed. The time of the
        change orders the waitlist."""
        if status == self.status:
            return False
        self.status = status
        self.status_changed_at = timezone.now()
        self.save(update_fields=["status", "status_changed_at"])
        return True


class Response(models.Model):
    """One filled questionnaire."""

    participant = models.ForeignKey(
        Participant,
        on_delete=models.CASCADE,
        related_name="responses",
        verbose_name=_("participant"),
    )
    questionnaire = models.ForeignKey(
        Questionnaire,
        on_delete=models.PROTECT,
        related_name="responses",
        verbose_name=_("questionnaire"),
    )
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "questionnaire"], name="one_response_per_questionnaire"
            ),
        ]

    def __str__(self):
        return f"{self.participant}: {self.questionnaire.title}"


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="answers", verbose_name=_("question")
    )
    # Text, a number, true/false, an ISO date, or a list of chosen options.
    value = models.JSONField(_("answer"), null=True, blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="one_answer_a_question"),
        ]

    def __str__(self):
        return self.display

    @property
    def display(self) -> str:
        return display_value(self.value)


def display_value(value) -> str:
    """An answer as a person reads it."""
    if value is None or value == "" or value == []:
        return ""
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)
