"""Home page panels: figures due (data providers); figures to verify and report drafts (VRU staff)."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone

from core.panels import Panel
from core.roles import Role, has_role

from . import permissions
from .models import Figure, Period, ReportVersion
from .selectors import collection_quarter, measures_due


def panels(request: HttpRequest) -> list[Panel]:
    user = request.user
    found: list[Panel] = []
    if has_role(user, Role.DATA_PROVIDER):
        today = timezone.localdate()
        period = Period.objects.for_quarter(collection_quarter(today)).first()
        due = (
            measures_due(organisation_id=permissions.person_organisation_id(user), period=period)
            if period is not None and not period.is_locked
            else []
        )
        found.append(
            Panel(
                "performance/partials/figures_due_panel.html",
                {
                    "period": period,
                    "measures": due,
                    "overdue": period is not None and today > period.deadline,
                },
            )
        )
    if permissions.can_verify(user):
        found.append(
            Panel(
                "performance/partials/figures_to_verify_panel.html",
                {"count": Figure.objects.submitted().count()},
            )
        )
    if permissions.can_manage(user):
        drafts = ReportVersion.objects.filter(status=ReportVersion.Status.DRAFT).select_related("report")
        found.append(
            Panel(
                "performance/partials/report_drafts_panel.html",
                {"drafts": list(drafts.order_by("-report__year", "-report__quarter")[:4])},
            )
        )
    return found
