"""Actions carry the date they were raised: filled from the meeting's date, else the day recorded."""

from django.db import migrations, models
from django.utils import timezone


def fill_raised_on(apps, schema_editor):
    for model_name in ("Action", "HistoricalAction"):
        model = apps.get_model("governance", model_name)
        rows = model.objects.filter(raised_on__isnull=True).select_related("meeting")
        for row in rows.iterator(chunk_size=500):
            row.raised_on = row.meeting.date if row.meeting_id else timezone.localdate(row.created)
            row.save(update_fields=["raised_on"])


class Migration(migrations.Migration):
    dependencies = [("governance", "0005_alter_reminder_kind")]

    operations = [
        migrations.AddField(
            model_name="action",
            name="raised_on",
            field=models.DateField(null=True, verbose_name="raised on"),
        ),
        migrations.AddField(
            model_name="historicalaction",
            name="raised_on",
            field=models.DateField(null=True, verbose_name="raised on"),
        ),
        migrations.RunPython(fill_raised_on, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="action",
            name="raised_on",
            field=models.DateField(
                help_text="The day it was raised: its meeting's date, or the day agreed between meetings.",
                verbose_name="raised on",
            ),
        ),
        migrations.AlterField(
            model_name="historicalaction",
            name="raised_on",
            field=models.DateField(
                help_text="The day it was raised: its meeting's date, or the day agreed between meetings.",
                verbose_name="raised on",
            ),
        ),
    ]
