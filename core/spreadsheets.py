"""Every spreadsheet the portal writes or reads: one writer for CSV and XLSX, one bounded reader.

Writing. Text someone typed can start with "=", "+", "-", "@", a tab or a carriage return, and a
spreadsheet program runs such a cell as a formula (CSV injection). So, as OWASP recommends:

- in a CSV, such text is written after a single quote (``'=HYPERLINK(…)``), which the program shows as
  text; ``unescape_text`` takes it off again when a file the portal wrote comes back;
- in an XLSX, every text cell is typed as text and such a cell carries Excel's "quote prefix" style, so
  it stays text even when someone edits it; the text itself is unchanged.

Numbers, dates and times stay numbers, dates and times (a ``Decimal`` that is whole becomes an integer).
No export builds cells any other way: ``csv_lines``/``csv_response``/``write_csv`` and ``XlsxBook``/
``xlsx_response`` are the only writers.

Reading. ``read_table`` reads an uploaded CSV or XLSX in bounded memory and time: the upload is checked
first (``core.uploads.validate_upload``, which refuses ZIP bombs before anything is decompressed), an
XLSX is read in openpyxl's streaming read-only mode, and the row and column limits are applied while
reading: a file with a million rows is refused at the first row over the limit. ``RowError`` is the
one shape of a row's error in every import.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any

from django.http import FileResponse, StreamingHttpResponse
from django.utils.translation import gettext as _

from .uploads import validate_upload

FORMULA_START: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Excel's own limits; openpyxl refuses longer text, and a sheet title is at most 31 characters.
_XLSX_MAX_TEXT = 32_767
_SHEET_TITLE_MAX = 31


# --- Writing ------------------------------------------------------------------------------------------


def _needs_quote(value: str) -> bool:
    # Quotes already in front are counted too, so that reading back is exact: "'=x" typed is written
    # "''=x" and read back "'=x".
    return value.lstrip("'").startswith(FORMULA_START)


def safe_text(value: str) -> str:
    """Text for a CSV cell: a formula's first character is neutralised with a leading quote."""
    return "'" + value if _needs_quote(value) else value


def unescape_text(value: str) -> str:
    """The text ``safe_text`` was given, from what it wrote (a file the portal exported, read back)."""
    return value[1:] if value.startswith("'") and _needs_quote(value[1:]) else value


def _plain(value: Any) -> Any:
    """A value as a spreadsheet holds it: None, bool, int, float, date, naive datetime, or text."""
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, Decimal):
        if not value.is_finite():
            return str(value)
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None) if value.tzinfo is None else _local(value)
    if isinstance(value, dt.date):
        return value
    return str(value)  # lazy translations, choices' labels, model instances


def _local(value: dt.datetime) -> dt.datetime:
    from django.utils import timezone

    return timezone.localtime(value).replace(tzinfo=None)


def csv_value(value: Any) -> str:
    """One cell of a CSV: numbers as numbers, dates as ISO dates, text neutralised."""
    if isinstance(value, Decimal) and value.is_finite():
        whole = value == value.to_integral_value()
        return format(value.normalize() if whole else value, "f")
    plain = _plain(value)
    if plain is None:
        return ""
    if isinstance(plain, dt.datetime):
        return plain.isoformat(sep=" ", timespec="minutes")
    if isinstance(plain, dt.date):
        return plain.isoformat()
    if isinstance(plain, bool | int | float):
        return str(plain)
    return safe_text(plain)


class _Echo:
    """A file that hands back what is written to it, so csv.writer can feed a streaming response."""

    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[Iterable[Any]], *, bom: bool = True) -> Iterator[str]:
    """The lines of a CSV, one row at a time. The byte order mark lets Excel read UTF-8."""
    writer = csv.writer(_Echo())
    if bom:
        yield "\ufeff"
    for row in rows:
        yield writer.writerow([csv_value(value) for value in row])


def write_csv(stream: IO[str], rows: Iterable[Iterable[Any]]) -> None:
    """Write rows to an open text stream (a file in a zip, say), through the same cells."""
    writer = csv.writer(stream)
    for row in rows:
        writer.writerow([csv_value(value) for value in row])


