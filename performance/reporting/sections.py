"""The report's nine sections, assembled from the portal's own records (never retyped).

A section is one or more tables; a table's rows come from a function called afresh for each output
format, so rows stream from the database (``iterator()``) and nobody holds the whole action log twice.
Cells are plain values: ``int``/``Decimal`` for numbers (numeric cells in the spreadsheet), text,
dates and ``None`` for nothing (its reason in a note). A figure the report computes is yielded as a
``Traced`` value: the number with the rule that made it and the records it counted or summed. The
formats write its value; the "Sources" section (``provenance``) lists every one of them with the cell
it sits in, and ``reconcile`` checks the stored files against the records by another path.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core import hooks
from governance.models import (
    Action,
    Attendance,
    DutyStatus,
    Meeting,
    Membership,
    Organisation,
    Seat,
    TermsOfReference,
    svrp_lookup,
)
from governance.quarters import FinancialQuarter

from ..models import AgeBand, Area, Figure, Grant, Measure, Period, ReportVersion, SpendReturn
from ..selectors import TREND_QUARTERS, _series_for, quarter_window, short_label
from ..suppression import SUPPRESSED, Cell

Value = Any
Row = tuple[Value, ...]
HOME_OFFICE_CODES = ("1.1.1.a", "1.1.1.b", "1.1.1.c")
SHEET_NAME_LIMIT = 31  # Excel's limit on a sheet's name
PDF_ROW_LIMIT = 200  # long lists are complete in the XLSX and CSV; the PDF shows their start

# The rules that make the report's figures, as the "Sources" part states them.
RULE_FIGURE = "The verified figure for the measure, age band and area in the quarter."
RULE_ROLLING = "The sum of the verified figures of the quarter and the three before it."
RULE_CHANGE = "The quarter's verified figure less the same quarter's a year before."
RULE_SERIES = "The verified HIPS figure for all ages in the quarter."
RULE_REPRESENTED = (
    "Distinct specified and relevant authorities represented (present, deputy or officer for the authority) "
    "at the meeting."
)
RULE_AUTHORITIES = "Specified and relevant authorities in the register."
RULE_STATUS = "Specified and relevant authorities whose best attendance at the meeting had this status."
RULE_ATTENDED = "SVRP meetings held in the quarter at which the authority was represented."
RULE_HELD = "SVRP meetings in the quarter that were not cancelled."
RULE_OPENED = "Actions raised in the quarter (their raised-on date)."
RULE_COMPLETED = "Actions completed in the quarter (their completion date)."
RULE_OVERDUE = "Actions raised by the quarter's end, not done by then, past their due date at its end."
RULE_OPEN = "Actions raised by the quarter's end and not done by then (superseded and closed ones aside)."
RULE_SPEND = "The sum of the grant's spend returns for the category: %s."


@dataclass(frozen=True)
class Traced:
    """A figure of the report with its provenance: the rule that made it and the records behind it.

    ``records`` are (key, label) pairs: the key names the record ("action:12", "attendance:40",
    "figure:7", "spend-return:3"), the label is what a reader recognises ("SVRP-2026-3").
    """

    value: Value
    rule: str
    records: tuple[tuple[str, str], ...] = ()


def plain(value: Value) -> Value:
    return value.value if isinstance(value, Traced) else value


@dataclass
class Table:
    """A table of a section. ``rows()`` gives plain values (what every format writes); ``traced_rows()``
    gives the same rows with each computed figure still ``Traced``."""

    title: str
    headers: tuple[str, ...]
    rows: Callable[[], Iterable[Row]]
    slug: str = ""
    traced_rows: Callable[[], Iterable[Row]] = field(init=False)

    def __post_init__(self) -> None:
        source = self.rows
        self.traced_rows = source
        self.rows = lambda: (tuple(plain(value) for value in row) for row in source())


@dataclass
class Section:
    number: int
    slug: str
    title: str
    tables: list[Table]
    charts: list[Any] = field(default_factory=list)  # server-rendered SVG, for the PDF only
    sheet_name: str = ""  # a shorter name for the XLSX sheet when the title is too long for one

    @property
    def sheet_title(self) -> str:
        """The XLSX sheet's name, whole: Excel allows 31 characters, so a longer one is refused, not cut."""
        name = f"{self.number} {self.sheet_name or self.title}"
        if len(name) > SHEET_NAME_LIMIT:
            raise ValueError(f"Sheet name {name!r} is longer than {SHEET_NAME_LIMIT} characters")
        return name


