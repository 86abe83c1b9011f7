from __future__ import annotations

import pytest
from playwright.sync_api import expect

from demo.accounts import DEMO_ACCOUNTS

pytestmark = [pytest.mark.browser]


@pytest.mark.parametrize("username", [account[0] for account in DEMO_ACCOUNTS])
def test_each_demo_role_signs_in_and_sees_an_accessible_home_page(page, live_server, sign_in, axe, username):
    sign_in(username)

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")
    expect(page.get_by_role("button", name=f"Sign out ({username})")).to_be_visible()
    axe(page)


def test_skip_link_is_the_first_thing_the_keyboard_reaches(page, live_server, sign_in, axe):
    sign_in("board.member")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main-content"
    axe(page)


def test_a_member_of_the_public_reaches_every_published_page_by_keyboard(page, live_server, axe):
    page.goto(f"{live_server.url}/accounts/login/")
    axe(page)
    page.get_by_role("main").get_by_role("link", name="what the partnership publishes").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("What the partnership publishes")
    axe(page)
    for name in ["Membership", "Terms of Reference", "Meetings", "Crest Advisory recommendations"]:
        page.get_by_role("main").get_by_role("link", name=name, exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert "/published/" in page.url
        axe(page)
        page.go_back()
