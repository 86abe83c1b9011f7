"""Hostile files, generated: a ZIP bomb, a forged bomb, a million-row workbook, a PDF that runs a script.

Shared by the upload tests (``tests/security``) and ``make bench`` (``manage.py bench_uploads``), which
measure how fast and in how little memory the portal refuses them. Written part by part: openpyxl would
take a minute to write a million rows.
"""

from __future__ import annotations

import io
import struct
import time
import tracemalloc
import zipfile
from collections.abc import Callable

_CONTENT_TYPES = (
    '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
    'spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application'
    '/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
)
_RELS = (
    '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
    '<sheet name="Figures" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)


def xlsx_rows(rows: int, *, padding: int = 0) -> bytes:
    """A real XLSX of ``rows`` rows written part by part (openpyxl would take a minute for a million).

    ``padding`` spaces in [Content_Types].xml make it a bomb: they compress to almost nothing.
    """
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("[Content_Types].xml", "w") as part:
            part.write(_CONTENT_TYPES.encode())
            for _ in range(padding // (1024 * 1024)):
                part.write(b" " * (1024 * 1024))
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w") as part:
            part.write(b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/')
            part.write(b'spreadsheetml/2006/main"><sheetData>')
            part.write(b"<row><c t='inlineStr'><is><t>measure</t></is></c></row>")
            for start in range(0, rows, 10_000):
                part.write(
                    "".join(
                        f"<row><c><v>{n * 7919 % 997}</v></c></row>"
                        for n in range(start, min(rows, start + 10_000))
                    ).encode()
                )
            part.write(b"</sheetData></worksheet>")
    return buffer.getvalue()


def forged(data: bytes, name: str, declared: int) -> bytes:
    """The container with ``name``'s size in its directories rewritten to ``declared`` bytes."""
    forged = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        local = archive.getinfo(name).header_offset
    struct.pack_into("<I", forged, local + 22, declared)
    central = forged.find(b"PK\x01\x02")
    while central != -1:
        length = struct.unpack_from("<H", forged, central + 28)[0]
        if forged[central + 46 : central + 46 + length] == name.encode():
            struct.pack_into("<I", forged, central + 24, declared)
        central = forged.find(b"PK\x01\x02", central + 4)
    return bytes(forged)


def measured(action: Callable[[], object]) -> tuple[object, float, int]:
    """What ``action`` returned, how long it took and the peak of memory it added."""
    tracemalloc.start()
    tracemalloc.reset_peak()
    before = tracemalloc.get_traced_memory()[0]
    started = time.perf_counter()
    try:
        result = action()
    finally:
        elapsed = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1] - before
        tracemalloc.stop()
    return result, elapsed, peak


PDF_HEAD = b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R"
PDF_TAIL = (
    b" >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
)


def bomb() -> bytes:
    """An XLSX of a few hundred kilobytes whose [Content_Types].xml expands to 300 MB."""
    return xlsx_rows(10, padding=300 * 1024 * 1024)


def million_rows() -> bytes:
    """An XLSX under 2 MB with 1,000,000 rows."""
    return xlsx_rows(1_000_000)


def script_pdf() -> bytes:
    return PDF_HEAD + b" /OpenAction << /S /JavaScript /JS (app.alert(1)) >>" + PDF_TAIL
