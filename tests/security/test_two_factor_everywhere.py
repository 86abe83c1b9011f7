"""Two-factor enforcement reaches every page of every app, not only the ones that existed when it
was written: each address of the portal (tests/security/pages.py walks the URL configuration), as each
role who must use two-factor and as a member who chose it, before proving the second factor."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from .pages import every_page

pytestmark = pytest.mark.django_db

# Open before the second factor is proved: the public pages, signing in, and the two-factor pages
# that prove it (verify) or set it up. Managing two-factor (backup codes, removal) is not open.
OPEN = ("/published/", "/accessibility/", "/healthz", "/accounts/login/", "/accounts/logout/")
OPEN_EXACT = {"/accounts/two-factor/", "/accounts/two-factor/setup/"}


def signed_in(username: str, settings) -> Client:
    client = Client()
    response = client.post("/accounts/login/", {"username": username, "password": settings.DEMO_PASSWORD})
    assert response.status_code == 302
    return client


def guarded_pages() -> dict[str, str]:
    return {
        name: url
        for name, url in every_page().items()
        if not urlsplit(url).path.startswith(OPEN) and urlsplit(url).path not in OPEN_EXACT
    }


def refusals(client: Client, target: str) -> list[str]:
    """Every guarded page, read and posted to: each must send the user to ``target``."""
    pages = guarded_pages()
    assert len(pages) > 80, "the page catalogue shrank: is tests/security/pages.py still walking the URLs?"
    wrong = []
    for name, url in pages.items():
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            if response.status_code != 302 or urlsplit(response["Location"]).path != target:
                wrong.append(f"{method.upper()} {url} ({name}): {response.status_code}")
    return wrong


@pytest.mark.parametrize("username", ["vru.staff", "admin"])
def test_staff_and_administrators_without_two_factor_reach_no_page_but_its_setup(portal, username):
    portal.SVRP_REQUIRE_2FA = True
    client = signed_in(username, portal)
    wrong = refusals(client, "/accounts/two-factor/setup/")
    assert not wrong, "reachable without two-factor:\n" + "\n".join(wrong)


def test_a_member_who_chose_two_factor_reaches_no_page_until_they_enter_a_code(portal):
    user = get_user_model().objects.get(username="board.member")
    TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)
    client = signed_in("board.member", portal)
    wrong = refusals(client, "/accounts/two-factor/")
    assert not wrong, "reachable without the second factor:\n" + "\n".join(wrong)


def test_with_two_factor_required_other_roles_still_reach_their_pages(portal):
    portal.SVRP_REQUIRE_2FA = True
    client = signed_in("data.provider", portal)
    assert client.get("/performance/submit/").status_code == 200
    assert client.get("/api/figures/").status_code == 200
