import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def note_cycles(apps, schema_editor):
    """Each meeting's cycle, from its pairing."""
    Meeting = apps.get_model("meetings", "Meeting")
    Pairing = apps.get_model("participants", "Pairing")
    of_pairing = Pairing.objects.filter(pk=OuterRef("pairing")).values("cycle")[:1]
    Meeting.objects.update(cycle=Subquery(of_pairing))


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0005_pairings_meeting_counts"),
        ("programs", "0004_consent"),
    ]

    operations = [
        migrations.AddField(
            model_name="meeting",
            name="cycle",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="programs.cycle",
                verbose_name="cycle",
            ),
        ),
        migrations.RunPython(note_cycles, migrations.RunPython.noop),
    ]
