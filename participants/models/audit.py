"""What coordinators did to people (`AuditEntry`)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from programs.models import Cycle


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
