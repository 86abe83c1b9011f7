"""The performance summary in the meeting pack: performance's section for ``governance.pack``."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from core.fragments import cached_fragment
from governance.models import Meeting
from governance.pack import PackSection

from . import permissions, selectors
from .content_scopes import FROM_ATTENDANCE_SCOPES, dashboard_scopes


def performance_summary(meeting: Meeting, request: Any) -> PackSection | None:
    """The framework's measures as the dashboard shows them, as at the meeting (or today, if sooner).

    Only for readers of the dashboard, with small numbers hidden from those who may not see them. The
    table is the same for every reader under the same rule: rendered once per version of what it reads
    (core.fragments, ADR 0004), not on every reload of the pack through a meeting.
    """
    user = getattr(request, "user", None)
    if user is None or not permissions.can_view_dashboard(user):
        return None
    as_at = min(meeting.date, timezone.localdate())
    restricted = not permissions.can_see_small_numbers(user)

    def table() -> str:
        summaries = selectors.dashboard(today=as_at, restricted=restricted, with_charts=False)
        if not summaries:
            return ""
        return render_to_string(
            "performance/partials/pack_summary.html",
            {
                "section": {
                    "summaries": summaries,
                    "quarter": selectors.collection_quarter(as_at),
                    "restricted": restricted,
                }
            },
        )

    html = cached_fragment(
        "pack-performance-summary",
        scopes=(*dashboard_scopes(), *FROM_ATTENDANCE_SCOPES),
        vary=(as_at, restricted),
        render=table,
    )
    if not html:
        return None
    return PackSection(
        title=_("Performance summary"),
        template="performance/partials/pack_summary_cached.html",
        context={"html": html},
    )
