"""Database triggers that keep ``Representation`` (was an authority represented at a meeting) and
``RepresentationTally`` (at how many held meetings each authority had rows, and was represented) true
to the registers' rows and the meetings' status, on PostgreSQL and SQLite.

- A write of a register's row, by any path, recomputes its meeting and authority's ``Representation``
  row (it goes, and comes back if the meeting still has rows for that authority).
- A ``Representation`` row coming or going at a held meeting adds to or takes from its authority's
  tally; a meeting becoming held, or no longer held, adds or takes all of its rows.
All in the same transaction as the change. The triggers are made again after every ``migrate`` from
``Attendance.REPRESENTING`` and ``Meeting.Status.HELD``, the rules' one statement, and both tables are
rebuilt from the rows then: a change of a rule is a change of code, followed without a migration.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, transaction

FUNCTION = "svrp_representation"
TRIGGER = "svrp_representation"
TALLY_TRIGGER = "svrp_representation_tally"
HELD_TRIGGER = "svrp_representation_held"
# Which columns of a register's row decide its meeting's representation.
COLUMNS = ("meeting_id", "organisation_id", "status")


@dataclass(frozen=True)
class _Names:
    attendance: str
    representation: str
    tally: str
    meeting: str
    held: str  # the held status, quoted


def _names(quote: Any) -> _Names:
    from .models import Attendance, Meeting, Representation, RepresentationTally

    held = str(Meeting.Status.HELD)
    assert held.isalpha()  # noqa: S101 - a model's own choice, never a request's
    return _Names(
        quote(Attendance._meta.db_table),
        quote(Representation._meta.db_table),
        quote(RepresentationTally._meta.db_table),
        quote(Meeting._meta.db_table),
        f"'{held}'",
    )


def _represents(column: str) -> str:
    from .models import Attendance

    # Status values are the model's own choices (letters), never a request's.
    assert all(value.isalpha() for value in Attendance.REPRESENTING)  # noqa: S101
    values = ", ".join(f"'{value}'" for value in Attendance.REPRESENTING)
    return f"MAX(CASE WHEN {column} IN ({values}) THEN 1 ELSE 0 END) = 1"


def _recompute(row: str, n: _Names) -> list[str]:
    """Statements recomputing the representation of ``row``'s (``NEW`` or ``OLD``) meeting and authority:
    its row goes, and comes back if the meeting's register still has rows for that authority. A row
    for no authority matches nothing (NULL equals nothing)."""
    meeting, organisation = f"{row}.meeting_id", f"{row}.organisation_id"
    return [
        f"DELETE FROM {n.representation} "  # noqa: S608 - names from model metadata
        f"WHERE meeting_id = {meeting} AND organisation_id = {organisation};",
        f"INSERT INTO {n.representation} (meeting_id, organisation_id, represented) "  # noqa: S608
        f"SELECT {meeting}, {organisation}, {_represents('status')} FROM {n.attendance} "
        f"WHERE meeting_id = {meeting} AND organisation_id = {organisation} HAVING COUNT(*) > 0;",
    ]


def _add(n: _Names, select: str) -> str:
    """Add ``select``'s (organisation_id, meetings, represented) rows to the tally."""
    return (
        f"INSERT INTO {n.tally} (organisation_id, meetings, represented) {select} "  # noqa: S608
        f"ON CONFLICT (organisation_id) DO UPDATE SET meetings = {n.tally}.meetings + excluded.meetings, "
        f"represented = {n.tally}.represented + excluded.represented;"
    )


def _counted(row: str, sign: int) -> str:
    return f"SELECT {row}.organisation_id, {sign}, {sign} * (CASE WHEN {row}.represented THEN 1 ELSE 0 END)"


def _of_meeting(n: _Names, sign: int) -> str:
    return (
        f"SELECT organisation_id, {sign}, {sign} * (CASE WHEN represented THEN 1 ELSE 0 END) "  # noqa: S608
        f"FROM {n.representation} WHERE meeting_id = NEW.id AND 1 = 1"  # SQLite's upsert needs a WHERE
    )


