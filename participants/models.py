"""The person: a custom user who logs in with an email address and reads in their own language."""

import datetime
import secrets
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mentorship import mail
from mentorship.choices import ChoiceLabels
from programs.models import Cycle, Program, Question, Questionnaire
from programs.reach import reach_of


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=email, **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **fields):
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **fields)

    def create_superuser(self, email, password=None, **fields):
        fields["is_staff"] = True
        fields["is_superuser"] = True
        return self._create_user(email, password, **fields)

    def get_by_natural_key(self, email):
        return self.get(email__iexact=email)


def full_name(first_name: str, last_name: str, erased_at) -> str:
    """A person's name as pages and emails give it, for lists that read it from plain rows."""
    if erased_at:
        return str(_("Erased person"))
    return f"{first_name} {last_name}".strip()


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(
        _("email address"),
        unique=True,
        error_messages={"unique": _("A person with this email address already exists.")},
    )
    first_name = models.CharField(_("first name"), max_length=150, blank=True)
    last_name = models.CharField(_("last name"), max_length=150, blank=True)
    language = models.CharField(
        _("preferred language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("Pages and emails are shown in this language."),
    )
    is_staff = models.BooleanField(
        _("staff status"),
        default=False,
        help_text=_("Whether the person can log into the administration site."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    welcomed_at = models.DateTimeField(
        _("welcome email sent"), null=True, blank=True, editable=False
    )
    # When the person's data was erased: the account stays, nameless, for the reports.
    erased_at = models.DateTimeField(_("erased"), null=True, blank=True, editable=False)
    # The kinds of reminder the person switched off (participants/notifications.py).
    muted_notifications = models.JSONField(
        _("reminders switched off"), default=list, blank=True, editable=False
    )
    # The secret in the address of the person's calendar feed; made when first asked for.
    calendar_token = models.CharField(
        _("calendar feed key"), max_length=64, unique=True, null=True, blank=True, editable=False
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["last_name", "first_name", "email"]
        indexes = [
            # The few who switched a reminder off, found without reading everyone.
            models.Index(
                fields=["id"], condition=~models.Q(muted_notifications=[]), name="user_muted"
            )
        ]

    def __str__(self):
        return self.get_full_name() or self.email

    def save(self, *args, **kwargs):
        # Addresses are kept in lower case, so uniqueness ignores case on every database.
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)

    def get_full_name(self):
        return full_name(self.first_name, self.last_name, self.erased_at)

    def get_short_name(self):
        return self.first_name or self.get_full_name() or self.email

    @property
    def is_coordinator(self) -> bool:
        """Coordinators run programmes from the administration site, so they are staff."""
        return self.is_active and (self.is_staff or self.is_superuser)

    def calendar_feed_token(self, *, renew: bool = False) -> str:
        """The key of the private calendar feed; renewing it makes the old address stop."""
        if renew or not self.calendar_token:
            self.calendar_token = secrets.token_urlsafe(32)
            self.save(update_fields=["calendar_token"])
        return self.calendar_token

    def send_welcome(self) -> bool:
        """Send the welcome email once: claim it first, so two workers never both send it;
        give the claim back if sending fails, so a retry can send it."""
        claimed = User.objects.filter(pk=self.pk, welcomed_at=None).update(
            welcomed_at=timezone.now()
        )
        if not claimed:
            return False
        try:
            mail.send("welcome", to=self)
        except Exception:
            User.objects.filter(pk=self.pk).update(welcomed_at=None)
            raise
        return True


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


class NotificationQuerySet(models.QuerySet):
    def coordinated_by(self, user):
        return self.filter(program__in=Program.objects.coordinated_by(user))

    def ready(self, now=None):
        """Rows a sender may take now: waiting and due, or left behind by a sender that died
        (claimed longer ago than a task may run)."""
        now = now or timezone.now()
        stale = now - datetime.timedelta(seconds=settings.NOTIFICATION_CLAIM_SECONDS)
        return self.filter(
            models.Q(state=Notification.State.PENDING, next_attempt_at__lte=now)
            | models.Q(state=Notification.State.SENDING, claimed_at__lt=stale)
        )

    def to_queue(self, now=None):
        """Ready rows not already handed to a worker lately (a task lost with its queue is
        handed out again after the same time as a dead worker's claim)."""
        now = now or timezone.now()
        stale = now - datetime.timedelta(seconds=settings.NOTIFICATION_CLAIM_SECONDS)
        return self.ready(now).filter(models.Q(queued_at=None) | models.Q(queued_at__lt=stale))


class Notification(models.Model):
    """The ledger of the emails the background work sends: one row per recipient, kind,
    subject and period, written before anything is sent. The unique row is the claim that
    makes a second planner, a retried task or a restarted worker send nothing twice."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("Not needed any more")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind"), max_length=32)
    # What it is about ("pairing:12", "event:7") and for when ("2026-W48", "2026-11").
    about = models.CharField(_("about"), max_length=64)
    period = models.CharField(_("period"), max_length=32)
    program = models.ForeignKey(
        Program,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("programme"),
    )
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    created_at = models.DateTimeField(_("planned"), default=timezone.now)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    queued_at = models.DateTimeField(_("queued"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    error = models.TextField(_("last error"), blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("email sent")
        verbose_name_plural = _("emails sent")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "about", "period"], name="one_email_per_period"
            ),
        ]
        indexes = [
            models.Index(fields=["state", "next_attempt_at"]),
            models.Index(fields=["program", "state"]),
        ]

    def __str__(self):
        return f"{self.kind} {self.about} {self.period}: {self.recipient}"

    @property
    def message_id(self) -> str:
        """The same for every attempt, so a message sent twice is shown once."""
        host = urlsplit(settings.SITE_URL).hostname or "localhost"
        return f"<notification-{self.pk}@{host}>"


class AuditEntry(models.Model):
    """What a coordinator did to people: a decision, a pairing, an erasure, an export. Kept
    for the site's administrators; the people acted on are referred to, not copied."""

    class Action(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted")
        WAITLISTED = "waitlisted", _("Put on the waiting list")
        DECLINED = "declined", _("Declined")
        PAIRED = "paired", _("Paired")
        PAIRING_ENDED = "pairing_ended", _("Pairing ended")
        GUARDIAN_CONSENT = "guardian_consent", _("Guardian's consent recorded")
        ERASED = "erased", _("Personal data erased")
        EXPORTED = "exported", _("Data exported")

    at = models.DateTimeField(_("when"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("person"),
    )
    cycle = models.ForeignKey(
        Cycle,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cycle"),
    )
    details = models.CharField(_("details"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["-at"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor}: {self.get_action_display()}"

    @classmethod
    def record(cls, actor, action, *, people=(), cycle=None, details="") -> None:
        """One entry a person acted on (or one entry, for an action on no one in particular)."""
        actor = actor if actor is not None and actor.is_authenticated else None
        people = list(people) or [None]
        cls.objects.bulk_create(
            cls(actor=actor, action=action, person=person, cycle=cycle, details=details[:200])
            for person in people
        )
