"""The content version: a number that grows with every committed change to the portal's content.

Pages cache what is costly to render under this version (``core.fragments``, docs/adr/0004). It
is kept by database triggers on every table of ``CONTENT_APPS`` (history tables and the reminders the
daily cycle writes excepted), installed after every ``migrate`` (so a new table is covered without a
migration of its own). A trigger writes in the same transaction as the change, so a reader sees the
new version exactly when it sees the new rows, in every process and on every host, and nothing that
writes (a form, an import, a queryset ``update()``, the admin, raw SQL) can forget to move it.

- PostgreSQL: a statement-level trigger adds 1 to the writing transaction's own ``ContentChange``
  row (keyed on its transaction id, so concurrent writers never wait for each other, and a change
  later in the same transaction moves the version again); the version is the sum of the weights.
  ``compact()`` (nightly, Celery) folds the rows into one without changing the sum, so reading it
  stays a sum over a handful of rows.
- SQLite (development and tests; one writer at a time): row triggers add 1 to a single row.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, connections

CONTENT_APPS = ("governance", "crest", "performance")
# Written by the daily reminder sweeps; no page shows them.
EXCLUDED_TABLES = frozenset({"governance_reminder"})
# Tables outside the content apps whose rows pages show, and only the columns they show: a user's name
# appears in cached pages (who corrected a figure), but a sign-in, which updates only ``last_login``,
# must not re-render every page.
SHOWN_COLUMNS = {"auth_user": ("username", "first_name", "last_name", "email")}
TRIGGER = "svrp_content_changed"


def content_tables() -> list[str]:
    """The tables whose changes move the version: every table of the content apps but history, and
    the shown columns of ``SHOWN_COLUMNS``' tables."""
    tables: set[str] = set()
    for label in CONTENT_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            table = model._meta.db_table
            if model._meta.managed and not model._meta.proxy and "historical" not in table:
                tables.add(table)
    return sorted((tables - EXCLUDED_TABLES) | set(SHOWN_COLUMNS))


# Table names come from model metadata, quoted; nothing from a request reaches these statements.
def _postgresql(tables: list[str], quote: Any) -> Iterator[str]:
    yield f"""CREATE OR REPLACE FUNCTION {TRIGGER}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO core_contentchange (txid, weight) VALUES (txid_current(), 1)
        ON CONFLICT (txid) DO UPDATE SET weight = core_contentchange.weight + 1;
    RETURN NULL;
END $$"""  # noqa: S608
    for table in tables:
        columns = SHOWN_COLUMNS.get(table)
        update = f"UPDATE OF {', '.join(quote(c) for c in columns)}" if columns else "UPDATE"
        yield f"DROP TRIGGER IF EXISTS {TRIGGER} ON {quote(table)}"
        yield (
            f"CREATE TRIGGER {TRIGGER} AFTER INSERT OR {update} OR DELETE OR TRUNCATE ON {quote(table)} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {TRIGGER}()"
        )


def _sqlite(tables: list[str], quote: Any) -> Iterator[str]:
    for table in tables:
        columns = SHOWN_COLUMNS.get(table)
        update = f"UPDATE OF {', '.join(quote(c) for c in columns)}" if columns else "UPDATE"
        for event in ("INSERT", update, "DELETE"):
            name = quote(f"{TRIGGER}_{table}_{event.split()[0].lower()}")
            yield f"DROP TRIGGER IF EXISTS {name}"
            yield (
                f"CREATE TRIGGER {name} AFTER {event} ON {quote(table)} BEGIN "  # noqa: S608
                "INSERT INTO core_contentchange (id, txid, weight) VALUES (1, NULL, 1) "
                "ON CONFLICT (id) DO UPDATE SET weight = weight + 1; END"
            )


def install_triggers(using: str = DEFAULT_DB_ALIAS) -> int:
    """(Re)install the triggers on every content table that exists; idempotent. Returns the count."""
    connection = connections[using]
    statements = {"postgresql": _postgresql, "sqlite": _sqlite}.get(connection.vendor)
    if statements is None:
        return 0
    with connection.cursor() as cursor:
        existing = set(connection.introspection.table_names(cursor))
        if "core_contentchange" not in existing:
            return 0
        tables = [t for t in content_tables() if t in existing]
        for statement in statements(tables, connection.ops.quote_name):
            cursor.execute(statement)
    return len(tables)


def on_post_migrate(using: str = DEFAULT_DB_ALIAS, **kwargs: Any) -> None:
    install_triggers(using)


def current(using: str = DEFAULT_DB_ALIAS) -> int:
    """The content version now: one query over a handful of rows."""
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT COALESCE(SUM(weight), 0) FROM core_contentchange")
        row = cursor.fetchone()
    return int(row[0]) if row else 0


def compact(using: str = DEFAULT_DB_ALIAS) -> int:
    """Fold the change rows into one, keeping their sum (the version). Returns the rows folded.

    One statement: the rows it deletes are exactly the rows it sums, and a reader sees the table
    before or after it, never between. A transaction still writing keeps its own row for the next run.
    """
    connection = connections[using]
    if connection.vendor != "postgresql":
        return 0
    with connection.cursor() as cursor:
        cursor.execute(
            "WITH gone AS (DELETE FROM core_contentchange RETURNING weight), "
            "merged AS (INSERT INTO core_contentchange (txid, weight) "
            "SELECT NULL, SUM(weight) FROM gone HAVING COUNT(*) > 0) "
            "SELECT COUNT(*) FROM gone"
        )
        row = cursor.fetchone()
    return int(row[0]) if row else 0