def _cell_value(cell: Cell | None) -> Value:
    if cell is None or cell.value is None:
        return None
    if cell.suppressed:
        return SUPPRESSED
    return cell.value


def _decimal(value: Value) -> Decimal | None:
    return None if value is None or value == SUPPRESSED else Decimal(value)


@dataclass
class ReportContext:
    """What every section needs to know: the quarter, the version and "today" for the report."""

    quarter: FinancialQuarter
    version: ReportVersion
    today: dt.date

    @property
    def quarter_end(self) -> dt.date:
        return self.quarter.end


# (1) Period, status and sign-off -----------------------------------------------------------------


def period_section(ctx: ReportContext) -> Section:
    def rows() -> Iterator[Row]:
        version = ctx.version
        period = Period.objects.for_quarter(ctx.quarter).first()
        yield (_("Handling marking"), settings.SVRP_REPORT_MARKING)
        yield (_("Financial quarter"), ctx.quarter.label)
        yield (_("Quarter start"), ctx.quarter.start)
        yield (_("Quarter end"), ctx.quarter.end)
        yield (_("Data deadline"), period.deadline if period else None)
        yield (_("Figures locked"), _("Yes") if period and period.is_locked else _("No"))
        yield (_("Report version"), version.number)
        yield (_("Status"), str(version.get_status_display()))
        yield (_("Generated"), timezone.localtime(version.generated_at).replace(tzinfo=None))
        yield (
            _("Submitted by"),
            (version.submitted_by.get_full_name() or version.submitted_by.get_username())
            if version.submitted_by
            else None,
        )
        submitted_at = version.submitted_at
        yield (
            _("Submitted"),
            timezone.localtime(submitted_at).replace(tzinfo=None) if submitted_at else None,
        )
        if version.correction_reason:
            yield (_("Reason for the correction"), version.correction_reason)

    return Section(
        1,
        "period",
        _("Period and sign-off"),
        [Table("", (_("Item"), _("Value")), rows)],
    )


# (2) Home Office measures ------------------------------------------------------------------------


def _rolling(values: dict[FinancialQuarter, Value], quarter: FinancialQuarter) -> Value:
    year = [values.get(quarter.minus(n)) for n in range(4)]
    if any(v is None for v in year):
        return None
    if any(v == SUPPRESSED for v in year):
        return SUPPRESSED
    return sum((Decimal(v) for v in year if v is not None), Decimal(0))


