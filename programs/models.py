"""Programmes, their yearly cycles and stages, questionnaires and programme documents."""

import datetime
import uuid
import zoneinfo
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.http import FileResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .documents import CONTENT_TYPES, validate_document
from .reach import reach_of


def site_time_zone() -> str:
    return settings.TIME_ZONE


def validate_time_zone(name: str) -> None:
    if name not in zoneinfo.available_timezones():
        raise ValidationError(
            _("Give a time zone by its name, such as Europe/Vilnius, Europe/Riga or UTC.")
        )


class ProgramQuerySet(models.QuerySet):
    def coordinated_by(self, user):
        """The programmes `user` runs (all of them for a superuser)."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(coordinators=user)

    def visible_to(self, user):
        """Public programmes, plus those the person coordinates or takes part in."""
        if user.is_authenticated and user.is_superuser:
            return self.all()
        condition = Q(is_public=True)
        if user.is_authenticated:
            condition |= Q(pk__in=sorted(reach_of(user).programs))
        return self.filter(condition)


class Program(models.Model):
    class Form(models.TextChoices):
        NEW_LECTURERS = "new_lecturers", _("New lecturers (lecturer-lecturer)")
        TEACHER_TEACHER = "teacher_teacher", _("Teacher-teacher")
        PUPIL_PUPIL = "pupil_pupil", _("Pupil-pupil")
        STUDENT_PUPIL = "student_pupil", _("University student-pupil")
        EMPLOYER_PUPIL = "employer_pupil", _("Employer-pupil")
        EMPLOYER_STUDENT = "employer_student", _("Employer-student")
        OTHER = "other", _("Other")

    class Cadence(models.TextChoices):
        WEEKLY = "weekly", _("Weekly")
        BIWEEKLY = "biweekly", _("Every two weeks")
        MONTHLY = "monthly", _("Monthly")

    # Days that may pass between two meetings, and the meetings a month the cadence asks for.
    CADENCE_DAYS = {Cadence.WEEKLY: 7, Cadence.BIWEEKLY: 14, Cadence.MONTHLY: 30}
    MEETINGS_A_MONTH = {Cadence.WEEKLY: 4, Cadence.BIWEEKLY: 2, Cadence.MONTHLY: 1}

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name in addresses"), max_length=80, unique=True)
    description = models.TextField(
        _("description"), blank=True, help_text=_("What taking part means, for the public page.")
    )
    form = models.CharField(
        _("form of mentorship"), max_length=32, choices=Form.choices, default=Form.NEW_LECTURERS
    )
    cadence = models.CharField(
        _("meeting cadence"), max_length=16, choices=Cadence.choices, default=Cadence.MONTHLY
    )
    meeting_minutes = models.PositiveSmallIntegerField(
        _("recommended meeting length (minutes)"), default=60
    )
    coordinators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("coordinators"),
        related_name="coordinated_programs",
        blank=True,
    )
    contact_email = models.EmailField(_("contact email"), blank=True)
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default=site_time_zone,
        validators=[validate_time_zone],
        help_text=_("Reminders go out in the morning of this time zone, e.g. Europe/Riga."),
    )
    privacy_notice = models.TextField(
        _("privacy notice"),
        blank=True,
        help_text=_(
            "What the programme does with registrants' personal data. When given, registrants "
            "must agree to it."
        ),
    )
    is_public = models.BooleanField(
        _("public"), default=True, help_text=_("Shown to everyone and open for registration.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ProgramQuerySet.as_manager()

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("programs:detail", args=[self.slug])

    @property
    def has_pupils(self) -> bool:
        """Pupils may be minors: their registrations need a guardian's consent."""
        return self.form in (
            self.Form.PUPIL_PUPIL,
            self.Form.STUDENT_PUPIL,
            self.Form.EMPLOYER_PUPIL,
        )

    def is_coordinated_by(self, user) -> bool:
        return user.is_authenticated and (
            user.is_superuser or self.coordinators.filter(pk=user.pk).exists()
        )


