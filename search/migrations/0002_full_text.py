"""The database's own full-text index over ``SearchEntry`` (title weighted above body).

PostgreSQL: a stored ``tsvector`` column (English configuration, title as weight A, body as B) that
the database computes on every write, with a GIN index. SQLite: an external-content FTS5 table
(Porter stemming) kept by triggers. The column and the virtual table are not in Django's model state:
``search.backends`` reads them by name.
"""

from __future__ import annotations

from django.db import migrations

POSTGRES = [
    """
    ALTER TABLE search_searchentry ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A')
        || setweight(to_tsvector('english'::regconfig, coalesce(left(body, 500000), '')), 'B')
    ) STORED
    """,
    "CREATE INDEX search_entry_vector ON search_searchentry USING GIN (search_vector)",
]
POSTGRES_REVERSE = [
    "DROP INDEX IF EXISTS search_entry_vector",
    "ALTER TABLE search_searchentry DROP COLUMN IF EXISTS search_vector",
]
SQLITE = [
    """
    CREATE VIRTUAL TABLE search_searchentry_fts USING fts5(
        title, body, content='search_searchentry', content_rowid='id', tokenize='porter unicode61'
    )
    """,
    """
    CREATE TRIGGER search_searchentry_ai AFTER INSERT ON search_searchentry BEGIN
        INSERT INTO search_searchentry_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
    END
    """,
    """
    CREATE TRIGGER search_searchentry_ad AFTER DELETE ON search_searchentry BEGIN
        INSERT INTO search_searchentry_fts(search_searchentry_fts, rowid, title, body)
        VALUES ('delete', old.id, old.title, old.body);
    END
    """,
    """
    CREATE TRIGGER search_searchentry_au AFTER UPDATE ON search_searchentry BEGIN
        INSERT INTO search_searchentry_fts(search_searchentry_fts, rowid, title, body)
        VALUES ('delete', old.id, old.title, old.body);
        INSERT INTO search_searchentry_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
    END
    """,
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS search_searchentry_au",
    "DROP TRIGGER IF EXISTS search_searchentry_ad",
    "DROP TRIGGER IF EXISTS search_searchentry_ai",
    "DROP TABLE IF EXISTS search_searchentry_fts",
]


def _run(statements: dict[str, list[str]]):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor):  # type: ignore[no-untyped-def]
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES, "sqlite": SQLITE}),
            _run({"postgresql": POSTGRES_REVERSE, "sqlite": SQLITE_REVERSE}),
        )
    ]