def home_office_rows(ctx: ReportContext) -> list[dict[str, Any]]:
    """Each Home Office measure by age band and area: quarter, rolling year, baseline, change, RAG.

    The true figures: the report goes to the Home Office, which asked for them, under the partnership's
    handling marking (``SVRP_REPORT_MARKING``). Small-number suppression is for what leaves the board for
    the public (the published pages and the safe-to-share CSV), never for this report.
    """
    measures = list(
        Measure.objects.current().filter(code__in=HOME_OFFICE_CODES).select_related("data_source")
    )
    areas = list(Area.objects.all())
    quarters = quarter_window(ctx.quarter, 8)  # this quarter, the year before it, and a year back
    found: dict[tuple[int, str, FinancialQuarter], dict[int, tuple[Decimal, int]]] = defaultdict(dict)
    for pk, measure_id, band, year, quarter, area_id, value in (
        Figure.objects.verified()
        .filter(measure__in=measures, period__in=Period.objects.between(quarters[0], quarters[-1]))
        .values_list("pk", "measure_id", "age_band", "period__year", "period__quarter", "area_id", "value")
        .order_by()
    ):
        found[(measure_id, band, FinancialQuarter(year, quarter))][area_id] = (value, pk)
    result = []
    for measure in measures:
        for band in measure.age_bands:
            shown: dict[int, dict[FinancialQuarter, Value]] = defaultdict(dict)
            figure_of: dict[int, dict[FinancialQuarter, int]] = defaultdict(dict)
            for q in quarters:
                values = found.get((measure.pk, band, q), {})
                if not values:
                    continue
                for area in areas:
                    figure = values.get(area.pk)
                    shown[area.pk][q] = _cell_value(Cell(figure[0])) if figure else None
                    if figure:
                        figure_of[area.pk][q] = figure[1]

            def figures(
                area_pk: int,
                *wanted: FinancialQuarter,
                figure_of: dict[int, dict[FinancialQuarter, int]] = figure_of,
            ) -> tuple[tuple[str, str], ...]:
                return tuple(
                    (f"figure:{pk}", _("Figure %(pk)s, %(q)s, verified") % {"pk": pk, "q": q.label})
                    for q in wanted
                    if (pk := figure_of[area_pk].get(q))
                )

            for area in areas:
                series = shown.get(area.pk, {})
                now = series.get(ctx.quarter)
                then = series.get(ctx.quarter.minus(4))
                if now is None or then is None:
                    change: Value = None
                elif SUPPRESSED in (now, then):
                    change = SUPPRESSED
                else:
                    change = Decimal(now) - Decimal(then)
                rag = None
                if area.is_total and now not in (None, SUPPRESSED):
                    rag = measure.rag(Decimal(now))
                rolling = _rolling(series, ctx.quarter) if measure.is_count else None
                four = [ctx.quarter.minus(n) for n in range(4)]
                result.append(
                    {
                        "measure": measure,
                        "band": band,
                        "area": area,
                        "quarter": now,
                        "rolling": rolling,
                        "baseline": measure.baseline if area.is_total and band == AgeBand.ALL else None,
                        "change": change,
                        "rag": str(dict(_rag_labels()).get(rag, "")) if rag else "",
                        "source": measure.data_source.name,
                        "trend": [series.get(q) for q in quarters[-TREND_QUARTERS:]],
                        "sources": {
                            "quarter": Traced(now, RULE_FIGURE, figures(area.pk, ctx.quarter)),
                            "rolling": Traced(rolling, RULE_ROLLING, figures(area.pk, *four)),
                            "change": Traced(
                                change, RULE_CHANGE, figures(area.pk, ctx.quarter, ctx.quarter.minus(4))
                            ),
                        },
                    }
                )
    return result


def _rag_labels() -> list[tuple[str, str]]:
    from governance.models import RAG

    return [(value, str(label)) for value, label in RAG.choices]


def _home_office_note(r: dict[str, Any], waiting: set[tuple[int, str, int]]) -> str:
    """Why a number cell of the row is empty: said in words, never a symbol in the number column."""
    notes = []
    if r["quarter"] is None:
        if (r["measure"].pk, r["band"], r["area"].pk) in waiting:
            notes.append(_("The quarter's figure is submitted but not yet verified."))
        else:
            notes.append(_("No figure for the quarter."))
    if r["measure"].is_count and r["rolling"] is None:
        notes.append(_("No rolling year: a quarter of it has no verified figure."))
    if r["change"] is None and r["quarter"] is not None:
        notes.append(_("No change: the same quarter last year has no verified figure."))
    return " ".join(notes)


def home_office_section(ctx: ReportContext) -> Section:
    def rows() -> Iterator[Row]:
        waiting = set(
            Figure.objects.submitted()
            .filter(
                measure__code__in=HOME_OFFICE_CODES,
                period__year=ctx.quarter.year,
                period__quarter=ctx.quarter.quarter,
            )
            .values_list("measure_id", "age_band", "area_id")
        )
        for r in home_office_rows(ctx):
            yield (
                r["measure"].code,
                r["measure"].short_title,
                str(AgeBand(r["band"]).label),
                r["area"].name,
                r["sources"]["quarter"] if r["quarter"] is not None else None,
                r["sources"]["rolling"] if r["rolling"] is not None else None,
                r["baseline"],
                r["sources"]["change"] if r["change"] is not None else None,
                r["rag"],
                r["source"],
                _home_office_note(r, waiting),
            )

    headers = (
        _("Code"),
        _("Measure"),
        _("Age band"),
        _("Area"),
        _("Quarter"),
        _("Rolling 12 months"),
        _("Baseline"),
        _("Change on the same quarter last year"),
        _("RAG"),
        _("Source"),
        _("Note"),
    )
    return Section(2, "home-office-measures", _("Home Office measures"), [Table("", headers, rows)])


