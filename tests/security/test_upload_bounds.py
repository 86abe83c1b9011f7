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
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.spreadsheets import SpreadsheetError, read_table
from core.uploads import validate_upload
from demo import hostile_files
from demo.hostile_files import PDF_HEAD, PDF_TAIL, forged, measured, xlsx_rows
from governance.models import Paper
from tests.governance.factories import MeetingFactory

pytestmark = pytest.mark.django_db

MEMORY_LIMIT = 64 * 1024 * 1024
TIME_LIMIT = 2.0


@pytest.fixture(scope="module")
def bomb() -> bytes:
    """307 KB in the finding; this one is smaller still and expands to 300 MB."""
    return hostile_files.bomb()


@pytest.fixture(scope="module")
def million_rows() -> bytes:
    return hostile_files.million_rows()


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
    lying = forged(bomb, "[Content_Types].xml", 1000)
    with zipfile.ZipFile(io.BytesIO(lying)) as archive:
        assert archive.getinfo("[Content_Types].xml").file_size == 1000
    error, elapsed, peak = measured(
        lambda: pytest.raises(ValidationError, validate_upload, SimpleUploadedFile("paper.xlsx", lying))
    )
    assert error.value.code in {"damaged", "disguised"}  # type: ignore[attr-defined]
    assert elapsed < TIME_LIMIT and peak < MEMORY_LIMIT, (elapsed, peak)


def test_an_ordinary_workbook_is_still_read(client_for, vru_staff):
    rows = read_table(SimpleUploadedFile("small.xlsx", xlsx_rows(50)), max_rows=2000)
    assert len(rows) == 51 and rows[0] == ["measure"] and rows[1] == ["0"]


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


def test_make_bench_reports_each_hostile_upload_refused_within_the_targets():
    import json
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("bench_uploads", stdout=out)
    results = json.loads(out.getvalue())
    assert len(results) == 4
    assert all(r["meets_targets"] and r["outcome"].startswith("refused") for r in results), results


def test_a_large_accepted_paper_is_stored_in_bounded_memory(tmp_path, settings, vru_staff):
    """Accepted files count too: a 15 MB PDF is checked and stored without being held whole."""
    import os

    from django.core.files.uploadedfile import TemporaryUploadedFile

    from governance.services.meetings import paper_add

    settings.MEDIA_ROOT = tmp_path
    upload = TemporaryUploadedFile("large.pdf", "application/pdf", 0, None)
    upload.write(PDF_HEAD + b" >> endobj\n3 0 obj << /Length 15728640 >> stream\n")
    for _ in range(15):
        upload.write(os.urandom(1024 * 1024))
    upload.write(b"\nendstream endobj\n" + PDF_TAIL[len(b" >> endobj\n") :])
    upload.size = upload.tell()
    upload.seek(0)
    meeting = MeetingFactory()

    paper, elapsed, peak = measured(
        lambda: paper_add(acting_user=vru_staff, meeting=meeting, title="Profile", upload=upload)
    )

    assert paper.file.size == upload.size  # type: ignore[attr-defined]
    assert peak < 64 * 1024 * 1024, peak


@pytest.mark.parametrize(
    ("name", "make", "message"),
    [
        ("organisations.xlsx", hostile_files.million_rows, "at most 5000 rows"),
        ("organisations.xlsx", hostile_files.bomb, "too much space once opened"),
        ("organisations.csv", lambda: b"name\n" + b"x\n" * 6000, "at most 5000 rows"),
    ],
)
def test_the_admin_import_refuses_bombs_and_floods_before_reading_them(
    client_for, administrator, name, make, message
):
    from governance.models import Organisation

    client = client_for(administrator)
    page = client.get("/admin/governance/organisation/import/")
    choices = page.context["form"].fields["format"].choices
    formats = {str(label).lower(): value for value, label in choices}
    before = Organisation.objects.count()
    content = make()
    response, elapsed, peak = measured(
        lambda: client.post(
            "/admin/governance/organisation/import/",
            {
                "resource": "0",
                "format": formats[name.rsplit(".", 1)[1]],
                "import_file": SimpleUploadedFile(name, content),
            },
        )
    )
    assert message in response.text  # type: ignore[attr-defined]
    assert elapsed < 2 and peak < 64 * 1024 * 1024, (elapsed, peak)
    assert Organisation.objects.count() == before


def test_a_streams_bytes_are_data_not_names_but_what_follows_a_stream_is_read():
    """Random binary in an image or font stream now and then spells "/JS": it must not refuse the PDF."""
    stream = b" >> endobj\n3 0 obj << /Length 40 >> stream\n\x00/JS (x)/JavaScript\xff\nendstream endobj\n"
    tail = PDF_TAIL[len(b" >> endobj\n") :]
    assert validate_upload(SimpleUploadedFile("paper.pdf", PDF_HEAD + stream + tail)) == "pdf"
    after = b"4 0 obj << /S /JavaScript /JS (app.alert(1)) >> endobj\n"
    with pytest.raises(ValidationError):
        validate_upload(SimpleUploadedFile("paper.pdf", PDF_HEAD + stream + after + tail))
