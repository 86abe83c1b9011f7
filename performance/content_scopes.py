"""The scopes of the performance framework's content (``core.content_version``): each cached fragment
names the ones it reads, and is rendered again only when one of them changes."""

from governance.content_scopes import ATTENDANCE, MEETINGS, REGISTERS

from .derived import ATTENDANCE as ATTENDANCE_MEASURE

FRAMEWORK = "performance-framework"
FIGURES = "figures"
GRANTS = "grants"
REPORTS = "reports"
SURVEYS = "surveys"

# Measures derived from the attendance register rather than from submitted figures.
FROM_ATTENDANCE = frozenset({ATTENDANCE_MEASURE})


def measure_scopes(code: str) -> tuple[str, ...]:
    """What a measure's section reads: the framework, its data source (an organisation), and its
    figures (submitted, from the survey, or from the board's attendance)."""
    if code in FROM_ATTENDANCE:
        return (FRAMEWORK, REGISTERS, ATTENDANCE, MEETINGS)
    return (FRAMEWORK, REGISTERS, FIGURES, SURVEYS)
