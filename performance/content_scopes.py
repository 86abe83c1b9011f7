"""The scopes of the performance framework's content (``core.content_version``): each cached fragment
names the ones it reads, and is rendered again only when one of them changes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.content_version import keyed
from governance.content_scopes import ATTENDANCE, MEETINGS, REGISTERS

from .derived import ATTENDANCE as ATTENDANCE_MEASURE

if TYPE_CHECKING:
    from core.content_version import RowScope

    from .models import Measure

FRAMEWORK = "performance-framework"
# Every figure and data return: what the completeness pages and the report read.
FIGURES = "figures"
# A figure's corrections, with who made them and why (a measure's page lists them).
CORRECTIONS = "figure-corrections"
GRANTS = "grants"
REPORTS = "reports"
SURVEYS = "surveys"
# Row scopes (``core.content_version.RowScope``, declared in ``hooks.py``): the verified figures, which
# are all the dashboard shows, and each measure's figures, which are all its page shows. A data
# provider's submission moves its measure's scope, not the dashboard's.
VERIFIED_FIGURES = "figures-verified"
MEASURE_FIGURES = "figures-of-measure"

# Measures derived from the attendance register rather than from submitted figures, and what their
# sections read.
FROM_ATTENDANCE = frozenset({ATTENDANCE_MEASURE})
FROM_ATTENDANCE_SCOPES = (FRAMEWORK, REGISTERS, ATTENDANCE, MEETINGS)


def row_scopes() -> list[RowScope]:
    from core.content_version import RowScope

    from .models import Figure

    return [
        RowScope(Figure, VERIFIED_FIGURES, only=("status", Figure.Status.VERIFIED.value)),
        RowScope(Figure, MEASURE_FIGURES, key="measure_id"),
    ]


def dashboard_scopes() -> tuple[str, ...]:
    """What the dashboard reads, but for the measures derived from attendance (``measure_scopes``):
    the framework, the data sources (organisations), the verified figures and the survey."""
    return (FRAMEWORK, REGISTERS, VERIFIED_FIGURES, SURVEYS)


def measure_scopes(measure: Measure) -> tuple[str, ...]:
    """What a measure's section reads: the framework, its data source (an organisation), and its
    figures (submitted and verified, with their corrections; from the survey; or from the board's
    attendance)."""
    if measure.code in FROM_ATTENDANCE:
        return FROM_ATTENDANCE_SCOPES
    return (FRAMEWORK, REGISTERS, *keyed(MEASURE_FIGURES, measure.pk), CORRECTIONS, SURVEYS)
