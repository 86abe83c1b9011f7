"""The Home Office report end to end: VRU staff generate a draft, download it and submit it."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
import time_machine
from playwright.sync_api import expect

from governance.models import Action
from governance.quarters import FinancialQuarter
from performance.models import Figure, Period, ReportVersion
from performance.reference import load_framework
from performance.reporting import generate_draft
from tests.performance import factories

pytestmark = [pytest.mark.browser]

# 2026/27 Q2 is under way, so 2026/27 Q1 is the last complete quarter.
NOW = dt.datetime(2026, 8, 15, 9, 0, tzinfo=dt.UTC)


def test_vru_staff_generate_and_submit_the_quarterly_report(page, live_server, sign_in, axe):
    with time_machine.travel(NOW, tick=True):
        load_framework()
        # One figure of the quarter still waits for verification: submitting it needs a reason.
        factories.figure("1.1.1.c", FinancialQuarter(2026, 1), 2, status=Figure.Status.SUBMITTED)

        sign_in("vru.staff", "/")
        axe(page)
        page.get_by_role("link", name="Reports").first.click()
        expect(page.get_by_role("heading", name="Home Office reports", level=1)).to_be_visible()
        expect(page.get_by_text("No report has been generated yet.")).to_be_visible()
        axe(page)

        expect(page.get_by_label("Quarter")).to_have_value("2026-27-q1")
        page.get_by_role("button", name="Generate the draft").click()
        expect(
            page.get_by_text("Draft version 1 of the 2026/27 Q1 report is ready for review.")
        ).to_be_visible()
        expect(page.get_by_role("heading", name="2026/27 Q1", level=1)).to_be_visible()
        axe(page)

        with page.expect_download() as download_info:
            page.get_by_role("link", name="PDF, version 1").click()
        download = download_info.value
        assert download.suggested_filename == "home-office-report-2026-27-q1-v1.pdf"
        pdf = download.path().read_bytes()
        assert pdf.startswith(b"%PDF")

        page.get_by_role("button", name="Submit version 1").click()
        # Submitting asks first: what will happen, and what stays unverified or missing.
        expect(page.get_by_role("heading", name="Submit version 1", level=1)).to_be_visible()
        expect(page.get_by_role("heading", name="What stays unverified or missing")).to_be_visible()
        axe(page)
        assert ReportVersion.objects.get().status == ReportVersion.Status.DRAFT
        page.get_by_role("button", name="Submit version 1").click()
        # Not without saying why a figure goes unverified: the error is on the field, and in the summary.
        expect(page.get_by_role("alert")).to_contain_text("1 figure of the quarter is not verified")
        axe(page)
        page.get_by_role("link", name="1 figure of the quarter is not verified").click()
        expect(page.get_by_label("Why submit with figures not verified?")).to_be_focused()
        assert ReportVersion.objects.get().status == ReportVersion.Status.DRAFT
        page.get_by_label("Why submit with figures not verified?").fill("Verified by the Home Office.")
        page.get_by_role("button", name="Submit version 1").click()
        expect(
            page.get_by_text(
                "Version 1 is submitted: its files are frozen and the quarter's figures are locked."
            )
        ).to_be_visible()
        expect(page.get_by_role("button", name="Submit version 1")).to_have_count(0)
        expect(page.get_by_role("button", name="Start a correction")).to_be_visible()
        axe(page)

        version = ReportVersion.objects.get()
        assert version.status == ReportVersion.Status.SUBMITTED
        assert version.submitted_by.username == "vru.staff"
        assert version.unverified_reason == "Verified by the Home Office."
        expect(page.get_by_text("Verified by the Home Office.")).to_be_visible()
        assert Period.objects.get(year=2026, quarter=1).is_locked
        checksums = {f.kind: f.sha256 for f in version.files.all()}
        expect(page.get_by_text(checksums["xlsx"])).to_be_visible()
        # The draft the page offered was rewritten at submission with the sign-off on it.
        assert hashlib.sha256(pdf).hexdigest() != checksums["pdf"]

        page.get_by_role("link", name="Home Office reports").click()
        expect(page.get_by_role("row", name="2026/27 Q1")).to_contain_text("Submitted")
        axe(page)


def test_locking_a_quarter_says_what_stays_unverified_or_missing_and_asks_first(
    page, live_server, sign_in, axe
):
    with time_machine.travel(NOW, tick=True):
        load_framework()
        period, _created = Period.objects.get_or_create(
            year=2026, quarter=1, defaults={"deadline": dt.date(2026, 7, 31)}
        )
        sign_in("vru.staff", f"/performance/periods/{period.slug}/lock/")
        expect(page.get_by_role("heading", name="Lock 2026/27 Q1", level=1)).to_be_visible()
        expect(page.get_by_role("heading", name="What stays unverified or missing")).to_be_visible()
        axe(page)
        period.refresh_from_db()
        assert not period.is_locked  # nothing is locked by looking
        page.get_by_role("button", name="Lock 2026/27 Q1").click()
        expect(page.get_by_text("2026/27 Q1 is locked.")).to_be_visible()
        axe(page)
        period.refresh_from_db()
        assert period.is_locked


def test_a_board_member_opens_a_figures_sources_from_the_report_page(
    page, live_server, sign_in, axe, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    with time_machine.travel(NOW, tick=True):
        load_framework()
        council = factories.organisation("Portsmouth City Council")
        owner = factories.person("Carol Council", council)
        meeting = factories.meeting(dt.date(2026, 6, 8))
        for n, due in enumerate([dt.date(2026, 6, 20), dt.date(2026, 9, 1)], start=1):
            Action.objects.create(
                reference=f"SVRP-2026-{n:02d}",
                description=f"Written up after the quarter ({n}).",
                owner=owner,
                organisation=council,
                meeting=meeting,
                due_date=due,
            )
        generate_draft(2026, 1)

        sign_in("board.member", "/reports/2026-27-q1/")
        expect(page.get_by_role("heading", name="2026/27 Q1", level=1)).to_be_visible()
        axe(page)
        page.get_by_role("link", name="Sources of the figures of version 1").click()
        expect(page.get_by_role("heading", name="Sources of the figures", level=1)).to_be_visible()
        axe(page)
        page.get_by_role("link", name="Actions in the quarter: Opened in the quarter – Number").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Actions in the quarter: Opened in the quarter – Number"
        )
        expect(page.get_by_text("Sheet “5 Action log”, cell B2")).to_be_visible()
        expect(page.get_by_role("heading", name="2 records")).to_be_visible()
        axe(page)
        page.get_by_role("link", name="SVRP-2026-01: Written up after the quarter (1).").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("SVRP-2026-01")
        axe(page)
