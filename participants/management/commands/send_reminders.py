"""`manage.py send_reminders`: run every registered planner once and send what is due now, as
the hourly schedule does (for an installation without beat, or to see the reminders at once)."""

from django.core.management.base import BaseCommand

from participants.models import Notification
from participants.notifications.ledger import deliver, dispatch, plan_due


class Command(BaseCommand):
    help = "Plan the reminders and prompts that are due and send them; nothing is sent twice."

    def handle(self, *args, **options):
        planned = plan_due()
        ready = list(Notification.objects.ready().values_list("pk", flat=True))
        counts = deliver(ready) if ready else {"sent": 0, "skipped": 0, "retried": 0}
        dispatch()  # whatever could not be sent now waits for the workers
        self.stdout.write(
            f"{planned} planned; {counts['sent']} sent, {counts['skipped']} no longer needed, "
            f"{counts['retried']} to try again."
        )
