from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from crest.models import Recommendation
from crest.spreadsheet import COLUMNS

from .factories import OrganisationFactory, ProgressEntryFactory, RecommendationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 11, 2, 10, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def recs():
    org = OrganisationFactory(name="Hampshire and Isle of Wight VRU", short_name="VRU")
    first = RecommendationFactory(number="4.1", owner_organisation=org)
    ProgressEntryFactory(recommendation=first, text="Letters drafted.")
    second = RecommendationFactory(
        number="4.2", text="Disseminate a centralised message to practitioners.", owner_organisation=org
    )
    return first, second


def _exported_csv(client) -> list[list[str]]:
    response = client.get("/crest/export.csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def _as_upload(rows: list[list[str]], name: str = "tracker.csv") -> SimpleUploadedFile:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode("utf-8-sig"), content_type="text/csv")


def _set(rows: list[list[str]], number: str, column: str, value: str) -> None:
    row = next(r for r in rows[1:] if r[1] == number)
    row[COLUMNS.index(column)] = value


def test_the_export_has_exactly_the_columns_the_upload_reads(client_for, vru_staff, recs):
    rows = _exported_csv(client_for(vru_staff))
    assert tuple(rows[0]) == COLUMNS
    assert [r[1] for r in rows[1:]] == ["4.1", "4.2"]
    assert rows[1][COLUMNS.index("Latest progress")] == "Letters drafted."
    assert rows[1][COLUMNS.index("Response")] == "Accepted"


def test_the_xlsx_export_has_the_same_columns_and_rows(client_for, board_member, recs):
    response = client_for(board_member).get("/crest/export.xlsx")
    sheet = load_workbook(io.BytesIO(response.getvalue())).worksheets[0]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert tuple(rows[0]) == COLUMNS
    assert [r[1] for r in rows[1:]] == ["4.1", "4.2"]


def test_the_exported_spreadsheet_uploaded_back_with_changes_updates_the_tracker(client_for, vru_staff, recs):
    client = client_for(vru_staff)
    rows = _exported_csv(client)
    _set(rows, "4.1", "Status", "In progress")
    _set(rows, "4.1", "Target date", "31/03/2027")
    _set(rows, "4.2", "Response", "Partly accepted")
    _set(rows, "4.2", "Reason for the response", "Only the local authorities can send it.")
    _set(rows, "4.2", "RAG", "Amber")
    _set(rows, "4.2", "New progress", "Draft concordat circulated.")
    response = client.post("/crest/upload/", {"file": _as_upload(rows)}, follow=True)
    assert "Recommendations changed: 2. Progress entries added: 1." in response.text
    first, second = (Recommendation.objects.get(number=n) for n in ("4.1", "4.2"))
    assert first.status == "in_progress"
    assert first.target_date == dt.date(2027, 3, 31)
    assert second.response == "partly_accepted"
    assert second.rag == "amber"
    assert second.progress_entries.get().text == "Draft concordat circulated."


def test_one_bad_row_applies_nothing_and_names_the_row_and_column(client_for, vru_staff, recs):
    client = client_for(vru_staff)
    rows = _exported_csv(client)
    _set(rows, "4.1", "Status", "In progress")  # a good change that must not be applied
    _set(rows, "4.2", "RAG", "Purple")
    response = client.post("/crest/upload/", {"file": _as_upload(rows)})
    assert response.status_code == 200
    assert "Row 3, column “RAG”: “Purple” is not a RAG rating" in response.text
    assert "Nothing was changed" in response.text
    assert Recommendation.objects.get(number="4.1").status == "not_started"


def test_every_bad_row_is_listed(client_for, vru_staff, recs):
    client = client_for(vru_staff)
    rows = _exported_csv(client)
    _set(rows, "4.1", "Target date", "next spring")
    _set(rows, "4.1", "Publishable", "maybe")
    _set(rows, "4.2", "Response", "Not accepted")
    rows.append(["JRA 2023", "7.7", "", "", "", "Accepted", "", "Not started", "", "", "No", "", ""])
    response = client.post("/crest/upload/", {"file": _as_upload(rows)})
    for expected in (
        "Row 2, column “Target date”",
        "Row 2, column “Publishable”",
        "Row 3, column “Reason for the response”",
        "Row 4, column “Number”: there is no recommendation 7.7",
    ):
        assert expected in response.text


def test_achieving_by_upload_is_refused(client_for, vru_staff, recs):
    client = client_for(vru_staff)
    rows = _exported_csv(client)
    _set(rows, "4.1", "Status", "Achieved")
    response = client.post("/crest/upload/", {"file": _as_upload(rows)})
    assert "Row 2, column “Status”: use “Mark as achieved”" in response.text
    assert Recommendation.objects.get(number="4.1").status == "not_started"


def test_a_stale_export_is_refused_rather_than_overwriting_newer_progress(client_for, vru_staff, recs):
    client = client_for(vru_staff)
    rows = _exported_csv(client)
    ProgressEntryFactory(recommendation=recs[0], date=dt.date(2026, 11, 1), text="Newer progress.")
    response = client.post("/crest/upload/", {"file": _as_upload(rows)})
    assert "Row 2, column “Latest progress”" in response.text


def test_the_xlsx_export_uploaded_back_is_read(client_for, vru_staff, recs):
    client = client_for(vru_staff)
    workbook = load_workbook(io.BytesIO(client.get("/crest/export.xlsx").getvalue()))
    sheet = workbook.worksheets[0]
    sheet.cell(row=2, column=COLUMNS.index("Status") + 1, value="Closed")
    sheet.cell(row=2, column=COLUMNS.index("Target date") + 1, value=dt.datetime(2027, 1, 31))
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = client.post(
        "/crest/upload/", {"file": SimpleUploadedFile("tracker.xlsx", buffer.getvalue())}, follow=True
    )
    assert "Recommendations changed: 1." in response.text
    rec = Recommendation.objects.get(number="4.1")
    assert (rec.status, rec.target_date) == ("closed", dt.date(2027, 1, 31))


def test_a_file_without_the_tracker_columns_is_refused_as_a_whole(client_for, vru_staff, recs):
    response = client_for(vru_staff).post(
        "/crest/upload/", {"file": _as_upload([["Number", "Status"], ["4.1", "Closed"]])}
    )
    assert "missing Report" in response.text
    assert Recommendation.objects.get(number="4.1").status == "not_started"


def test_a_disguised_spreadsheet_is_refused(client_for, vru_staff, recs):
    response = client_for(vru_staff).post(
        "/crest/upload/", {"file": SimpleUploadedFile("tracker.xlsx", b"%PDF-1.4 not a workbook")}
    )
    assert "is not in XLSX format, whatever its name says" in response.text


def test_a_formula_in_a_cell_is_exported_as_text(client_for, vru_staff, recs):
    recs[0].response = "not_accepted"
    recs[0].response_reason = '=HYPERLINK("http://evil")'
    recs[0].save()
    client = client_for(vru_staff)
    rows = _exported_csv(client)
    assert rows[1][COLUMNS.index("Reason for the response")].startswith("'=")
    # And it reads back as it was: uploading the export unchanged changes nothing.
    response = client.post("/crest/upload/", {"file": _as_upload(rows)}, follow=True)
    assert "Recommendations changed: 0." in response.text
