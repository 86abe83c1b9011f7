from __future__ import annotations

from .figures import Figure, FigureCorrection
from .framework import AgeBand, Area, Measure, Outcome, Period, default_deadline
from .grants import Grant, SpendReturn
from .survey import SurveyAspect, SurveyInvitation, SurveyResponse, SurveyRound

__all__ = [
    "AgeBand",
    "Area",
    "Figure",
    "FigureCorrection",
    "Grant",
    "Measure",
    "Outcome",
    "Period",
    "SpendReturn",
    "SurveyAspect",
    "SurveyInvitation",
    "SurveyResponse",
    "SurveyRound",
    "default_deadline",
]
