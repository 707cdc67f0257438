"""What a pairing works on and how it meets: goals and the activity plan with their history,
the log of meetings, and the requests for help its members send the coordinators."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Coalesce
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from mentorship.choices import ChoiceLabels
from participants.models import Pairing, Participant
from programs.models import Cycle, Program
from programs.reach import reach_of


class PairingWorkQuerySet(models.QuerySet):
    """Rows that belong to one pairing: seen by whoever sees the published pairing."""

    def visible_to(self, user):
        published = Pairing.objects.visible_to(user).exclude(status=Pairing.Status.DRAFT)
        return self.filter(pairing__in=published.values("pk"))


class Goal(ChoiceLabels, models.Model):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        ACHIEVED = "achieved", _("Achieved")
        DROPPED = "dropped", _("Dropped")

    pairing = models.ForeignKey(
        Pairing, on_delete=models.CASCADE, related_name="goals", verbose_name=_("pairing")
    )
    title = models.CharField(_("goal"), max_length=200)
    description = models.TextField(
        _("description"), max_length=2000, blank=True, help_text=_("What success looks like.")
    )
    target_date = models.DateField(_("target date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.NOT_STARTED
    )
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = PairingWorkQuerySet.as_manager()

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["pairing", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="progress_0_to_100")
        ]

    def __str__(self):
        return self.title


class PlanItem(models.Model):
    """One step of the activity plan: what is done, by when."""

    pairing = models.ForeignKey(
        Pairing, on_delete=models.CASCADE, related_name="plan_items", verbose_name=_("pairing")
    )
    goal = models.ForeignKey(
        Goal,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="plan_items",
        verbose_name=_("for the goal"),
    )
    what = models.CharField(_("what"), max_length=300)
    due_on = models.DateField(_("by when"), null=True, blank=True)
    done = models.BooleanField(_("done"), default=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = PairingWorkQuerySet.as_manager()

    class Meta:
        verbose_name = _("plan item")
        verbose_name_plural = _("plan items")
        ordering = ["pairing", "done", models.F("due_on").asc(nulls_last=True), "pk"]

    def __str__(self):
        return self.what


class Change(models.Model):
    """Who created, changed or deleted a goal or a plan item, and what changed: the pairing's
    shared history. Values are kept raw and shown in the reader's language."""

    class Subject(models.TextChoices):
        GOAL = "goal", _("goal")
        PLAN_ITEM = "plan_item", _("plan item")

    class Action(models.TextChoices):
        CREATED = "created", _("added")
        CHANGED = "changed", _("changed")
        DELETED = "deleted", _("deleted")

    MODELS = {Subject.GOAL: Goal, Subject.PLAN_ITEM: PlanItem}

    pairing = models.ForeignKey(Pairing, on_delete=models.CASCADE, related_name="changes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("when"), default=timezone.now)
    subject = models.CharField(_("what"), max_length=12, choices=Subject.choices)
    title = models.CharField(_("title"), max_length=300)
    action = models.CharField(_("action"), max_length=8, choices=Action.choices)
    # [{"field": name, "old": raw value, "new": raw value}]
    fields = models.JSONField(_("changed fields"), default=list, blank=True)

    class Meta:
        verbose_name = _("change")
        verbose_name_plural = _("changes")
        ordering = ["pairing", "-at", "-pk"]
        indexes = [models.Index(fields=["pairing", "-at"])]

    def __str__(self):
        return f"{self.get_action_display()} {self.title}"

    @classmethod
    def record(cls, *, pairing, author, instance, action, changed=()) -> "Change":
        """Write down an added or deleted object, or the fields of `changed` (name, old, new)."""
        subject = next(s for s, model in cls.MODELS.items() if isinstance(instance, model))
        return cls.objects.create(
            pairing=pairing,
            author=author,
            subject=subject,
            title=str(instance),
            action=action,
            fields=[
                {"field": name, "old": _raw(old), "new": _raw(new)} for name, old, new in changed
            ],
        )

    def described_fields(self) -> list[dict]:
        """Each changed field with its label and its values as the reader reads them."""
        model = self.MODELS[self.subject]
        described = []
        for entry in self.fields:
            field = model._meta.get_field(entry["field"])
            described.append(
                {
                    "label": field.verbose_name,
                    "old": _readable(field, entry["old"]),
                    "new": _readable(field, entry["new"]),
                }
            )
        return described


def _raw(value):
    if isinstance(value, models.Model):
        return str(value)  # the title as it was then, so reading the history needs no query
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _readable(field, value) -> str:
    if value in (None, ""):
        return "-"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return str(_("yes") if value else _("no"))
    if isinstance(field, models.DateField):
        return formats.date_format(datetime.date.fromisoformat(value), "SHORT_DATE_FORMAT")
    return str(value)


class Meeting(ChoiceLabels, models.Model):
    """The log of one meeting. Its notes and agreed steps are private to the pairing."""

    class Format(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        ONLINE = "online", _("Online")
        PHONE = "phone", _("Phone")
        OBSERVATION = "observation", _("Lesson observation")

    class Topic(models.TextChoices):
        PLANNING = "planning", _("Planning")
        PROGRESS = "progress", _("Progress review")
        PROBLEM_SOLVING = "problem_solving", _("Problem solving")
        GOOD_PRACTICE = "good_practice", _("Good practice")
        TEACHING_METHODS = "teaching_methods", _("Teaching methods")
        ASSESSMENT = "assessment", _("Assessment")
        OBSERVATION = "observation", _("Lesson observation with feedback")
        OTHER = "other", _("Other")

    EDITABLE_DAYS = 14
    DAYS_AHEAD = 7
    NOTES_MAX = 4000

    pairing = models.ForeignKey(
        Pairing,
        on_delete=models.CASCADE,
        related_name="meetings",
        verbose_name=_("pairing"),
        db_index=False,  # the (pairing, date) index below serves its lookups
    )
    # Its pairing's cycle, written by save(): a cycle's meetings by day are then one range of
    # the (cycle, date) index, where through the pairings they were a range for each pairing.
    cycle = models.ForeignKey(
        Cycle,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("cycle"),
        editable=False,
        db_index=False,  # the (cycle, date) index below serves its lookups
    )
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("logged by"),
    )
    held_on = models.DateField(_("date"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), validators=[MinValueValidator(1), MaxValueValidator(600)]
    )
    format = models.CharField(
        _("format"), max_length=12, choices=Format.choices, default=Format.IN_PERSON
    )
    topics = models.JSONField(_("topics"), default=list, blank=True)
    goals = models.ManyToManyField(
        Goal, blank=True, related_name="meetings", verbose_name=_("goals discussed")
    )
    notes = models.TextField(_("notes"), max_length=NOTES_MAX, blank=True)
    next_steps = models.TextField(_("agreed next steps"), max_length=2000, blank=True)
    next_meeting_at = models.DateTimeField(_("next meeting"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    created_at = models.DateTimeField(_("logged"), default=timezone.now)

    objects = PairingWorkQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["pairing", "-held_on", "-pk"]
        indexes = [
            # The last meeting of a pairing, and a cycle's meetings and hours by week or month,
            # read from the index alone.
            models.Index(
                fields=["pairing", "-held_on"],
                include=["duration_minutes"],
                name="meeting_pairing_held_on",
            ),
            models.Index(
                fields=["cycle", "held_on"],
                include=["duration_minutes"],
                name="meeting_cycle_held_on",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(duration_minutes__gt=0), name="meeting_lasts_a_while"
            )
        ]

    def __str__(self):
        return f"{self.pairing}: {self.held_on}"

    def save(self, *args, **kwargs):
        self.cycle_id = self.pairing.cycle_id
        super().save(*args, **kwargs)
        note_last_meetings({self.pairing_id, getattr(self, "_noted_pairing_id", None)} - {None})
        self._noted_pairing_id = self.pairing_id

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        note_last_meetings([self.pairing_id])
        return result

    @classmethod
    def from_db(cls, db, field_names, values):
        meeting = super().from_db(db, field_names, values)
        # The pairing it was read with: a save that moves it to another one notes both.
        meeting._noted_pairing_id = meeting.__dict__.get("pairing_id")
        return meeting

    def clean(self):
        errors = {}
        cycle = self.pairing.cycle
        today = timezone.localdate()
        if self.held_on:
            if not cycle.starts_on <= self.held_on <= cycle.ends_on:
                errors["held_on"] = _(
                    "Give a date within the cycle, from %(start)s to %(end)s."
                ) % {
                    "start": formats.date_format(cycle.starts_on, "SHORT_DATE_FORMAT"),
                    "end": formats.date_format(cycle.ends_on, "SHORT_DATE_FORMAT"),
                }
            elif self.held_on > today + datetime.timedelta(days=self.DAYS_AHEAD):
                errors["held_on"] = _(
                    "A meeting can be logged at most a week ahead: log it once it has taken "
                    "place, and put the date in “next meeting” of your last log instead."
                )
        if (
            self.held_on
            and self.next_meeting_at
            and timezone.localdate(self.next_meeting_at) <= self.held_on
        ):
            errors["next_meeting_at"] = _("The next meeting must come after this one.")
        if errors:
            raise ValidationError(errors)

    def editable_until(self) -> datetime.datetime:
        return self.created_at + datetime.timedelta(days=self.EDITABLE_DAYS)

    def is_editable_by(self, user) -> bool:
        """The author may correct or delete a log for 14 days."""
        return self.logged_by_id == user.pk and timezone.now() < self.editable_until()

    def is_confirmable_by(self, user, pairing_members) -> bool:
        """Another member of the pairing confirms the meeting took place."""
        return (
            self.confirmed_at is None
            and self.logged_by_id != user.pk
            and any(m.user_id == user.pk for m in pairing_members)
        )

    def confirm(self, user) -> bool:
        """Record the confirmation once, even when two members click at the same moment."""
        now = timezone.now()
        done = Meeting.objects.filter(pk=self.pk, confirmed_at=None).update(
            confirmed_by=user, confirmed_at=now
        )
        if done:
            self.confirmed_by, self.confirmed_at = user, now
        return bool(done)

    def topic_labels(self) -> list[str]:
        labels = dict(self.Topic.choices)
        return [str(labels[t]) for t in self.topics if t in labels]


def note_last_meetings(pairing_ids=None) -> None:
    """Write down on each pairing (of `pairing_ids`, or all) the date of its latest meeting,
    how many meetings it logged and their minutes: after every change to its log, and after
    meetings are written in bulk. Each is read from the meetings' index alone."""
    logged = Meeting.objects.filter(pairing=models.OuterRef("pk")).order_by().values("pairing")

    def of_log(aggregate):
        return models.Subquery(logged.annotate(value=aggregate).values("value"))

    pairings = (
        Pairing.objects.all() if pairing_ids is None else Pairing.objects.filter(pk__in=pairing_ids)
    )
    pairings.update(
        last_meeting_on=of_log(models.Max("held_on")),
        meetings_count=Coalesce(of_log(models.Count("*")), 0),
        meetings_minutes=Coalesce(of_log(models.Sum("duration_minutes")), 0),
    )


class HelpRequestQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The asker sees their own requests; coordinators those of their programmes."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        reach = reach_of(user)
        coordinated = sorted(reach.coordinated) if user.is_active else []
        return self.filter(
            models.Q(participant__in=[r.participant for r in reach.registrations])
            | models.Q(participant__cycle__program__in=coordinated)
        )

    def coordinated_by(self, user):
        return self.filter(participant__cycle__program__in=Program.objects.coordinated_by(user))

    def unresolved(self):
        return self.exclude(status=HelpRequest.Status.CLOSED)


class HelpRequest(models.Model):
    """A mentor or mentee asks the programme's coordinators for help."""

    class Topic(models.TextChoices):
        METHODS = "methods", _("Teaching methods and materials")
        COOPERATION = "cooperation", _("Working together in the pair or group")
        ORGANISATION = "organisation", _("Time, workload and organisation")
        PROGRAMME = "programme", _("The programme's rules and documents")
        OTHER = "other", _("Something else")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ANSWERED = "answered", _("Answered")
        CLOSED = "closed", _("Closed")

    participant = models.ForeignKey(
        Participant,
        on_delete=models.CASCADE,
        related_name="help_requests",
        verbose_name=_("asked by"),
    )
    topic = models.CharField(_("topic"), max_length=16, choices=Topic.choices)
    message = models.TextField(_("your question"), max_length=4000)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.OPEN
    )
    answer = models.TextField(_("answer"), max_length=4000, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    created_at = models.DateTimeField(_("asked"), default=timezone.now)

    objects = HelpRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("help request")
        verbose_name_plural = _("help requests")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "-created_at"])]

    def __str__(self):
        return f"{self.get_topic_display()}: {self.participant.user}"

    def answer_with(self, text: str, *, by) -> None:
        self.answer = text
        self.answered_by = by
        self.answered_at = timezone.now()
        self.status = self.Status.ANSWERED
        self.save(update_fields=["answer", "answered_by", "answered_at", "status"])

    def close(self) -> bool:
        if self.status == self.Status.CLOSED:
            return False
        self.status = self.Status.CLOSED
        self.closed_at = timezone.now()
        self.save(update_fields=["status", "closed_at"])
        return True