# (3) The whole framework, last eight quarters ----------------------------------------------------


def framework_rows(ctx: ReportContext) -> tuple[list[FinancialQuarter], list[tuple[Measure, list[Value]]]]:
    quarters = quarter_window(ctx.quarter, TREND_QUARTERS)
    measures = list(Measure.objects.current().select_related("outcome", "data_source"))
    series = _series_for(measures, quarters, restricted=False)  # the true figures (home_office_rows)
    figure_of = {
        (measure_id, FinancialQuarter(year, quarter)): pk
        for pk, measure_id, year, quarter in Figure.objects.verified()
        .filter(
            measure__in=[m for m in measures if not m.derived],
            area__is_total=True,
            age_band=AgeBand.ALL,
            period__in=Period.objects.between(quarters[0], quarters[-1]),
        )
        .values_list("pk", "measure_id", "period__year", "period__quarter")
        .order_by()
    }
    table = []
    for measure in measures:
        points = series.get(measure.pk, {})
        values: list[Value] = []
        for q in quarters:
            value = _cell_value(points[q].cell) if q in points else None
            if value is None:
                values.append(None)
            elif measure.derived:
                values.append(Traced(value, points[q].detail or str(measure.short_title)))
            else:
                pk = figure_of.get((measure.pk, q))
                records = ((f"figure:{pk}", _("Figure %(pk)s, %(q)s, verified") % {"pk": pk, "q": q.label}),)
                values.append(Traced(value, RULE_SERIES, records if pk else ()))
        table.append((measure, values))
    return quarters, table


def framework_section(ctx: ReportContext) -> Section:
    quarters = quarter_window(ctx.quarter, TREND_QUARTERS)

    def rows() -> Iterator[Row]:
        _quarters, table = framework_rows(ctx)
        for measure, values in table:
            missing = [short_label(q) for q, v in zip(quarters, values, strict=True) if v is None]
            yield (
                measure.outcome.code,
                measure.code,
                measure.short_title,
                str(measure.get_unit_display()),
                *values,
                _("No verified figure for %(quarters)s.") % {"quarters": ", ".join(missing)}
                if missing
                else "",
            )

    headers = (
        _("Outcome"),
        _("Code"),
        _("Measure"),
        _("Unit"),
        *[short_label(q) for q in quarters],
        _("Note"),
    )
    return Section(
        3,
        "framework",
        _("Framework, last eight quarters"),
        [Table("", headers, rows)],
        sheet_name=_("Framework, 8 quarters"),
    )


# (4) Meetings and attendance by authority --------------------------------------------------------


def _svrp_meetings(ctx: ReportContext) -> list[Meeting]:
    return list(
        Meeting.objects.in_quarter(ctx.quarter)
        .filter(svrp_lookup("group__"))
        .select_related("group")
        .order_by("date", "start_time", "pk")
    )