def _held(n: _Names, row: str) -> str:
    return f"(SELECT status FROM {n.meeting} WHERE id = {row}.meeting_id) = {n.held}"  # noqa: S608


def _postgresql(quote: Any) -> Iterator[str]:
    n = _names(quote)
    old, new = " ".join(_recompute("OLD", n)), " ".join(_recompute("NEW", n))
    yield f"""CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        DELETE FROM {n.representation};
        DELETE FROM {n.tally};
        RETURN NULL;
    END IF;
    IF TG_OP <> 'INSERT' AND OLD.organisation_id IS NOT NULL THEN {old} END IF;
    IF TG_OP <> 'DELETE' AND NEW.organisation_id IS NOT NULL THEN {new} END IF;
    RETURN NULL;
END $$"""  # noqa: S608 - names from model metadata
    yield f"""CREATE OR REPLACE FUNCTION {TALLY_TRIGGER}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' AND {_held(n, "OLD")} THEN {_add(n, _counted("OLD", -1))} END IF;
    IF TG_OP <> 'DELETE' AND {_held(n, "NEW")} THEN {_add(n, _counted("NEW", 1))} END IF;
    RETURN NULL;
END $$"""  # noqa: S608 - names from model metadata
    yield f"""CREATE OR REPLACE FUNCTION {HELD_TRIGGER}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.status = {n.held} AND NEW.status <> {n.held} THEN {_add(n, _of_meeting(n, -1))} END IF;
    IF OLD.status <> {n.held} AND NEW.status = {n.held} THEN {_add(n, _of_meeting(n, 1))} END IF;
    RETURN NULL;
END $$"""  # noqa: S608 - names from model metadata
    yield from _drop_statements("postgresql", n)
    yield (
        f"CREATE TRIGGER {TRIGGER} AFTER INSERT OR DELETE OR UPDATE OF {', '.join(COLUMNS)} "
        f"ON {n.attendance} FOR EACH ROW EXECUTE FUNCTION {FUNCTION}()"
    )
    yield (
        f"CREATE TRIGGER {TRIGGER}_truncate AFTER TRUNCATE ON {n.attendance} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}()"
    )
    yield (
        f"CREATE TRIGGER {TALLY_TRIGGER} AFTER INSERT OR DELETE OR UPDATE ON {n.representation} "
        f"FOR EACH ROW EXECUTE FUNCTION {TALLY_TRIGGER}()"
    )
    yield (
        f"CREATE TRIGGER {HELD_TRIGGER} AFTER UPDATE OF status ON {n.meeting} "
        f"FOR EACH ROW EXECUTE FUNCTION {HELD_TRIGGER}()"
    )


def _sqlite(quote: Any) -> Iterator[str]:
    n = _names(quote)
    yield from _drop_statements("sqlite", n)
    for event, rows in (
        ("INSERT", ("NEW",)),
        (f"UPDATE OF {', '.join(COLUMNS)}", ("OLD", "NEW")),
        ("DELETE", ("OLD",)),
    ):
        name = f"{TRIGGER}_{event.split()[0].lower()}"
        statements = [statement for row in rows for statement in _recompute(row, n)]
        yield f"CREATE TRIGGER {name} AFTER {event} ON {n.attendance} BEGIN {' '.join(statements)} END"
    for event, row, sign in (("INSERT", "NEW", 1), ("DELETE", "OLD", -1)):
        yield (
            f"CREATE TRIGGER {TALLY_TRIGGER}_{event.lower()} AFTER {event} ON {n.representation} "
            f"WHEN {_held(n, row)} BEGIN {_add(n, _counted(row, sign) + ' WHERE 1 = 1')} END"
        )
    # Representation rows are never updated (deleted and inserted again); were one, both counts move.
    taken = _add(n, _counted("OLD", -1) + " WHERE " + _held(n, "OLD"))
    added = _add(n, _counted("NEW", 1) + " WHERE " + _held(n, "NEW"))
    update = f"{TALLY_TRIGGER}_update AFTER UPDATE ON {n.representation}"
    yield f"CREATE TRIGGER {update} BEGIN {taken} {added} END"
    yield (
        f"CREATE TRIGGER {HELD_TRIGGER}_gone AFTER UPDATE OF status ON {n.meeting} "
        f"WHEN OLD.status = {n.held} AND NEW.status <> {n.held} BEGIN {_add(n, _of_meeting(n, -1))} END"
    )
    yield (
        f"CREATE TRIGGER {HELD_TRIGGER}_come AFTER UPDATE OF status ON {n.meeting} "
        f"WHEN OLD.status <> {n.held} AND NEW.status = {n.held} BEGIN {_add(n, _of_meeting(n, 1))} END"
    )


