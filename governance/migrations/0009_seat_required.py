"""Every tenure has its seat (0008 linked them): the seat becomes required, the strings and the
placeholder flag go, and the SQLite triggers of 0003 come back after the table rebuild. Apart from
0008 because PostgreSQL refuses to alter a table with the data changes of the same transaction pending.
"""

import importlib

import django.db.models.deletion
from django.db import migrations, models


def recreate_sqlite_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    constraints = importlib.import_module("governance.migrations.0003_registers_constraints")
    constraints._run(schema_editor, constraints.SQLITE_REVERSE)
    constraints._run(schema_editor, constraints._sqlite_triggers())


class Migration(migrations.Migration):
    dependencies = [
        ("governance", "0008_seats_from_memberships"),
    ]

    operations = [
        migrations.AlterField(
            model_name="membership",
            name="seat",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="tenures",
                to="governance.seat",
                verbose_name="seat",
            ),
        ),
        migrations.RemoveField(model_name="membership", name="seat_title"),
        migrations.RemoveField(model_name="historicalmembership", name="seat_title"),
        migrations.RemoveField(model_name="person", name="is_placeholder"),
        migrations.RemoveField(model_name="historicalperson", name="is_placeholder"),
        migrations.AlterField(
            model_name="membership",
            name="group",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="memberships",
                to="governance.partnershipgroup",
                verbose_name="group",
            ),
        ),
        migrations.AlterField(
            model_name="membership",
            name="organisation",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="memberships",
                to="governance.organisation",
                verbose_name="represents",
            ),
        ),
        migrations.AlterField(
            model_name="historicalmembership",
            name="group",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="governance.partnershipgroup",
                verbose_name="group",
            ),
        ),
        migrations.AlterField(
            model_name="historicalmembership",
            name="organisation",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="governance.organisation",
                verbose_name="represents",
            ),
        ),
        migrations.AddConstraint(
            model_name="attendance",
            constraint=models.UniqueConstraint(
                condition=models.Q(("seat__isnull", False)),
                fields=("meeting", "seat"),
                name="governance_attendance_one_row_per_seat",
            ),
        ),
        migrations.AddConstraint(
            model_name="seat",
            constraint=models.UniqueConstraint(
                condition=models.Q(("archived_at__isnull", True)),
                fields=("group", "organisation", "title"),
                name="governance_seat_unique_current_title",
                violation_error_message="This authority already has a seat with that name on the group.",
            ),
        ),
        migrations.RunPython(recreate_sqlite_triggers, migrations.RunPython.noop),
    ]
