from django.db import migrations
from django.db.models import OuterRef, Subquery


def note_last_meetings(apps, schema_editor):
    """Each pairing's latest meeting, for the pairings that met before the date was kept."""
    Pairing = apps.get_model("participants", "Pairing")
    Meeting = apps.get_model("meetings", "Meeting")
    latest = Meeting.objects.filter(pairing=OuterRef("pk")).order_by("-held_on")
    Pairing.objects.update(last_meeting_on=Subquery(latest.values("held_on")[:1]))


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0001_initial"),
        ("participants", "0011_pairing_last_meeting"),
    ]

    operations = [migrations.RunPython(note_last_meetings, migrations.RunPython.noop)]
