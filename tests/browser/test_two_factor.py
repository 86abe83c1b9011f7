from __future__ import annotations

import base64
import re

import pytest
from django_otp.oath import totp
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser]


def code_from(secret_shown: str, drift: int = 0) -> str:
    key = base64.b32decode(secret_shown.replace(" ", ""))
    return f"{totp(key, drift=drift):06d}"


def test_staff_set_up_two_factor_then_sign_in_again_with_a_code(page, live_server, sign_in, axe, settings):
    settings.SVRP_REQUIRE_2FA = True
    refused: list[str] = []
    page.on(
        "console",
        lambda message: refused.append(message.text) if "Content Security" in message.text else None,
    )
    sign_in("vru.staff")
    # GOV.UK and MOJ Frontend ran under the strict policy (initAll adds nothing without these classes).
    assert page.evaluate("document.body.classList.contains('govuk-frontend-supported')")

    expect(page).to_have_url(re.compile(r"/accounts/two-factor/setup/"))
    expect(page.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()
    axe(page)
    secret = page.locator("#secret-key").inner_text()

    page.get_by_label("Security code").fill("12")
    page.get_by_role("button", name="Turn on two-factor authentication").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    axe(page)

    page.get_by_label("Security code").fill(code_from(secret))
    page.get_by_role("button", name="Turn on two-factor authentication").click()
    expect(page.get_by_role("heading", name="Two-factor authentication is on")).to_be_visible()
    expect(page.locator(".app-backup-codes li")).to_have_count(10)
    axe(page)

    page.get_by_role("link", name="Continue to the portal").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")
    axe(page)

    page.get_by_role("link", name="Two-factor authentication").click()
    expect(page.get_by_text("Backup codes left")).to_be_visible()
    axe(page)
    page.get_by_role("button", name="Get new backup codes").click()
    expect(page.get_by_role("heading", name="Your new backup codes")).to_be_visible()
    axe(page)

    page.get_by_role("button", name="Sign out (vru.staff)").click()
    page.wait_for_load_state("load")
    axe(page)

    sign_in("vru.staff")
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/\?next="))
    axe(page)
    page.get_by_label("Security code").fill("000000")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    axe(page)
    # django-otp makes a user wait a second after a wrong code (doubling each time).
    page.wait_for_timeout(1200)
    # The next 30-second step: the one used at setup cannot be used again.
    page.get_by_label("Security code").fill(code_from(secret, drift=1))
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")
    axe(page)
    assert not refused, refused


def test_a_board_member_can_turn_two_factor_on_and_off(page, live_server, sign_in, axe):
    sign_in("board.member")
    axe(page)
    page.get_by_role("link", name="Two-factor authentication").click()
    axe(page)
    page.get_by_role("link", name="Set up two-factor authentication").click()
    axe(page)
    page.get_by_label("Security code").fill(code_from(page.locator("#secret-key").inner_text()))
    page.get_by_role("button", name="Turn on two-factor authentication").click()
    axe(page)
    page.goto(f"{live_server.url}/accounts/two-factor/remove/")
    axe(page)
    page.get_by_role("button", name="Turn off two-factor authentication").click()
    expect(page.get_by_text("Two-factor authentication is turned off")).to_be_visible()
    axe(page)


def test_the_lockout_page_is_clear_and_accessible(page, live_server, demo_accounts, axe, settings):
    settings.AXES_ENABLED = True
    for _ in range(5):
        page.goto(f"{live_server.url}/accounts/login/")
        axe(page)
        page.get_by_label("Username").fill("board.member")
        page.get_by_label("Password").fill("not-the-password")
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state("load")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account is locked")
    expect(page.get_by_text("contact the Violence Reduction Unit")).to_be_visible()
    axe(page)
