from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipantsConfig(AppConfig):
    name = "participants"
    verbose_name = _("Participants")

    def ready(self):
        # The account signal handlers, and the self-assessment's kind of notification.
        from . import self_assessment, signals  # noqa: F401
