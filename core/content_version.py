"""Content versions: numbers that grow with every committed change to the portal's content, one per
scope of the content (the registers, meetings, attendance, actions, Crest, performance figures…).

Pages cache what is costly to render under the versions of the scopes it reads (``core.fragments``,
docs/adr/0004): recording one attendance row re-renders the meeting's record, not the membership
register, the tracker or the dashboard. The versions are kept by database triggers on every table of
``CONTENT_APPS`` (history tables and the reminders the daily cycle writes excepted), installed after
every ``migrate`` (so a new table is covered without a migration of its own). A trigger writes in the
same transaction as the change, so a reader sees the new version exactly when it sees the new rows, in
every process and on every host, and nothing that writes (a form, an import, a queryset ``update()``,
the admin, raw SQL) can forget to move it.

Each app names the scope of its tables in its ``hooks.py`` (``core.hooks.CONTENT_SCOPES``). A table no
app names is in the scope ``GLOBAL``, which every cached fragment reads: a new table is never stale,
only less finely cached until its app names its scope.

- PostgreSQL: a statement-level trigger adds 1 to the writing transaction's own ``ContentChange``
  row for the table's scope (keyed on its transaction id and the scope, so concurrent writers never
  wait for each other, and a change later in the same transaction moves the version again); a scope's
  version is the sum of its weights. ``compact()`` (nightly, Celery) folds the rows of each scope into
  one without changing the sums, so reading stays a sum over a handful of rows.
- SQLite (development and tests; one writer at a time): row triggers add 1 to the scope's one row.

A page that reads only some rows of a busy table keys on a **row scope** (``RowScope``, declared in the
app's ``hooks.py`` under ``core.hooks.ROW_SCOPES``) as well as, or instead of, the table's: the rows it
covers (those with a given value in a column, before or after the change) move it, through a row
trigger; with a key column, each value of the key has its own scope (each measure's figures). A data
provider's submission then leaves the dashboard, which shows only verified figures, cached, and
re-renders one measure's page, not every measure's.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model

from core import hooks

CONTENT_APPS = ("governance", "crest", "performance", "duty", "search")
# Written by the daily reminder sweeps; no page shows them.
EXCLUDED_TABLES = frozenset({"governance_reminder"})
# Tables outside the content apps whose rows pages show, and only the columns they show: a user's name
# appears in cached pages (who corrected a figure), but a sign-in, which updates only ``last_login``,
# must not re-render every page.
SHOWN_COLUMNS = {"auth_user": ("username", "first_name", "last_name", "email")}
TRIGGER = "svrp_content_changed"
ROW_TRIGGER = "svrp_row_scope"
# The scope of every table no app has named, read by every cached fragment.
GLOBAL = "global"
# The users' shown names (``SHOWN_COLUMNS``).
USERS = "users"


@dataclass(frozen=True)
class RowScope:
    """A scope finer than its table's: moved by each row of ``model``'s table it covers, before or
    after a change. It covers the rows whose ``only[0]`` column holds ``only[1]`` (every row when
    None); with a ``key`` column, each of its values has a scope of its own, ``name-<value>``.
    Emptying the table (TRUNCATE) moves ``name``, which every reader of the scope reads (``of``)."""

    model: type[Model]
    name: str
    key: str | None = None
    only: tuple[str, str] | None = None

    def of(self, key: object = None) -> tuple[str, ...]:
        """The scopes a fragment reading the covered rows (with this ``key``) keys on."""
        if self.key is None:
            return (self.name,)
        if key is None:
            raise ValueError(f"The row scope {self.name!r} is read for one value of {self.key!r}.")
        return keyed(self.name, key)


def keyed(name: str, key: object) -> tuple[str, ...]:
    """The scopes of a keyed row scope's rows with ``key``: its own, and ``name`` (moved when the table
    is emptied)."""
    return (name, f"{name}-{key}")


def row_scopes() -> list[RowScope]:
    return [scope for declare in hooks.get_hooks(hooks.ROW_SCOPES) for scope in declare()]


def scope_of_tables() -> dict[str, str]:
    """Each content table's scope: as its app names it (``core.hooks.CONTENT_SCOPES``, whose functions
    return ``{scope: [model, …]}``; a model's automatic many-to-many tables share its scope), else
    ``GLOBAL``."""
    named: dict[str, str] = {"auth_user": USERS}
    for declare in hooks.get_hooks(hooks.CONTENT_SCOPES):
        for scope, models in declare().items():
            for model in models:
                named[model._meta.db_table] = scope
                for m2m in model._meta.local_many_to_many:
                    through = m2m.remote_field.through  # type: ignore[attr-defined]
                    if through is not None and through._meta.auto_created:
                        named.setdefault(through._meta.db_table, scope)
    return {table: named.get(table, GLOBAL) for table in content_tables()}


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


# Table names and scopes come from model metadata and the apps' hooks, quoted; nothing from a request
# reaches these statements.
def _postgresql(scopes: dict[str, str], quote: Any) -> Iterator[str]:
    yield f"""CREATE OR REPLACE FUNCTION {TRIGGER}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO core_contentchange (txid, scope, weight) VALUES (txid_current(), TG_ARGV[0], 1)
        ON CONFLICT (txid, scope) DO UPDATE SET weight = core_contentchange.weight + 1;
    RETURN NULL;
