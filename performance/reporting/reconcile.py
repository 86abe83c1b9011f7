"""Reconciliation: the stored report read back and checked against the records by a second path.

Three checks, each a list of differences (empty when the report is right):

1. **The sources match the sheets**: every row of the "Sources" sheet names a cell; that cell holds the
   value the row says.
2. **The sources match the records**: each figure is recomputed from the records its source row lists
   (a count is the number of records; a figure is the stored figure; a rolling year is their sum).
3. **An independent recomputation**: the action log's counts, each SVRP meeting's attendance and every
   Home Office figure are recomputed here from the records with plain Python over the rows (not the
   report's own queries) and compared with the sheets, found by their labels as a reader would. The
   sections other apps add are reconciled by those apps (``core.hooks.REPORT_CHECKS``): the Duty's
   delivery plans, say.

``manage.py reconcile_report`` runs it on a stored version; the submit page shows its result first;
the CI test runs it over hundreds of random data sets.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from openpyxl import load_workbook

from core import hooks
from governance.models import Action, Attendance, DutyStatus, Meeting, Organisation, PartnershipGroup
from governance.quarters import FinancialQuarter

from ..models import AgeBand, Area, Figure, Measure, ReportFile, ReportVersion
from . import sections as s
from .provenance import SOURCES_HEADERS


@dataclass(frozen=True)
class Difference:
    sheet: str
    cell: str
    what: str
    found: Any
    expected: Any

    def __str__(self) -> str:
        return (
            f"{self.sheet}!{self.cell} {self.what}: the report says {self.found!r}, "
            f"the records say {self.expected!r}"
        )


def _number(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _same(found: Any, expected: Any) -> bool:
    a, b = _number(found), _number(expected)
    if a is not None or b is not None:
        return a is not None and b is not None and abs(a - b) < Decimal("0.005")
    if isinstance(found, dt.datetime):
        found = found.date()
    if isinstance(expected, dt.datetime):
        expected = expected.date()
    return (found or None) == (expected or None)


class Workbook:
    """The stored XLSX, read once into memory by sheet (the report's own file, at most a few MB)."""

    def __init__(self, handle: IO[bytes]) -> None:
        book = load_workbook(handle, read_only=True, data_only=True)
        try:
            self.sheets: dict[str, list[tuple[Any, ...]]] = {
                sheet.title: [tuple(row) for row in sheet.iter_rows(values_only=True)]
                for sheet in book.worksheets
            }
        finally:
            book.close()

    def sheet(self, number: int) -> tuple[str, list[tuple[Any, ...]]]:
        for title, rows in self.sheets.items():
            if title.split(" ", 1)[0] == str(number):
                return title, rows
        return f"{number} (missing)", []

    def sources(self) -> tuple[str, list[tuple[Any, ...]]]:
        for title, rows in self.sheets.items():
            if rows and tuple(rows[0][: len(SOURCES_HEADERS)]) == SOURCES_HEADERS:
                return title, rows[1:]
        return "Sources (missing)", []

    def cell(self, sheet: str, ref: str) -> Any:
        column = "".join(ch for ch in ref if ch.isalpha())
        line = int(ref[len(column) :])
        index = 0
        for ch in column:
            index = index * 26 + ord(ch) - 64
        rows = self.sheets.get(sheet, [])
        row = rows[line - 1] if line - 1 < len(rows) else ()
        return row[index - 1] if index - 1 < len(row) else None


# (1) and (2): the sources against the sheets and against the records they name ----------------------

COUNTED_RULES = {
    s.RULE_OPENED,
    s.RULE_COMPLETED,
    s.RULE_OVERDUE,
    s.RULE_OPEN,
    s.RULE_REPRESENTED,
    s.RULE_AUTHORITIES,
    s.RULE_ATTENDED,
    s.RULE_HELD,
}


def _figure_values(keys: Iterable[str]) -> dict[str, Decimal]:
    ids = [int(key.split(":", 1)[1]) for key in keys if key.startswith("figure:")]
    found = Figure.objects.verified().filter(pk__in=ids).values_list("pk", "value")
    return {f"figure:{pk}": value for pk, value in found}


def check_sources(book: Workbook) -> Iterator[Difference]:
    title, rows = book.sources()
    if not rows:
        yield Difference(title, "A1", "the sources part", None, "one row per figure")
        return
    all_keys = [key for row in rows for key in str(row[7] or "").split()]
    figures = _figure_values(all_keys)
    for line, row in enumerate(rows, start=2):
        _number_, sheet, ref, name, value, rule, _labels, keys_text = row[:8]
        keys = str(keys_text or "").split()
        in_sheet = book.cell(str(sheet), str(ref))
        if not _same(in_sheet, value):
            yield Difference(str(sheet), str(ref), str(name), in_sheet, value)
        rule = str(rule or "")
        expected: Any = None
        if rule in COUNTED_RULES or rule.startswith(s.RULE_STATUS):
            expected = len(keys)
        elif rule == s.RULE_FIGURE or rule == s.RULE_SERIES:
            expected = figures.get(keys[0]) if len(keys) == 1 else None
        elif rule == s.RULE_ROLLING:
            expected = sum((figures.get(k, Decimal(0)) for k in keys), Decimal(0)) if len(keys) == 4 else None
        elif rule == s.RULE_CHANGE:
            expected = (
                figures[keys[0]] - figures[keys[1]] if len(keys) == 2 and set(keys) <= set(figures) else None
            )
        else:
            continue  # a rule without a recount here (derived measures, spend): checked by (1) only
        if not _same(value, expected):
            yield Difference(title, f"E{line}", f"{name} recounted from its records", value, expected)


# (3) The independent recomputation -----------------------------------------------------------------


def _expected_actions(quarter: FinancialQuarter) -> dict[str, int]:
    start, end = quarter.start, quarter.end
    counts = {"opened": 0, "completed": 0, "overdue": 0, "open": 0}
    gone = {Action.Status.SUPERSEDED, Action.Status.CLOSED}
    for raised, completed, due, status in Action.objects.values_list(
        "raised_on", "completed_on", "due_date", "status"
    ).order_by():
        if start <= raised <= end:
            counts["opened"] += 1
        if completed is not None and start <= completed <= end:
            counts["completed"] += 1
        if raised > end:
            continue
        done_by_end = completed is not None and completed <= end
        dropped_by_end = status in gone and not (completed is not None and completed > end)
        if not done_by_end and not dropped_by_end:
            counts["open"] += 1
            if due < end:
                counts["overdue"] += 1
    return counts


def check_actions(book: Workbook, quarter: FinancialQuarter) -> Iterator[Difference]:
    title, rows = book.sheet(5)
    expected = _expected_actions(quarter)
    labels = {
        "Opened in the quarter": "opened",
        "Completed in the quarter": "completed",
        "Overdue at the end of the quarter": "overdue",
        "Open at the end of the quarter": "open",
    }
    seen = set()
    for line, row in enumerate(rows, start=1):
        if row and row[0] in labels:
            name = labels[str(row[0])]
            seen.add(name)
            if not _same(row[1], expected[name]):
                yield Difference(title, f"B{line}", str(row[0]), row[1], expected[name])
    for name in set(labels.values()) - seen:
        yield Difference(title, "A1", f"the row of actions {name}", None, expected[name])


COUNTED = ("represented", "authorities", "present", "deputy", "apologies", "absent")


def _expected_attendance(quarter: FinancialQuarter) -> dict[tuple[dt.date, str], list[tuple[Any, ...]]]:
    """Each SVRP meeting of the quarter by (date, name): its counts (``COUNTED``), one tuple per meeting
    (two meetings on one day share a name, so a name holds a list)."""
    svrp = set(PartnershipGroup.objects.svrp().values_list("pk", flat=True))
    authorities = {
        pk
        for pk, status, archived in Organisation.objects.values_list("pk", "duty_status", "archived_at")
        if status in (DutyStatus.SPECIFIED, DutyStatus.RELEVANT) and archived is None
    }
    meetings = {
        m.pk: m
        for m in Meeting.objects.select_related("group")
        if m.group_id in svrp and quarter.start <= m.date <= quarter.end
    }
    statuses: dict[int, dict[int, set[str]]] = defaultdict(lambda: defaultdict(set))
    for meeting_id, organisation_id, status in Attendance.objects.values_list(
        "meeting_id", "organisation_id", "status"
    ):
        if meeting_id in meetings and organisation_id in authorities:
            statuses[meeting_id][organisation_id].add(status)
    out: dict[tuple[dt.date, str], list[tuple[Any, ...]]] = defaultdict(list)
    order = ["present", "deputy", "guest", "apologies", "absent", "expected"]
    for pk, meeting in meetings.items():
        best = [next((st for st in order if st in found), None) for found in statuses[pk].values()]
        cancelled = meeting.status == Meeting.Status.CANCELLED
        represented = None if cancelled else sum(1 for b in best if b in ("present", "deputy", "guest"))
        out[(meeting.date, str(meeting))].append(
            (
                represented,
                len(authorities),
                best.count("present"),
                best.count("deputy"),
                best.count("apologies"),
                best.count("absent"),
            )
        )
    return out


def _counts(values: Iterable[Any]) -> tuple[Any, ...]:
    return tuple(None if (n := _number(v)) is None else int(n) for v in values)


def check_meetings(book: Workbook, quarter: FinancialQuarter) -> Iterator[Difference]:
    title, rows = book.sheet(4)
    expected = _expected_attendance(quarter)
    columns = (3, 4, 6, 7, 8, 9)  # the COUNTED columns of the sheet
    found: dict[tuple[dt.date, str], list[tuple[int, tuple[Any, ...]]]] = defaultdict(list)
    for line, row in enumerate(rows, start=1):
        if not row or not isinstance(row[0], dt.datetime | dt.date):
            if row and row[0] == "Authority":
                break  # the next table: attendance by authority
            continue
        day = row[0].date() if isinstance(row[0], dt.datetime) else row[0]
        found[(day, str(row[1]))].append((line, _counts(row[c] if c < len(row) else None for c in columns)))
    for key in sorted(set(found) | set(expected)):
        shown = found.get(key, [])
        wanted = sorted(expected.get(key, []), key=repr)
        if sorted((counts for _line, counts in shown), key=repr) == wanted:
            continue
        line = shown[0][0] if shown else 1
        yield Difference(
            title,
            f"A{line}",
            f"{key[1]}: {', '.join(COUNTED)}",
            [counts for _line, counts in shown],
            wanted,
        )


def check_home_office(book: Workbook, quarter: FinancialQuarter) -> Iterator[Difference]:
    title, rows = book.sheet(2)
    measures = {m.code: m for m in Measure.objects.filter(code__in=s.HOME_OFFICE_CODES)}
    areas = {a.pk: a.name for a in Area.objects.all()}
    band_label = {str(b.label): b.value for b in AgeBand}
    figures = {
        (code, band, areas[area_id]): value
        for code, band, area_id, value in Figure.objects.verified()
        .filter(measure__in=measures.values(), period__year=quarter.year, period__quarter=quarter.quarter)
        .values_list("measure__code", "age_band", "area_id", "value")
    }
    for line, row in enumerate(rows[1:], start=2):
        if not row or row[0] not in measures:
            continue
        key = (str(row[0]), band_label.get(str(row[2]), ""), str(row[3]))
        expected = figures.get(key)
        if not _same(row[4], expected):
            yield Difference(title, f"E{line}", f"{row[0]} {row[2]} {row[3]}: the quarter", row[4], expected)


def reconcile_workbook(handle: IO[bytes], quarter: FinancialQuarter) -> list[Difference]:
    book = Workbook(handle)
    return [
        *check_sources(book),
        *check_actions(book, quarter),
        *check_meetings(book, quarter),
        *check_home_office(book, quarter),
        *(
            difference
            for check in hooks.get_hooks(hooks.REPORT_CHECKS)
            for difference in check(book, quarter)
        ),
    ]


def reconcile_version(version: ReportVersion) -> list[Difference]:
    """Reconcile a stored version's XLSX with the records as they are now.

    For a submitted version the records may have moved on since (a correction is then due): the
    differences say what moved.
    """
    stored = ReportFile.objects.filter(version=version, kind=ReportFile.Kind.XLSX).first()
    if stored is None:
        return [Difference("-", "-", "the version's spreadsheet", None, "a stored XLSX")]
    with stored.file.open("rb") as handle:
        return reconcile_workbook(handle, version.report.fq)


def reconcile_fresh(quarter: FinancialQuarter) -> list[Difference]:
    """Build the quarter's XLSX from the records now, in memory, and reconcile it (nothing stored)."""
    from django.utils import timezone

    from ..models import Report
    from .builders import build_xlsx

    version = ReportVersion(
        report=Report(year=quarter.year, quarter=quarter.quarter), number=0, generated_at=timezone.now()
    )
    ctx = s.ReportContext(quarter=quarter, version=version, today=timezone.localdate())
    handle = build_xlsx(s.build_sections(ctx))
    try:
        return reconcile_workbook(handle, quarter)
    finally:
        handle.close()
