"""Pairs and groups (`Pairing` with its `Membership`s) and what the matching works from: the
criteria, the coordinators' locks and exclusions, and the runs."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from programs.models import Cycle, Question, Questionnaire
from programs.reach import reach_of

from .registrations import Participant


class MatchingCriterion(models.Model):
    """One way a mentor's answer and a mentee's answer make a pair better, or impossible."""

    class Rule(models.TextChoices):
        OVERLAP = "overlap", _("Overlap of chosen options")
        SAME = "same", _("Same answer")
        DIFFERENT = "different", _("Different answer")
        MUST_MATCH = "must_match", _("Must match (hard constraint)")
        MUST_DIFFER = "must_differ", _("Must differ (hard constraint)")

    HARD_RULES = (Rule.MUST_MATCH, Rule.MUST_DIFFER)

    cycle = models.ForeignKey(
        Cycle, on_delete=models.CASCADE, related_name="matching_criteria", verbose_name=_("cycle")
    )
    mentor_question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="+", verbose_name=_("mentor's question")
    )
    mentee_question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="+", verbose_name=_("mentee's question")
    )
    rule = models.CharField(_("rule"), max_length=16, choices=Rule.choices, default=Rule.OVERLAP)
    weight = models.PositiveSmallIntegerField(
        _("weight"),
        default=5,
        validators=[MaxValueValidator(10)],
        help_text=_("0-10: how many points a full match adds. Hard constraints add none."),
    )

    class Meta:
        verbose_name = _("matching criterion")
        verbose_name_plural = _("matching criteria")
        ordering = ["cycle", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(weight__lte=10), name="weight_0_to_10"),
        ]

    def __str__(self):
        return (
            f"{self.mentor_question.text} / {self.mentee_question.text}: {self.get_rule_display()}"
        )

    @property
    def is_hard(self) -> bool:
        return self.rule in self.HARD_RULES

    def clean(self):
        errors = {}
        purposes = {
            "mentor_question": Questionnaire.Purpose.MENTOR_REGISTRATION,
            "mentee_question": Questionnaire.Purpose.MENTEE_REGISTRATION,
        }
        for field, purpose in purposes.items():
            question = getattr(self, field, None)
            if question is None:
                continue
            questionnaire = question.questionnaire
            if questionnaire.cycle_id != self.cycle_id or questionnaire.purpose != purpose:
                errors[field] = _("Choose a question of this cycle's %(questionnaire)s.") % {
                    "questionnaire": Questionnaire.Purpose(purpose).label.lower()
                }
        if errors:
            raise ValidationError(errors)


class PairChoice(models.Model):
    """A coordinator's decision about one mentor and one mentee, which the matching obeys."""

    class Kind(models.TextChoices):
        LOCKED = "locked", _("Locked in")
        RULED_OUT = "ruled_out", _("Ruled out")

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="pair_choices")
    mentor = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    mentee = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("choice"), max_length=12, choices=Kind.choices)
    created_at = models.DateTimeField(_("made"), default=timezone.now)

    class Meta:
        verbose_name = _("pair choice")
        verbose_name_plural = _("pair choices")
        constraints = [
            models.UniqueConstraint(fields=["mentor", "mentee"], name="one_choice_per_pair"),
        ]

    def __str__(self):
        return f"{self.mentor} - {self.mentee}: {self.get_kind_display()}"


class MatchingRun(models.Model):
    """One run of the matching: what it achieved and why the people left over are left over."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="matching_runs")
    run_at = models.DateTimeField(_("run"), default=timezone.now)
    run_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    total_score = models.FloatField(_("total score"), default=0)
    matched = models.PositiveIntegerField(_("mentees matched"), default=0)
    # [{"participant": id, "reason": code, ...details}], rendered in the reader's language.
    unmatched = models.JSONField(_("left unmatched"), default=list)

    class Meta:
        verbose_name = _("matching run")
        verbose_name_plural = _("matching runs")
        ordering = ["cycle", "-run_at", "-pk"]
        get_latest_by = ["run_at", "pk"]

    def __str__(self):
        return f"{self.cycle}: {self.run_at:%Y-%m-%d %H:%M}"


class PairingQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Members see their published pairings; coordinators every pairing of their
        programmes, drafts included."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        reach = reach_of(user)
        return self.filter(
            models.Q(cycle__program__in=sorted(reach.coordinated))
            | models.Q(pk__in=sorted(reach.pairings))
        )

    def of_member(self, user):
        """The published pairings the person is a member of: their own part of
        `visible_to()`."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(pk__in=sorted(reach_of(user).pairings))

    def coordinated_by(self, user):
        return self.filter(cycle__in=Cycle.objects.coordinated_by(user))

    def drafts(self):
        return self.filter(status=Pairing.Status.DRAFT)

    def active(self):
        return self.filter(status=Pairing.Status.ACTIVE)

    def with_members(self):
        return self.prefetch_related(
            models.Prefetch(
                "members",
                queryset=Participant.objects.select_related("user").order_by(
                    "-role", "user__last_name", "user__first_name", "pk"
                ),  # mentors first
            )
        )


class Pairing(models.Model):
    """A pair or a group: one or more mentors and one or more mentees of one cycle."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", _("Active")
        ENDED = "ended", _("Ended")

    cycle = models.ForeignKey(
        Cycle, on_delete=models.CASCADE, related_name="pairings", verbose_name=_("cycle")
    )
    members = models.ManyToManyField(
        Participant, through="Membership", related_name="pairings", verbose_name=_("members")
    )
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.DRAFT
    )
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    # The date of its latest logged meeting, how many it logged and their minutes, kept by the
    # meetings' save() and delete() (`meetings.models.note_last_meetings`), so the cadence and
    # the figures of thousands of pairings are read without looking at their meetings.
    last_meeting_on = models.DateField(_("last meeting"), null=True, blank=True, editable=False)
    meetings_count = models.PositiveIntegerField(_("meetings"), default=0, editable=False)
    meetings_minutes = models.PositiveIntegerField(
        _("time in meetings (minutes)"), default=0, editable=False
    )
    end_reason = models.TextField(_("why it ended"), blank=True)
    # A suggestion of the matching: its score and the reasons, rendered when shown.
    score = models.FloatField(_("score"), null=True, blank=True)
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = PairingQuerySet.as_manager()

    class Meta:
        verbose_name = _("pairing")
        verbose_name_plural = _("pairings")
        ordering = ["cycle", "status", "pk"]
        indexes = [models.Index(fields=["cycle", "status"])]

    def __str__(self):
        return " - ".join(
            ", ".join(str(p.user) for p in people) for people in (self.mentors, self.mentees)
        )

    @property
    def mentors(self) -> list[Participant]:
        return [p for p in self.members.all() if p.role == Participant.Role.MENTOR]

    @property
    def mentees(self) -> list[Participant]:
        return [p for p in self.members.all() if p.role == Participant.Role.MENTEE]

    @property
    def is_group(self) -> bool:
        return len(self.members.all()) > 2

    def others_for(self, user) -> list[Participant]:
        return [p for p in self.members.all() if p.user_id != user.pk]


class Membership(models.Model):
    pairing = models.ForeignKey(
        Pairing, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("pairing")
    )
    participant = models.ForeignKey(
        Participant,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("participant"),
    )
    joined_at = models.DateTimeField(_("joined"), default=timezone.now)

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        constraints = [
            models.UniqueConstraint(fields=["pairing", "participant"], name="member_once"),
        ]

    def __str__(self):
        return str(self.participant)
