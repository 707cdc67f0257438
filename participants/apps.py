from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipantsConfig(AppConfig):
    name = "participants"
    verbose_name = _("Participants")

    def ready(self):
        # The account signal handlers, the kinds of email the ledger sends and the tasks.
        from .accounts import signals  # noqa: F401
        from .notifications import emails, tasks  # noqa: F401
        from .registrations import self_assessment  # noqa: F401
