"""The index follows the records: a save or delete of a model some source names in its ``triggers``
rewrites, after the transaction commits, the entries it touches; a record with a file, new or saved
again, has its text read by a Celery task. Bulk writes (``update()``, ``bulk_create``, the benchmark
generator) send no signals: ``rebuild_search_index`` rewrites the index after them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from functools import partial
from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save

Trigger = tuple[str, Callable[[Any], Iterable[int]], bool]
_triggers: dict[type, list[Trigger]] | None = None


def _trigger_map() -> dict[type, list[Trigger]]:
    global _triggers
    if _triggers is None:
        from .services import search_sources

        found: dict[type, list[Trigger]] = defaultdict(list)
        for kind, source in search_sources().items():
            for model, ids in source.triggers.items():
                found[model].append((kind, ids, source.attachment is not None))
        _triggers = dict(found)
    return _triggers


def _reindex(kind: str, ids: list[int]) -> None:
    from .services import index_update

    index_update(kind=kind, ids=ids)


def _extract(kind: str, ids: list[int]) -> None:
    from .tasks import extract_text

    for pk in ids:
        extract_text.delay(kind, pk)


def _changed(sender: type, instance: Any, created: bool = False, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return
    for kind, ids_of, has_file in _trigger_map().get(sender, []):
        ids = [pk for pk in ids_of(instance) if pk is not None]
        if not ids:
            continue
        transaction.on_commit(partial(_reindex, kind, ids))
        # A saved record with a file is read again (a replaced file must not stay searchable by its
        # old text); a deleted one is only taken out of the index.
        if kwargs.get("signal") is post_save and has_file and ids == [instance.pk]:
            transaction.on_commit(partial(_extract, kind, ids))


def connect() -> None:
    post_save.connect(_changed, dispatch_uid="search_changed_save")
    post_delete.connect(_changed, dispatch_uid="search_changed_delete")
