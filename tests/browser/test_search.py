"""The header's search box, by its accessible name, with the keyboard; axe on every page."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from governance.models import Meeting, PartnershipGroup
from search.services import index_rebuild
from tests.search.conftest import paper

pytestmark = [pytest.mark.browser]


@pytest.fixture
def search_world(transactional_db):
    svrp = PartnershipGroup.objects.create(
        name="Strategic Violence Reduction Partnership", short_name="SVRP", slug="svrp", kind="partnership"
    )
    meeting = Meeting.objects.create(
        group=svrp, title="Quokka summit", date=dt.date.today() - dt.timedelta(days=7), status="held"
    )
    for title, confidential in (("Quokka budget paper", False), ("Quokka confidential briefing", True)):
        paper(meeting, title, confidential=confidential)
    index_rebuild()


def test_a_board_member_searches_from_the_header_with_the_keyboard(page, sign_in, axe, search_world):
    sign_in("board.member")
    axe(page)
    box = page.get_by_role("searchbox", name="Search the portal")
    box.focus()
    page.keyboard.type("quokka")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    axe(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Search")
    expect(page.get_by_role("heading", name="3 results")).to_be_visible()
    expect(page.get_by_role("link", name="Quokka confidential briefing")).to_be_visible()
    expect(page.locator("mark").first).to_have_text("Quokka")

    # Only meetings, chosen and sent with the keyboard.
    page.get_by_role("checkbox", name="Meetings").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Search", exact=True).last.press("Enter")
    axe(page)
    expect(page.get_by_role("heading", name="1 result")).to_be_visible()
    with page.expect_navigation():
        page.get_by_role("link", name="Quokka summit").click()
    axe(page)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Quokka summit")


def test_a_data_provider_does_not_find_a_confidential_paper(page, sign_in, axe, search_world):
    sign_in("data.provider")
    axe(page)
    page.get_by_role("searchbox", name="Search the portal").fill("quokka briefing")
    with page.expect_navigation():
        page.get_by_role("searchbox", name="Search the portal").press("Enter")
    axe(page)
    expect(page.get_by_role("heading", name="0 results")).to_be_visible()
    expect(page.get_by_text("Nothing you can open matches these words.")).to_be_visible()
