"""How a reader's spreadsheet program would see an exported file: which cells it would run as formulas.

A CSV cell is run as a formula when it starts with "=", "+", "-", "@", a tab or a carriage return, unless
it is a plain number (a negative number is a number, not a formula). An XLSX cell is a formula when its
type is formula; a text cell that starts like a formula must carry the quote prefix, or Excel turns it
into a formula the moment someone edits it.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile

from openpyxl import load_workbook

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^-?\d+(\.\d+)?([eE][-+]?\d+)?$")


def csv_formula_cells(data: bytes | str) -> list[str]:
    text = data.decode("utf-8-sig") if isinstance(data, bytes) else data.removeprefix("\ufeff")
    return [
        cell
        for row in csv.reader(io.StringIO(text, newline=""))
        for cell in row
        if cell.startswith(FORMULA_START) and not _NUMBER.match(cell)
    ]


def xlsx_formula_cells(data: bytes) -> list[str]:
    book = load_workbook(io.BytesIO(data))
    found = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    found.append(f"{sheet.title}!{cell.coordinate} formula {cell.value!r}")
                elif (
                    isinstance(cell.value, str)
                    and cell.value.startswith(FORMULA_START)
                    and not cell.quotePrefix
                ):
                    found.append(f"{sheet.title}!{cell.coordinate} unprotected {cell.value!r}")
    return found


def zip_formula_cells(data: bytes) -> list[str]:
    found = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            found += [f"{name}: {cell!r}" for cell in csv_formula_cells(archive.read(name))]
    return found


def body(response) -> bytes:
    return response.getvalue()