def meetings_section(ctx: ReportContext) -> Section:
    def data() -> tuple[list[Meeting], list[Organisation], dict[int, dict[int, tuple[str, int]]]]:
        meetings = _svrp_meetings(ctx)
        authorities = list(Organisation.objects.duty_authorities().order_by("name"))
        # meeting -> organisation -> (best status, the attendance row that has it)
        status: dict[int, dict[int, tuple[str, int]]] = defaultdict(dict)
        rank = {
            Attendance.Status.PRESENT: 0,
            Attendance.Status.DEPUTY: 1,
            Attendance.Status.GUEST: 2,  # an officer recorded as a guest for the authority
            Attendance.Status.APOLOGIES: 3,
            Attendance.Status.ABSENT: 4,
            Attendance.Status.EXPECTED: 5,
        }
        for pk, meeting_id, organisation_id, st in (
            Attendance.objects.filter(meeting__in=meetings, organisation__isnull=False)
            .values_list("pk", "meeting_id", "organisation_id", "status")
            .order_by("pk")
        ):
            best = status[meeting_id].get(organisation_id)
            if best is None or rank.get(st, 9) < rank.get(best[0], 9):  # type: ignore[call-overload]
                status[meeting_id][organisation_id] = (st, pk)
        return meetings, authorities, status

    def attendance(
        rows: list[tuple[int, int]], names: dict[int, str], meeting: Meeting
    ) -> tuple[tuple[str, str], ...]:
        return tuple(
            (f"attendance:{pk}", _("%(org)s at %(meeting)s") % {"org": names[org], "meeting": meeting})
            for org, pk in rows
        )

    def meeting_rows() -> Iterator[Row]:
        meetings, authorities, status = data()
        n_total = len(authorities)
        names = {a.pk: a.name for a in authorities}
        everyone = tuple((f"organisation:{a.pk}", a.name) for a in authorities)
        for m in meetings:
            seen = status.get(m.pk, {})
            by_status: dict[str, list[tuple[int, int]]] = defaultdict(list)
            for org, (st, pk) in seen.items():
                if org in names:
                    by_status[st].append((org, pk))
            represented = [row for st in Attendance.REPRESENTING for row in by_status[st]]
            cancelled = m.status == Meeting.Status.CANCELLED

            def count(
                st: str, by_status: dict[str, list[tuple[int, int]]] = by_status, m: Meeting = m
            ) -> Traced:
                rows = sorted(by_status[st])
                return Traced(len(rows), f"{RULE_STATUS} ({st})", attendance(rows, names, m))

            yield (
                m.date,
                str(m),
                str(m.get_status_display()),
                None
                if cancelled
                else Traced(len(represented), RULE_REPRESENTED, attendance(sorted(represented), names, m)),
                Traced(n_total, RULE_AUTHORITIES, everyone),
                _("%(n)s of %(total)s") % {"n": len(represented), "total": n_total} if not cancelled else "",
                count(Attendance.Status.PRESENT),
                count(Attendance.Status.DEPUTY),
                count(Attendance.Status.APOLOGIES),
                count(Attendance.Status.ABSENT),
            )

    def authority_rows() -> Iterator[Row]:
        meetings, authorities, status = data()
        held = [m for m in meetings if m.status != Meeting.Status.CANCELLED]
        held_records = tuple((f"meeting:{m.pk}", str(m)) for m in held)
        for org in authorities:
            rows = [
                (m, found[1])
                for m in held
                if (found := status.get(m.pk, {}).get(org.pk)) and found[0] in Attendance.REPRESENTING
            ]
            yield (
                org.name,
                str(org.get_duty_status_display()),
                Traced(
                    len(rows),
                    RULE_ATTENDED,
                    tuple(
                        (f"attendance:{pk}", _("%(org)s at %(meeting)s") % {"org": org.name, "meeting": m})
                        for m, pk in rows
                    ),
                ),
                Traced(len(held), RULE_HELD, held_records),
                _("%(n)s of %(total)s") % {"n": len(rows), "total": len(held)},
            )

    return Section(
        4,
        "meetings",
        _("Meetings and attendance"),
        [
            Table(
                _("SVRP meetings in the quarter"),
                (
                    _("Date"),
                    _("Meeting"),
                    _("Status"),
                    _("Authorities represented"),
                    _("Specified and relevant authorities"),
                    _("Represented"),
                    _("Present"),
                    _("Deputy sent"),
                    _("Apologies"),
                    _("Absent"),
                ),
                meeting_rows,
                "meetings",
            ),
            Table(
                _("Attendance by authority"),
                (_("Authority"), _("Duty status"), _("Meetings attended"), _("Meetings held"), _("Attended")),
                authority_rows,
                "attendance-by-authority",
            ),
        ],
    )


# (5) Actions -------------------------------------------------------------------------------------


def action_records(ctx: ReportContext) -> dict[str, list[tuple[str, str]]]:
    """The actions each count is made of, on the domain's dates: raised on, completed on, due; never
    when a row was typed in. Each is (key, reference)."""
    start, end = ctx.quarter.start, ctx.quarter.end
    not_done_by_end = Q(completed_on__isnull=True) | Q(completed_on__gt=end)
    live = ~Q(status__in=[Action.Status.SUPERSEDED, Action.Status.CLOSED]) | Q(completed_on__gt=end)
    existing = Action.objects.filter(raised_on__lte=end)
    chosen = {
        "opened": Action.objects.filter(raised_on__gte=start, raised_on__lte=end),
        "completed": Action.objects.filter(completed_on__gte=start, completed_on__lte=end),
        "overdue": existing.filter(live, not_done_by_end, due_date__lt=end),
        "open": existing.filter(live, not_done_by_end),
    }
    return {
        name: [
            (f"action:{pk}", ref) for pk, ref in queryset.order_by("reference").values_list("pk", "reference")
        ]
        for name, queryset in chosen.items()
    }