END $$"""  # noqa: S608
    for table, scope in scopes.items():
        columns = SHOWN_COLUMNS.get(table)
        update = f"UPDATE OF {', '.join(quote(c) for c in columns)}" if columns else "UPDATE"
        yield f"DROP TRIGGER IF EXISTS {TRIGGER} ON {quote(table)}"
        yield (
            f"CREATE TRIGGER {TRIGGER} AFTER INSERT OR {update} OR DELETE OR TRUNCATE ON {quote(table)} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {TRIGGER}({_literal(scope)})"
        )


def _sqlite(scopes: dict[str, str], quote: Any) -> Iterator[str]:
    for table, scope in scopes.items():
        columns = SHOWN_COLUMNS.get(table)
        update = f"UPDATE OF {', '.join(quote(c) for c in columns)}" if columns else "UPDATE"
        for event in ("INSERT", update, "DELETE"):
            name = quote(f"{TRIGGER}_{table}_{event.split()[0].lower()}")
            yield f"DROP TRIGGER IF EXISTS {name}"
            # One writer at a time: each scope keeps one row, under transaction id 0.
            yield (
                f"CREATE TRIGGER {name} AFTER {event} ON {quote(table)} BEGIN "  # noqa: S608
                f"INSERT INTO core_contentchange (txid, scope, weight) VALUES (0, {_literal(scope)}, 1) "
                "ON CONFLICT (txid, scope) DO UPDATE SET weight = weight + 1; END"
            )


def _postgresql_rows(scopes: list[RowScope], quote: Any) -> Iterator[str]:
    # Arguments: the scope's name, its key column ('' for none), the covered rows' column and value
    # ('' for every row). Each row before and after the change moves the scope it is in.
    yield f"""CREATE OR REPLACE FUNCTION {ROW_TRIGGER}() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    item jsonb;
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        INSERT INTO core_contentchange (txid, scope, weight) VALUES (txid_current(), TG_ARGV[0], 1)
            ON CONFLICT (txid, scope) DO UPDATE SET weight = core_contentchange.weight + 1;
        RETURN NULL;
    END IF;
    FOREACH item IN ARRAY CASE TG_OP
        WHEN 'INSERT' THEN ARRAY[to_jsonb(NEW)]
        WHEN 'DELETE' THEN ARRAY[to_jsonb(OLD)]
        ELSE ARRAY[to_jsonb(OLD), to_jsonb(NEW)] END
    LOOP
        IF TG_ARGV[2] = '' OR item ->> TG_ARGV[2] = TG_ARGV[3] THEN
            INSERT INTO core_contentchange (txid, scope, weight) VALUES (
                txid_current(),
                CASE WHEN TG_ARGV[1] = '' THEN TG_ARGV[0]
                     ELSE TG_ARGV[0] || '-' || COALESCE(item ->> TG_ARGV[1], 'none') END,
                1
            ) ON CONFLICT (txid, scope) DO UPDATE SET weight = core_contentchange.weight + 1;
        END IF;
    END LOOP;
    RETURN NULL;
