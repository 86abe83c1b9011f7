"""What a search finds for a user: ``search(user, q, kinds, date_from, date_to)``, and its display.

Only rows some source's ``visible(user)`` lets through are ever matched: each app's own permission
rule (``core.search``), so a result never leads to a page that would refuse the searcher.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from . import backends
from .models import SearchEntry
from .services import search_sources

MAX_QUERY = 200  # characters a search may have (the form says so)
MAX_TERMS = 12
MAX_TERM = 60
SNIPPET = 240
_WORD = re.compile(r"\w+")


def terms(q: str) -> list[str]:
    """The words of a query, lower-cased, each once: the only part of user input a backend sees."""
    words = [w[:MAX_TERM] for w in _WORD.findall(q.lower()) if w.strip("_")]
    return list(dict.fromkeys(words))[:MAX_TERMS]


def visible_filter(user: Any) -> Q | None:
    """The rows this user may see: for each kind, the filter its source builds from its app's rules."""
    allowed = [
        Q(kind=kind) & rule
        for kind, source in search_sources().items()
        if (rule := source.visible(user)) is not None
    ]
    return reduce(or_, allowed) if allowed else None


def search(
    user: Any,
    q: str,
    kinds: Iterable[str] | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[SearchEntry]:
    """The entries matching every word of ``q`` that ``user`` may open, best first (lazy queryset)."""
    words = terms(q)
    visible = visible_filter(user)
    if not words or visible is None or not getattr(user, "is_authenticated", False):
        return SearchEntry.objects.none()
    queryset = SearchEntry.objects.filter(visible)
    if kinds:
        queryset = queryset.filter(kind__in=list(kinds))
    if date_from:
        queryset = queryset.filter(date__gte=date_from)
    if date_to:
        queryset = queryset.filter(date__lte=date_to)
    return backends.match(queryset, words)


def _stem(word: str) -> str:
    for suffix in ("ing", "ed", "es", "s", "e", "y"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def pattern(words: list[str]) -> re.Pattern[str] | None:
    """Words of the text to mark: those starting with a query word's stem (as the stemmers match)."""
    stems = sorted({_stem(w) for w in words}, key=len, reverse=True)
    if not stems:
        return None
    return re.compile(r"\b(?:" + "|".join(re.escape(s) for s in stems) + r")\w*", re.IGNORECASE)


def highlight(text: str, marks: re.Pattern[str] | None) -> SafeString:
    """The text, escaped, with each matching word in <mark>: record text can never become markup."""
    if marks is None:
        return escape(text)
    out: list[str] = []
    last = 0
    for found in marks.finditer(text):
        out.append(escape(text[last : found.start()]))
        out.append(f"<mark>{escape(found.group(0))}</mark>")
        last = found.end()
    out.append(escape(text[last:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece of record text above is escaped


def snippet(text: str, marks: re.Pattern[str] | None, width: int = SNIPPET) -> SafeString:
    """Some words of the text around its first match, highlighted."""
    text = " ".join(text.split())
    found = marks.search(text) if marks else None
    start = 0 if found is None else max(0, found.start() - width // 3)
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < found.start() else start  # type: ignore[union-attr]
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    piece = highlight(text[start:end], marks)
    return mark_safe(("… " if start else "") + piece + (" …" if end < len(text) else ""))  # noqa: S308


@dataclass(frozen=True)
class Result:
    kind: str
    kind_label: str
    title: SafeString
    snippet: SafeString
    url: str
    date: dt.date | None


def results(entries: Iterable[SearchEntry], q: str) -> list[Result]:
    """A page of entries as shown: kind, highlighted title and snippet, address and date."""
    marks = pattern(terms(q))
    labels = {kind: str(source.label) for kind, source in search_sources().items()}
    return [
        Result(
            kind=e.kind,
            kind_label=labels.get(e.kind, e.kind),
            title=highlight(e.title, marks),
            snippet=snippet(e.body, marks),
            url=e.url,
            date=e.date,
        )
        for e in entries
    ]
