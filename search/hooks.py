"""What the search app adds to others' registries (``core.hooks``)."""

from __future__ import annotations

from django.db.models import Model

from core import hooks

from .content_scopes import SEARCH


@hooks.register(hooks.CONTENT_SCOPES)
def content_scopes() -> dict[str, list[type[Model]]]:
    """The index's own scope: re-indexing a record moves it in the same transaction as the rows, so a
    cached page of results is never older than the index it was read from."""
    from .models import ExtractedText, SearchEntry

    return {SEARCH: [SearchEntry, ExtractedText]}
