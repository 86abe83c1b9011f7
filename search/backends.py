"""Full-text matching and ranking, one backend per database, behind one call: ``match(queryset, terms)``.

``terms`` are plain words (``search.query.terms``), so no user input ever reaches the database's
query syntax: PostgreSQL receives them through ``plainto_tsquery``; SQLite's FTS5 receives each as a
quoted string. Both match every term (AND) and rank title matches above body matches and more
occurrences above fewer.
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from .models import SearchEntry

# bm25 weights of the FTS5 columns (title, body): a title match counts as ten body matches.
SQLITE_WEIGHTS = (10.0, 1.0)


def _postgres(queryset: QuerySet[SearchEntry], terms: list[str]) -> QuerySet[SearchEntry]:
    query = SearchQuery(" ".join(terms), config="english", search_type="plain")
    vector = RawSQL('"search_searchentry"."search_vector"', [], output_field=SearchVectorField())
    return (
        queryset.alias(vector=vector)
        .filter(vector=query)
        .annotate(rank=SearchRank(vector, query))
        .order_by("-rank", "-date", "pk")
    )


def _sqlite(queryset: QuerySet[SearchEntry], terms: list[str]) -> QuerySet[SearchEntry]:
    match = " ".join('"{}"'.format(term.replace('"', '""')) for term in terms)
    title, body = SQLITE_WEIGHTS
    return queryset.extra(  # noqa: S610 - fixed SQL; the only input is a bound parameter
        tables=["search_searchentry_fts"],
        where=["search_searchentry_fts.rowid = search_searchentry.id", "search_searchentry_fts MATCH %s"],
        params=[match],
        select={"rank": f"-bm25(search_searchentry_fts, {title}, {body})"},
    ).order_by("-rank", "-date", "pk")


def match(queryset: QuerySet[SearchEntry], terms: list[str]) -> QuerySet[SearchEntry]:
    if connection.vendor == "postgresql":
        return _postgres(queryset, terms)
    return _sqlite(queryset, terms)
