"""Server-rendered fragments cached on the version of the data they show.

A large register or tracker costs far more to render than to read. Such a fragment is rendered once per
version of its data and reused: the version is the row count and the latest ``modified`` of each table
the fragment shows, read in one query, so an edit, an addition or a deletion anywhere in those tables
gives a new key at once, in every process (nothing has to be invalidated). The tables are those of
``TimeStamped`` models whose writes go through ``save()`` (``modified`` is ``auto_now``; a queryset
``update()`` would not change the version, so services do not use one), or many-to-many links, which
change only by rows added (a higher id) or removed (a lower count). See docs/adr/0004.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.db.models import Model
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

# Unused versions simply age out.
FRAGMENT_TIMEOUT = 60 * 60


def data_version(models: Iterable[type[Model]]) -> str:
    """The row count and latest change of each model's table, in one query."""
    # Table and column names come from model metadata, quoted; nothing from a request reaches the SQL.
    quote = connection.ops.quote_name
    columns = []
    for model in models:
        table = quote(model._meta.db_table)
        # A table without ``modified`` (a many-to-many link) changes only by rows added or removed:
        # an added row has a higher id.
        fields = {f.name for f in model._meta.concrete_fields}
        latest = quote("modified" if "modified" in fields else str(model._meta.pk.column))
        columns.append(f"(SELECT COUNT(*) FROM {table})")  # noqa: S608
        columns.append(f"(SELECT MAX({latest}) FROM {table})")  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(columns))
        row = cursor.fetchone()
    return hashlib.sha256(repr(row).encode()).hexdigest()[:20]


def cached_fragment(
    name: str, *, models: Iterable[type[Model]], vary: Iterable[Any], render: Callable[[], str]
) -> SafeString:
    """``render()``'s HTML for this version of the data, today, in this language and ``vary``."""
    parts = [name, data_version(models), timezone.localdate().isoformat(), translation.get_language(), *vary]
    key = "svrp:fragment:" + hashlib.sha256(repr(parts).encode()).hexdigest()
    html = cache.get(key)
    if html is None:
        html = render()
        cache.set(key, html, FRAGMENT_TIMEOUT)
    return mark_safe(html)  # noqa: S308 - rendered by our own templates, autoescaped