def action_counts(ctx: ReportContext) -> dict[str, int]:
    return {name: len(found) for name, found in action_records(ctx).items()}


def actions_section(ctx: ReportContext) -> Section:
    def summary_rows() -> Iterator[Row]:
        found = action_records(ctx)
        yield (_("Opened in the quarter"), Traced(len(found["opened"]), RULE_OPENED, tuple(found["opened"])))
        yield (
            _("Completed in the quarter"),
            Traced(len(found["completed"]), RULE_COMPLETED, tuple(found["completed"])),
        )
        yield (
            _("Overdue at the end of the quarter"),
            Traced(len(found["overdue"]), RULE_OVERDUE, tuple(found["overdue"])),
        )
        yield (
            _("Open at the end of the quarter"),
            Traced(len(found["open"]), RULE_OPEN, tuple(found["open"])),
        )

    def list_rows() -> Iterator[Row]:
        end = ctx.quarter.end
        actions = (
            Action.objects.filter(raised_on__lte=end)
            .select_related("owner", "organisation")
            .order_by("due_date", "reference")
        )
        for a in actions.iterator(chunk_size=500):
            done = a.completed_on is not None and a.completed_on <= end
            overdue = a.is_open and not done and a.due_date < end
            yield (
                a.reference,
                a.description,
                a.owner.full_name,
                a.organisation.name,
                a.raised_on,
                a.due_date,
                str(a.get_status_display()),
                a.completed_on,
                _("Yes") if overdue else _("No"),
            )

    return Section(
        5,
        "actions",
        _("Action log"),
        [
            Table(_("Actions in the quarter"), (_("Actions"), _("Number")), summary_rows, "summary"),
            Table(
                _("All actions"),
                (
                    _("Reference"),
                    _("Action"),
                    _("Owner"),
                    _("Organisation"),
                    _("Raised on"),
                    _("Due"),
                    _("Status"),
                    _("Completed on"),
                    _("Overdue at the end of the quarter"),
                ),
                list_rows,
                "list",
            ),
        ],
    )


# (6) The Crest tracker ---------------------------------------------------------------------------


def crest_section(ctx: ReportContext) -> Section:
    def rows() -> Iterator[Row]:
        from crest.models import Recommendation  # crest builds on governance too; read-only here

        for r in (
            Recommendation.objects.current()
            .select_related("report", "owner_organisation", "owner_person")
            .order_by("report__published_on", "number")
            .iterator(chunk_size=500)
        ):
            yield (
                r.report.short_name,
                r.number,
                r.text,
                r.owner_organisation.name if r.owner_organisation else "",
                str(r.get_response_display()),
                str(r.get_status_display()),
                str(r.get_rag_display()) if r.rag else "",
                r.target_date,
                r.achieved_on,
            )

    def report_rows() -> Iterator[Row]:
        from crest.models import SourceReport

        # The "Report" column's short names, explained where they are first used.
        for report in SourceReport.objects.order_by("published_on", "short_name"):
            yield (report.short_name, report.title, report.author, report.published_on)

    headers = (
        _("Report"),
        _("Number"),
        _("Recommendation"),
        _("Owner"),
        _("Response"),
        _("Status"),
        _("RAG"),
        _("Target date"),
        _("Achieved on"),
    )
    return Section(
        6,
        "crest",
        _("Crest tracker"),
        [
            Table("", headers, rows),
            Table(
                _("The reports the recommendations come from"),
                (_("Report"), _("Title"), _("Author"), _("Published on")),
                report_rows,
                "source-reports",
            ),
        ],
    )


# (7) Grant spend ---------------------------------------------------------------------------------


