"""Formula injection: text people typed never becomes a live formula in a file the portal writes.

Seen: an action described as ``=HYPERLINK("http://evil.example/6","X6")`` became a formula in the
action log's XLSX (action, "raised at", owner, owning organisation) and in its CSV; owner names in the
Crest CSV were left as typed. Every export goes through ``core.spreadsheets`` now; these tests read each
file as a spreadsheet program would (``tests/exports.py``).
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from core.admin_files import SafeCSV, SafeXLSX
from core.spreadsheets import FORMULA_START, csv_value, safe_text, unescape_text
from governance.models import Meeting
from governance.resources import OrganisationResource, PersonResource
from tests.crest.factories import RecommendationFactory
from tests.exports import csv_formula_cells, xlsx_formula_cells
from tests.governance.factories import ActionFactory, MembershipFactory, OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db

LINK = '=HYPERLINK("http://evil.example/6","X6")'
HOSTILE = [LINK, "+SUM(1,2)", "-2+3+cmd|' /C calc'!A0", "@SUM(A1)"]


@pytest.fixture
def poisoned(db):
    """Every free-text field an export shows, typed by someone hostile."""
    organisation = OrganisationFactory(name=HOSTILE[1], slug="hostile")
    owner = PersonFactory(full_name=HOSTILE[3], organisation=organisation)
    MembershipFactory(person=owner)
    meeting_title = HOSTILE[2]
    action = ActionFactory(description=LINK, owner=owner, organisation=organisation)
    Meeting.objects.filter(pk=action.meeting_id).update(title=meeting_title)
    RecommendationFactory(
        number="4.1", text=LINK, owner_person=owner, owner_organisation=organisation, response_reason="-1 day"
    )
    return owner


EXPORTS = [
    reverse("governance:actions_csv"),
    reverse("governance:actions_xlsx"),
    reverse("governance:membership_csv"),
    reverse("governance:membership_xlsx"),
    "/crest/export.csv",
    "/crest/export.xlsx",
]


@pytest.mark.parametrize("address", EXPORTS)
def test_no_export_holds_a_formula_and_every_typed_text_survives(address, poisoned, client_for, vru_staff):
    data = client_for(vru_staff).get(address).getvalue()
    if address.endswith(".csv"):
        assert csv_formula_cells(data) == []
        text = data.decode("utf-8-sig")
        # What was typed is all there, behind the neutralising quote.
        assert "'" + HOSTILE[1] in text and "'" + HOSTILE[3] in text
    else:
        assert xlsx_formula_cells(data) == []
        values = {
            c for row in load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True) for c in row
        }
        # In a workbook the text is kept exactly as typed: typed as text, with Excel's quote prefix.
        assert HOSTILE[1] in values and HOSTILE[3] in values


def test_the_action_log_exports_keep_the_action_and_its_meeting_as_typed(poisoned, client_for, vru_staff):
    client = client_for(vru_staff)
    book = load_workbook(io.BytesIO(client.get(reverse("governance:actions_xlsx")).getvalue()))
    row = list(next(book.active.iter_rows(min_row=2, max_row=2)))
    assert row[1].value == LINK and row[1].data_type == "s" and row[1].quotePrefix
    assert isinstance(row[4].value, dt.datetime)  # the due date stays a date
    csv_text = client.get(reverse("governance:actions_csv")).getvalue().decode("utf-8-sig")
    assert "'" + LINK.replace('"', '""') in csv_text


def test_the_crest_export_read_back_gives_the_text_as_typed(poisoned, client_for, vru_staff):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from crest import spreadsheet

    for name in ("crest/export.csv", "crest/export.xlsx"):
        data = client_for(vru_staff).get("/" + name).getvalue()
        rows = spreadsheet.read_rows(SimpleUploadedFile(name.split("/")[1], data))
        header = rows[0]
        assert rows[1][header.index("Recommendation")] == LINK
        assert rows[1][header.index("Owner")] == HOSTILE[3]
        assert rows[1][header.index("Reason for the response")] == "-1 day"


@pytest.mark.parametrize("resource", [OrganisationResource, PersonResource])
def test_the_admins_exports_hold_no_formula(resource, poisoned):
    dataset = resource().export()
    assert csv_formula_cells(SafeCSV().export_data(dataset)) == []
    assert xlsx_formula_cells(SafeXLSX().export_data(dataset)) == []


def test_the_admins_import_reads_its_own_export_back_as_typed(poisoned):
    exported = SafeCSV().export_data(OrganisationResource().export())
    dataset = SafeCSV().create_dataset(exported)
    assert HOSTILE[1] in dataset["name"]


def test_the_admins_only_formats_are_the_bounded_ones(administrator, client_for):
    page = client_for(administrator).get("/admin/governance/organisation/import/").text
    assert "csv" in page and "xlsx" in page
    for unbounded in ("xls<", "ods", "yaml", "html<"):
        assert f">{unbounded}" not in page


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        (LINK, "'" + LINK),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("plain text", "plain text"),
        ("", ""),
        (None, ""),
        (Decimal("-15000"), "-15000"),
        (Decimal("2.50"), "2.50"),
        (-3, "-3"),
        (dt.date(2026, 6, 1), "2026-06-01"),
    ],
)
def test_a_csv_cell_neutralises_text_and_keeps_numbers_and_dates(value, cell):
    assert csv_value(value) == cell


def test_neutralising_and_reading_back_is_the_identity():
    for text in [*HOSTILE, "'=already quoted", "'plain", "plain", "\t", ""]:
        assert unescape_text(safe_text(text)) == text


@given(st.text(alphabet=st.sampled_from(["'", "=", "+", "-", "@", "\t", "\r", "a", "1", " "]), max_size=8))
def test_reading_back_any_neutralised_text_gives_the_text(text):
    assert unescape_text(safe_text(text)) == text
    assert not safe_text(text).startswith(FORMULA_START)
