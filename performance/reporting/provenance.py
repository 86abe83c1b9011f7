"""Where each figure of the report comes from, and a checksum of the report's data.

Every figure a section computes is yielded as a ``Traced`` value (``sections``). This module lays the
sections out as the XLSX does (the first table's header on row 1, each later table after a blank row
and its title), so each figure gets its cell ("A2"), and writes the "Sources" part: for every figure,
its section, sheet and cell, what it is, its value, the rule that made it and the records it counted or
summed. The part is a section like the others, so the XLSX, the CSV zip and the PDF all carry it, and a
submitted version's sources are frozen in its files. ``reconcile`` reads the part back.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from core import hooks

from .sections import Row, Section, Table, Traced, plain

SOURCES_SLUG = "sources"
SOURCES_HEADERS = ("Section", "Sheet", "Cell", "Figure", "Value", "Rule", "Records", "Record keys")


def laid_out(section: Section) -> Iterator[tuple[Table, int, Row]]:
    """Each row of the section with its row number in the section's XLSX sheet."""
    line = 0
    for index, table in enumerate(section.tables):
        if index:
            line += 2  # a blank row, then the table's title
        line += 1  # the header
        for row in table.traced_rows():
            line += 1
            yield table, line, row


def _label(value: Any) -> str:
    if isinstance(value, dt.date):
        return value.strftime("%-d %B %Y")
    return str(value)


def figure_name(table: Table, row: Row, column: int) -> str:
    """What a figure is, as a reader would say it: the row's leading words, then the column's header."""
    leading = []
    for value in row[:column]:
        if isinstance(value, Traced) or value is None or isinstance(value, int | Decimal):
            break
        leading.append(_label(value))
    where = " / ".join(part for part in leading[:4] if part)
    title = f"{table.title}: " if table.title else ""
    return f"{title}{where} – {table.headers[column]}" if where else f"{title}{table.headers[column]}"


def traced_cells(sections: list[Section]) -> Iterator[tuple[Section, str, str, Traced]]:
    """(section, cell, figure name, traced value) for every figure of every section."""
    for section in sections:
        for table, line, row in laid_out(section):
            for column, value in enumerate(row):
                if isinstance(value, Traced):
                    cell = f"{get_column_letter(column + 1)}{line}"
                    yield section, cell, figure_name(table, row, column), value


def sources_section(sections: list[Section]) -> Section:
    def rows() -> Iterator[Row]:
        for section, cell, name, traced in traced_cells(sections):
            yield (
                section.number,
                section.sheet_title,
                cell,
                name,
                traced.value,
                traced.rule,
                "; ".join(label for _key, label in traced.records),
                " ".join(key for key, _label in traced.records),
            )

    return Section(
        len(sections) + 1,
        SOURCES_SLUG,
        _("Sources of the figures"),
        [Table("", tuple(_(h) for h in SOURCES_HEADERS), rows)],
        sheet_name=_("Sources"),
    )


def _canonical(value: Any) -> Any:
    value = plain(value)
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def data_checksum(sections: list[Section]) -> str:
    """SHA-256 of every section's tables (headers and values), in order: the same data, the same sum."""
    digest = hashlib.sha256()
    for section in sections:
        for table in section.tables:
            record = [section.number, section.slug, table.slug, list(table.headers)]
            digest.update(json.dumps(record, default=str).encode())
            for row in table.rows():
                digest.update(json.dumps([_canonical(v) for v in row], default=str).encode())
                digest.update(b"\n")
    return digest.hexdigest()


# Reading the part back: a version's sources as its stored XLSX froze them --------------------------


@dataclass(frozen=True)
class SourceRow:
    number: int  # the row's place in the part, from 1: the address of one figure's sources
    section: Any
    sheet: str
    cell: str
    figure: str
    value: Any
    rule: str
    labels: list[str]
    keys: list[str]


def stored_sources(version: Any) -> list[SourceRow] | None:
    """The "Sources" sheet of the version's stored XLSX (None when the version has no such sheet)."""
    from ..models import ReportFile
    from .reconcile import Workbook

    stored = ReportFile.objects.filter(version=version, kind=ReportFile.Kind.XLSX).first()
    if stored is None:
        return None
    with stored.file.open("rb") as handle:
        title, rows = Workbook(handle).sources()
    if not rows:
        return None
    return [
        SourceRow(
            number,
            row[0],
            str(row[1] or ""),
            str(row[2] or ""),
            str(row[3] or ""),
            row[4],
            str(row[5] or ""),
            [label for label in str(row[6] or "").split("; ") if label],
            str(row[7] or "").split(),
        )
        for number, row in enumerate(rows, start=1)
    ]


@dataclass(frozen=True)
class RecordLink:
    key: str
    label: str
    url: str | None  # None: the record is no longer in the portal


def record_links(keys: list[str]) -> list[RecordLink]:
    """Each record a figure was made from, with a link to where the portal shows it (a query per kind)."""
    from django.urls import reverse

    from governance.models import Action, Attendance, Meeting, Organisation

    from ..models import Figure

    wanted: dict[str, list[int]] = {}
    for key in keys:
        kind, _sep, pk = key.partition(":")
        if pk.isdigit():
            wanted.setdefault(kind, []).append(int(pk))
    found: dict[str, tuple[str, str]] = {}
    for action in Action.objects.filter(pk__in=wanted.get("action", [])):
        found[f"action:{action.pk}"] = (
            f"{action.reference}: {action.description[:80]}",
            action.get_absolute_url(),
        )
    for row in Attendance.objects.filter(pk__in=wanted.get("attendance", [])).select_related(
        "meeting", "organisation"
    ):
        label = _("%(org)s, %(status)s, at %(meeting)s") % {
            "org": row.organisation or row.guest_name,
            "status": row.get_status_display(),
            "meeting": row.meeting,
        }
        found[f"attendance:{row.pk}"] = (label, row.meeting.get_absolute_url())
    for meeting in Meeting.objects.filter(pk__in=wanted.get("meeting", [])).select_related("group"):
        found[f"meeting:{meeting.pk}"] = (str(meeting), meeting.get_absolute_url())
    for organisation in Organisation.objects.filter(pk__in=wanted.get("organisation", [])):
        found[f"organisation:{organisation.pk}"] = (organisation.name, organisation.get_absolute_url())
    for figure in Figure.objects.filter(pk__in=wanted.get("figure", [])).select_related(
        "measure", "area", "period"
    ):
        label = _("Figure %(pk)s: %(code)s, %(area)s, %(band)s, %(period)s (%(status)s now)") % {
            "pk": figure.pk,
            "code": figure.measure.code,
            "area": figure.area.name,
            "band": figure.get_age_band_display(),
            "period": figure.period,
            "status": figure.get_status_display().lower(),
        }
        found[f"figure:{figure.pk}"] = (label, figure.measure.get_absolute_url())
    grants = reverse("performance:grants")
    from ..models import SpendReturn

    for spend in SpendReturn.objects.filter(pk__in=wanted.get("spend-return", [])).select_related(
        "grant", "period"
    ):
        found[f"spend-return:{spend.pk}"] = (
            _("Spend return %(pk)s, %(period)s") % {"pk": spend.pk, "period": spend.period},
            grants,
        )
    for provider in hooks.get_hooks(hooks.REPORT_RECORDS):
        found.update(provider(wanted))
    return [
        RecordLink(key, *found[key])
        if key in found
        else RecordLink(key, _("%(key)s (no longer in the portal)") % {"key": key}, None)
        for key in keys
    ]
