"""VRU staff follow a quarter's data returns from the performance sub-navigation."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from playwright.sync_api import expect

from governance.quarters import FinancialQuarter
from performance.cycle import period_open
from performance.models import Area, Figure, Measure
from performance.reference import CONSTABULARY, ICB, load_framework

pytestmark = [pytest.mark.browser]

# 2026/27 Q2 is under way: 2026/27 Q1 is being collected, and its deadline (31 July) has passed.
NOW = dt.datetime(2026, 8, 15, 9, 0, tzinfo=dt.UTC)


def test_vru_staff_open_the_data_returns_from_the_sub_navigation(page, live_server, sign_in, axe):
    with time_machine.travel(NOW, tick=True):
        load_framework()
        period, _ = period_open(today=dt.date(2026, 7, 1))
        assert period.fq == FinancialQuarter(2026, 1)
        Figure.objects.create(  # the ICB's one measure is in; nothing from the Constabulary
            measure=Measure.objects.get(code="1.1.1.a"),
            period=period,
            area=Area.objects.get(is_total=True),
            value=9,
            status=Figure.Status.SUBMITTED,
        )

        sign_in("vru.staff", "/performance/")
        expect(page.get_by_role("heading", name="Performance framework", level=1)).to_be_visible()
        axe(page)
        subnav = page.get_by_role("navigation", name="Performance framework")
        subnav.get_by_role("link", name="Data returns").click()
        expect(page.get_by_role("heading", name="Data returns, 2026/27 Q1", level=1)).to_be_visible()
        expect(subnav.get_by_role("link", name="Data returns")).to_have_attribute("aria-current", "page")
        table = page.get_by_role("table", name="Returns for 2026/27 Q1")
        expect(table.get_by_role("row", name=ICB)).to_contain_text("Complete")
        expect(table.get_by_role("row", name=CONSTABULARY)).to_contain_text("Late")
        expect(table.get_by_role("row", name=CONSTABULARY)).to_contain_text("0 of 3")
        axe(page)

        page.goto(f"{live_server.url}/performance/returns/?quarter=someday")
        expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
        assert page.title() == "Error: Data returns – SVRP Portal"
        axe(page)
