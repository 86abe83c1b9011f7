"""The report's three formats, each written to a temporary file from streamed rows.

- XLSX: openpyxl in write-only mode (rows go straight to disk), one sheet per section, real numbers in
  numeric cells, the header row frozen. A section with several tables stacks them, each with its title.
- CSV: a zip with one CSV per table, named after its section.
- PDF: WeasyPrint from a template, with the server-rendered SVG charts and nothing fetched but the
  portal's static files (``core.pdf.static_only_fetcher``).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import tempfile
import zipfile
from decimal import Decimal
from itertools import islice
from typing import IO, Any

from django.template.loader import render_to_string

from core.pdf import static_only_fetcher

from .sections import PDF_ROW_LIMIT, Section


def _xlsx_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        # A whole number stays an integer; openpyxl would write a Decimal as a float anyway.
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    return value


def build_xlsx(sections: list[Section]) -> IO[bytes]:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    for section in sections:
        sheet = workbook.create_sheet(section.sheet_title)
        # The first table's header is row 1, frozen; later tables follow a blank row and their title.
        sheet.freeze_panes = "A2"
        for index, table in enumerate(section.tables):
            if index:
                sheet.append([])
                title = WriteOnlyCell(sheet, value=table.title)
                title.font = bold
                sheet.append([title])
            header = []
            for text in table.headers:
                cell = WriteOnlyCell(sheet, value=text)
                cell.font = bold
                header.append(cell)
            sheet.append(header)
            for row in table.rows():
                sheet.append([_xlsx_value(v) for v in row])
    out = tempfile.TemporaryFile()  # noqa: SIM115 - the caller closes it
    workbook.save(out)
    out.seek(0)
    return out


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral_value() else str(value)
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None).isoformat(sep=" ", timespec="minutes")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def csv_name(section: Section, table_index: int) -> str:
    table = section.tables[table_index]
    suffix = f"-{table.slug}" if len(section.tables) > 1 and table.slug else ""
    return f"{section.number:02d}-{section.slug}{suffix}.csv"


def build_csv_zip(sections: list[Section]) -> IO[bytes]:
    out = tempfile.TemporaryFile()  # noqa: SIM115 - the caller closes it
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for section in sections:
            for index, table in enumerate(section.tables):
                with (
                    archive.open(csv_name(section, index), "w") as raw,
                    io.TextIOWrapper(raw, encoding="utf-8-sig", newline="") as text,
                ):
                    writer = csv.writer(text)
                    writer.writerow(table.headers)
                    for row in table.rows():
                        writer.writerow([_csv_value(v) for v in row])
    out.seek(0)
    return out


def _pdf_value(value: Any) -> str:
    from ..suppression import format_number

    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | Decimal | float):
        return format_number(value)
    if isinstance(value, dt.datetime):
        return value.strftime("%-d %B %Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%-d %B %Y")
    return "" if value is None else str(value)


def build_pdf(sections: list[Section], context: dict[str, Any]) -> IO[bytes]:
    import weasyprint

    shown = []
    for section in sections:
        tables = []
        for table in section.tables:
            rows = list(islice(table.rows(), PDF_ROW_LIMIT + 1))
            tables.append(
                {
                    "title": table.title,
                    "headers": table.headers,
                    "rows": [[_pdf_value(v) for v in row] for row in rows[:PDF_ROW_LIMIT]],
                    "truncated": len(rows) > PDF_ROW_LIMIT,
                }
            )
        shown.append({"section": section, "tables": tables})
    html = render_to_string(
        "performance/reports/report_pdf.html", {**context, "sections": shown, "row_limit": PDF_ROW_LIMIT}
    )
    out = tempfile.TemporaryFile()  # noqa: SIM115 - the caller closes it
    weasyprint.HTML(
        string=html, base_url="http://portal.invalid/", url_fetcher=static_only_fetcher()
    ).write_pdf(out)
    out.seek(0)
    return out
