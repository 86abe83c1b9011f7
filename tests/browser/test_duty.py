from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from duty.models import DutyDocument
from governance.models import Decision, Meeting, PartnershipGroup
from tests.duty.factories import (
    AreaFactory,
    AuthorityFactory,
    ConcordatFactory,
    DisseminationFactory,
    MilestoneFactory,
)
from tests.governance.factories import PersonFactory

pytestmark = [pytest.mark.browser]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def duty_world(transactional_db):
    today = dt.date.today()
    svrp = PartnershipGroup.objects.create(
        name="Strategic Violence Reduction Partnership", short_name="SVRP", slug="svrp", kind="partnership"
    )
    meeting = Meeting.objects.create(
        group=svrp, title="SVRP quarterly meeting", date=today - dt.timedelta(days=7), status="held"
    )
    Decision.objects.create(meeting=meeting, reference="SVRP-D-01", text="The needs assessment is approved.")
    portsmouth = AreaFactory(name="Portsmouth City Council")
    police = AuthorityFactory(name="Hampshire and Isle of Wight Constabulary", short_name="Police")
    DisseminationFactory(
        concordat=ConcordatFactory(version=1, issued_on=today - dt.timedelta(days=30)),
        area=portsmouth,
        authority=police,
        sent_on=today - dt.timedelta(days=20),
        sent_to="District commander",
        email="commander@police.example",
    )
    MilestoneFactory(
        reference="VRU-1",
        title="Recruit the navigators",
        owner=PersonFactory(full_name="Alex Morgan", organisation=police),
        due_date=today - dt.timedelta(days=3),
        rag="red",
    )


def test_staff_add_and_approve_a_needs_assessment_which_the_public_then_sees(
    page, live_server, sign_in, axe, duty_world
):
    sign_in("vru.staff", "/partnership/")
    axe(page)
    page.get_by_role("link", name="Needs assessment, Response Strategy and strategies").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Needs assessment, Response Strategy and strategies"
    )
    axe(page)

    page.get_by_role("link", name="Add a version").click()
    axe(page)
    page.get_by_role("button", name="Add the draft").click()
    expect(page.get_by_role("alert")).to_contain_text("Select which document this is.")
    axe(page)
    page.get_by_label("Strategic Needs Assessment").check()
    page.get_by_label("Summary").fill("Violence is concentrated in the night-time economy.")
    page.get_by_label("Upload the document").set_input_files(
        files=[{"name": "nsa.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.get_by_role("button", name="Add the draft").click()
    expect(page.get_by_text("Strategic Needs Assessment v1 added as a draft.")).to_be_visible()
    axe(page)

    page.get_by_role("link", name="Approve Strategic Needs Assessment v1").click()
    axe(page)
    decision = page.get_by_label("The decision that approved it")
    decision.select_option(label=decision.locator("option", has_text="SVRP-D-01").inner_text())
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check before you approve")
    axe(page)
    page.get_by_role("button", name="Approve and publish").click()
    expect(page.get_by_text("Strategic Needs Assessment v1 approved and published.")).to_be_visible()
    axe(page)
    assert DutyDocument.objects.get().status == DutyDocument.Status.APPROVED

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state("load")
    axe(page)
    page.goto(f"{live_server.url}/published/")
    axe(page)
    page.get_by_role("link", name="Strategic Needs Assessment and Response Strategy").click()
    expect(page.get_by_text("Violence is concentrated in the night-time economy.")).to_be_visible()
    axe(page)


def test_staff_read_the_concordat_grid_and_chase_after_checking(page, live_server, sign_in, axe, duty_world):
    sign_in("vru.staff", "/duty/concordat/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Concordat")
    table = page.get_by_role("table", name=re.compile("by local authority area and specified authority"))
    expect(table.get_by_role("row", name=re.compile("^Portsmouth City Council"))).to_contain_text("Sent")
    expect(table.get_by_role("row", name=re.compile("^Portsmouth City Council"))).to_contain_text("Not sent")
    axe(page)
    page.get_by_role("link", name="Chase outstanding acknowledgements").click()
    expect(page.get_by_text("commander@police.example")).to_be_visible()
    axe(page)
    page.get_by_role("button", name="Send the reminders").click()
    expect(page.get_by_text("The chase is on its way.")).to_be_visible()
    axe(page)

    page.get_by_role("link", name=re.compile("^Record acknowledgement")).click()
    axe(page)
    today = dt.date.today()
    page.get_by_label("Day").fill(str(today.day))
    page.get_by_label("Month").fill(str(today.month))
    page.get_by_label("Year").fill(str(today.year))
    page.get_by_role("button", name="Save").click()
    expect(table.get_by_role("row", name=re.compile("^Portsmouth City Council"))).to_contain_text(
        "Acknowledged"
    )
    axe(page)


def test_a_board_member_sees_the_plans_state_and_the_slipping_milestone(
    page, live_server, sign_in, axe, duty_world
):
    sign_in("board.member", "/duty/plans/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Delivery plans")
    row = page.get_by_role("row", name=re.compile("VRU-1 Recruit the navigators"))
    expect(row).to_contain_text("Overdue")
    expect(row).to_contain_text("Red")
    expect(page.get_by_role("link", name=re.compile("Add a milestone"))).to_have_count(0)
    axe(page)
