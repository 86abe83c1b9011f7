"""Seats become records of their own; a membership is a person's tenure in a seat.

The Terms of Reference names seats, not people. Until now a seat was a string on a membership and a
vacant seat a placeholder person ("Vacant: PCC (Chair)") holding it. This migration (the schema), 0008 (the data) and 0009 (the seat made required):

- make a ``Seat`` for every seat string of every group and authority (the ToR's seats marked as such,
  in the ToR's order), and links every membership to its seat;
- give a membership without a seat string the seat named by its role ("Member"), a second one
  ("Member 2") when another person held that seat at the same time, and a deputy the seat it stands in;
- remove the placeholder people's memberships (the seat, now without a holder, is vacant) and the
  placeholder people themselves, archiving any that a record still names;
- link attendance rows to the seat of their membership;
- re-create the SQLite triggers of migration 0003, which a table rebuild drops (0009).

Nothing real is lost: every real person's memberships keep their dates, roles and history.
"""

import django.db.models.deletion
import django.utils.timezone
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("governance", "0006_action_raised_on"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Seat",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "created",
                    models.DateTimeField(
                        default=django.utils.timezone.now, editable=False, verbose_name="created"
                    ),
                ),
                ("modified", models.DateTimeField(auto_now=True, verbose_name="modified")),
                ("archived_at", models.DateTimeField(blank=True, null=True, verbose_name="archived")),
                (
                    "title",
                    models.CharField(max_length=200, verbose_name="seat (the Terms of Reference's wording)"),
                ),
                ("voting", models.BooleanField(default=True, verbose_name="voting seat")),
                ("order", models.PositiveSmallIntegerField(default=0, verbose_name="order")),
                (
                    "is_reference",
                    models.BooleanField(
                        default=False, editable=False, verbose_name="named in the Terms of Reference"
                    ),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "group",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="seats",
                        to="governance.partnershipgroup",
                        verbose_name="group",
                    ),
                ),
                (
                    "modified_by",
                    models.ForeignKey(
                        blank=True,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "organisation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="seats",
                        to="governance.organisation",
                        verbose_name="authority",
                    ),
                ),
            ],
            options={
                "ordering": ["group__order", "order", "organisation__name", "title"],
            },
        ),
        migrations.CreateModel(
            name="HistoricalSeat",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                (
                    "created",
                    models.DateTimeField(
                        default=django.utils.timezone.now, editable=False, verbose_name="created"
                    ),
                ),
                ("modified", models.DateTimeField(blank=True, editable=False, verbose_name="modified")),
                ("archived_at", models.DateTimeField(blank=True, null=True, verbose_name="archived")),
                (
                    "title",
                    models.CharField(max_length=200, verbose_name="seat (the Terms of Reference's wording)"),
                ),
                ("voting", models.BooleanField(default=True, verbose_name="voting seat")),
                ("order", models.PositiveSmallIntegerField(default=0, verbose_name="order")),
                (
                    "is_reference",
                    models.BooleanField(
                        default=False, editable=False, verbose_name="named in the Terms of Reference"
                    ),
                ),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "group",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="governance.partnershipgroup",
                        verbose_name="group",
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "modified_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "organisation",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="governance.organisation",
                        verbose_name="authority",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical seat",
                "verbose_name_plural": "historical seats",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.RenameField(model_name="membership", old_name="seat", new_name="seat_title"),
        migrations.RenameField(model_name="historicalmembership", old_name="seat", new_name="seat_title"),
        migrations.AddField(
            model_name="membership",
            name="seat",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="tenures",
                to="governance.seat",
                verbose_name="seat",
            ),
        ),
        migrations.AddField(
            model_name="historicalmembership",
            name="seat",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="governance.seat",
                verbose_name="seat",
            ),
        ),
        migrations.AddField(
            model_name="attendance",
            name="seat",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="attendance",
                to="governance.seat",
                verbose_name="seat",
            ),
        ),
        migrations.AddField(
            model_name="historicalattendance",
            name="seat",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="governance.seat",
                verbose_name="seat",
            ),
        ),
    ]
