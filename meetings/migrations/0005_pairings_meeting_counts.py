from django.db import migrations
from django.db.models import Count, Max, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce


def note_meeting_counts(apps, schema_editor):
    """Each pairing's meetings and their minutes (and its latest meeting again), for the
    pairings that met before the counts were kept."""
    Pairing = apps.get_model("participants", "Pairing")
    Meeting = apps.get_model("meetings", "Meeting")
    logged = Meeting.objects.filter(pairing=OuterRef("pk")).order_by().values("pairing")

    def of_log(aggregate):
        return Subquery(logged.annotate(value=aggregate).values("value"))

    Pairing.objects.update(
        last_meeting_on=of_log(Max("held_on")),
        meetings_count=Coalesce(of_log(Count("*")), 0),
        meetings_minutes=Coalesce(of_log(Sum("duration_minutes")), 0),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0004_meeting_pairing_index"),
        ("participants", "0017_pairing_meeting_counts"),
    ]

    operations = [migrations.RunPython(note_meeting_counts, migrations.RunPython.noop)]