def rebuild_statements(quote: Any) -> list[str]:
    """Every meeting's representation and every authority's tally, recomputed from the rows at once."""
    n = _names(quote)
    return [
        f"DELETE FROM {n.representation}",  # noqa: S608
        f"INSERT INTO {n.representation} (meeting_id, organisation_id, represented) "  # noqa: S608
        f"SELECT meeting_id, organisation_id, {_represents('status')} FROM {n.attendance} "
        "WHERE organisation_id IS NOT NULL GROUP BY meeting_id, organisation_id",
        # The inserts above have tallied the held meetings' rows as they came: made afresh all the same.
        f"DELETE FROM {n.tally}",  # noqa: S608
        f"INSERT INTO {n.tally} (organisation_id, meetings, represented) "  # noqa: S608
        "SELECT r.organisation_id, COUNT(*), SUM(CASE WHEN r.represented THEN 1 ELSE 0 END) "
        f"FROM {n.representation} r JOIN {n.meeting} m ON m.id = r.meeting_id "
        f"WHERE m.status = {n.held} GROUP BY r.organisation_id",
    ]


def _drop_statements(vendor: str, n: _Names) -> Iterator[str]:
    if vendor == "postgresql":
        yield f"DROP TRIGGER IF EXISTS {TRIGGER} ON {n.attendance}"
        yield f"DROP TRIGGER IF EXISTS {TRIGGER}_truncate ON {n.attendance}"
        yield f"DROP TRIGGER IF EXISTS {HELD_TRIGGER} ON {n.meeting}"
        # The tally's trigger goes with its table when migrated back; dropped here when it is there.
        yield (
            f"DO $$ BEGIN IF to_regclass('{n.representation}') IS NOT NULL THEN "
            f"DROP TRIGGER IF EXISTS {TALLY_TRIGGER} ON {n.representation}; END IF; END $$"
        )
    else:
        for name in (
            *(f"{TRIGGER}_{event}" for event in ("insert", "update", "delete")),
            *(f"{TALLY_TRIGGER}_{event}" for event in ("insert", "update", "delete")),
            f"{HELD_TRIGGER}_gone",
            f"{HELD_TRIGGER}_come",
        ):
            yield f"DROP TRIGGER IF EXISTS {name}"


def install(using: str = DEFAULT_DB_ALIAS) -> bool:
    """(Re)make the triggers and rebuild the tables from the rows; idempotent. False, and no triggers,
    if the tables are not there (migrated back before them) or the database is neither engine."""
    connection = connections[using]
    statements = {"postgresql": _postgresql, "sqlite": _sqlite}.get(connection.vendor)
    if statements is None:
        return False
    quote = connection.ops.quote_name
    bare = _names(str)
    with transaction.atomic(using=using), connection.cursor() as cursor:
        existing = set(connection.introspection.table_names(cursor))
        if not {bare.attendance, bare.meeting} <= existing:
            return False
        if not {bare.representation, bare.tally} <= existing:
            for statement in _drop_statements(connection.vendor, _names(quote)):
                cursor.execute(statement)
            return False
        for statement in [*statements(quote), *rebuild_statements(quote)]:
            cursor.execute(statement)
    return True


def uninstall(using: str = DEFAULT_DB_ALIAS) -> None:
    """Drop the triggers (migrating back before the tables)."""
    connection = connections[using]
    if connection.vendor in ("postgresql", "sqlite"):
        with connection.cursor() as cursor:
            for statement in _drop_statements(connection.vendor, _names(connection.ops.quote_name)):
                cursor.execute(statement)


def on_post_migrate(using: str = DEFAULT_DB_ALIAS, **kwargs: Any) -> None:
    install(using)