class CycleQuerySet(models.QuerySet):
    def coordinated_by(self, user):
        return self.filter(program__in=Program.objects.coordinated_by(user))

    def visible_to(self, user):
        return self.filter(program__in=Program.objects.visible_to(user))

    def open_for_registration(self, now=None):
        now = now or timezone.now()
        return self.filter(
            program__is_public=True, registration_opens__lte=now, registration_closes__gt=now
        )


class Cycle(models.Model):
    class Stage(models.IntegerChoices):
        PREPARATION = 1, _("Preparing the conditions")
        MENTEE_BASE = 2, _("Building the base of mentees")
        MENTOR_BASE = 3, _("Building the base of mentors")
        MENTOR_TRAINING = 4, _("Selecting and training mentors")
        FORMING_PAIRS = 5, _("Forming pairs and groups")
        WORKING = 6, _("The pairs' and groups' work")
        COMPLETION = 7, _("Completing the mentorship")

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="cycles", verbose_name=_("programme")
    )
    name = models.CharField(_("name"), max_length=100, help_text=_("For example 2026/27."))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    registration_opens = models.DateTimeField(_("registration opens"))
    registration_closes = models.DateTimeField(_("registration closes"))
    self_assessment_days = models.PositiveSmallIntegerField(
        _("self-assessment: days before the end"),
        default=21,
        help_text=_(
            "Participants are asked to self-assess this many days before the cycle ends, or "
            "when it enters its completion stage, whichever comes first."
        ),
    )
    default_mentor_capacity = models.PositiveSmallIntegerField(
        _("default mentor capacity"),
        default=1,
        help_text=_("How many mentees a mentor takes when their answers do not say."),
    )
    stage = models.PositiveSmallIntegerField(
        _("stage"), choices=Stage.choices, default=Stage.PREPARATION
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = CycleQuerySet.as_manager()

    class Meta:
        verbose_name = _("cycle")
        verbose_name_plural = _("cycles")
        ordering = ["program__name", "-starts_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "name"], name="cycle_name_unique_in_program"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("starts_on")), name="cycle_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(registration_closes__gt=models.F("registration_opens")),
                name="cycle_registration_closes_after_opening",
            ),
        ]

    def __str__(self):
        return f"{self.program} {self.name}"

    def save(self, *args, **kwargs):
        adding = self._state.adding
        super().save(*args, **kwargs)
        if adding:
            StageEntry.objects.create(cycle=self, stage=self.stage)

    def clean(self):
        errors = {}
        if self.starts_on and self.ends_on and self.ends_on <= self.starts_on:
            errors["ends_on"] = _("The cycle must end after it starts.")
        if (
            self.registration_opens
            and self.registration_closes
            and self.registration_closes <= self.registration_opens
        ):
            errors["registration_closes"] = _("Registration must close after it opens.")
        if errors:
            raise ValidationError(errors)

    def is_registration_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.program.is_public and self.registration_opens <= now < self.registration_closes

    @property
    def is_last_stage(self) -> bool:
        return self.stage == self.Stage.COMPLETION

    def advance_stage(self) -> bool:
        """Move to the next stage and record when; False when already at the last one."""
        with transaction.atomic():
            updated = Cycle.objects.filter(pk=self.pk, stage=self.stage).exclude(
                stage=self.Stage.COMPLETION
            )
            if not updated.update(stage=models.F("stage") + 1):
                return False
            self.refresh_from_db(fields=["stage"])
            StageEntry.objects.create(cycle=self, stage=self.stage)
        return True

    def previous(self):
        """The cycle of the same programme that started last before this one."""
        return (
            Cycle.objects.filter(program_id=self.program_id, starts_on__lt=self.starts_on)
            .order_by("-starts_on")
            .first()
        )

    def questionnaire_for(self, purpose):
        return self.questionnaires.filter(purpose=purpose).first()

    def self_assessment_for(self, role):
        """The self-assessment questionnaire of `role`: its own, else the shared one."""
        found = {q.purpose: q for q in self.questionnaires.all()}
        purposes = Questionnaire.self_assessment_purposes(role)
        return next((found[p] for p in purposes if p in found), None)

    def self_assessment_opens(self) -> datetime.date:
        return self.ends_on - datetime.timedelta(days=self.self_assessment_days)

    @transaction.atomic
    def copy_questionnaires_from_previous(self) -> list["Questionnaire"]:
        """Copy the previous cycle's questionnaires this cycle does not have yet."""
        previous = self.previous()
        if previous is None:
            return []
        existing = set(self.questionnaires.values_list("purpose", flat=True))
        return [
            questionnaire.copy_to(self)
            for questionnaire in previous.questionnaires.prefetch_related("questions")
            if questionnaire.purpose not in existing
        ]


