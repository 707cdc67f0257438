from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipantsConfig(AppConfig):
    name = "participants"
    verbose_name = _("Participants")

    def ready(self):
        # The account signal handlers, and the kinds of email the ledger sends.
        from . import emails, self_assessment, signals  # noqa: F401
