"""The quarterly Home Office report: its numbers in every format, its lifecycle, and who may see it.

Today is 15 August 2026 (conftest), so 2026/27 Q1 (April to June 2026) is the last complete quarter.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import os
import shutil
import subprocess
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from governance.models import Action, Attendance, DutyStatus, TermsOfReference
from governance.quarters import FinancialQuarter
from performance import services as performance_services
from performance.models import (
    Figure,
    Grant,
    ImmutableVersionError,
    Period,
    Report,
    ReportFile,
    ReportVersion,
    SpendReturn,
)
from performance.reporting import generate_draft
from performance.reporting.services import file_matches, report_submit
from tests.crest.factories import RecommendationFactory

from . import factories

pytestmark = pytest.mark.django_db

Q1 = FinancialQuarter(2026, 1)
# quarter_data leaves 1.1.1.c unverified: submitting it is a decision, with its reason.
UNVERIFIED = "The police homicide figure is verified by the Home Office itself."
# 1.1.1.b (counts): Isle of Wight's 5 is a small count and Portsmouth's 64 the next smallest: the public
# would see both hidden (secondary suppression); the report to the Home Office shows them.
AREAS_Q1 = {"hampshire": 170, "isle-of-wight": 5, "portsmouth": 64, "southampton": 80, "hips": 319}


@pytest.fixture
def quarter_data(framework, council, constabulary):
    """A quarter's worth of records: figures, an SVRP meeting, actions, grants and the ToR."""
    for area, value in AREAS_Q1.items():
        factories.figure("1.1.1.b", Q1, value, area=area)
    for n, q in enumerate([Q1.minus(1), Q1.minus(2), Q1.minus(3), Q1.minus(4)]):
        factories.figure("1.1.1.b", q, 300 + 10 * n)  # HIPS totals: 300, 310, 320, 330 (a year ago)
    factories.figure("1.1.1.b", Q1, 121, area="hips", band="under_25")
    factories.figure("1.1.1.c", Q1, 2, area="hips", status=Figure.Status.SUBMITTED)  # not verified yet
    # Two of the duty authorities at the quarter's SVRP meeting: the council in person, the police by deputy.
    meeting = factories.meeting(dt.date(2026, 5, 12))
    chair = factories.person("Carol Council", council)
    officer = factories.person("Peter Police", constabulary)
    factories.board_seat(chair)
    factories.board_seat(officer)
    factories.attend(meeting, chair, Attendance.Status.PRESENT)
    factories.attend(meeting, officer, Attendance.Status.DEPUTY)
    authorities = factories.organisation("Isle of Wight Council", duty=DutyStatus.SPECIFIED)
    factories.attend(meeting, factories.person("Ivy Wight", authorities), Attendance.Status.APOLOGIES)
    # Actions: two opened in the quarter, one of them completed in it; one older and overdue.
    in_q = timezone.make_aware(dt.datetime(2026, 5, 12, 12))
    Action.objects.create(
        reference="SVRP-2026-01",
        description="Map the knife-crime hotspots.",
        owner=chair,
        organisation=council,
        due_date=dt.date(2026, 6, 1),
        status=Action.Status.COMPLETE,
        completed_on=dt.date(2026, 6, 1),
        created=in_q,
    )
    Action.objects.create(
        reference="SVRP-2026-02",
        description="Share the ED data.",
        owner=officer,
        organisation=constabulary,
        due_date=dt.date(2026, 9, 1),
        created=in_q,
    )
    Action.objects.create(
        reference="SVRP-2025-09",
        description="Publish the strategy.",
        owner=chair,
        organisation=council,
        due_date=dt.date(2026, 4, 30),
        created=timezone.make_aware(dt.datetime(2026, 1, 20, 12)),
    )
    grant = Grant.objects.create(kind=Grant.Kind.VRU, year=2026, allocation=Decimal("1100000"))
    SpendReturn.objects.create(
        grant=grant,
        period=factories.period(Q1),
        category="labour",
        forecast=Decimal("165000"),
        actual=Decimal("160000"),
    )
    SpendReturn.objects.create(
        grant=grant,
        period=factories.period(Q1),
        category="non_labour",
        forecast=Decimal("110000"),
        actual=Decimal("100000"),
    )
    TermsOfReference.objects.create(
        group=factories.svrp(), version="2.1", status="approved", approved_on=dt.date(2025, 10, 1)
    )
    return meeting


