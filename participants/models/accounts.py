"""The person: a custom user who logs in with an email address and reads in their own language."""

import secrets

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


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
    # When the person's data was erased: the account stays, nameless, for the reports.
    erased_at = models.DateTimeField(_("erased"), null=True, blank=True, editable=False)
    # The kinds of reminder the person switched off (participants/notifications/ledger.py).
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
