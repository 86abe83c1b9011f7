"""Register constraints the models cannot express on both engines, enforced in the database.

- one chair per group at a time;
- no overlapping memberships of the same person in the same group;
- (and) an approved Terms of Reference version may lack its approval date: the version loaded from the
  source document records none (docs/adr/0001-terms-of-reference-approval-date.md).

Dates are inclusive at both ends (``Membership.active_on``): a membership ending on 1 March and another
starting on 1 March overlap. PostgreSQL enforces this with exclusion constraints over ``daterange(...,
'[]')`` (btree_gist supplies the ``=`` operator class for the ids); SQLite with triggers that abort.
``Membership.clean()`` checks the same rules first, to give a message naming the field.

Beware: on SQLite, Django rebuilds a table (new table, copy, drop, rename) for most later ``AlterField``
or ``AddField`` operations on ``governance_membership``, and the triggers go with the old table. A later
migration that alters this table must re-create them (call ``forward`` again); the constraint tests in
``tests/governance/test_membership_constraints.py`` fail if they are missing.
"""

from django.db import migrations, models

POSTGRES_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    """
    ALTER TABLE governance_membership ADD CONSTRAINT governance_membership_no_overlap
    EXCLUDE USING gist (
        person_id WITH =, group_id WITH =, daterange(start_date, end_date, '[]') WITH &&
    )
    """,
    """
    ALTER TABLE governance_membership ADD CONSTRAINT governance_one_chair_per_group
    EXCLUDE USING gist (group_id WITH =, daterange(start_date, end_date, '[]') WITH &&)
    WHERE (role = 'chair')
    """,
]
POSTGRES_REVERSE = [
    "ALTER TABLE governance_membership DROP CONSTRAINT IF EXISTS governance_one_chair_per_group",
    "ALTER TABLE governance_membership DROP CONSTRAINT IF EXISTS governance_membership_no_overlap",
]

# NEW's dates meet m's (inclusive; an open end is the far future).
_MEETS = (
    "m.group_id = NEW.group_id AND m.start_date <= COALESCE(NEW.end_date, '9999-12-31') "
    "AND COALESCE(m.end_date, '9999-12-31') >= NEW.start_date"
)
_NO_OVERLAP = (
    "governance_membership_no_overlap: this person already has a membership of this group "
    "whose dates overlap."
)
_ONE_CHAIR = "governance_one_chair_per_group: this group already has a chair for these dates."


def _sqlite_triggers() -> list[str]:
    statements = []
    for event, other in (("INSERT", ""), ("UPDATE", " AND m.id <> NEW.id")):
        name = event.lower()
        statements += [
            f"""
            CREATE TRIGGER governance_membership_no_overlap_{name}
            BEFORE {event} ON governance_membership
            WHEN EXISTS (
                SELECT 1 FROM governance_membership m
                WHERE m.person_id = NEW.person_id AND {_MEETS}{other}
            )
            BEGIN SELECT RAISE(ABORT, '{_NO_OVERLAP}'); END
            """,
            f"""
            CREATE TRIGGER governance_one_chair_per_group_{name}
            BEFORE {event} ON governance_membership
            WHEN NEW.role = 'chair' AND EXISTS (
                SELECT 1 FROM governance_membership m
                WHERE m.role = 'chair' AND {_MEETS}{other}
            )
            BEGIN SELECT RAISE(ABORT, '{_ONE_CHAIR}'); END
            """,
        ]
    return statements


SQLITE_REVERSE = [
    f"DROP TRIGGER IF EXISTS {name}_{event}"
    for name in ("governance_membership_no_overlap", "governance_one_chair_per_group")
    for event in ("insert", "update")
]


def _run(schema_editor, statements):
    for sql in statements:
        schema_editor.execute(sql)


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        _run(schema_editor, POSTGRES_FORWARD)
    elif vendor == "sqlite":
        _run(schema_editor, _sqlite_triggers())
    else:  # pragma: no cover - the portal runs on these two engines only
        raise NotImplementedError(f"No membership constraints for the {vendor} database engine.")


def reverse(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        _run(schema_editor, POSTGRES_REVERSE)
    elif vendor == "sqlite":
        _run(schema_editor, SQLITE_REVERSE)


class Migration(migrations.Migration):
    dependencies = [
        ("governance", "0002_registers_meetings_actions"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="termsofreference",
            name="governance_tor_approved_has_date",
        ),
        migrations.AddField(
            model_name="termsofreferencesection",
            name="notes",
            field=models.TextField(blank=True, verbose_name="notes"),
        ),
        migrations.RunPython(forward, reverse),
    ]