def _libreoffice_sheets(xlsx: Path, out: Path) -> dict[str, list[list[str]]]:
    """Every sheet of the workbook as LibreOffice reads it, converted to CSV (one file per sheet)."""
    office = shutil.which("libreoffice") or shutil.which("soffice")
    if office is None:
        # CI installs LibreOffice (.ci/run); a developer machine without it reads with openpyxl instead.
        assert not os.environ.get("CI"), "LibreOffice is missing on CI"
        from openpyxl import load_workbook

        book = load_workbook(xlsx, read_only=True)
        return {
            ws.title: [["" if v is None else str(v) for v in row] for row in ws.iter_rows(values_only=True)]
            for ws in book.worksheets
        }
    subprocess.run(  # noqa: S603 - a fixed command on a file the test wrote
        [
            office,
            "--headless",
            f"-env:UserInstallation=file://{out}/profile",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,UTF8,1,,0,false,true,false,false,false,-1",
            "--outdir",
            str(out),
            str(xlsx),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    sheets = {}
    for path in out.glob(f"{xlsx.stem}-*.csv"):
        title = path.stem.removeprefix(f"{xlsx.stem}-")
        sheets[title] = list(csv.reader(path.read_text(encoding="utf-8").splitlines()))
    assert sheets, "LibreOffice wrote no sheet"
    return sheets


def _file(version: ReportVersion, kind: str) -> ReportFile:
    return version.files.get(kind=kind)


def _row(rows: list[list[str]], *start: str) -> list[str]:
    found = [r for r in rows if r[: len(start)] == list(start)]
    assert len(found) == 1, f"{start} in {rows}"
    return found[0]


def test_the_spreadsheet_opens_in_libreoffice_with_the_quarters_numbers(quarter_data, tmp_path):
    version = generate_draft(2026, 1)

    xlsx = tmp_path / "report.xlsx"
    xlsx.write_bytes(_file(version, "xlsx").file.read())
    sheets = _libreoffice_sheets(xlsx, tmp_path)

    assert sorted(sheets) == [
        "1 Period and sign-off",
        "10 Delivery plans",  # added by the duty app (core.hooks.REPORT_SECTIONS)
        "11 Sources",  # where each figure comes from (performance.reporting.provenance)
        "2 Home Office measures",
        "3 Framework, 8 quarters",
        "4 Meetings and attendance",
        "5 Action log",
        "6 Crest tracker",
        "7 Grant spend",
        "8 Membership and ToR",
        "9 Data-quality notes",
    ]
    home_office = sheets["2 Home Office measures"]
    assert home_office[0][:6] == ["Code", "Measure", "Age band", "Area", "Quarter", "Rolling 12 months"]
    hips = _row(
        home_office, "1.1.1.b", "Police recorded knife-enabled serious violence", "All ages", "HIPS total"
    )
    # Quarter 319; rolling year 319 + 300 + 310 + 320; change on 2025/26 Q1 (330): -11.
    assert hips[4:8] == ["319", "1249", "", "-11"]
    assert (
        _row(
            home_office, "1.1.1.b", "Police recorded knife-enabled serious violence", "All ages", "Hampshire"
        )[4]
        == "170"
    )
    assert (
        _row(
            home_office,
            "1.1.1.b",
            "Police recorded knife-enabled serious violence",
            "All ages",
            "Isle of Wight",
        )[4]
        == "5"  # the true figure: the Home Office asked for it (small counts are hidden only in public)
    )
    assert (
        _row(
            home_office, "1.1.1.b", "Police recorded knife-enabled serious violence", "All ages", "Portsmouth"
        )[4]
        == "64"
    )
    assert (
        _row(
            home_office, "1.1.1.b", "Police recorded knife-enabled serious violence", "Under 25", "HIPS total"
        )[4]
        == "121"
    )

    framework = sheets["3 Framework, 8 quarters"]
    assert framework[0][-2:] == ["Q1 26/27", "Note"]  # the last quarter, then why a cell is empty
    knife = _row(framework, "1.1", "1.1.1.b")
    assert knife[-6:-1] == ["330", "320", "310", "300", "319"]
    assert knife[-1] == "No verified figure for Q2 24/25, Q3 24/25, Q4 24/25."

    meetings = sheets["4 Meetings and attendance"]
    # Four duty authorities: the council, the police, the Isle of Wight Council and the ICB.
    assert meetings[1][1:6] == ["SVRP meeting, 12 May 2026", "Held", "2", "4", "2 of 4"]
    assert _row(meetings, "Isle of Wight Council")[2:5] == ["0", "1", "0 of 1"]

    actions = sheets["5 Action log"]
    assert _row(actions, "Opened in the quarter")[1] == "2"
    assert _row(actions, "Completed in the quarter")[1] == "1"
    assert _row(actions, "Overdue at the end of the quarter")[1] == "1"
    assert _row(actions, "SVRP-2025-09")[-1] == "Yes"

    grants = sheets["7 Grant spend"]
    assert _row(grants, "VRU grant")[3:7] == ["1100000", "260000", "275000", "-15000"]

    membership = sheets["8 Membership and ToR"]
    assert _row(membership, "Strategic Violence Reduction Partnership")[1] == "2.1"

    notes = sheets["9 Data-quality notes"]
    assert _row(notes, "Not yet verified", "1.1.1.c")
    assert not [r for r in notes if r[0] == "Suppressed cell"]
    # Handled as the partnership marks it, since it holds the true figures.
    assert _row(sheets["1 Period and sign-off"], "Handling marking")[1] == "OFFICIAL-SENSITIVE"


def test_the_spreadsheet_holds_numbers_in_numeric_cells_under_a_frozen_header(quarter_data, tmp_path):
    from openpyxl import load_workbook

    version = generate_draft(2026, 1)
    path = tmp_path / "report.xlsx"
    path.write_bytes(_file(version, "xlsx").file.read())
    book = load_workbook(path)
    sheet = book["2 Home Office measures"]
    assert sheet.freeze_panes == "A2"
    hips = next(r for r in sheet.iter_rows(values_only=True) if r[0] == "1.1.1.b" and r[3] == "HIPS total")
    assert hips[4] == 319 and isinstance(hips[4], int)
    assert all(book[name].freeze_panes == "A2" for name in book.sheetnames)


def test_the_pdf_converts_to_text_with_the_figures(quarter_data, tmp_path):
    version = generate_draft(2026, 1)
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(_file(version, "pdf").file.read())

    text = subprocess.run(  # noqa: S603
        ["pdftotext", "-layout", str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,  # noqa: S607
    ).stdout

    assert "Home Office quarterly report 2026/27 Q1" in text
    assert "Version 1, Draft." in text
    assert "2 of 4" in text
    assert "SVRP-2025-09" in text
    assert "1,100,000" in text and "260,000" in text
    assert "1,249" in text  # the rolling year of 1.1.1.b
    assert "Chart: 1.1.1.b" in text  # the chart's caption; the chart is drawn beside it


def test_the_csv_zip_has_one_file_per_table_with_the_same_numbers(quarter_data):
    version = generate_draft(2026, 1)
    with zipfile.ZipFile(_file(version, "zip").file.open("rb")) as archive:
        names = archive.namelist()
        grants = list(csv.reader(io.TextIOWrapper(archive.open("07-grants.csv"), encoding="utf-8-sig")))
    assert "04-meetings-attendance-by-authority.csv" in names and "05-actions-list.csv" in names
    # Thirteen tables of the framework's sections, the two of the delivery plans' (the duty app's), and
    # the sources of every figure.
    assert len(names) == 17
    assert "11-sources.csv" in names
    assert "01-period-contents.csv" in names
    assert "06-crest-source-reports.csv" in names
    assert "10-delivery-plans-summary.csv" in names
    assert grants[1][:7] == ["VRU grant", "All", "2026/27", "1100000", "260000", "275000", "-15000"]


def test_generating_twice_keeps_one_draft_and_replaces_its_files(quarter_data):
    first = generate_draft(2026, 1)
    old_name = _file(first, "xlsx").file.name
    factories.figure("1.1.1.a", Q1, 44)

    second = generate_draft(2026, 1)

    assert second.pk == first.pk and second.number == 1
    assert ReportVersion.objects.count() == 1 and ReportFile.objects.count() == 3
    assert _file(second, "xlsx").file.name != old_name
    assert all(file_matches(f) for f in second.files.all())


def test_submitting_locks_the_quarter_and_freezes_the_files_with_their_checksums(
    quarter_data, vru_staff, provider
):
    draft = generate_draft(2026, 1, user=vru_staff)

    submitted = report_submit(acting_user=vru_staff, version=draft, reason=UNVERIFIED)

    assert submitted.status == ReportVersion.Status.SUBMITTED
    assert submitted.submitted_by == vru_staff and submitted.submitted_at is not None
    assert Period.objects.for_quarter(Q1).get().is_locked
    for record in submitted.files.all():
        with record.file.open("rb") as handle:
            assert hashlib.sha256(handle.read()).hexdigest() == record.sha256
    # The figures can no longer simply change: only a recorded correction.
    figure = Figure.objects.get(
        measure__code="1.1.1.b", period__quarter=1, period__year=2026, area__code="hips", age_band="all"
    )
    with pytest.raises(ValidationError, match="locked"):
        performance_services.figure_save(
            acting_user=provider,
            measure=figure.measure,
            period=figure.period,
            area=figure.area,
            age_band="all",
            value=Decimal("400"),
        )


def test_a_submitted_versions_files_still_match_after_new_figures_and_a_correction(
    quarter_data, vru_staff, tmp_path
):
    submitted = report_submit(
        acting_user=vru_staff, version=generate_draft(2026, 1, user=vru_staff), reason=UNVERIFIED
    )
    before = {f.kind: (f.sha256, f.file.name) for f in submitted.files.all()}

    figure = Figure.objects.get(
        measure__code="1.1.1.b", period__year=2026, period__quarter=1, area__code="hips", age_band="all"
    )
    performance_services.figure_correct(
        acting_user=vru_staff, figure=figure, new_value=Decimal("329"), reason="Late crimes."
    )
    factories.figure("1.1.1.a", Q1, 51)
    correction = generate_draft(2026, 1, user=vru_staff, reason="1.1.1.b corrected after late recording.")

    assert correction.number == 2 and correction.status == ReportVersion.Status.DRAFT
    assert correction.correction_reason.startswith("1.1.1.b corrected")
    submitted.refresh_from_db()
    assert submitted.status == ReportVersion.Status.SUBMITTED
    after = {f.kind: (f.sha256, f.file.name) for f in submitted.files.all()}
    assert after == before
    assert all(file_matches(f) for f in submitted.files.all())
    # The correction carries the new figure; the submitted spreadsheet still has the old one.
    from openpyxl import load_workbook

    def hips_value(version):
        path = tmp_path / f"v{version.number}.xlsx"
        path.write_bytes(_file(version, "xlsx").file.read())
        rows = load_workbook(path, read_only=True)["2 Home Office measures"].iter_rows(values_only=True)
        return next(r[4] for r in rows if r[0] == "1.1.1.b" and r[2] == "All ages" and r[3] == "HIPS total")

    assert hips_value(submitted) == 319
    assert hips_value(correction) == 329


def test_a_submitted_version_is_refused_by_save_delete_and_the_database(quarter_data, vru_staff):
    submitted = report_submit(
        acting_user=vru_staff, version=generate_draft(2026, 1, user=vru_staff), reason=UNVERIFIED
    )

    submitted.correction_reason = "Changed afterwards."
    with pytest.raises(ImmutableVersionError):
        submitted.save()
    with pytest.raises(ImmutableVersionError):
        submitted.delete()
    record = submitted.files.first()
    record.sha256 = "0" * 64
    with pytest.raises(ImmutableVersionError):
        record.save()
    # Past the model: the database's triggers refuse too.
    with pytest.raises(DatabaseError), transaction.atomic():
        ReportVersion.objects.filter(pk=submitted.pk).update(status="draft")
    with pytest.raises(DatabaseError), transaction.atomic():
        ReportFile.objects.filter(version=submitted).update(sha256="0" * 64)
    if connection.vendor == "postgresql":  # SQLite's test flush is a DELETE: no delete trigger there
        with pytest.raises(DatabaseError), transaction.atomic():
            ReportFile.objects.filter(version=submitted)._raw_delete(ReportFile.objects.db)
    assert ReportFile.objects.filter(version=submitted).count() == 3


def test_submitting_a_submitted_version_again_is_refused_with_a_message(quarter_data, vru_staff):
    submitted = report_submit(
        acting_user=vru_staff, version=generate_draft(2026, 1, user=vru_staff), reason=UNVERIFIED
    )
    with pytest.raises(ValidationError, match="already submitted"):
        report_submit(acting_user=vru_staff, version=submitted, reason=UNVERIFIED)


def test_only_vru_staff_generate_or_submit(quarter_data, board_member, data_provider, vru_staff):
    with pytest.raises(PermissionDenied):
        generate_draft(2026, 1, user=board_member)
    draft = generate_draft(2026, 1, user=vru_staff)
    with pytest.raises(PermissionDenied):
        report_submit(acting_user=data_provider, version=draft)
    assert not Period.objects.for_quarter(Q1).get().is_locked


# Pages ---------------------------------------------------------------------------------------------


@pytest.fixture
def report(quarter_data):
    return generate_draft(2026, 1)


READERS = ["vru_staff", "board_member"]
REFUSED = ["subgroup_chair", "data_provider", "administrator"]


@pytest.mark.parametrize("role", READERS)
def test_readers_see_the_reports_and_download_every_file(role, request, report, client_for):
    client = client_for(request.getfixturevalue(role))
    listing = client.get(reverse("performance:reports"))
    assert listing.status_code == 200
    assert "2026/27 Q1" in listing.content.decode()
    detail = client.get(reverse("performance:report", args=["2026-27-q1"]))
    assert detail.status_code == 200
    for kind in ("xlsx", "pdf", "zip"):
        response = client.get(reverse("performance:report_download", args=["2026-27-q1", 1, kind]))
        assert response.status_code == 200
        body = b"".join(response.streaming_content)
        assert hashlib.sha256(body).hexdigest() == _file(report, kind).sha256
        assert response["Content-Disposition"].startswith("attachment")


@pytest.mark.parametrize("role", REFUSED)
def test_other_roles_are_refused(role, request, report, client_for):
    client = client_for(request.getfixturevalue(role))
    assert client.get(reverse("performance:reports")).status_code == 403
    assert client.get(reverse("performance:report", args=["2026-27-q1"])).status_code == 403
    url = reverse("performance:report_download", args=["2026-27-q1", 1, "pdf"])
    assert client.get(url).status_code == 403
    assert client.post(reverse("performance:report_generate"), {"quarter": "2026-27-q1"}).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(report, client):
    for url in (
        reverse("performance:reports"),
        reverse("performance:report", args=["2026-27-q1"]),
        reverse("performance:report_download", args=["2026-27-q1", 1, "xlsx"]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_board_members_read_but_cannot_generate_or_submit(report, board_member, client_for):
    client = client_for(board_member)
    page = client.get(reverse("performance:report", args=["2026-27-q1"])).content.decode()
    assert "Submit version 1" not in page
    assert client.post(reverse("performance:report_generate"), {"quarter": "2026-27-q1"}).status_code == 403
    assert client.post(reverse("performance:report_submit", args=["2026-27-q1", 1])).status_code == 403
    assert client.get(reverse("performance:report_submit", args=["2026-27-q1", 1])).status_code == 403
    assert ReportVersion.objects.get().status == ReportVersion.Status.DRAFT


def test_vru_staff_generate_submit_and_correct_through_the_pages(quarter_data, vru_staff, client_for):
    client = client_for(vru_staff)
    response = client.post(reverse("performance:report_generate"), {"quarter": "2026-27-q1"})
    assert response.status_code == 302 and response["Location"] == "/reports/2026-27-q1/"
    # Submitting asks first: what will happen and which figures stay unverified or missing.
    confirm = client.get(reverse("performance:report_submit", args=["2026-27-q1", 1])).content.decode()
    assert "What will happen" in confirm and "What stays unverified or missing" in confirm
    assert "Not verified" in confirm and "Missing" in confirm
    assert ReportVersion.objects.get(number=1).status == ReportVersion.Status.DRAFT
    # A figure is still unverified: submitting needs a reason, asked for on the page.
    assert "Why submit with figures not verified?" in confirm
    refused = client.post(reverse("performance:report_submit", args=["2026-27-q1", 1]), {"reason": " "})
    assert refused.status_code == 400
    assert "1 figure of the quarter is not verified: verify it first, or give the reason" in refused.text
    assert ReportVersion.objects.get(number=1).status == ReportVersion.Status.DRAFT
    assert not Period.objects.get(year=2026, quarter=1).is_locked
    url = reverse("performance:report_submit", args=["2026-27-q1", 1])
    response = client.post(url, {"reason": UNVERIFIED})
    assert response.status_code == 302
    submitted = ReportVersion.objects.get(number=1)
    assert submitted.status == ReportVersion.Status.SUBMITTED and submitted.unverified_reason == UNVERIFIED
    assert UNVERIFIED in client.get(reverse("performance:report", args=["2026-27-q1"])).text

    refused = client.post(reverse("performance:report_correct", args=["2026-27-q1"]), {"reason": ""})
    assert refused.status_code == 400
    assert "Enter why the submitted report needs correcting." in refused.content.decode()
    assert ReportVersion.objects.count() == 1

    client.post(reverse("performance:report_correct", args=["2026-27-q1"]), {"reason": "Late figures."})
    page = client.get(reverse("performance:report", args=["2026-27-q1"])).content.decode()
    assert "Version 2" in page and "Late figures." in page and "Submit version 2" in page


def test_a_quarter_not_offered_is_refused_with_a_message(quarter_data, vru_staff, client_for):
    response = client_for(vru_staff).post(reverse("performance:report_generate"), {"quarter": "2030-31-q1"})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not Report.objects.exists()


def test_an_unknown_quarter_or_file_is_not_found(report, vru_staff, client_for):
    client = client_for(vru_staff)
    assert client.get("/reports/2026-27-q9/").status_code == 404
    assert client.get("/reports/2025-26-q1/").status_code == 404
    assert (
        client.get(reverse("performance:report_download", args=["2026-27-q1", 7, "pdf"])).status_code == 404
    )
    assert (
        client.get(reverse("performance:report_download", args=["2026-27-q1", 1, "exe"])).status_code == 404
    )


def test_the_navigation_shows_reports_to_staff_and_the_board_only(
    report, client_for, vru_staff, subgroup_chair
):
    assert 'href="/reports/"' in client_for(vru_staff).get("/").content.decode()
    assert 'href="/reports/"' not in client_for(subgroup_chair).get("/").content.decode()


def test_the_report_pages_query_count_does_not_grow_with_reports_and_versions(
    quarter_data, vru_staff, client_for
):
    client = client_for(vru_staff)
    generate_draft(2026, 1, user=vru_staff)
    urls = [reverse("performance:reports"), reverse("performance:report", args=["2026-27-q1"])]
    client.get(urls[0])  # warm the session and caches

    def counts():
        found = []
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            found.append(len(queries))
        return found

    small = counts()
    report_submit(acting_user=vru_staff, version=ReportVersion.objects.get(), reason=UNVERIFIED)
    generate_draft(2026, 1, user=vru_staff, reason="More.")
    generate_draft(Q1.minus(1).year, Q1.minus(1).quarter)
    large = counts()
    assert Report.objects.count() == 2 and ReportVersion.objects.count() == 3
    assert small == large


def test_the_demo_data_includes_a_draft_for_the_last_complete_quarter(framework):
    from demo.report import load_demo_report

    load_demo_report()
    load_demo_report()  # idempotent

    version = ReportVersion.objects.get()
    assert (version.report.year, version.report.quarter) == (2026, 1)
    assert version.status == ReportVersion.Status.DRAFT and version.files.count() == 3


def test_writing_the_files_takes_no_more_memory_for_ten_times_the_actions(quarter_data):
    """Rows stream from the database into a write-only workbook and the zip: memory stays bounded."""
    import tracemalloc

    from performance.reporting import builders
    from performance.reporting.sections import ReportContext, build_sections

    owner = factories.person("Owen Owner", factories.organisation("Portsmouth City Council"))
    created = timezone.make_aware(dt.datetime(2026, 5, 1, 9))

    def add_actions(start: int, count: int) -> None:
        Action.objects.bulk_create(
            Action(
                reference=f"BULK-{n:05d}",
                description="A long description of what is to be done. " * 5,
                owner=owner,
                organisation=owner.organisation,
                due_date=dt.date(2026, 6, 1),
                raised_on=created.date(),
                created=created,
            )
            for n in range(start, start + count)
        )

    version = generate_draft(2026, 1)
    ctx = ReportContext(quarter=Q1, version=version, today=dt.date(2026, 8, 15))

    def peak() -> int:
        sections = build_sections(ctx)
        tracemalloc.start()
        builders.build_xlsx(sections).close()
        builders.build_csv_zip(sections).close()
        result = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        return result

    add_actions(0, 300)
    small = peak()
    add_actions(300, 2700)
    large = peak()

    tracemalloc.start()
    held = list(Action.objects.select_related("owner", "organisation", "meeting"))
    holding = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()

    assert len(held) > 3000
    # Holding the action log once would cost ``holding``; writing both files with ten times the
    # actions grows by a small fraction of that (what remains is the driver's own buffering).
    assert large - small < holding / 4, (small, large, holding)


def test_vru_staffs_home_page_points_to_a_draft_waiting_to_be_submitted(
    report, client_for, vru_staff, board_member
):
    home = client_for(vru_staff).get("/").content.decode()
    assert "Draft version 1 of the 2026/27 Q1 report is waiting to be reviewed and submitted" in home
    assert 'href="/reports/2026-27-q1/"' in home
    report_submit(acting_user=vru_staff, version=report, reason=UNVERIFIED)
    assert "No report draft is waiting to be submitted." in client_for(vru_staff).get("/").content.decode()
    assert "Home Office report" not in client_for(board_member).get("/").content.decode()


def test_submitting_with_unverified_figures_needs_a_reason_which_the_version_keeps(quarter_data, vru_staff):
    """Seen: "Submit version 1" went through with a figure unverified, and nothing said why."""
    draft = generate_draft(2026, 1, user=vru_staff)
    with pytest.raises(ValidationError) as refused:
        report_submit(acting_user=vru_staff, version=draft)
    assert "not verified" in refused.value.message_dict["reason"][0]
    draft.refresh_from_db()
    assert (
        draft.status == ReportVersion.Status.DRAFT and not Period.objects.get(year=2026, quarter=1).is_locked
    )

    submitted = report_submit(acting_user=vru_staff, version=draft, reason=f"  {UNVERIFIED}  ")
    assert submitted.unverified_reason == UNVERIFIED


def test_with_every_figure_verified_no_reason_is_asked_or_kept(quarter_data, vru_staff):
    unverified = Figure.objects.filter(status=Figure.Status.SUBMITTED)
    performance_services.figure_verify(acting_user=vru_staff, figures=unverified)
    submitted = report_submit(acting_user=vru_staff, version=generate_draft(2026, 1), reason="Not needed.")
    assert submitted.is_submitted and submitted.unverified_reason == ""


def test_the_home_office_gets_the_true_small_counts_the_board_sees_not_stars(
    quarter_data, vru_staff, tmp_path
):
    """Seen: the HIPS total of 1.1.1.c showed "*" in the PDF and XLSX while the board's dashboard showed 3:
    the rule for public sharing hid the figure from the body that asked for it."""
    # The quarter's homicide count, small by nature (2), verified.
    homicides = Figure.objects.filter(measure__code="1.1.1.c", period__year=2026, period__quarter=1)
    performance_services.figure_verify(acting_user=vru_staff, figures=homicides)
    version = generate_draft(2026, 1)
    from openpyxl import load_workbook

    book = load_workbook(_file(version, "xlsx").file.open("rb"))
    cells = [
        row
        for row in book["2 Home Office measures"].iter_rows(values_only=True)
        if row[0] == "1.1.1.c" and row[3] == "HIPS total" and row[2] == "All ages"
    ]
    assert cells and cells[0][4] == 2 and isinstance(cells[0][4], int)
    assert not any(
        value == "*"
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
    )
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(_file(version, "pdf").file.open("rb").read())
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "OFFICIAL-SENSITIVE" in text and "shown as *" not in text
    # The public still sees the small count hidden.
    from performance.suppression import suppress

    assert suppress({1: Decimal(3), 2: Decimal(20)}, Decimal(23), has_total=True).components[1].suppressed


def test_codes_and_blank_dates_in_the_report_say_what_they_are(quarter_data):
    """Seen: "JRA 2023" appeared with no explanation and the ToR's "Approved on" cell was blank."""
    from openpyxl import load_workbook

    from governance.models import TermsOfReference

    RecommendationFactory(number="4.1")
    TermsOfReference.objects.update(approved_on=None)
    book = load_workbook(_file(generate_draft(2026, 1), "xlsx").file.open("rb"))
    crest = list(book["6 Crest tracker"].iter_rows(values_only=True))
    explained = [row for row in crest if row[0] == "JRA 2023" and row[1] and "Joint Readiness" in str(row[1])]
    assert explained, crest
    tor = [row for row in book["8 Membership and ToR"].iter_rows(values_only=True) if row[1] == "2.1"]
    assert tor[0][3] is None and "approval date is not recorded" in tor[0][5]


def test_the_front_sheet_lists_every_section_and_its_sheet(quarter_data):
    from openpyxl import load_workbook

    book = load_workbook(_file(generate_draft(2026, 1), "xlsx").file.open("rb"))
    rows = list(book["1 Period and sign-off"].iter_rows(values_only=True))
    start = rows.index(("Section", "Title", "Sheet"))
    contents = [row for row in rows[start + 1 :] if row and row[0] is not None]
    assert [row[2] for row in contents] == book.sheetnames
    assert contents[0][:2] == (1, "Period and sign-off")


def test_a_reason_holding_a_null_character_is_refused_on_the_field_not_a_server_error(
    quarter_data, vru_staff, client_for
):
    """Found by the fuzz on PostgreSQL, which cannot store a null character in text."""
    generate_draft(2026, 1, user=vru_staff)
    url = reverse("performance:report_submit", args=["2026-27-q1", 1])
    response = client_for(vru_staff).post(url, {"reason": "Line\r\nBcc: x\x00\x07"})
    assert response.status_code == 400 and "null character" in response.text
    assert ReportVersion.objects.get().status == ReportVersion.Status.DRAFT
