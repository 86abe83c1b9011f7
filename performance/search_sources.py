"""What the performance framework offers to the portal's search (``core.hooks.SEARCH_SOURCES``).

The framework's measures, for those who may read the dashboards
(``performance.permissions.can_view_dashboard``). Figures are not indexed: a figure is a number, and
a draft belongs to its organisation until submitted, so search never offers one.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core import hooks
from core.search import SearchDocument, SearchSource

from . import permissions
from .models import Measure


def measures(ids: Iterable[int] | None) -> Iterator[SearchDocument]:
    qs = Measure.objects.current().select_related("data_source", "outcome")
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    for measure in qs:
        yield SearchDocument(
            kind="measure",
            object_id=measure.pk,
            title=f"{measure.code} {measure.short_title}",
            body=" ".join([measure.text, measure.definition, measure.data_source.name]),
            url=reverse("performance:measure", args=[measure.code]),
        )


def _visible(user: Any) -> Q | None:
    return Q() if permissions.can_view_dashboard(user) else None


@hooks.register(hooks.SEARCH_SOURCES)
def search_sources() -> list[SearchSource]:
    return [
        SearchSource(
            "measure", _("Performance measures"), measures, _visible, triggers={Measure: lambda m: [m.pk]}
        )
    ]
