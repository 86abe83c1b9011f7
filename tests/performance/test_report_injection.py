"""The Home Office report's XLSX and its CSV zip hold no formula, whatever people typed.

Seen: a recommendation, a person's or an organisation's name typed as a formula became formula cells in
the report's XLSX (sheets 4, 6, 8) and in its zip's CSVs.
"""

from __future__ import annotations

import pytest

from crest.models import Recommendation
from governance.models import Action, Organisation, Person
from performance.reporting import generate_draft
from tests.crest.factories import RecommendationFactory
from tests.exports import xlsx_formula_cells, zip_formula_cells

from .test_reports import quarter_data  # noqa: F401  (the quarter's records)

pytestmark = pytest.mark.django_db

LINK = '=HYPERLINK("http://evil.example/6","X6")'


def test_the_reports_files_hold_no_formula_and_keep_the_text(quarter_data):  # noqa: F811
    Person.objects.filter(full_name="Carol Council").update(full_name="@SUM(A1)")
    Organisation.objects.filter(pk=Person.objects.get(full_name="@SUM(A1)").organisation_id).update(
        name="+SUM(1,2)"
    )
    Action.objects.filter(reference="SVRP-2026-02").update(description=LINK)
    RecommendationFactory(number="4.1", text=LINK, response_reason="-1 day")
    assert Recommendation.objects.exists()

    version = generate_draft(2026, 1)
    files = {f.kind: f.file.open("rb").read() for f in version.files.all()}

    assert xlsx_formula_cells(files["xlsx"]) == []
    assert zip_formula_cells(files["zip"]) == []
    # The text is still there, as typed in the workbook and behind a quote in the CSVs.
    assert LINK.encode() in _xlsx_strings(files["xlsx"])
    assert b"'+SUM(1,2)" in _zip_text(files["zip"]) and b"'@SUM(A1)" in _zip_text(files["zip"])


def _xlsx_strings(data: bytes) -> bytes:
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return b"".join(archive.read(n) for n in archive.namelist() if n.startswith("xl/")).replace(
            b"&quot;", b'"'
        )


def _zip_text(data: bytes) -> bytes:
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return b"".join(archive.read(n) for n in archive.namelist())
