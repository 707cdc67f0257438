import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """Apart from 0006: PostgreSQL alters no table whose rows wait for their foreign keys'
    check in the same transaction."""

    dependencies = [("meetings", "0006_meeting_cycle")]

    operations = [
        migrations.AlterField(
            model_name="meeting",
            name="cycle",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="programs.cycle",
                verbose_name="cycle",
            ),
        ),
        migrations.AddIndex(
            model_name="meeting",
            index=models.Index(
                fields=["cycle", "held_on"],
                include=("duration_minutes",),
                name="meeting_cycle_held_on",
            ),
        ),
    ]