class StageEntry(models.Model):
    """When a cycle entered a stage: the history the dashboard shows."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="stage_entries")
    stage = models.PositiveSmallIntegerField(_("stage"), choices=Cycle.Stage.choices)
    entered_at = models.DateTimeField(_("entered"), default=timezone.now)

    class Meta:
        verbose_name = _("stage entered")
        verbose_name_plural = _("stages entered")
        ordering = ["cycle", "entered_at"]

    def __str__(self):
        return f"{self.cycle}: {self.get_stage_display()}"


class Questionnaire(models.Model):
    class Purpose(models.TextChoices):
        MENTOR_REGISTRATION = "mentor_registration", _("Mentor registration")
        MENTEE_REGISTRATION = "mentee_registration", _("Mentee registration")
        SELF_ASSESSMENT = "self_assessment", _("Self-assessment (mentors and mentees)")
        MENTOR_SELF_ASSESSMENT = "mentor_self_assessment", _("Mentor self-assessment")
        MENTEE_SELF_ASSESSMENT = "mentee_self_assessment", _("Mentee self-assessment")
        FEEDBACK = "feedback", _("Feedback")

    cycle = models.ForeignKey(
        Cycle, on_delete=models.CASCADE, related_name="questionnaires", verbose_name=_("cycle")
    )
    purpose = models.CharField(_("purpose"), max_length=32, choices=Purpose.choices)
    title = models.CharField(_("title"), max_length=200)
    introduction = models.TextField(_("introduction"), blank=True)

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        ordering = ["cycle", "purpose"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "purpose"], name="one_questionnaire_per_cycle_and_purpose"
            ),
        ]

    def __str__(self):
        return f"{self.cycle}: {self.title}"

    @classmethod
    def registration_purpose(cls, role: str) -> str:
        return {
            "mentor": cls.Purpose.MENTOR_REGISTRATION,
            "mentee": cls.Purpose.MENTEE_REGISTRATION,
        }[role]

    @classmethod
    def self_assessment_purposes(cls, role: str) -> list[str]:
        """The questionnaires a participant in `role` self-assesses with: their role's own,
        else the one for both roles."""
        own = {"mentor": cls.Purpose.MENTOR_SELF_ASSESSMENT}.get(
            role, cls.Purpose.MENTEE_SELF_ASSESSMENT
        )
        return [own, cls.Purpose.SELF_ASSESSMENT]

    def copy_to(self, cycle) -> "Questionnaire":
        """A copy of this questionnaire and its questions in another cycle."""
        copy = Questionnaire.objects.create(
            cycle=cycle, purpose=self.purpose, title=self.title, introduction=self.introduction
        )
        Question.objects.bulk_create(
            Question(
                questionnaire=copy,
                **{f: getattr(q, f) for f in Question.COPIED_FIELDS},
            )
            for q in self.questions.all()
        )
        return copy


class Question(models.Model):
    class Kind(models.TextChoices):
        SHORT_TEXT = "short_text", _("Short text")
        LONG_TEXT = "long_text", _("Long text")
        SINGLE_CHOICE = "single_choice", _("Single choice")
        MULTIPLE_CHOICE = "multiple_choice", _("Multiple choice")
        SCALE = "scale", _("Scale 1-5")
        YES_NO = "yes_no", _("Yes or no")
        NUMBER = "number", _("Number")
        DATE = "date", _("Date")

    class MatchingTag(models.TextChoices):
        COMPETENCES_OFFERED = "competences_offered", _("Competences offered")
        COMPETENCES_WANTED = "competences_wanted", _("Competences wanted")
        DEPARTMENT = "department", _("Department")
        LANGUAGE = "language", _("Language")
        AVAILABILITY = "availability", _("Availability")
        MEETING_FORMAT = "meeting_format", _("Meeting format")
        CAPACITY = "capacity", _("Capacity")

    CHOICE_KINDS = {Kind.SINGLE_CHOICE, Kind.MULTIPLE_CHOICE}
    COPIED_FIELDS = [
        "order", "text", "kind", "options", "required", "help_text", "sensitive", "anonymous",
        "matching_tag",
    ]  # fmt: skip

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="questions"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.CharField(_("question"), max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.SHORT_TEXT)
    options = models.TextField(
        _("choices"), blank=True, help_text=_("For choice questions: one choice per line.")
    )
    required = models.BooleanField(_("required"), default=True)
    help_text = models.CharField(_("help text"), max_length=300, blank=True)
    sensitive = models.BooleanField(
        _("sensitive"), default=False, help_text=_("Only coordinators see the answers.")
    )
    anonymous = models.BooleanField(
        _("anonymous in reports"),
        default=False,
        help_text=_("The cycle report quotes written answers to this question without names."),
    )
    matching_tag = models.CharField(
        _("matching tag"),
        max_length=32,
        choices=MatchingTag.choices,
        blank=True,
        help_text=_("What the answer means for forming pairs."),
    )

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["questionnaire", "order", "pk"]

    def __str__(self):
        return self.text

    @property
    def choices(self) -> list[str]:
        return [line.strip() for line in self.options.splitlines() if line.strip()]

    def clean(self):
        if self.kind in self.CHOICE_KINDS and len(self.choices) < 2:
            raise ValidationError({"options": _("Give at least two choices, one per line.")})
        if self.kind not in self.CHOICE_KINDS and self.choices:
            raise ValidationError({"options": _("Only choice questions have choices.")})


def document_path(document, filename: str) -> str:
    """Uploaded files are stored under generated names; the original name is kept apart."""
    return f"documents/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


class StoredFile(models.Model):
    """An uploaded file kept under a generated name (`file`, defined by the model), with the
    name it was uploaded under, served as a download."""

    original_name = models.CharField(_("original file name"), max_length=255, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.file and not self.file._committed:
            self.original_name = Path(self.file.name).name
        super().save(*args, **kwargs)

    def as_download(self) -> FileResponse:
        suffix = Path(self.file.name).suffix.lower()
        return FileResponse(
            self.file.open("rb"),
            as_attachment=True,
            filename=self.original_name or self.file.name.rsplit("/", 1)[-1],
            content_type=CONTENT_TYPES.get(suffix, "application/octet-stream"),
        )


class DocumentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Public documents of visible programmes; member documents to members and
        coordinators."""
        if user.is_authenticated and user.is_superuser:
            return self.all()
        condition = Q(audience=Document.Audience.EVERYONE, program__is_public=True)
        if user.is_authenticated:
            reach = reach_of(user)
            programs = reach.coordinated | {r.program for r in reach.accepted()}
            condition |= Q(program__in=sorted(programs))
        return self.filter(condition)


class Document(StoredFile):
    class Kind(models.TextChoices):
        REGULATIONS = "regulations", _("Regulations")
        GUIDE = "guide", _("Guide")
        REPORT = "report", _("Report")
        OTHER = "other", _("Other")

    class Audience(models.TextChoices):
        MEMBERS = "members", _("The programme's members")
        EVERYONE = "everyone", _("Everyone")

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="documents", verbose_name=_("programme")
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.GUIDE)
    audience = models.CharField(
        _("visible to"), max_length=16, choices=Audience.choices, default=Audience.MEMBERS
    )
    file = models.FileField(_("file"), upload_to=document_path, validators=[validate_document])
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["program", "title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("programs:document", args=[self.pk])
