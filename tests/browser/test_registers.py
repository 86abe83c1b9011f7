"""An administrator edits a seat in the admin; a board member sees it in the register."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from governance.models import Membership, Person, Seat
from tests.forms import fill_date_input

pytestmark = [pytest.mark.browser]

NEW_SEAT = "Representation from Portsmouth City Council (Director of Public Health)"


@pytest.fixture
def reference(transactional_db):
    call_command("load_reference_data", stdout=io.StringIO())


def test_admin_edits_a_seat_and_a_board_member_sees_it_in_the_register(
    page, live_server, reference, sign_in, axe
):
    sign_in("admin", "/admin/governance/seat/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Select seat to change")
    axe(page)

    page.get_by_role("textbox", name="Search").fill("Portsmouth City Council")
    page.get_by_role("button", name="Search").click()
    axe(page)
    page.get_by_role("link", name="Representation from Portsmouth City Council").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Change seat")
    axe(page)

    page.get_by_label("Seat (the Terms of Reference's wording)").fill(NEW_SEAT)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    axe(page)

    page.get_by_role("button", name="Log out").click()
    axe(page)

    sign_in("board.member", "/membership/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Membership register")
    expect(page.get_by_text(NEW_SEAT)).to_be_visible()
    expect(page.get_by_role("heading", level=2, name="Local Authorities")).to_be_visible()
    axe(page)

    page.get_by_label("Sector").select_option(label="Prison")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("row", name="HMP Winchester")).to_be_visible()
    axe(page)


def test_an_administrator_ends_a_tenure_after_checking_what_will_happen(
    page, live_server, reference, sign_in, axe
):
    seat = Seat.objects.get(organisation__name="Gosport Borough Council")
    person = Person.objects.create(full_name="Gil Gosport", organisation=seat.organisation)
    tenure = Membership.objects.create(person=person, seat=seat, start_date=dt.date(2025, 4, 1))
    sign_in("admin", seat.organisation.get_absolute_url())
    page.get_by_role("link", name=f"End tenure of Gil Gosport in {seat.title}").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("End Gil Gosport's tenure")
    axe(page)
    fill_date_input(page, "Last day in the seat", dt.date(2025, 1, 1))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("link", name="The end date must be on or after the start date.")).to_be_visible()
    axe(page)
    fill_date_input(page, "Last day in the seat", dt.date(2026, 10, 31))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check before ending the tenure")
    expect(page.get_by_text("vacant from 1 November 2026")).to_be_visible()
    axe(page)
    tenure.refresh_from_db()
    assert tenure.end_date is None
    page.get_by_role("button", name="End the tenure").click()
    expect(page.get_by_text("Gil Gosport's tenure in")).to_be_visible()
    expect(page.get_by_role("heading", name="Vacant seats")).to_be_visible()
    axe(page)
    tenure.refresh_from_db()
    assert tenure.end_date == dt.date(2026, 10, 31)