def csv_response(filename: str, rows: Iterable[Iterable[Any]]) -> StreamingHttpResponse:
    """A streamed CSV download: the rows are read and written as the response is sent."""
    response = StreamingHttpResponse(csv_lines(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class XlsxSheet:
    def __init__(self, book: XlsxBook, title: str, *, freeze_header: bool) -> None:
        self._book = book
        self._sheet = book.workbook.create_sheet(_sheet_title(title))
        if freeze_header:
            self._sheet.freeze_panes = "A2"

    def _cell(self, value: Any, *, bold: bool = False) -> Any:
        from openpyxl.cell import WriteOnlyCell

        plain = _plain(value)
        cell = WriteOnlyCell(self._sheet)
        if isinstance(plain, str):
            text = plain[:_XLSX_MAX_TEXT]
            cell.value = text
            cell.data_type = "s"  # text, never a formula, whatever it starts with
            if text.startswith(FORMULA_START):
                cell.quotePrefix = True  # and it stays text when someone edits it in Excel
        else:
            cell.value = plain
            if isinstance(plain, dt.datetime):
                cell.number_format = "yyyy-mm-dd hh:mm"
            elif isinstance(plain, dt.date):
                cell.number_format = "yyyy-mm-dd"
        if bold:
            cell.font = self._book.bold
        return cell

    def row(self, values: Iterable[Any]) -> None:
        self._sheet.append([self._cell(value) for value in values])

    def header(self, values: Iterable[Any]) -> None:
        self._sheet.append([self._cell(value, bold=True) for value in values])

    def title(self, text: str) -> None:
        self._sheet.append([self._cell(text, bold=True)])

    def blank(self) -> None:
        self._sheet.append([])


def _sheet_title(title: str) -> str:
    # A sheet's title cannot hold these characters, and is at most 31 long.
    cleaned = "".join(" " if ch in "[]:*?/\\" else ch for ch in str(title)).strip("' ")
    return cleaned[:_SHEET_TITLE_MAX] or "Sheet"


class XlsxBook:
    """An XLSX written in openpyxl's write-only mode: rows go to disk as they come."""

    def __init__(self) -> None:
        from openpyxl import Workbook
        from openpyxl.styles import Font

        self.workbook = Workbook(write_only=True)
        self.bold = Font(bold=True)

    def sheet(self, title: str, *, freeze_header: bool = False) -> XlsxSheet:
        return XlsxSheet(self, title, freeze_header=freeze_header)

    def save(self) -> IO[bytes]:
        """The workbook as a temporary file, at its start; the caller (or the response) closes it."""
        out = tempfile.TemporaryFile()  # noqa: SIM115 - the caller closes it
        self.workbook.save(out)
        out.seek(0)
        return out


def xlsx_file(sheets: Iterable[tuple[str, Iterable[Iterable[Any]]]]) -> IO[bytes]:
    """An XLSX of simple sheets: (title, rows), the first row of each its bold, frozen header."""
    book = XlsxBook()
    for title, rows in sheets:
        sheet = book.sheet(title, freeze_header=True)
        iterator = iter(rows)
        first = next(iterator, None)
        if first is not None:
            sheet.header(first)
        for row in iterator:
            sheet.row(row)
    return book.save()


def xlsx_response(filename: str, sheets: Iterable[tuple[str, Iterable[Iterable[Any]]]]) -> FileResponse:
    """An XLSX download of simple sheets, streamed from a temporary file."""
    return FileResponse(
        xlsx_file(sheets), as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE
    )


# --- Reading ------------------------------------------------------------------------------------------


class SpreadsheetError(ValueError):
    """The file as a whole cannot be read: its type, its size, its rows, its header."""


@dataclass
class RowError:
    """What is wrong with one row of an uploaded file, by its row number and column."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return _("Row %(row)s, column “%(column)s”: %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return unescape_text(str(value).strip())


def _too_many_rows(max_rows: int) -> SpreadsheetError:
    return SpreadsheetError(_("A file can hold at most %(n)s rows.") % {"n": max_rows})


def read_table(upload: Any, *, max_rows: int, max_columns: int = 50, filename: str = "") -> list[list[str]]:
    """The rows of an uploaded CSV or XLSX as text, header first (blank rows kept, trailing ones not).

    ``max_rows`` counts the rows after the header. Refused with ``SpreadsheetError`` (a message to show
    on the form): a file of another type or not what its name says, a ZIP bomb, a file over the upload
    size, more rows than ``max_rows`` (found while reading, never after reading them all). Columns after
    ``max_columns`` are not read.
    """
    from django.core.exceptions import ValidationError

    name = (filename or str(getattr(upload, "name", ""))).lower()
    kind = "xlsx" if name.endswith(".xlsx") else "csv" if name.endswith(".csv") else None
    if kind is None:
        raise SpreadsheetError(_("Upload a CSV (.csv) or Excel (.xlsx) file."))
    try:
        validate_upload(upload, allowed={kind}, name=name)
    except ValidationError as error:
        raise SpreadsheetError(error.messages[0]) from error
    upload.seek(0)
    rows = _xlsx_rows(upload, max_columns) if kind == "xlsx" else _csv_rows(upload, max_columns)
    table: list[list[str]] = []
    filled = 0
    # Blank rows are kept (row numbers in messages stay those the reader sees), but only so many are
    # read or made: a sheet of a million empty rows, or one row numbered a million, is read no further.
    physical_limit = max_rows * 10 + 1000
    for number, values in rows:
        if number > physical_limit:
            raise _too_many_rows(max_rows)
        texts = [_cell_text(value) for value in values]
        if any(texts):
            filled += 1
            if filled > max_rows + 1:
                raise _too_many_rows(max_rows)
        table.extend([] for _gap in range(number - 1 - len(table)))
        table.append(texts)
    while table and not any(table[-1]):
        table.pop()
    return table


# openpyxl's read-only mode streams the sheets but reads the other parts (shared strings, styles)
# whole, so those are held to a size a real import file is far below.
MAX_XLSX_PART_BYTES = 8 * 1024 * 1024
_WORKSHEET = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"


def _unreadable() -> SpreadsheetError:
    return SpreadsheetError(_("The selected file could not be read as an Excel workbook."))


def _xlsx_rows(upload: Any, max_columns: int) -> Iterator[tuple[int, list[Any]]]:
    """(row number, values) of the first worksheet, parsed as a stream.

    openpyxl's own read-only worksheet first scans the whole sheet for its size when the file does not
    state it (seconds for a million rows), so the sheet is parsed here with openpyxl's parser directly:
    each row as it comes, nothing read after the caller stops.
    """
    import zipfile

    from openpyxl.reader.excel import ExcelReader
    from openpyxl.styles.stylesheet import apply_stylesheet
    from openpyxl.worksheet._reader import WorkSheetParser

    with zipfile.ZipFile(upload) as archive:
        for entry in archive.infolist():
            if not entry.filename.startswith("xl/worksheets/") and entry.file_size > MAX_XLSX_PART_BYTES:
                raise SpreadsheetError(
                    _("The selected file holds too much to read as a list of rows. Split it and try again.")
                )
    upload.seek(0)
    try:
        reader = ExcelReader(upload, read_only=True, data_only=True)
        reader.read_manifest()
        reader.read_strings()
        reader.read_workbook()
        apply_stylesheet(reader.archive, reader.wb)
        target = next(rel.target for _sheet, rel in reader.parser.find_sheets() if rel.Type == _WORKSHEET)
        source = reader.archive.open(target)
    except Exception as error:  # openpyxl raises many kinds on a damaged file
        raise _unreadable() from error
    try:
        parser = WorkSheetParser(
            source,
            reader.shared_strings,
            data_only=True,
            epoch=reader.wb.epoch,
            date_formats=reader.wb._date_formats,
            timedelta_formats=reader.wb._timedelta_formats,
        )
        for number, cells in parser.parse():
            values: dict[int, Any] = {c["column"]: c["value"] for c in cells if c["column"] <= max_columns}
            yield number, [values.get(column) for column in range(1, max(values, default=0) + 1)]
    except SpreadsheetError:
        raise
    except Exception as error:  # a damaged sheet is found while reading it
        raise _unreadable() from error
    finally:
        source.close()
        reader.archive.close()


def _csv_rows(upload: Any, max_columns: int) -> Iterator[tuple[int, list[str]]]:
    head = upload.read(8192)
    upload.seek(0)
    if b"\0" in head:
        raise SpreadsheetError(_("The selected file is not a CSV file, whatever its name says."))
    text = io.TextIOWrapper(upload, encoding="utf-8-sig", newline="")
    try:
        for number, row in enumerate(csv.reader(text), start=1):
            yield number, row[:max_columns]
    except UnicodeDecodeError as error:
        raise SpreadsheetError(_("Save the CSV file with UTF-8 encoding and upload it again.")) from error
    except csv.Error as error:
        raise SpreadsheetError(_("The selected file could not be read as a CSV file.")) from error
    finally:
        text.detach()
