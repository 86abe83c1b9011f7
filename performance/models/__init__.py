from __future__ import annotations

from .figures import Figure, FigureCorrection
from .framework import AgeBand, Area, Measure, Outcome, Period, default_deadline
from .grants import Grant, SpendReturn
from .reports import ImmutableVersionError, Report, ReportFile, ReportVersion
from .returns import DataReturn
from .survey import SurveyAspect, SurveyInvitation, SurveyResponse, SurveyRound

__all__ = [
    "AgeBand",
    "DataReturn",
    "Area",
    "Figure",
    "FigureCorrection",
    "Grant",
    "ImmutableVersionError",
    "Measure",
    "Outcome",
    "Period",
    "Report",
    "ReportFile",
    "ReportVersion",
    "SpendReturn",
    "SurveyAspect",
    "SurveyInvitation",
    "SurveyResponse",
    "SurveyRound",
    "default_deadline",
]
