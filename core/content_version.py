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
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, connections

from core import hooks

CONTENT_APPS = ("governance", "crest", "performance", "duty", "search")
# Written by the daily reminder sweeps; no page shows them.
EXCLUDED_TABLES = frozenset({"governance_reminder"})
# Tables outside the content apps whose rows pages show, and only the columns they show: a user's name
# appears in cached pages (who corrected a figure), but a sign-in, which updates only ``last_login``,
# must not re-render every page.
SHOWN_COLUMNS = {"auth_user": ("username", "first_name", "last_name", "email")}
TRIGGER = "svrp_content_changed"
# The scope of every table no app has named, read by every cached fragment.
GLOBAL = "global"
# The users' shown names (``SHOWN_COLUMNS``).
USERS = "users"


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


def _literal(scope: str) -> str:
    if not scope.replace("-", "").replace("_", "").isalnum():
        raise ValueError(f"A content scope is letters, digits, '-' and '_': {scope!r}")
    return f"'{scope}'"


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
        scopes = {t: s for t, s in scope_of_tables().items() if t in existing}
        for statement in statements(scopes, connection.ops.quote_name):
            cursor.execute(statement)
    return len(scopes)


def on_post_migrate(using: str = DEFAULT_DB_ALIAS, **kwargs: Any) -> None:
    install_triggers(using)


def current(scopes: Iterable[str] | None = None, using: str = DEFAULT_DB_ALIAS) -> int:
    """The version of ``scopes`` (with ``GLOBAL``, which every reader reads) now, or of all the content
    when ``scopes`` is None: one query over a handful of rows. Every scope's sum only grows, so their
    sum grows exactly when one of them changes."""
    with connections[using].cursor() as cursor:
        if scopes is None:
            cursor.execute("SELECT COALESCE(SUM(weight), 0) FROM core_contentchange")
        else:
            chosen = sorted({GLOBAL, *scopes})
            marks = ", ".join(["%s"] * len(chosen))
            cursor.execute(
                f"SELECT COALESCE(SUM(weight), 0) FROM core_contentchange WHERE scope IN ({marks})",  # noqa: S608
                chosen,
            )
        row = cursor.fetchone()
    return int(row[0]) if row else 0


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
