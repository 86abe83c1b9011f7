"""Keep the history of a recommendation's Theory of Change links, as its actions links already are.

Until now the ToC links could only be set when a recommendation was created (admin, reference data) and
were never edited, so every history record already kept is given the links as they stand: the history
then shows no change that did not happen, and the first real edit is the first change it shows.
"""

import django.db.models.deletion
import simple_history.models
from django.db import migrations, models




def backfill(apps, schema_editor):
    Through = apps.get_model("crest", "Recommendation").toc_activities.through
    Historical = apps.get_model("crest", "HistoricalRecommendation")
    HistoricalLink = apps.get_model("crest", "HistoricalRecommendation_toc_activities")
    links: dict[int, list[tuple[int, int]]] = {}
    for pk, recommendation_id, activity_id in Through.objects.values_list(
        "pk", "recommendation_id", "theoryofchangeactivity_id"
    ).order_by("pk"):
        links.setdefault(recommendation_id, []).append((pk, activity_id))
    if not links:
        return
    records = Historical.objects.filter(id__in=list(links)).values_list("history_id", "id")
    batch = []
    for history_id, recommendation_id in records.iterator(chunk_size=2000):
        for pk, activity_id in links[recommendation_id]:
            batch.append(
                HistoricalLink(
                    id=pk,
                    history_id=history_id,
                    recommendation_id=recommendation_id,
                    theoryofchangeactivity_id=activity_id,
                )
            )
        if len(batch) >= 2000:
            HistoricalLink.objects.bulk_create(batch)
            batch = []
    HistoricalLink.objects.bulk_create(batch)


class Migration(migrations.Migration):

    dependencies = [
        ('crest', '0001_tracker'),
        ('governance', '0004_reminder'),
    ]

    operations = [
        migrations.CreateModel(
            name='HistoricalRecommendation_toc_activities',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('m2m_history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, to='crest.historicalrecommendation')),
                ('recommendation', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='crest.recommendation')),
                ('theoryofchangeactivity', models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='governance.theoryofchangeactivity')),
            ],
            options={
                'verbose_name': 'HistoricalRecommendation_toc_activities',
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