END $$"""  # noqa: S608
    for scope in scopes:
        table = quote(scope.model._meta.db_table)
        column, value = scope.only or ("", "")
        arguments = ", ".join(
            _literal(a, may_be_empty=True) for a in (scope.name, scope.key or "", column, value)
        )
        name = f"{ROW_TRIGGER}_{scope.name}"
        yield (
            f"CREATE TRIGGER {quote(name)} AFTER INSERT OR UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {ROW_TRIGGER}({arguments})"
        )
        yield (
            f"CREATE TRIGGER {quote(name + '_truncate')} AFTER TRUNCATE ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {ROW_TRIGGER}({arguments})"
        )


def _sqlite_rows(scopes: list[RowScope], quote: Any) -> Iterator[str]:
    for scope in scopes:
        table = quote(scope.model._meta.db_table)
        for event, rows in (("INSERT", ("NEW",)), ("UPDATE", ("OLD", "NEW")), ("DELETE", ("OLD",))):
            name = quote(f"{ROW_TRIGGER}_{scope.name}_{event.lower()}")
            moves = []
            for row in rows:
                value = _literal(scope.name)
                if scope.key:
                    value += f" || '-' || COALESCE({row}.{quote(scope.key)}, 'none')"
                covered = f"{row}.{quote(scope.only[0])} = {_literal(scope.only[1])}" if scope.only else "1"
                moves.append(
                    "INSERT INTO core_contentchange (txid, scope, weight) "  # noqa: S608
                    f"SELECT 0, {value}, 1 WHERE {covered} "
                    "ON CONFLICT (txid, scope) DO UPDATE SET weight = weight + 1;"
                )
            yield f"CREATE TRIGGER {name} AFTER {event} ON {table} BEGIN {' '.join(moves)} END"


def _drop_row_triggers(cursor: Any, vendor: str, quote: Any) -> None:
    """Drop every row-scope trigger, so a scope no longer declared stops moving."""
    if vendor == "postgresql":
        cursor.execute(
            "SELECT tgname, tgrelid::regclass::text FROM pg_trigger WHERE tgname LIKE %s",
            [f"{ROW_TRIGGER}\\_%"],
        )
        for name, table in cursor.fetchall():
            cursor.execute(f"DROP TRIGGER IF EXISTS {quote(name)} ON {table}")
    else:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s ESCAPE '\\'",
            [f"{ROW_TRIGGER}\\_%"],
        )
        for (name,) in cursor.fetchall():
            cursor.execute(f"DROP TRIGGER IF EXISTS {quote(name)}")


def _literal(text: str, *, may_be_empty: bool = False) -> str:
    """``text`` quoted for SQL: scopes, columns and values, all from model metadata and the apps' hooks,
    are letters, digits, '-' and '_' (an argument left out is '')."""
    if not (may_be_empty and text == "") and not text.replace("-", "").replace("_", "").isalnum():
        raise ValueError(f"A content scope, column or value is letters, digits, '-' and '_': {text!r}")
    return f"'{text}'"


def install_triggers(using: str = DEFAULT_DB_ALIAS) -> int:
    """(Re)install the triggers on every content table that exists; idempotent. Returns the count."""
    connection = connections[using]
    statements = {"postgresql": _postgresql, "sqlite": _sqlite}.get(connection.vendor)
    row_statements = {"postgresql": _postgresql_rows, "sqlite": _sqlite_rows}.get(connection.vendor)
    if statements is None or row_statements is None:
        return 0
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        existing = set(connection.introspection.table_names(cursor))
        if "core_contentchange" not in existing:
            return 0
        scopes = {t: s for t, s in scope_of_tables().items() if t in existing}
        for statement in statements(scopes, quote):
            cursor.execute(statement)
        _drop_row_triggers(cursor, connection.vendor, quote)
        rows = [s for s in row_scopes() if s.model._meta.db_table in existing]
        for statement in row_statements(rows, quote):
            cursor.execute(statement)
    return len(scopes)


def on_post_migrate(using: str = DEFAULT_DB_ALIAS, **kwargs: Any) -> None:
    install_triggers(using)


def current(scopes: Iterable[str] | None = None, using: str = DEFAULT_DB_ALIAS) -> int:
    """The version of ``scopes`` (with ``GLOBAL``, which every reader reads) now, or of all the content
    when ``scopes`` is None: one query over a handful of rows. Every scope's sum only grows, so their
    sum grows exactly when one of them changes."""
    if scopes is not None:
        scopes = tuple(scopes)
        return version_of(by_scope(scopes, using), scopes)
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT COALESCE(SUM(weight), 0) FROM core_contentchange")
        row = cursor.fetchone()
    return int(row[0]) if row else 0


def by_scope(scopes: Iterable[str], using: str = DEFAULT_DB_ALIAS) -> dict[str, int]:
    """The version of each of ``scopes`` and of ``GLOBAL``, in one query: for a page whose fragments read
    different scopes (``version_of`` sums a fragment's)."""
    chosen = sorted({GLOBAL, *scopes})
    marks = ", ".join(["%s"] * len(chosen))
    with connections[using].cursor() as cursor:
        cursor.execute(
            f"SELECT scope, COALESCE(SUM(weight), 0) FROM core_contentchange WHERE scope IN ({marks}) "  # noqa: S608
            "GROUP BY scope",
            chosen,
        )
        found = {scope: int(weight) for scope, weight in cursor.fetchall()}
    return {scope: found.get(scope, 0) for scope in chosen}


def version_of(versions: dict[str, int], scopes: Iterable[str]) -> int:
    """The version of ``scopes`` (with ``GLOBAL``) from ``by_scope``'s answer: what ``current`` reads."""
    return sum(versions[scope] for scope in {GLOBAL, *scopes})


def compact(using: str = DEFAULT_DB_ALIAS) -> int:
    """Fold the change rows of each scope into one, keeping their sums (the versions). Returns the rows
    folded.

    One statement: the rows it deletes are exactly the rows it sums, and a reader sees the table
    before or after it, never between. A transaction still writing keeps its own row for the next run.
    """
    connection = connections[using]
    if connection.vendor != "postgresql":
        return 0
    with connection.cursor() as cursor:
        cursor.execute(
            "WITH gone AS (DELETE FROM core_contentchange RETURNING scope, weight), "
            "merged AS (INSERT INTO core_contentchange (txid, scope, weight) "
            "SELECT NULL, scope, SUM(weight) FROM gone GROUP BY scope) "
            "SELECT COUNT(*) FROM gone"
        )
        row = cursor.fetchone()
    return int(row[0]) if row else 0
