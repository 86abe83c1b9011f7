"""Database triggers that keep ``Representation`` (was an authority represented at a meeting) true to
the registers' rows, on PostgreSQL and SQLite.

They are made again after every ``migrate`` from ``Attendance.REPRESENTING``, the one statement of
the rule, and the table is rebuilt from the rows then: a change of the rule is a change of code, and
the derived rows follow it without a migration of their own. Between two migrations every write of a
row, by any path, recomputes its meeting and authority's row in the same transaction.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, transaction

FUNCTION = "svrp_representation"
TRIGGER = "svrp_representation"
# Which columns of a register's row decide its meeting's representation.
COLUMNS = ("meeting_id", "organisation_id", "status")


def _tables(quote: Any) -> tuple[str, str]:
    from .models import Attendance, Representation

    return quote(Attendance._meta.db_table), quote(Representation._meta.db_table)


def _represents(column: str) -> str:
    from .models import Attendance

    # Status values are the model's own choices (letters), never a request's.
    assert all(value.isalpha() for value in Attendance.REPRESENTING)  # noqa: S101
    values = ", ".join(f"'{value}'" for value in Attendance.REPRESENTING)
    return f"MAX(CASE WHEN {column} IN ({values}) THEN 1 ELSE 0 END) = 1"


def _recompute(row: str, quote: Any) -> list[str]:
    """Statements recomputing the representation of ``row``'s (``NEW`` or ``OLD``) meeting and authority:
    its row goes, and comes back if the meeting's register still has rows for that authority."""
    attendance, representation = _tables(quote)
    meeting, organisation = f"{row}.meeting_id", f"{row}.organisation_id"
    return [
        f"DELETE FROM {representation} "  # noqa: S608 - names from model metadata
        f"WHERE meeting_id = {meeting} AND organisation_id = {organisation};",
        f"INSERT INTO {representation} (meeting_id, organisation_id, represented) "  # noqa: S608
        f"SELECT {meeting}, {organisation}, {_represents('status')} FROM {attendance} "
        f"WHERE meeting_id = {meeting} AND organisation_id = {organisation} HAVING COUNT(*) > 0;",
    ]


def _postgresql(quote: Any) -> Iterator[str]:
    attendance, representation = _tables(quote)
    old, new = " ".join(_recompute("OLD", quote)), " ".join(_recompute("NEW", quote))
    yield f"""CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        DELETE FROM {representation};
        RETURN NULL;
    END IF;
    IF TG_OP <> 'INSERT' AND OLD.organisation_id IS NOT NULL THEN {old} END IF;
    IF TG_OP <> 'DELETE' AND NEW.organisation_id IS NOT NULL THEN {new} END IF;
    RETURN NULL;
END $$"""  # noqa: S608 - names from model metadata
    yield f"DROP TRIGGER IF EXISTS {TRIGGER} ON {attendance}"
    yield f"DROP TRIGGER IF EXISTS {TRIGGER}_truncate ON {attendance}"
    yield (
        f"CREATE TRIGGER {TRIGGER} AFTER INSERT OR DELETE OR UPDATE OF {', '.join(COLUMNS)} "
        f"ON {attendance} FOR EACH ROW EXECUTE FUNCTION {FUNCTION}()"
    )
    yield (
        f"CREATE TRIGGER {TRIGGER}_truncate AFTER TRUNCATE ON {attendance} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}()"
    )


def _sqlite(quote: Any) -> Iterator[str]:
    attendance, _ = _tables(quote)
    for event, rows in (
        ("INSERT", ("NEW",)),
        (f"UPDATE OF {', '.join(COLUMNS)}", ("OLD", "NEW")),
        ("DELETE", ("OLD",)),
    ):
        name = f"{TRIGGER}_{event.split()[0].lower()}"
        # A row for no authority (a guest for none) matches nothing: NULL equals nothing.
        statements = [statement for row in rows for statement in _recompute(row, quote)]
        yield f"DROP TRIGGER IF EXISTS {name}"
        yield f"CREATE TRIGGER {name} AFTER {event} ON {attendance} BEGIN {' '.join(statements)} END"


def rebuild_statements(quote: Any) -> list[str]:
    """Every meeting's representation, recomputed from the registers' rows at once."""
    attendance, representation = _tables(quote)
    return [
        f"DELETE FROM {representation}",  # noqa: S608
        f"INSERT INTO {representation} (meeting_id, organisation_id, represented) "  # noqa: S608
        f"SELECT meeting_id, organisation_id, {_represents('status')} FROM {attendance} "
        "WHERE organisation_id IS NOT NULL GROUP BY meeting_id, organisation_id",
    ]


def _drop(cursor: Any, vendor: str, attendance: str) -> None:
    if vendor == "postgresql":
        cursor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER} ON {attendance}")
        cursor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER}_truncate ON {attendance}")
    else:
        for event in ("insert", "update", "delete"):
            cursor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER}_{event}")


def install(using: str = DEFAULT_DB_ALIAS) -> bool:
    """(Re)make the triggers and rebuild the table from the rows; idempotent. False, and no triggers, if
    the table is not there (migrated back before it) or the database is neither engine."""
    connection = connections[using]
    statements = {"postgresql": _postgresql, "sqlite": _sqlite}.get(connection.vendor)
    if statements is None:
        return False
    quote = connection.ops.quote_name
    attendance, representation = _tables(str)
    with transaction.atomic(using=using), connection.cursor() as cursor:
        existing = set(connection.introspection.table_names(cursor))
        if attendance not in existing:
            return False
        if representation not in existing:
            _drop(cursor, connection.vendor, quote(attendance))
            return False
        for statement in [*statements(quote), *rebuild_statements(quote)]:
            cursor.execute(statement)
    return True


def uninstall(using: str = DEFAULT_DB_ALIAS) -> None:
    """Drop the triggers (migrating back before the table)."""
    connection = connections[using]
    if connection.vendor in ("postgresql", "sqlite"):
        with connection.cursor() as cursor:
            _drop(cursor, connection.vendor, connection.ops.quote_name(_tables(str)[0]))


def on_post_migrate(using: str = DEFAULT_DB_ALIAS, **kwargs: Any) -> None:
    install(using)
