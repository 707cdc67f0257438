"""The ledger's keys typed, step one: what a row is about becomes a content type and an object
id, and what else told two rows apart moves to `details` (the member of "pairing:12:34", the
event of a period "accepted:<moment>"). The old strings are read here, and only here; the
next migration drops them and makes the new columns the claim."""

import re

import django.db.models.deletion
from django.db import migrations, models

# The old `about`: "<what>:<id>", or "pairing:<id>:<member>"; the digest's "pairings-at-risk"
# was about its recipient.
OLD_ABOUT = re.compile(r"(?P<what>[a-z]+):(?P<id>\d+)(?::(?P<member>\d+))?")
# The old period of an email an action caused: "<event>:<moment>".
OLD_PERIOD = re.compile(r"(?P<event>[a-z]+):(?P<period>.+)")
MODELS = {
    "user": ("participants", "user"),
    "participant": ("participants", "participant"),
    "pairing": ("participants", "pairing"),
    "help": ("meetings", "helprequest"),
    "signup": ("events", "signup"),
    "message": ("events", "message"),
    "event": ("events", "event"),
}
RECIPIENT = MODELS["user"]
DIGEST, DIGEST_ABOUT = "coordinator_digest", "pairings-at-risk"
CHUNK = 2000


def typed_key(recipient_id: int, kind: str, about: str, period: str) -> tuple:
    """((app label, model), object id, details, period) of a row keyed the old way. An `about`
    of no known form is about the recipient and kept in the details, so that no two old rows
    become one."""
    details = {}
    match = OLD_ABOUT.fullmatch(about)
    if match and match["what"] in MODELS:
        model, object_id = MODELS[match["what"]], int(match["id"])
        if match["member"]:
            details["member"] = int(match["member"])
    else:
        model, object_id = RECIPIENT, recipient_id
        if (kind, about) != (DIGEST, DIGEST_ABOUT):
            details["about"] = about
    action = OLD_PERIOD.fullmatch(period)
    if action:
        details["event"], period = action["event"], action["period"]
    return model, object_id, details, period


def old_key(kind: str, model: tuple, object_id: int, details: dict, period: str) -> tuple:
    """(about, period) of a typed row, the old way."""
    if "event" in details:
        period = f"{details['event']}:{period}"
    if "about" in details:
        return details["about"], period
    if kind == DIGEST:
        return DIGEST_ABOUT, period
    what = next(name for name, known in MODELS.items() if known == model)
    member = f":{details['member']}" if "member" in details else ""
    return f"{what}:{object_id}{member}", period


def to_typed(apps, schema_editor):
    Notification = apps.get_model("participants", "Notification")
    ContentType = apps.get_model("contenttypes", "ContentType")
    types = {}
    rows = Notification.objects.only("recipient_id", "kind", "about", "period").order_by("pk")
    changed = []
    for row in rows.iterator(chunk_size=CHUNK):
        model, row.object_id, row.details, row.period = typed_key(
            row.recipient_id, row.kind, row.about, row.period
        )
        if model not in types:
            app_label, name = model
            types[model] = ContentType.objects.get_or_create(app_label=app_label, model=name)[0]
        row.content_type = types[model]
        changed.append(row)
        if len(changed) == CHUNK:
            _save(Notification, changed, ["content_type", "object_id", "details", "period"])
    _save(Notification, changed, ["content_type", "object_id", "details", "period"])


def to_strings(apps, schema_editor):
    Notification = apps.get_model("participants", "Notification")
    ContentType = apps.get_model("contenttypes", "ContentType")
    types = {t.pk: (t.app_label, t.model) for t in ContentType.objects.all()}
    rows = Notification.objects.only("kind", "content_type_id", "object_id", "details", "period")
    changed = []
    for row in rows.order_by("pk").iterator(chunk_size=CHUNK):
        model = types[row.content_type_id]
        row.about, row.period = old_key(row.kind, model, row.object_id, row.details, row.period)
        changed.append(row)
        if len(changed) == CHUNK:
            _save(Notification, changed, ["about", "period"])
    _save(Notification, changed, ["about", "period"])


def _save(Notification, rows: list, fields: list) -> None:
    """Write the rows' `fields` and empty the list for the next chunk."""
    Notification.objects.bulk_update(rows, fields)
    rows.clear()


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("participants", "0014_remove_user_welcomed_at"),
    ]

    operations = [
        migrations.AddField(
            model_name="notification",
            name="content_type",
            field=models.ForeignKey(
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="contenttypes.contenttype",
                verbose_name="about",
            ),
        ),
        migrations.AddField(
            model_name="notification",
            name="object_id",
            field=models.PositiveBigIntegerField(null=True, verbose_name="about (number)"),
        ),
        migrations.AddField(
            model_name="notification",
            name="details",
            field=models.JSONField(blank=True, default=dict, verbose_name="details"),
        ),
        # The old claim goes first: while rows are converted, old and new keys stand side by
        # side (and in reverse the old claim returns only once the strings are back).
        migrations.RemoveConstraint(model_name="notification", name="one_email_per_period"),
        # Last in its migration, so in a transaction of its own: the rows it writes leave
        # foreign-key checks pending until the commit, and PostgreSQL alters no table then.
        migrations.RunPython(to_typed, to_strings),
    ]