def grant_rows(ctx: ReportContext) -> list[Row]:
    grants = list(Grant.objects.filter(year=ctx.quarter.year).order_by("kind"))
    returns: dict[tuple[int, str], list[SpendReturn]] = defaultdict(list)
    for r in (
        SpendReturn.objects.filter(grant__in=grants).select_related("period").order_by("period__quarter")
    ):
        returns[(r.grant_id, r.category)].append(r)
    out: list[Row] = []
    for grant in grants:
        parts: list[tuple[str, Decimal | None]]
        if grant.is_split:
            parts = [
                (SpendReturn.Category.LABOUR, grant.labour_allocation),
                (SpendReturn.Category.NON_LABOUR, grant.non_labour_allocation),
            ]
        else:
            parts = [("", grant.allocation)]
        for category, allocation in parts:
            found = [
                r
                for key, rs in returns.items()
                if key[0] == grant.pk and (not category or key[1] == category)
                for r in rs
            ]
            this = [r for r in found if r.period.quarter == ctx.quarter.quarter]
            to_date = [r for r in found if r.period.quarter <= ctx.quarter.quarter]
            actual_q = sum((r.actual for r in this if r.actual is not None), Decimal(0)) if this else None
            forecast_q = sum((r.forecast for r in this), Decimal(0)) if this else None
            actual_ytd = sum((r.actual for r in to_date if r.actual is not None), Decimal(0))
            outturn = sum((r.actual if r.actual is not None else r.forecast for r in found), Decimal(0))

            def traced(value: Decimal | None, returns: list[SpendReturn], what: str) -> Value:
                records = tuple(
                    (f"spend-return:{r.pk}", _("Return for %(q)s") % {"q": r.period}) for r in returns
                )
                return None if value is None else Traced(value, RULE_SPEND % what, records)

            out.append(
                (
                    str(grant.get_kind_display()),
                    str(SpendReturn.Category(category).label) if category else _("All"),
                    grant.financial_year,
                    allocation,
                    traced(actual_q, this, "actual spend in the quarter"),
                    traced(forecast_q, this, "forecast for the quarter"),
                    None if actual_q is None or forecast_q is None else actual_q - forecast_q,
                    traced(actual_ytd, to_date, "actual spend in the year to the quarter's end"),
                    traced(outturn, found, "actual spend, or the forecast where no actual is in"),
                    None if allocation is None else outturn - allocation,
                )
            )
    return out


def grants_section(ctx: ReportContext) -> Section:
    headers = (
        _("Grant"),
        _("Category"),
        _("Financial year"),
        _("Allocation (£)"),
        _("Actual in the quarter (£)"),
        _("Forecast for the quarter (£)"),
        _("Variance in the quarter (£)"),
        _("Actual to date (£)"),
        _("Forecast outturn (£)"),
        _("Variance against allocation (£)"),
    )
    return Section(7, "grants", _("Grant spend"), [Table("", headers, lambda: grant_rows(ctx))])


# (8) Membership and the Terms of Reference -------------------------------------------------------


def membership_section(ctx: ReportContext) -> Section:
    def tor_rows() -> Iterator[Row]:
        for tor in (
            TermsOfReference.objects.filter(status=TermsOfReference.Status.APPROVED)
            .select_related("group")
            .order_by("group__order", "group__name")
        ):
            yield (
                tor.group.name,
                tor.version,
                str(tor.get_status_display()),
                tor.approved_on,  # a date, or an empty cell with the reason in the note
                _("Yes") if tor.revision_required else _("No"),
                ""
                if tor.approved_on
                else _("The approval date is not recorded in the portal: VRU staff add it to this version."),
            )

    def member_rows() -> Iterator[Row]:
        # Every SVRP seat in force at the quarter's end once, with its holder then or "Vacant".
        tenures = (
            Membership.objects.active_on(ctx.quarter_end)
            .holders()
            .select_related("person")
            .order_by("start_date", "pk")
        )
        seats = (
            Seat.objects.in_force_on(ctx.quarter_end)
            .filter(svrp_lookup("group__"))
            .select_related("organisation")
            .prefetch_related(Prefetch("tenures", queryset=tenures, to_attr="holders_then"))
            .order_by("organisation__name", "order", "title")
        )
        for seat in seats:
            holders: list[Membership | None] = list(seat.holders_then)  # type: ignore[attr-defined]
            for m in holders or [None]:
                yield (
                    seat.organisation.name,
                    str(DutyStatus(seat.organisation.duty_status).label),
                    seat.title,
                    m.person.full_name if m else _("Vacant"),
                    str(m.get_role_display()) if m else "",
                    m.start_date if m else None,
                )

    return Section(
        8,
        "membership",
        _("Membership and Terms of Reference"),
        [
            Table(
                _("Terms of Reference in force"),
                (_("Group"), _("Version"), _("Status"), _("Approved on"), _("Revision required"), _("Note")),
                tor_rows,
                "terms-of-reference",
            ),
            Table(
                _("SVRP membership at the end of the quarter"),
                (_("Organisation"), _("Duty status"), _("Seat"), _("Member"), _("Role"), _("Since")),
                member_rows,
                "membership",
            ),
        ],
        sheet_name=_("Membership and ToR"),
    )


