from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from api.models import ApiToken, hash_key

pytestmark = [pytest.mark.browser]


def test_a_data_provider_creates_a_token_sees_it_once_and_revokes_it(page, live_server, sign_in, axe):
    sign_in("data.provider")
    axe(page)
    page.get_by_role("link", name="API tokens").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("API tokens")
    axe(page)

    # A name is needed: the error is on the form, and in the summary that links to it.
    page.get_by_role("button", name="Create token").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a name for the token.")
    axe(page)

    page.get_by_label("Name").fill("Constabulary Q1 upload")
    page.get_by_role("button", name="Create token").click()
    expect(page.get_by_role("heading", name="Token created")).to_be_visible()
    key = page.get_by_label("Your new token").input_value()
    assert re.fullmatch(r"svrp_[A-Za-z0-9_-]{43}", key)
    assert ApiToken.objects.get().key_hash == hash_key(key)
    axe(page)

    # Shown once: coming back to the page shows its start only.
    page.goto(f"{live_server.url}/api/tokens/")
    expect(page.get_by_label("Your new token")).to_have_count(0)
    row = page.get_by_role("row", name=re.compile("Constabulary Q1 upload"))
    expect(row).to_contain_text(key[:13])
    expect(row).to_contain_text("Never")
    axe(page)

    row.get_by_role("button", name="Revoke Constabulary Q1 upload").click()
    expect(page.get_by_role("alert")).to_contain_text("is revoked")
    expect(page.get_by_role("row", name=re.compile("Constabulary Q1 upload"))).to_contain_text("Revoked")
    axe(page)
    assert ApiToken.objects.get().revoked_at is not None


def test_the_api_documentation_loads_its_schema_from_the_portal(page, live_server, sign_in, axe):
    refused: list[str] = []  # anything the Content Security Policy blocked, or any script error
    page.on("console", lambda message: refused.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: refused.append(str(error)))
    sign_in("data.provider", next_path="/api/docs/")
    expect(page.get_by_role("heading", name=re.compile("SVRP Portal API"))).to_be_visible()
    expect(page.get_by_text("/api/meetings/").first).to_be_visible()
    axe(page)
    assert not refused
