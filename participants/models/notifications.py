"""The ledger of the emails the background work sends (`Notification`)."""

import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from programs.models import Program


class NotificationQuerySet(models.QuerySet):
    def coordinated_by(self, user):
        return self.filter(program__in=Program.objects.coordinated_by(user))

    def about(self, subject):
        """The rows about `subject`: one object, or every object of a queryset."""
        if isinstance(subject, models.QuerySet):
            content_type = ContentType.objects.get_for_model(subject.model)
            return self.filter(content_type=content_type, object_id__in=subject.values("pk"))
        content_type = ContentType.objects.get_for_model(subject)
        return self.filter(content_type=content_type, object_id=subject.pk)

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
    """The ledger of the emails the background work sends: one row per recipient, kind, what
    it is about, details and period, written before anything is sent. The unique row is the claim
    that makes a second planner, a retried task or a restarted worker send nothing twice."""

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
    # What it is about (a pairing, an event; the recipient for a welcome or a digest), what
    # else tells two emails about it apart (the decision, the member of a pairing), and for
    # when ("2026-W48", "2026-11", or an action's moment).
    content_type = models.ForeignKey(
        ContentType,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,  # the index of (content_type, object_id) serves it
        verbose_name=_("about"),
    )
    object_id = models.PositiveBigIntegerField(_("about (number)"))
    about = GenericForeignKey("content_type", "object_id")
    details = models.JSONField(_("details"), default=dict, blank=True)
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
                fields=["recipient", "kind", "content_type", "object_id", "details", "period"],
                name="one_email_per_period",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "next_attempt_at"]),
            models.Index(fields=["program", "state"]),
            models.Index(fields=["content_type", "object_id"]),
        ]

    def __str__(self):
        about = ContentType.objects.get_for_id(self.content_type_id).model
        return f"{self.kind} {about} {self.object_id} {self.period}: {self.recipient}"

    @property
    def message_id(self) -> str:
        """The same for every attempt, so a message sent twice is shown once."""
        host = urlsplit(settings.SITE_URL).hostname or "localhost"
        return f"<notification-{self.pk}@{host}>"