# (9) Data-quality notes --------------------------------------------------------------------------


def data_quality_rows(ctx: ReportContext) -> Iterator[Row]:
    period = Period.objects.for_quarter(ctx.quarter).first()
    if period is not None:
        for code, area, band in (
            Figure.objects.submitted()
            .filter(period=period)
            .values_list("measure__code", "area__name", "age_band")
            .order_by("measure__order", "area__order", "age_band")
            .iterator(chunk_size=500)
        ):
            yield (
                _("Not yet verified"),
                code,
                area,
                str(AgeBand(band).label),
                _("Submitted but not verified by VRU staff."),
            )
        late = period.deadline < ctx.today
        reported = set(Figure.objects.reported().filter(period=period).values_list("measure_id", flat=True))
        for measure in Measure.objects.entered().select_related("data_source"):
            if measure.pk not in reported:
                yield (
                    _("Late return") if late else _("Awaiting return"),
                    measure.code,
                    "",
                    "",
                    _("No figures from %(source)s (deadline %(deadline)s).")
                    % {"source": measure.data_source.name, "deadline": period.deadline.strftime("%-d %B %Y")},
                )
    else:
        yield (_("No period"), "", "", "", _("The quarter has no data-collection period in the portal."))
    for r in home_office_rows(ctx):
        if plain(r["quarter"]) == SUPPRESSED:
            yield (
                _("Suppressed cell"),
                r["measure"].code,
                r["area"].name,
                str(AgeBand(r["band"]).label),
                _("A count from 1 to 7, or one that would reveal it, is shown as *."),
            )


def data_quality_section(ctx: ReportContext) -> Section:
    headers = (_("Note"), _("Measure"), _("Area"), _("Age band"), _("Detail"))
    return Section(
        9, "data-quality", _("Data-quality notes"), [Table("", headers, lambda: data_quality_rows(ctx))]
    )


SECTION_BUILDERS: tuple[Callable[[ReportContext], Section], ...] = (
    period_section,
    home_office_section,
    framework_section,
    meetings_section,
    actions_section,
    crest_section,
    grants_section,
    membership_section,
    data_quality_section,
)


def build_sections(ctx: ReportContext) -> list[Section]:
    """The framework's sections, then those other apps add (``core.hooks.REPORT_SECTIONS``), numbered on,
    then the sources of every figure (``provenance``)."""
    from .provenance import data_checksum, sources_section

    sections = [builder(ctx) for builder in SECTION_BUILDERS]
    for provider in hooks.get_hooks(hooks.REPORT_SECTIONS):
        section = provider(ctx)
        section.number = len(sections) + 1
        sections.append(section)
    sections.append(sources_section(list(sections)))
    # The front sheet (section 1) ends with the checksum of the data and the contents: each section,
    # and its sheet in the XLSX.
    front, data = sections[0].tables[0], sections[1:-1]
    front_rows = front.traced_rows

    def with_checksum() -> Iterator[Row]:
        yield from front_rows()
        yield (_("Data checksum (SHA-256)"), data_checksum(data))

    sections[0].tables[0] = Table(front.title, front.headers, with_checksum, front.slug)
    contents = [(section.number, str(section.title), section.sheet_title) for section in sections]
    sections[0].tables.append(
        Table(_("Contents"), (_("Section"), _("Title"), _("Sheet")), lambda: iter(contents), "contents")
    )
    return sections
