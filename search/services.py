"""Keeping the search index: writes to ``SearchEntry`` and ``ExtractedText`` happen here only."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import islice

from django.db import transaction

from core import hooks
from core.search import SearchDocument, SearchSource

from .extract import extract_text
from .models import ExtractedText, SearchEntry

BATCH = 500


def search_sources() -> dict[str, SearchSource]:
    """Every kind offered by the apps (``core.hooks.SEARCH_SOURCES``), in hook order."""
    found: dict[str, SearchSource] = {}
    for provider in hooks.get_hooks(hooks.SEARCH_SOURCES):
        for source in provider():
            found[source.kind] = source
    return found


def _entry(document: SearchDocument, extracted: dict[int, str]) -> SearchEntry:
    body = document.body
    if document.object_id in extracted:
        body = f"{body}\n{extracted[document.object_id]}"
    return SearchEntry(
        kind=document.kind,
        object_id=document.object_id,
        title=document.title[:300],
        body=body,
        url=document.url,
        date=document.date,
        group_id=document.group_id,
        draft=document.draft,
        confidential=document.confidential,
    )


def _write(source: SearchSource, ids: list[int] | None) -> int:
    texts = ExtractedText.objects.filter(kind=source.kind)
    if ids is not None:
        texts = texts.filter(object_id__in=ids)
    extracted = dict(texts.values_list("object_id", "text")) if source.attachment else {}
    documents = iter(source.documents(ids))
    written = 0
    while batch := list(islice(documents, BATCH)):
        SearchEntry.objects.bulk_create([_entry(d, extracted) for d in batch])
        written += len(batch)
    return written


def index_update(*, kind: str, ids: Iterable[int]) -> int:
    """Write again the entries of these records of a kind; a record with no document leaves the index."""
    source = search_sources().get(kind)
    wanted = sorted(set(ids))
    if source is None or not wanted:
        return 0
    with transaction.atomic():
        SearchEntry.objects.filter(kind=kind, object_id__in=wanted).delete()
        return _write(source, wanted)


def index_rebuild(*, kinds: Iterable[str] | None = None) -> int:
    """Write the whole index (or some kinds of it) again from the records: after a bulk load."""
    sources = search_sources()
    chosen = [sources[k] for k in kinds if k in sources] if kinds is not None else list(sources.values())
    written = 0
    with transaction.atomic():
        for source in chosen:
            SearchEntry.objects.filter(kind=source.kind).delete()
            written += _write(source, None)
    return written


def text_extract(*, kind: str, object_id: int) -> int:
    """Read the text of a record's file once (bounded, quietly empty when unreadable), then reindex."""
    source = search_sources().get(kind)
    if source is None or source.attachment is None:
        return 0
    attachment = source.attachment(object_id)
    text = extract_text(*attachment) if attachment is not None else ""
    ExtractedText.objects.update_or_create(kind=kind, object_id=object_id, defaults={"text": text})
    index_update(kind=kind, ids=[object_id])
    return len(text)


def missing_texts() -> list[tuple[str, int]]:
    """Records with a file whose text has not been read yet (for ``rebuild_search_index --extract``)."""
    missing: list[tuple[str, int]] = []
    for kind, source in search_sources().items():
        if source.attachment is None:
            continue
        done = set(ExtractedText.objects.filter(kind=kind).values_list("object_id", flat=True))
        indexed = SearchEntry.objects.filter(kind=kind).values_list("object_id", flat=True)
        missing.extend((kind, pk) for pk in indexed if pk not in done)
    return missing
