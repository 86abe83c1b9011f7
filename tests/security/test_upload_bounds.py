"""Uploads are read in bounded memory and time, whatever the file claims to be.

Seen: a 307 KB "xlsx" whose [Content_Types].xml expands to 300 MB was accepted as a meeting paper and
took the web process from 205 MB to 819 MB; a figures upload of 1,000,000 rows took 110 s and 1.2 GB
before "A file can hold at most 2000 rows"; the Crest upload the same.

Each file here is generated in the test. Memory is Python's own allocations during the request
(tracemalloc): every decompressed byte and every parsed cell is a Python object, so a reader that
expands a file shows here.
"""

from __future__ import annotations

import io
import struct
import time
import tracemalloc
import zipfile
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.spreadsheets import SpreadsheetError, read_table
from core.uploads import validate_upload
from governance.models import Paper
from tests.governance.factories import MeetingFactory

pytestmark = pytest.mark.django_db

MEMORY_LIMIT = 64 * 1024 * 1024
TIME_LIMIT = 2.0

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


def _xlsx(rows: int, *, padding: int = 0) -> bytes:
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


@pytest.fixture(scope="module")
def bomb() -> bytes:
    """307 KB in the finding; this one is smaller still and expands to 300 MB."""
    return _xlsx(10, padding=300 * 1024 * 1024)


@pytest.fixture(scope="module")
def million_rows() -> bytes:
    return _xlsx(1_000_000)


def _forged(data: bytes, name: str, declared: int) -> bytes:
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


def test_the_generated_files_are_what_the_findings_describe(bomb, million_rows):
    with zipfile.ZipFile(io.BytesIO(bomb)) as archive:
        assert archive.getinfo("[Content_Types].xml").file_size > 300 * 1024 * 1024
    assert len(bomb) < 20 * 1024 * 1024
    assert len(million_rows) < 2 * 1024 * 1024
    with (
        zipfile.ZipFile(io.BytesIO(million_rows)) as archive,
        archive.open("xl/worksheets/sheet1.xml") as sheet,
    ):
        rows, tail = 0, b""
        while chunk := sheet.read(1024 * 1024):
            rows += (tail + chunk).count(b"<row>") - tail.count(b"<row>")
            tail = chunk[-8:]
    assert rows == 1_000_001


def test_a_bomb_is_refused_as_a_paper_quickly_in_little_memory_and_nothing_is_stored(
    bomb, client_for, vru_staff, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    meeting = MeetingFactory()
    client = client_for(vru_staff)
    url = reverse("governance:paper_add", args=[meeting.pk])

    response, elapsed, peak = measured(
        lambda: client.post(url, {"title": "Budget", "file": SimpleUploadedFile("budget.xlsx", bomb)})
    )

    assert "would take too much space once opened" in response.text  # type: ignore[attr-defined]
    assert elapsed < TIME_LIMIT and peak < MEMORY_LIMIT, (elapsed, peak)
    assert not Paper.objects.exists() and not list(tmp_path.rglob("*.*"))


def test_a_million_row_workbook_is_refused_at_the_first_row_over_the_limit(
    million_rows, client_for, data_provider
):
    client = client_for(data_provider)
    response, elapsed, peak = measured(
        lambda: client.post(
            reverse("performance:upload"), {"file": SimpleUploadedFile("figures.xlsx", million_rows)}
        )
    )
    assert "A file can hold at most 2000 rows." in response.text  # type: ignore[attr-defined]
    assert elapsed < TIME_LIMIT and peak < MEMORY_LIMIT, (elapsed, peak)


def test_the_crest_upload_refuses_the_million_rows_and_the_bomb_the_same_way(
    million_rows, bomb, client_for, vru_staff
):
    client = client_for(vru_staff)
    for data, message in ((million_rows, "at most 2000 rows"), (bomb, "too much space once opened")):
        response, elapsed, peak = measured(
            lambda data=data: client.post(
                "/crest/upload/", {"file": SimpleUploadedFile("tracker.xlsx", data)}
            )
        )
        assert message in response.text  # type: ignore[attr-defined]
        assert elapsed < TIME_LIMIT and peak < MEMORY_LIMIT, (elapsed, peak)


def test_a_million_row_csv_is_refused_while_reading():
    data = b"measure,period,area,age_band,value\n" + b"1.1.1.b,2026/27 Q1,hips,all,1\n" * 1_000_000
    _result, elapsed, peak = measured(
        lambda: pytest.raises(SpreadsheetError, read_table, io.BytesIO(data), max_rows=2000, filename="f.csv")
    )
    assert elapsed < TIME_LIMIT and peak < MEMORY_LIMIT, (elapsed, peak)


def test_a_forged_directory_cannot_hide_a_bomb_behind_a_small_declared_size(bomb):
    forged = _forged(bomb, "[Content_Types].xml", 1000)
    with zipfile.ZipFile(io.BytesIO(forged)) as archive:
        assert archive.getinfo("[Content_Types].xml").file_size == 1000
    error, elapsed, peak = measured(
        lambda: pytest.raises(ValidationError, validate_upload, SimpleUploadedFile("paper.xlsx", forged))
    )
    assert error.value.code in {"damaged", "disguised"}  # type: ignore[attr-defined]
    assert elapsed < TIME_LIMIT and peak < MEMORY_LIMIT, (elapsed, peak)


def test_an_ordinary_workbook_is_still_read(client_for, vru_staff):
    rows = read_table(SimpleUploadedFile("small.xlsx", _xlsx(50)), max_rows=2000)
    assert len(rows) == 51 and rows[0] == ["measure"] and rows[1] == ["0"]


PDF_HEAD = b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R"
PDF_TAIL = (
    b" >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
)


@pytest.mark.parametrize(
    "action",
    [
        b" /OpenAction << /S /JavaScript /JS (app.alert(1)) >>",
        b" /OpenAction << /S /J#61vaScript /J#53 (app.alert(1)) >>",
        b" /AA << /O << /S /Launch /F (cmd.exe) >> >>",
    ],
)
def test_a_pdf_that_runs_a_script_or_a_program_is_refused(action):
    with pytest.raises(ValidationError) as error:
        validate_upload(SimpleUploadedFile("paper.pdf", PDF_HEAD + action + PDF_TAIL))
    assert error.value.code == "active"
    assert "scripts, actions or attached files" in error.value.messages[0]


def test_a_pdf_that_only_opens_at_its_first_page_is_accepted():
    assert (
        validate_upload(SimpleUploadedFile("paper.pdf", PDF_HEAD + b" /OpenAction [3 0 R /Fit]" + PDF_TAIL))
        == "pdf"
    )
