from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipantsConfig(AppConfig):
    name = "participants"
    verbose_name = _("Participants")

    def ready(self):
        from .accounts import signals
        from .notifications import emails
        from .registrations import self_assessment

        signals.connect()
        emails.register_emails()
        self_assessment.register_emails()
