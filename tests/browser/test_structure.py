"""The partnership's structure: the diagram found by its accessible name, its list, and axe."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from governance.models import Membership, PartnershipGroup, Person, Seat

pytestmark = [pytest.mark.browser]


@pytest.fixture
def registers(transactional_db):
    call_command("load_reference_data", stdout=io.StringIO())
    svrp = PartnershipGroup.objects.svrp().get()
    seat = Seat.objects.filter(group=svrp).first()
    assert seat is not None
    person = Person.objects.create(
        full_name="Dana Chairwoman", email="dana@example.org", organisation=seat.organisation
    )
    Membership.objects.create(
        person=person, seat=seat, role=Membership.Role.CHAIR, start_date=dt.date(2024, 1, 1)
    )


def test_members_and_the_public_find_the_structure_diagram_and_its_list(
    page, live_server, registers, sign_in, axe
):
    page.goto(f"{live_server.url}/published/")
    diagram = page.get_by_role("img", name="Governance structure of the partnership")
    expect(diagram).to_be_visible()
    expect(page.get_by_role("heading", name="How the partnership is organised")).to_be_visible()
    expect(
        page.get_by_role("listitem").filter(has_text="Trauma Informed Executive Board").last
    ).to_be_visible()
    expect(page.get_by_text("Dana Chairwoman")).to_have_count(0)
    axe(page)

    sign_in("board.member", "/partnership/")
    expect(page.get_by_role("heading", level=1)).to_have_text("The partnership")
    expect(page.get_by_role("img", name="Governance structure of the partnership")).to_be_visible()
    expect(page.get_by_role("listitem").filter(has_text="Chair: Dana Chairwoman.").last).to_be_visible()
    axe(page)
