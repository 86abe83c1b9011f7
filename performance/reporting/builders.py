"""The report's three formats, each written to a temporary file from streamed rows.

- XLSX: ``core.spreadsheets.XlsxBook`` (write-only, rows straight to disk, text typed as text and
  formulas neutralised), one sheet per section, real numbers in numeric cells, the header row
  frozen. A section with several tables stacks them, each with its title.
- CSV: a zip with one CSV per table, named after its section.
- PDF: WeasyPrint from a template, with the server-rendered SVG charts and nothing fetched but the
  portal's static files (``core.pdf.static_only_fetcher``).
"""

from __future__ import annotations

import datetime as dt
import io
import tempfile
import zipfile
from decimal import Decimal
from itertools import islice
from typing import IO, Any

from django.template.loader import render_to_string

from core.pdf import static_only_fetcher
from core.spreadsheets import XlsxBook, write_csv

from .sections import PDF_ROW_LIMIT, Section


def build_xlsx(sections: list[Section]) -> IO[bytes]:
    book = XlsxBook()
    for section in sections:
        # The first table's header is row 1, frozen; later tables follow a blank row and their title.
        sheet = book.sheet(section.sheet_title, freeze_header=True)
        for index, table in enumerate(section.tables):
            if index:
                sheet.blank()
                sheet.title(table.title)
            sheet.header(table.headers)
            for row in table.rows():
                sheet.row(row)
    return book.save()


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
                    write_csv(text, [table.headers])
                    write_csv(text, table.rows())
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
