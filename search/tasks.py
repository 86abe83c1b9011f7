"""Celery tasks of search: thin, they take ids and call a service."""

from __future__ import annotations

from celery import shared_task

from core.retry import RETRY


@shared_task(name="search.extract_text", **RETRY)
def extract_text(kind: str, object_id: int) -> int:
    """Read a new upload's text into the index (idempotent: a second run writes the same)."""
    from .services import text_extract

    return text_extract(kind=kind, object_id=object_id)


@shared_task(name="search.rebuild_index", **RETRY)
def rebuild_index() -> int:
    from .services import index_rebuild

    return index_rebuild()
