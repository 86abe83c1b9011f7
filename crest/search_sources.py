"""What the Crest tracker offers to the portal's search (``core.hooks.SEARCH_SOURCES``).

Recommendations, for those who may read the tracker (``crest.permissions.can_view_tracker``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any
from urllib.parse import urlencode

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core import hooks
from core.search import SearchDocument, SearchSource

from . import permissions
from .models import Recommendation


def recommendations(ids: Iterable[int] | None) -> Iterator[SearchDocument]:
    qs = Recommendation.objects.current().select_related("report")
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    for rec in qs:
        yield SearchDocument(
            kind="recommendation",
            object_id=rec.pk,
            title=f"{rec.number} {rec.report.short_name}",
            body=" ".join([rec.text, rec.response_reason, rec.evidence]),
            url=f"{rec.get_absolute_url()}?{urlencode({'report': rec.report.short_name})}",
            date=rec.target_date,
        )


def _visible(user: Any) -> Q | None:
    return Q() if permissions.can_view_tracker(user) else None


@hooks.register(hooks.SEARCH_SOURCES)
def search_sources() -> list[SearchSource]:
    return [
        SearchSource(
            "recommendation",
            _("Crest recommendations"),
            recommendations,
            _visible,
            triggers={Recommendation: lambda r: [r.pk]},
        )
    ]
