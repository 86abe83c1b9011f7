"""What the performance framework adds to the portal's extension points (``core.hooks``)."""

from __future__ import annotations

from django.db.models import Model

from core import hooks

from . import (
    home,
    pack,
    reference,
    search_sources,  # noqa: F401  (registers the kinds it offers to search)
)
from .content_scopes import CORRECTIONS, FIGURES, FRAMEWORK, GRANTS, REPORTS, SURVEYS, row_scopes

hooks.register(hooks.REFERENCE_LOADERS)(reference.load_framework)
hooks.register(hooks.PACK_SECTIONS)(pack.performance_summary)
hooks.register(hooks.HOME_PANELS)(home.panels)
hooks.register(hooks.ROW_SCOPES)(row_scopes)


@hooks.register(hooks.CONTENT_SCOPES)
def content_scopes() -> dict[str, list[type[Model]]]:
    """A data provider's submission re-renders what shows figures, not the registers or meetings."""
    from . import models as m

    return {
        FRAMEWORK: [m.Outcome, m.Measure, m.Area, m.Period],
        FIGURES: [m.Figure, m.DataReturn],
        CORRECTIONS: [m.FigureCorrection],
        GRANTS: [m.Grant, m.SpendReturn],
        REPORTS: [m.Report, m.ReportVersion, m.ReportFile],
        SURVEYS: [m.SurveyAspect, m.SurveyRound, m.SurveyInvitation, m.SurveyResponse],
    }
