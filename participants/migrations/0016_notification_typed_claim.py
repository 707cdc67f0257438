"""The ledger's keys typed, step two: the old `about` goes, and the claim is the recipient,
kind, what the row is about, its details and its period."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("participants", "0015_notification_typed_keys"),
    ]

    operations = [
        # A default only so that, in reverse, the column can return to rows that exist.
        migrations.AlterField(
            model_name="notification",
            name="about",
            field=models.CharField(default="", max_length=64, verbose_name="about"),
        ),
        migrations.RemoveField(model_name="notification", name="about"),
        migrations.AlterField(
            model_name="notification",
            name="content_type",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="contenttypes.contenttype",
                verbose_name="about",
            ),
        ),
        migrations.AlterField(
            model_name="notification",
            name="object_id",
            field=models.PositiveBigIntegerField(verbose_name="about (number)"),
        ),
        migrations.AddIndex(
            model_name="notification",
            index=models.Index(
                fields=["content_type", "object_id"], name="participant_content_124de1_idx"
            ),
        ),
        migrations.AddConstraint(
            model_name="notification",
            constraint=models.UniqueConstraint(
                fields=("recipient", "kind", "content_type", "object_id", "details", "period"),
                name="one_email_per_period",
            ),
        ),
    ]
