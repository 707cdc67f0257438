"""Seminars, workshops, reflection meetings and the programme's other events; who signed up,
who waits for a place and who came."""

import uuid
from collections import defaultdict
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from mentorship.choices import ChoiceLabels
from participants.models import Participant
from programs.documents import validate_document
from programs.models import Cycle, Program, StoredFile
from programs.reach import reach_of


class EventQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Events for everyone (of public programmes, or of the whole institution); the
        others to their audience, and all of a programme's events to its coordinators. An
        event of the whole institution (no programme) reaches the members, mentors or mentees
        of any programme, and its members' and coordinators' events reach every coordinator."""
        if user.is_authenticated and user.is_superuser:
            return self.all()
        condition = Q(audience=Event.Audience.EVERYONE) & (
            Q(program=None) | Q(program__is_public=True)
        )
        if not user.is_authenticated:
            return self.filter(condition)
        reach = reach_of(user)
        if reach.coordinated and user.is_active:
            condition |= Q(program__in=sorted(reach.coordinated)) | Q(
                audience__in=[Event.Audience.MEMBERS, Event.Audience.COORDINATORS],
                program=None,
            )
        # The audiences that reach the same registrations of the person share one condition
        # (a mentee's are everyone's, members' and mentees' events): a third of the lookups
        # to compile, for the same events.
        audiences = defaultdict(list)
        for audience, roles in Event.AUDIENCE_ROLES.items():
            mine = reach.accepted(roles)
            if mine:
                audiences[frozenset(mine)].append(audience)
        for mine, reached in audiences.items():
            condition |= Q(audience__in=reached) & (
                Q(cycle__in=sorted({r.cycle for r in mine}))
                | Q(cycle=None, program__in=sorted({r.program for r in mine}))
                | Q(program=None)
            )
        return self.filter(condition)

    def coordinated_by(self, user):
        """The events a person manages: those of the programmes they coordinate (and the
        institution's own events, for superusers)."""
        if user.is_authenticated and user.is_superuser:
            return self.all()
        return self.filter(program__in=Program.objects.coordinated_by(user))

    def upcoming(self, now=None):
        return self.filter(ends_at__gte=now or timezone.now())

    def past(self, now=None):
        return self.filter(ends_at__lt=now or timezone.now())

    def with_places(self):
        """Annotate `taken` (confirmed sign-ups) and `waiting` (the waitlist): a subquery
        each, so a page of events counts the sign-ups of its own events only, after they
        are chosen, rather than those of every event the list could show."""
        return self.annotate(
            taken=_signups_of(SignUp.Status.CONFIRMED),
            waiting=_signups_of(SignUp.Status.WAITLISTED),
        )


def _signups_of(status):
    """How many of the outer event's sign-ups have `status` (from the sign-ups' event index)."""
    of_event = SignUp.objects.filter(event=OuterRef("pk"), status=status).order_by().values("event")
    return Coalesce(Subquery(of_event.annotate(n=Count("*")).values("n")), 0)


class Event(ChoiceLabels, models.Model):
    class Kind(models.TextChoices):
        STRATEGIC_START = "strategic_start", _("Strategic meeting at the start of the cycle")
        REFLECTION_MIDDLE = "reflection_middle", _("Reflection in the middle of the cycle")
        REFLECTION_END = "reflection_end", _("Reflection at the end of the cycle")
        SEMINAR = "seminar", _("Seminar")
        WORKSHOP = "workshop", _("Practical workshop")
        GUEST_TALK = "guest_talk", _("Meeting with a guest practitioner")
        MENTOR_TRAINING = "mentor_training", _("Mentor training")
        MENTEE_PREPARATION = "mentee_preparation", _("Mentee preparation")
        OPENING = "opening", _("Opening event")
        CLOSING = "closing", _("Closing event")
        SUPERVISION = "supervision", _("Supervision")

    class Audience(models.TextChoices):
        EVERYONE = "everyone", _("Everyone")
        MEMBERS = "members", _("The programme's members")
        MENTORS = "mentors", _("Mentors only")
        MENTEES = "mentees", _("Mentees only")
        COORDINATORS = "coordinators", _("Coordinators")

    # Who, among a programme's accepted participants, each audience reaches (everyone's
    # events reach the members even where the programme is not public).
    AUDIENCE_ROLES = {
        Audience.EVERYONE: [Participant.Role.MENTOR, Participant.Role.MENTEE],
        Audience.MEMBERS: [Participant.Role.MENTOR, Participant.Role.MENTEE],
        Audience.MENTORS: [Participant.Role.MENTOR],
        Audience.MENTEES: [Participant.Role.MENTEE],
    }

    program = models.ForeignKey(
        Program,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("programme"),
        help_text=_("Empty for an event of the whole institution."),
    )
    cycle = models.ForeignKey(
        Cycle,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("cycle"),
        help_text=_("Optional: limits the audience to this cycle's participants."),
    )
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=5000, blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    online_link = models.URLField(_("online link"), blank=True)
    audience = models.CharField(
        _("audience"), max_length=16, choices=Audience.choices, default=Audience.MEMBERS
    )
    capacity = models.PositiveIntegerField(
        _("places"), null=True, blank=True, help_text=_("Empty: as many as sign up.")
    )
    signup_deadline = models.DateTimeField(
        _("sign-up deadline"), null=True, blank=True, help_text=_("Empty: until it starts.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["ends_at", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="event_ends_after_start"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("events:detail", args=[self.pk])

    def when(self) -> str:
        """Its start and end in the current time zone, as pages and emails give them: a day
        with its hours, or the moments of two days. Worked out here rather than in a
        template, where the same filters cost several times as much on a list of events."""
        starts, ends = timezone.localtime(self.starts_at), timezone.localtime(self.ends_at)
        if starts.date() == ends.date():
            hours = f"{time_format(starts)}\N{EN DASH}{time_format(ends)}"
            return f"{date_format(starts)}, {hours}"
        moments = (date_format(moment, "DATETIME_FORMAT") for moment in (starts, ends))
        return " \N{EN DASH} ".join(moments)

    def places_taken(self) -> str:
        """How many signed up, of how many places, and how many wait (from `with_places()`)."""
        if self.capacity is None:
            taken = ngettext("%(count)s signed up", "%(count)s signed up", self.taken)
            return taken % {"count": self.taken}
        taken = ngettext(
            "%(taken)s of %(places)s place taken",
            "%(taken)s of %(places)s places taken",
            self.capacity,
        ) % {"taken": self.taken, "places": self.capacity}
        if not self.waiting:
            return taken
        waiting = ngettext("%(count)s waiting", "%(count)s waiting", self.waiting)
        return f"{taken} · {waiting % {'count': self.waiting}}"

    def clean(self):
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("The event must end after it starts.")
        if self.signup_deadline and self.starts_at and self.signup_deadline > self.starts_at:
            errors["signup_deadline"] = _("Close the sign-up before the event starts.")
        if self.cycle_id and self.cycle.program_id != self.program_id:
            errors["cycle"] = _("Choose a cycle of the event's programme.")
        if self.pk and self.capacity is not None:
            taken = self.signups.filter(status=SignUp.Status.CONFIRMED).count()
            if self.capacity < taken:
                errors["capacity"] = _(
                    "%(taken)s people have a place already: give at least %(taken)s places, "
                    "or cancel sign-ups first."
                ) % {"taken": taken}
        if errors:
            raise ValidationError(errors)

    @property
    def closes_at(self):
        return self.signup_deadline or self.starts_at

    def is_open_for_signup(self, now=None) -> bool:
        return (now or timezone.now()) < self.closes_at

    @property
    def is_past(self) -> bool:
        return self.ends_at < timezone.now()


class SignUpQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(status=SignUp.Status.CONFIRMED)

    def waitlisted(self):
        return self.filter(status=SignUp.Status.WAITLISTED)

    def current(self):
        return self.exclude(status=SignUp.Status.CANCELLED)


class SignUp(models.Model):
    """One person's place at an event, or their turn on its waitlist, and whether they came."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Signed up")
        WAITLISTED = "waitlisted", _("On the waitlist")
        CANCELLED = "cancelled", _("Cancelled")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="signups")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="event_signups",
        verbose_name=_("person"),
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    # When the person (last) asked for a place: the waitlist is served in this order.
    signed_up_at = models.DateTimeField(_("signed up"), default=timezone.now)
    attended = models.BooleanField(_("attended"), null=True, blank=True)

    objects = SignUpQuerySet.as_manager()

    class Meta:
        verbose_name = _("sign-up")
        verbose_name_plural = _("sign-ups")
        ordering = ["event", "signed_up_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="one_signup_per_event"),
        ]
        indexes = [models.Index(fields=["event", "status", "signed_up_at"])]

    def __str__(self):
        return f"{self.user}: {self.event}"


def material_path(material, filename: str) -> str:
    return f"events/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


class Material(StoredFile):
    """Slides, handouts or a recording added after the event: a file or a link."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="materials", verbose_name=_("event")
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(
        _("file"),
        upload_to=material_path,
        validators=[validate_document],
        blank=True,
        help_text=_("PDF, DOCX, XLSX or ODT, up to 10 MB."),
    )
    link = models.URLField(_("link"), blank=True)
    added_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        verbose_name = _("material")
        verbose_name_plural = _("materials")
        ordering = ["event", "pk"]

    def __str__(self):
        return self.title

    def clean(self):
        if bool(self.file) == bool(self.link):
            raise ValidationError(_("Give either a file or a link."))


class Message(models.Model):
    """A coordinator's message to everyone signed up for an event, emailed to each of them."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="messages", verbose_name=_("event")
    )
    subject = models.CharField(_("subject"), max_length=150)
    body = models.TextField(_("message"), max_length=5000)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("sent by"),
    )
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)
    recipients = models.PositiveIntegerField(_("recipients"), default=0)

    class Meta:
        verbose_name = _("message to participants")
        verbose_name_plural = _("messages to participants")
        ordering = ["event", "-sent_at"]

    def __str__(self):
        return self.subject
