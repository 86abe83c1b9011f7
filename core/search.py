"""The contract between the apps and the portal's search (the ``SEARCH_SOURCES`` hook).

Each app says, in its own ``hooks.py``, what it offers to search: a ``SearchSource`` per kind of
record. The ``search`` app stores one index row per ``SearchDocument`` and, at query time, keeps only
the rows each source's ``visible(user)`` filter lets through. That filter is written over the fields
of ``SearchDocument`` (``kind``, ``group_id``, ``date``, ``draft``, ``confidential``) and is built by
the app from its own permission rules: the same rule its pages use, so search never offers a record
whose page would refuse the searcher.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model, Q


@dataclass(frozen=True)
class SearchDocument:
    """One record as search sees it: its words, its date and what decides who may see it."""

    kind: str
    object_id: int
    title: str
    body: str
    url: str
    date: dt.date | None = None
    # What visibility filters may read: the meeting's group (draft minutes), draft or not, confidential.
    group_id: int | None = None
    draft: bool = False
    confidential: bool = False


@dataclass(frozen=True)
class SearchSource:
    """A kind of record an app offers to search.

    - ``documents(ids)``: the documents of those objects (all of the kind when ``ids`` is None), read
      in a fixed number of queries; an id with no document (archived, deleted) drops from the index.
    - ``visible(user)``: a filter over the index's fields, or None when the user sees none of the kind.
    - ``triggers``: for each model whose change alters the documents, ``instance -> ids`` to reindex.
    - ``attachment(id)``: the stored file whose text belongs to the document, as (file, type), if any.
    """

    kind: str
    label: Any  # plural, for the kind filter ("Meetings")
    documents: Callable[[Iterable[int] | None], Iterable[SearchDocument]]
    visible: Callable[[Any], Q | None]
    triggers: Mapping[type[Model], Callable[[Any], Iterable[int]]] = field(default_factory=dict)
    attachment: Callable[[int], tuple[Any, str] | None] | None = None


NOTHING = None
"""What ``visible`` returns for a user who may see none of the kind."""
