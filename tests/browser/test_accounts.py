"""Accounts for real people: invited and signing in from the e-mail, a forgotten password, a leaver."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.core import mail
from playwright.sync_api import expect

from governance.models import Membership
from governance.services.accounts import leavers_access_remove
from tests.core.factories import UserFactory
from tests.governance.factories import MembershipFactory, PartnershipGroupFactory, PersonFactory

pytestmark = [pytest.mark.browser]

NEW_PASSWORD = "a long and private passphrase 7"


def _link(pattern: str) -> str:
    """The address in the last e-mail sent (the live server runs in this process: locmem outbox)."""
    found = re.search(pattern, str(mail.outbox[-1].body))
    assert found is not None, mail.outbox[-1].body
    url = found.group(0)
    return url[url.index("/accounts/") :]


def _sign_in(page, live_server, axe, username: str, password: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    axe(page)
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("load")


def test_vru_staff_invite_a_person_who_signs_in_from_the_email(page, live_server, sign_in, axe):
    person = PersonFactory(full_name="Nia Newcomer", email="nia.newcomer@example.org")
    MembershipFactory(person=person, group=PartnershipGroupFactory(), start_date=dt.date(2025, 1, 1))

    sign_in("vru.staff", person.organisation.get_absolute_url())
    expect(page.get_by_role("heading", level=2, name="Portal accounts")).to_be_visible()
    axe(page)
    page.get_by_role("link", name="Invite Nia Newcomer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Invite Nia Newcomer to the portal")
    expect(page.get_by_text("Board member", exact=True)).to_be_visible()
    axe(page)
    assert mail.outbox == []
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_text("Nia Newcomer has been invited")).to_be_visible()
    accounts = page.get_by_role("table", name="People of this organisation and their portal accounts")
    expect(accounts.get_by_role("row", name=re.compile("Nia Newcomer"))).to_contain_text("(invited)")
    axe(page)

    page.context.clear_cookies()  # the invitee, in their own browser
    assert mail.outbox[-1].to == ["nia.newcomer@example.org"]
    page.goto(live_server.url + _link(r"https?://\S+/accounts/invitation/\S+/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up your account")
    axe(page)
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Confirm new password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Save the password and sign in").click()
    expect(page.get_by_text("Your password is set and you are signed in.")).to_be_visible()
    axe(page)

    page.context.clear_cookies()
    _sign_in(page, live_server, axe, "nia.newcomer@example.org", NEW_PASSWORD)
    expect(page).to_have_url(f"{live_server.url}/")
    axe(page)


def test_a_forgotten_password_is_reset_from_the_email(page, live_server, demo_accounts, axe):
    page.goto(f"{live_server.url}/accounts/login/")
    axe(page)
    page.get_by_role("link", name="Forgotten your password?").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reset your password")
    axe(page)
    page.get_by_label("Email address").fill("board.member@example.org")
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    axe(page)

    page.goto(live_server.url + _link(r"https?://\S+/accounts/password/reset/\S+/\S+/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose a new password")
    axe(page)
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Confirm new password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Save the password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your password is changed")
    axe(page)

    page.get_by_role("link", name="Sign in").click()
    axe(page)
    page.get_by_label("Username").fill("board.member")
    page.get_by_label("Password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{live_server.url}/")
    axe(page)


def test_a_leaver_loses_access_on_the_last_day_of_their_last_tenure(page, live_server, transactional_db, axe):
    user = UserFactory(username="lee.leaver")
    person = PersonFactory(full_name="Lee Leaver", user=user)
    MembershipFactory(
        person=person,
        group=PartnershipGroupFactory(),
        role=Membership.Role.MEMBER,
        start_date=dt.date(2024, 1, 1),
        end_date=dt.date(2026, 6, 30),
    )
    from tests.core.factories import TEST_PASSWORD

    with time_machine.travel(dt.datetime(2026, 6, 29, 9, 0, tzinfo=dt.UTC), tick=True):
        assert leavers_access_remove(today=dt.date(2026, 6, 29)) == 0
        _sign_in(page, live_server, axe, "lee.leaver", TEST_PASSWORD)
        expect(page).to_have_url(f"{live_server.url}/")
        axe(page)

    page.context.clear_cookies()
    with time_machine.travel(dt.datetime(2026, 6, 30, 0, 30, tzinfo=dt.UTC), tick=True):
        assert leavers_access_remove(today=dt.date(2026, 6, 30)) == 1
        _sign_in(page, live_server, axe, "lee.leaver", TEST_PASSWORD)
        expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to the SVRP Portal")
        expect(page.get_by_role("alert")).to_be_visible()
        axe(page)
    assert {tuple(m.to) for m in mail.outbox} >= {("lee.leaver@example.org",)}
