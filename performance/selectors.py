"""Reads the framework's pages share: the dashboard, a measure's detail, grants, the home panel.

Each runs in a fixed number of queries however many quarters of data exist: figures are read for a
window of quarters in one query and arranged in Python.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from governance.quarters import FinancialQuarter

from . import charts
from .completeness import measure_progress
from .derived import DerivedValue, derived_values
from .models import AgeBand, Area, Figure, FigureCorrection, Grant, Measure, Period, SpendReturn
from .suppression import Cell, format_number, suppress, suppress_one

TREND_QUARTERS = 8
# Comparisons reach back a year before the trend's first quarter (same quarter last year, rolling year).
WINDOW_QUARTERS = TREND_QUARTERS + 4


def collection_quarter(today: dt.date) -> FinancialQuarter:
    """The quarter whose figures are being collected: the last one to have ended."""
    return FinancialQuarter.of(today).previous()


def quarter_window(last: FinancialQuarter, count: int) -> list[FinancialQuarter]:
    return [last.minus(n) for n in range(count - 1, -1, -1)]


def short_label(quarter: FinancialQuarter) -> str:
    return f"Q{quarter.quarter} {quarter.year % 100:02d}/{(quarter.year + 1) % 100:02d}"


def _suffix(measure: Measure) -> str:
    return "%" if measure.unit == Measure.Unit.PERCENTAGE else ""


def _cell(measure: Measure, value: Decimal | None, restricted: bool) -> Cell:
    if restricted and measure.is_count and not measure.derived:
        return suppress_one(value)
    return Cell(value)


@dataclass
class Point:
    quarter: FinancialQuarter
    cell: Cell
    detail: str = ""

    @property
    def label(self) -> str:
        return self.quarter.label

    @property
    def value(self) -> Decimal | None:
        return None if self.cell.value is None else Decimal(self.cell.value)


@dataclass
class Change:
    amount: Decimal
    percent: Decimal | None
    suppressed: bool = False

    @property
    def display(self) -> str:
        if self.suppressed:
            return "*"
        sign = "+" if self.amount > 0 else ""
        text = f"{sign}{format_number(self.amount)}"
        if self.percent is not None:
            text += f" ({'+' if self.percent > 0 else ''}{self.percent:.1f}%)"
        return text


def _change(now: Point | None, then: Point | None) -> Change | None:
    if now is None or then is None or now.value is None or then.value is None:
        return None
    if now.cell.suppressed or then.cell.suppressed:
        return Change(Decimal(0), None, suppressed=True)
    amount = now.value - then.value
    percent = (Decimal(100) * amount / then.value) if then.value else None
    return Change(amount, percent)


@dataclass
class MeasureSummary:
    measure: Measure
    trend: list[Point]
    latest: Point | None
    change_previous: Change | None
    change_year: Change | None
    rolling_year: Cell | None
    rag: str | None
    chart: Any = None
    chart_id: str = ""
    # Left out of this rendering, to be filled in apart (performance.views.dashboard).
    apart: bool = False

    @property
    def suffix(self) -> str:
        return _suffix(self.measure)

    @property
    def trend_direction(self) -> str | None:
        """Whether the latest quarter moved the way the measure wants ("improving", "worsening" or
        "unchanged") on the one before; None without both, or when either is hidden."""
        change = self.change_previous
        if change is None or change.suppressed:
            return None
        if change.amount == 0:
            return "unchanged"
        better = change.amount < 0 if self.measure.direction == Measure.Direction.LOWER else change.amount > 0
        return "improving" if better else "worsening"


def _series_for(
    measures: list[Measure], quarters: list[FinancialQuarter], restricted: bool
) -> dict[int, dict[FinancialQuarter, Point]]:
    """Verified HIPS-total figures (all ages) and derived values, by measure and quarter: 3–4 queries."""
    points: dict[int, dict[FinancialQuarter, Point]] = defaultdict(dict)
    by_id = {m.pk: m for m in measures}
    rows = (
        Figure.objects.verified()
        .filter(
            measure__in=[m for m in measures if not m.derived],
            area__is_total=True,
            age_band=AgeBand.ALL,
            period__in=Period.objects.between(quarters[0], quarters[-1]),
        )
        .values_list("measure_id", "period__year", "period__quarter", "value")
    )
    for measure_id, year, quarter, value in rows:
        fq = FinancialQuarter(year, quarter)
        points[measure_id][fq] = Point(fq, _cell(by_id[measure_id], value, restricted))
    for measure in measures:
        if measure.derived:
            found: dict[FinancialQuarter, DerivedValue] = derived_values(measure.code, quarters)
            for fq, derived in found.items():
                points[measure.pk][fq] = Point(fq, Cell(derived.value), derived.detail)
    return points


def dashboard(
    *,
    today: dt.date,
    restricted: bool,
    apart: Collection[str] = (),
    only: Collection[str] | None = None,
    with_charts: bool = True,
) -> list[MeasureSummary]:
    """Every current measure's summary (or those whose codes are ``only``); the measures whose codes
    are ``apart`` are in their place, marked ``apart``, unread. Without ``with_charts`` (the pack's table)
    no chart is drawn."""
    last = collection_quarter(today)
    window = quarter_window(last, WINDOW_QUARTERS)
    trend_quarters = window[-TREND_QUARTERS:]
    measures = [
        m
        for m in Measure.objects.current().select_related("outcome", "data_source")
        if only is None or m.code in only
    ]
    series = _series_for([m for m in measures if m.code not in apart], window, restricted)
    summaries = []
    for measure in measures:
        if measure.code in apart:
            summaries.append(MeasureSummary(measure, [], None, None, None, None, None, apart=True))
            continue
        points = series.get(measure.pk, {})
        trend = [points.get(q, Point(q, Cell(None))) for q in trend_quarters]
        latest = next((p for p in reversed(trend) if p.value is not None), None)
        rolling = None
        if latest is not None and measure.is_count and not measure.derived:
            year = [points.get(latest.quarter.minus(n)) for n in range(4)]
            if all(p is not None for p in year):
                total = sum((p.value for p in year if p is not None and p.value is not None), Decimal(0))
                hidden = any(p.cell.suppressed for p in year if p is not None)
                rolling = Cell(total, True, "secondary") if hidden else _cell(measure, total, restricted)
        summary = MeasureSummary(
            measure=measure,
            trend=trend,
            latest=latest,
            change_previous=_change(latest, points.get(latest.quarter.previous())) if latest else None,
            change_year=_change(latest, points.get(latest.quarter.minus(4))) if latest else None,
            rolling_year=rolling,
            rag=None if latest is None or latest.cell.suppressed else measure.rag(latest.value),
            chart_id=f"chart-{measure.code.replace('.', '-')}",
        )
        summaries.append(summary)
        if not with_charts:
            continue
        summary.chart = charts.line_chart(
            chart_id=summary.chart_id,
            title=_("%(code)s %(title)s: the last eight quarters")
            % {"code": measure.code, "title": measure.short_title},
            description=_trend_description(measure, trend),
            labels=[short_label(q) for q in trend_quarters],
            series=[
                charts.Series(
                    _("HIPS total"),
                    tuple(None if p.cell.suppressed or p.value is None else float(p.value) for p in trend),
                )
            ],
            suffix=_suffix(measure),
            target=float(measure.target) if measure.target is not None else None,
        )
    return summaries


def _trend_description(measure: Measure, trend: list[Point]) -> str:
    suffix = _suffix(measure)
    shown = []
    for p in trend:
        value = p.cell.display or _("no figure")
        shown.append(f"{p.label}: {value}{suffix if p.value is not None and not p.cell.suppressed else ''}")
    text = _("Line chart of the HIPS total by quarter. ") + "; ".join(shown) + "."
    if measure.target is not None:
        text += " " + _("Target: %(t)s.") % {"t": format_number(measure.target)}
    return text


@dataclass
class AreaRow:
    quarter: FinancialQuarter
    cells: list[tuple[Cell, str, int | None]]  # (value, status, figure id) per area, in area order
    detail: str = ""
    locked: bool = False


@dataclass
class MeasureDetail:
    measure: Measure
    areas: list[Area]
    bands: list[tuple[str, str, list[AreaRow], Any, str]] = field(default_factory=list)
    corrections: list[FigureCorrection] = field(default_factory=list)

    @property
    def suffix(self) -> str:
        return _suffix(self.measure)


def measure_detail(*, measure: Measure, today: dt.date, restricted: bool) -> MeasureDetail:
    """Per-area figures (submitted and verified) for the last eight quarters, by age band: 4 queries."""
    quarters = quarter_window(collection_quarter(today), TREND_QUARTERS)
    areas = list(Area.objects.all())
    detail = MeasureDetail(measure=measure, areas=areas)
    if measure.derived:
        found = derived_values(measure.code, quarters)
        total_index = next((i for i, a in enumerate(areas) if a.is_total), len(areas) - 1)
        rows = []
        for q in quarters:
            cells: list[tuple[Cell, str, int | None]] = [(Cell(None), "", None)] * len(areas)
            value = found.get(q)
            cells[total_index] = (Cell(value.value if value else None), "computed" if value else "", None)
            rows.append(AreaRow(q, cells, value.detail if value else ""))
        chart_id = f"chart-{measure.code.replace('.', '-')}-all"
        chart = charts.line_chart(
            chart_id=chart_id,
            title=_("%(code)s by quarter") % {"code": measure.code},
            description=_("Line chart of the HIPS value by quarter. ")
            + "; ".join(
                f"{r.quarter.label}: {r.cells[total_index][0].display or _('no figure')}" for r in rows
            )
            + ".",
            labels=[short_label(q) for q in quarters],
            series=[charts.Series(_("HIPS total"), tuple(_float(r.cells[total_index][0]) for r in rows))],
            suffix=_suffix(measure),
            target=float(measure.target) if measure.target is not None else None,
        )
        detail.bands.append((AgeBand.ALL, str(AgeBand.ALL.label), rows, chart, chart_id))
        return detail
    figures = (
        Figure.objects.reported()
        .filter(measure=measure, period__in=Period.objects.between(quarters[0], quarters[-1]))
        .values_list(
            "pk",
            "period__year",
            "period__quarter",
            "period__locked_at",
            "area_id",
            "age_band",
            "value",
            "status",
        )
    )
    table: dict[tuple[str, FinancialQuarter], dict[int, tuple[Decimal, str, int]]] = defaultdict(dict)
    locked: set[FinancialQuarter] = set()
    for pk, year, quarter, locked_at, area_id, band, amount, status in figures:
        table[(band, FinancialQuarter(year, quarter))][area_id] = (amount, status, pk)
        if locked_at is not None:
            locked.add(FinancialQuarter(year, quarter))
    for band in measure.age_bands:
        rows = []
        for q in quarters:
            found_row = table.get((band, q), {})
            values = {a.pk: found_row.get(a.pk, (None, "", None))[0] for a in areas}
            cells_by_area = _suppressed_row(measure, areas, values, restricted)
            rows.append(
                AreaRow(
                    q,
                    [(cells_by_area[a.pk], *found_row.get(a.pk, (None, "", None))[1:]) for a in areas],
                    locked=q in locked,
                )
            )
        chart_id = f"chart-{measure.code.replace('.', '-')}-{band}"
        parts = [a for a in areas if not a.is_total]
        band_label = str(AgeBand(band).label)
        chart = charts.line_chart(
            chart_id=chart_id,
            title=_("%(code)s by area, %(band)s") % {"code": measure.code, "band": band_label.lower()},
            description=_("Line chart of each area's figure by quarter; the same numbers are in the table. ")
            + " ".join(
                f"{a.name}: "
                + ", ".join(f"{r.quarter.label} {r.cells[areas.index(a)][0].display or '–'}" for r in rows)
                + "."
                for a in parts
            ),
            labels=[short_label(q) for q in quarters],
            series=[
                charts.Series(a.name, tuple(_float(r.cells[areas.index(a)][0]) for r in rows)) for a in parts
            ],
            suffix=_suffix(measure),
        )
        detail.bands.append((band, band_label, rows, chart, chart_id))
    detail.corrections = list(
        FigureCorrection.objects.filter(figure__measure=measure)
        .select_related("figure__period", "figure__area", "corrected_by")
        .order_by("-corrected_at")
    )
    return detail


def _float(cell: Cell) -> float | None:
    return None if cell.suppressed or cell.value is None else float(cell.value)


def _suppressed_row(
    measure: Measure, areas: list[Area], values: dict[int, Decimal | None], restricted: bool
) -> dict[int, Cell]:
    if not restricted or not measure.is_count:
        return {pk: Cell(v) for pk, v in values.items()}
    total = next((a for a in areas if a.is_total), None)
    parts = {a.pk: values[a.pk] for a in areas if not a.is_total}
    result = suppress(parts, values.get(total.pk) if total else None, has_total=total is not None)
    cells = dict(result.components)
    if total is not None and result.total is not None:
        cells[total.pk] = result.total
    return cells


# Grants -------------------------------------------------------------------------------------------


@dataclass
class GrantSummary:
    grant: Grant
    returns: list[SpendReturn]
    spent: Decimal
    forecast_outturn: Decimal
    underspend: Decimal
    variance_to_date: Decimal


def grants_for_year(year: int) -> list[GrantSummary]:
    """Each grant of the financial year with its returns, spend to date and forecast outturn: 2 queries."""
    grants = Grant.objects.filter(year=year).prefetch_related(
        Prefetch(
            "returns",
            queryset=SpendReturn.objects.select_related("period", "toc_activity").order_by(
                "period__quarter", "category"
            ),
        )
    )
    summaries = []
    for grant in grants:
        returns = list(grant.returns.all())
        spent = sum((r.actual for r in returns if r.actual is not None), Decimal(0))
        outturn = sum((r.actual if r.actual is not None else r.forecast for r in returns), Decimal(0))
        variance = sum((r.variance for r in returns if r.variance is not None), Decimal(0))
        summaries.append(GrantSummary(grant, returns, spent, outturn, grant.allocation - outturn, variance))
    return summaries


# Home panels --------------------------------------------------------------------------------------


def measures_due(*, organisation_id: int | None, period: Period) -> list[Measure]:
    """The organisation's measures with no submitted (or verified) figure for the period: 1 query."""
    progress = measure_progress(period=period, organisation_ids=[organisation_id])
    found = progress.get(organisation_id, []) if organisation_id is not None else []
    return [m.measure for m in found if not m.reported]


# Verifying figures --------------------------------------------------------------------------------


@dataclass
class FigureToVerify:
    """A submitted figure as the verifier sees it: who submitted it (a person of the register, not a
    login name), what it was before (its verified value, and the value it last had before this one),
    and whether its HIPS total fails to add up."""

    figure: Figure
    submitter: str
    earlier: list[tuple[str, Decimal]]
    hips_flag: str | None


def _submitter(figure: Figure) -> str:
    user: Any = figure.submitted_by
    if user is None:
        return ""
    person = getattr(user, "person", None)  # select_related: None when the account has no register entry
    return person.full_name if person is not None else (user.get_full_name() or user.get_username())


def _previous_values(figure_ids: list[int]) -> dict[int, Decimal]:
    """Each figure's value before its latest change of value, from its history: one query."""
    runs: dict[int, list[Decimal]] = defaultdict(list)
    history = (
        Figure.history.filter(id__in=figure_ids)
        .order_by("id", "history_date", "history_id")
        .values_list("id", "value")
    )
    for pk, value in history:
        values = runs[pk]
        if not values or values[-1] != value:
            values.append(value)
    return {pk: values[-2] for pk, values in runs.items() if len(values) > 1}


def figures_to_verify() -> list[FigureToVerify]:
    """Every submitted figure awaiting verification, oldest quarter first: 4 queries, however many."""
    from .services import hips_difference_of, hips_message

    figures = list(
        Figure.objects.submitted()
        .select_related("measure__data_source", "period", "area", "submitted_by__person")
        .order_by("period__year", "period__quarter", "measure__order", "area__order", "age_band")
    )
    previous = _previous_values([f.pk for f in figures])
    totals = [f for f in figures if f.area.is_total and f.measure.is_count]
    siblings: dict[tuple[int, int, str], list[tuple[bool, Decimal]]] = defaultdict(list)
    areas = 0
    if totals:
        areas = Area.objects.filter(is_total=False).count()
        for measure_id, period_id, band, is_total, value in Figure.objects.filter(
            measure_id__in={f.measure_id for f in totals}, period_id__in={f.period_id for f in totals}
        ).values_list("measure_id", "period_id", "age_band", "area__is_total", "value"):
            siblings[(measure_id, period_id, band)].append((is_total, value))
    rows = []
    for figure in figures:
        earlier: list[tuple[str, Decimal]] = []
        if figure.verified_value is not None and figure.verified_value != figure.value:
            earlier.append((_("Verified"), figure.verified_value))
        before = previous.get(figure.pk)
        if before is not None and before not in (figure.value, figure.verified_value):
            earlier.append((_("Previously"), before))
        flag = None
        if figure in totals:
            found = siblings[(figure.measure_id, figure.period_id, figure.age_band)]
            difference = hips_difference_of(
                totals=[v for is_total, v in found if is_total],
                parts=[v for is_total, v in found if not is_total],
                areas=areas,
            )
            flag = hips_message(figure, difference)
        rows.append(FigureToVerify(figure, _submitter(figure), earlier, flag))
    return rows


# The understanding survey -------------------------------------------------------------------------


@dataclass(frozen=True)
class NextSurveyRound:
    """When no round is open: the quarter the next round asks about and the day it opens."""

    quarter: FinancialQuarter
    opens_on: dt.date
    due: bool  # the day has come: VRU staff open it now


def next_survey_round(*, rounds: Collection[Any], today: dt.date) -> NextSurveyRound | None:
    """A round asks about a quarter and opens once that quarter is over: the next one is for the
    quarter after the latest round's (or, before any round, the quarter being collected) and opens the
    day after it ends. None while a round is open. ``rounds`` are the rounds read for the page."""
    if any(r.is_open for r in rounds):
        return None
    latest = max((r.period.fq for r in rounds), default=None)
    quarter = latest.next() if latest is not None else collection_quarter(today)
    opens_on = quarter.end + dt.timedelta(days=1)
    return NextSurveyRound(quarter, opens_on, due=opens_on <= today)
