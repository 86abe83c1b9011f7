"""The performance summary in the meeting pack: performance's section for ``governance.pack``."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from governance.models import Meeting
from governance.pack import PackSection

from . import permissions, selectors


def performance_summary(meeting: Meeting, request: Any) -> PackSection | None:
    """The framework's measures as the dashboard shows them, as at the meeting (or today, if sooner).

    Only for readers of the dashboard, with small numbers hidden from those who may not see them.
    """
    user = getattr(request, "user", None)
    if user is None or not permissions.can_view_dashboard(user):
        return None
    as_at = min(meeting.date, timezone.localdate())
    restricted = not permissions.can_see_small_numbers(user)
    summaries = selectors.dashboard(today=as_at, restricted=restricted)
    if not summaries:
        return None
    return PackSection(
        title=_("Performance summary"),
        template="performance/partials/pack_summary.html",
        context={
            "summaries": summaries,
            "quarter": selectors.collection_quarter(as_at),
            "restricted": restricted,
        },
    )
