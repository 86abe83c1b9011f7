"""Layout at the widths people use: the service navigation on one line at 1280 px for every role, and
the data pages' tables whole at 1280 px and readable on a 375 px phone (axe on each page)."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from demo.accounts import DEMO_ACCOUNTS

pytestmark = [pytest.mark.browser]

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 740}


@pytest.mark.parametrize("username", [account[0] for account in DEMO_ACCOUNTS])
def test_the_service_navigation_fits_one_line_at_1280_px_for_every_role(
    page, live_server, sign_in, axe, username
):
    page.set_viewport_size(DESKTOP)
    sign_in(username)
    axe(page)
    items = page.locator(".govuk-service-navigation__list > .govuk-service-navigation__item")
    assert items.count() >= 3
    tops = {round(box["y"]) for box in (items.nth(i).bounding_box() for i in range(items.count())) if box}
    assert len(tops) == 1, f"the navigation wraps onto {len(tops)} lines for {username}"
    # The account links are in the header's account area, not among the sections.
    account = page.get_by_role("navigation", name="Your account")
    expect(account.get_by_role("button", name=f"Sign out ({username})")).to_be_visible()
    admin_link = account.get_by_role("link", name="Admin")
    if username == "admin":
        expect(admin_link).to_be_visible()
    else:
        expect(admin_link).to_have_count(0)


@pytest.fixture
def portal_data(demo_accounts, settings):
    call_command("load_reference_data", stdout=io.StringIO())
    call_command("load_demo_data", force=True, stdout=io.StringIO())


def data_pages() -> list[str]:
    from performance.models import Report

    report = Report.objects.order_by("pk").first()
    assert report is not None, "the demo data has a Home Office report"
    return ["/crest/", "/actions/", "/membership/", f"/reports/{report.slug}/", "/performance/returns/"]


# Tables wider than their container (at 375 px a table may scroll inside a wrapper that static/js/init.mjs
# made a labelled, focusable region), and the page itself scrolling sideways.
OVERFLOWS = """(phone) => {
  const problems = [];
  for (const table of document.querySelectorAll("main table")) {
    const wrapper = table.closest(".app-table-wrapper");
    const container = wrapper || table.parentElement;
    const scrolls = phone && wrapper && wrapper.getAttribute("role") === "region" && wrapper.tabIndex === 0;
    if (!scrolls && table.getBoundingClientRect().right > container.getBoundingClientRect().right + 1) {
      const caption = table.querySelector("caption");
      const widest = [...table.querySelectorAll("th, td")].sort((a, b) => b.offsetWidth - a.offsetWidth)[0];
      problems.push(`table "${caption ? caption.textContent.trim() : "?"}" overflows by `
        + Math.round(table.getBoundingClientRect().right - container.getBoundingClientRect().right)
        + ` px (widest cell: "${widest ? widest.textContent.trim().slice(0, 60) : ""}")`);
    }
  }
  for (const region of document.querySelectorAll(".app-table-wrapper[role=region]")) {
    if (getComputedStyle(region).backgroundImage === "none") {
      problems.push(`the region "${region.getAttribute("aria-label")}" shows no cue that it scrolls`);
    }
  }
  const page = document.documentElement;
  if (page.scrollWidth > page.clientWidth + 1) {
    problems.push(`the page scrolls sideways by ${page.scrollWidth - page.clientWidth} px`);
  }
  return problems;
}"""


def test_data_pages_tables_fit_at_1280_px_and_scroll_in_a_labelled_region_on_a_phone(
    page, live_server, sign_in, axe, portal_data
):
    sign_in("vru.staff")
    axe(page)
    problems: list[str] = []
    for path in data_pages():
        for size in (DESKTOP, PHONE):
            page.set_viewport_size(size)
            page.goto(f"{live_server.url}{path}")
            page.wait_for_load_state("load")
            expect(page.locator("main table").first).to_be_visible()
            page.evaluate("window.dispatchEvent(new Event('resize'))")
            found = page.evaluate(OVERFLOWS, size is PHONE)
            problems += [f"{path} at {size['width']} px: {problem}" for problem in found]
            axe(page)
    assert not problems, "\n".join(problems)
