"""A quarter's figures end to end: uploaded by the data provider, verified by VRU staff, read by the board."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from governance.models import Person
from performance.models import Area, Figure, Measure, Period
from performance.reference import CONSTABULARY, load_framework

pytestmark = [pytest.mark.browser]

# 2026/27 Q2 is under way, so 2026/27 Q1 is the quarter being collected.
NOW = dt.datetime(2026, 8, 15, 9, 0, tzinfo=dt.UTC)
AREAS = {"Hampshire": 170, "Isle of Wight": 6, "Portsmouth": 64, "Southampton": 80}


def write_quarter(path):
    lines = ["measure,period,area,age_band,value,numerator,denominator,note"]
    for code, scale in (("1.1.1.b", 1), ("1.1.1.d", 5)):
        for area, value in AREAS.items():
            lines.append(f"{code},2026/27 Q1,{area},all,{value * scale},,,")
        lines.append(f"{code},2026/27 Q1,HIPS total,all,{sum(AREAS.values()) * scale},,,")
    lines.append("1.1.1.c,2026/27 Q1,HIPS total,all,2,,,Both in Southampton.")
    path.write_text("\n".join(lines) + "\n")
    return path


def sign_out(page, axe, username):
    page.get_by_role("button", name=f"Sign out ({username})").click()
    page.wait_for_load_state("load")
    axe(page)


def test_a_quarter_uploaded_verified_and_shown_to_the_board(page, live_server, sign_in, axe, tmp_path):
    with time_machine.travel(NOW, tick=True):
        load_framework()
        constabulary = Measure.objects.get(code="1.1.1.b").data_source
        assert constabulary.name == CONSTABULARY
        Person.objects.create(
            full_name="Dana Provider",
            organisation=constabulary,
            user=get_user_model().objects.get(username="data.provider"),
        )
        upload = write_quarter(tmp_path / "quarter.csv")

        sign_in("data.provider", "/performance/submit/")
        expect(page.get_by_role("heading", name="Submit figures", level=1)).to_be_visible()
        axe(page)
        page.get_by_label("Upload a CSV or Excel file of figures").set_input_files(str(upload))
        page.get_by_role("button", name="Upload and submit").click()
        expect(page.get_by_text("11 figures submitted; 0 unchanged.")).to_be_visible()
        axe(page)
        assert Figure.objects.filter(status=Figure.Status.SUBMITTED).count() == 11
        sign_out(page, axe, "data.provider")

        sign_in("vru.staff", "/performance/submit/")
        expect(page.get_by_role("heading", name="Figures to verify")).to_be_visible()
        axe(page)
        page.get_by_role("button", name="Verify all for 2026/27 Q1").click()
        expect(page.get_by_text("11 figures verified.")).to_be_visible()
        axe(page)
        sign_out(page, axe, "vru.staff")

        sign_in("board.member", "/performance/")
        expect(page.get_by_role("heading", name="Performance framework", level=1)).to_be_visible()
        section = page.get_by_role("region", name="1.1.1.b Police recorded knife-enabled serious violence")
        expect(section.get_by_text("Latest (2026/27 Q1)")).to_be_visible()
        table = section.get_by_role("table", name="1.1.1.b, HIPS, by quarter")
        expect(table.get_by_role("row", name="2026/27 Q1")).to_contain_text("320")
        chart = section.get_by_role(
            "img", name="1.1.1.b Police recorded knife-enabled serious violence: the last eight quarters"
        )
        expect(chart).to_be_visible()
        chart_box, table_box = chart.bounding_box(), table.bounding_box()
        assert (
            chart_box and table_box and table_box["x"] > chart_box["x"] + chart_box["width"] - 1
        )  # beside it
        # Every chart on the page has its table beside it, in the same row.
        assert page.locator("figure.app-chart").count() == 6
        assert page.locator(".govuk-grid-row:has(figure.app-chart) table").count() == 6
        axe(page)

        page.get_by_role("region", name="1.1.1.d Serious violence offences (VRP definition)").get_by_role(
            "link", name="1.1.1.d Serious violence offences (VRP definition)"
        ).click()
        expect(
            page.get_by_role("table", name="1.1.1.d by quarter, all ages").get_by_role(
                "row", name="2026/27 Q1"
            )
        ).to_contain_text("850")
        axe(page)


def test_vru_staff_verify_the_figures_they_ticked_and_the_board_sees_the_summary(
    page, live_server, sign_in, axe
):
    with time_machine.travel(NOW, tick=True):
        load_framework()
        period = Period.objects.get(year=2026, quarter=1)
        hips = Area.objects.get(is_total=True)
        provider = get_user_model().objects.get(username="data.provider")
        Person.objects.create(
            full_name="Dana Provider",
            organisation=Measure.objects.get(code="1.1.1.b").data_source,
            user=provider,
        )
        figures = {
            code: Figure.objects.create(
                measure=Measure.objects.get(code=code),
                period=period,
                area=hips,
                value=value,
                status=Figure.Status.SUBMITTED,
                submitted_by=provider,
            )
            for code, value in (("1.1.1.b", 320), ("1.1.1.c", 2), ("1.1.1.d", 1600))
        }

        sign_in("vru.staff", "/performance/submit/")
        expect(page.get_by_role("heading", name="Verify figures", level=1)).to_be_visible()
        table = page.get_by_role("table", name="Submitted figures awaiting verification")
        expect(table.get_by_role("row", name="1.1.1.b")).to_contain_text("Dana Provider")
        axe(page)
        for code in ("1.1.1.b", "1.1.1.d"):
            page.get_by_label(f"Select {code}, HIPS total, All ages, 2026/27 Q1").check()
        page.get_by_role("button", name="Verify selected figures").click()
        expect(page.get_by_text("2 figures verified.")).to_be_visible()
        axe(page)
        statuses = {code: Figure.objects.get(pk=f.pk).status for code, f in figures.items()}
        assert statuses == {"1.1.1.b": "verified", "1.1.1.c": "submitted", "1.1.1.d": "verified"}
        expect(page.get_by_label("Select 1.1.1.c, HIPS total, All ages, 2026/27 Q1")).to_be_visible()
        sign_out(page, axe, "vru.staff")

        sign_in("board.member", "/performance/")
        summary = page.get_by_role("table", name=re.compile("^Each measure's latest HIPS figure"))
        expect(summary).to_be_visible()
        row = summary.get_by_role("row", name=re.compile("^1.1.1.b "))
        expect(row).to_contain_text("320")
        expect(row).to_contain_text("2026/27 Q1")
        expect(summary.get_by_role("row", name=re.compile("^1.1.1.c "))).to_contain_text(
            "No verified figure yet"
        )
        box = summary.bounding_box()
        assert box and box["y"] + box["height"] < 1600  # near the top of the page
        axe(page)
        row.get_by_role("link", name="1.1.1.b Police recorded knife-enabled serious violence").click()
        expect(
            page.get_by_role(
                "heading", name="1.1.1.b Police recorded knife-enabled serious violence", level=1
            )
        ).to_be_visible()
        axe(page)
