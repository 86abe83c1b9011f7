from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from crest.models import Recommendation, SourceReport
from governance.models import (
    Action,
    DutyStatus,
    Meeting,
    Organisation,
    PartnershipGroup,
    Person,
    Sector,
    TermsOfReference,
)

pytestmark = [pytest.mark.browser]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def crest_world(transactional_db):
    """What the flow needs, made here: the SVRP, its approved ToR, a held meeting, 4.1 and an action."""
    today = dt.date.today()
    svrp = PartnershipGroup.objects.create(
        name="Strategic Violence Reduction Partnership", short_name="SVRP", slug="svrp", kind="partnership"
    )
    TermsOfReference.objects.create(
        group=svrp,
        version="3.0",
        status=TermsOfReference.Status.APPROVED,
        approved_on=today - dt.timedelta(days=200),
    )
    Meeting.objects.create(
        group=svrp,
        title="SVRP quarterly meeting",
        date=today - dt.timedelta(days=7),
        status=Meeting.Status.HELD,
    )
    vru = Organisation.objects.create(
        name="Violence Reduction Unit", slug="vru", sector=Sector.VRU, duty_status=DutyStatus.NONE
    )
    owner = Person.objects.create(full_name="Alex Morgan", organisation=vru)
    Action.objects.create(
        reference="SVRP-2026-07",
        description="Write to each specified authority setting out its contribution to the Duty.",
        owner=owner,
        organisation=vru,
        due_date=today + dt.timedelta(days=30),
    )
    report = SourceReport.objects.create(
        short_name="JRA 2023",
        title="Joint Readiness Assessment for Hampshire & Isle of Wight",
        published_on=dt.date(2023, 5, 1),
    )
    Recommendation.objects.create(
        report=report,
        number="4.1",
        text="Set expectations with all Specified Authorities on what they are expected to contribute "
        "to the Duty.",
        owner_organisation=vru,
    )


def test_staff_record_progress_link_an_action_achieve_4_1_and_see_the_terms_flagged(
    page, live_server, sign_in, axe, crest_world
):
    sign_in("vru.staff", "/crest/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Crest Advisory recommendations tracker")
    axe(page)

    page.get_by_role("link", name="4.1", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Recommendation 4.1")
    axe(page)

    page.get_by_role("link", name="Record progress").click()
    axe(page)
    page.get_by_label("Progress").fill("Letters setting out expectations sent to every specified authority.")
    page.get_by_label("Green").check()
    page.get_by_role("button", name="Record progress").click()
    expect(page.get_by_text("Progress recorded on recommendation 4.1.")).to_be_visible()
    axe(page)

    page.get_by_role("link", name="Link an action").click()
    axe(page)
    page.get_by_label("Action reference").fill("SVRP-2026-07")
    page.get_by_role("button", name="Link action").click()
    expect(page.get_by_role("row", name=re.compile("^SVRP-2026-07 Write"))).to_be_visible()
    axe(page)

    page.get_by_role("link", name="Edit").click()
    axe(page)
    page.get_by_role("link", name="Cancel").click()

    page.get_by_role("link", name="Upload evidence").click()
    axe(page)
    page.get_by_label("Title").fill("Expectations letter")
    page.get_by_label("File").set_input_files(
        files=[{"name": "letter.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.get_by_role("button", name="Upload file").click()
    expect(page.get_by_role("link", name="Expectations letter")).to_be_visible()
    axe(page)

    page.get_by_role("link", name="Mark as achieved").click()
    axe(page)
    # Refused without the board's sign-off: the error is on the form, nothing changes.
    page.get_by_role("button", name="Mark as achieved").click()
    expect(page.get_by_role("alert")).to_contain_text("Select the meeting where the board signed off")
    axe(page)
    meeting = page.get_by_label("Meeting where the board signed it off")
    meeting.select_option(label=meeting.locator("option", has_text="SVRP quarterly meeting").inner_text())
    page.get_by_label("Evidence of achievement").fill(
        "Expectations letter agreed by every specified authority."
    )
    page.get_by_role("button", name="Mark as achieved").click()

    expect(page.get_by_text("The Terms of Reference (version 3.0) are flagged for revision.")).to_be_visible()
    expect(page.get_by_text("Revision required")).to_be_visible()
    expect(page.get_by_text("Letters setting out expectations sent")).to_be_visible()
    axe(page)
    assert TermsOfReference.objects.get(version="3.0").revision_reason.startswith(
        "Crest recommendation 4.1 achieved: Set expectations"
    )

    # The tracker sits under the Partnership section of the service navigation.
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Partnership", exact=True).click()
    axe(page)
    page.get_by_role("main").get_by_role("link", name="Crest tracker").click()
    axe(page)
    expect(page.get_by_role("navigation", name="Menu").locator("[aria-current=page]")).to_have_text(
        "Partnership"
    )
    page.get_by_role("link", name="Update from a spreadsheet").click()
    axe(page)
    page.goto(f"{live_server.url}/published/crest/")
    expect(page.get_by_text("No recommendations are published yet.")).to_be_visible()
    axe(page)


@pytest.fixture
def toc_world(crest_world):
    """The Theory of Change as the ToR has it, with 4.1 serving 1.b (as the reference data links it)."""
    from governance.models import TheoryOfChangeActivity
    from governance.reference_registers import load_theory_of_change

    load_theory_of_change()
    Recommendation.objects.get(number="4.1").toc_activities.set(
        [TheoryOfChangeActivity.objects.get(code="1.b")]
    )


def test_staff_change_the_theory_of_change_links_with_the_keyboard(
    page, live_server, sign_in, axe, toc_world
):
    sign_in("vru.staff", "/crest/4.1/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Recommendation 4.1")
    axe(page)

    # From the activity it serves, the next stop is the link to change them.
    page.get_by_role("link", name="1.b Set clear expectations of the specified authorities").focus()
    page.keyboard.press("Tab")
    change = page.get_by_role("link", name="Change Theory of Change activities")
    expect(change).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Which Theory of Change activities does it serve?"
    )
    expect(page).to_have_title("Theory of Change activities of recommendation 4.1 – SVRP Portal")
    axe(page)

    boxes = {
        code: page.get_by_role("checkbox", name=re.compile(f"^{re.escape(code)} "))
        for code in ["1.a", "1.b", "1.c", "1.d", "F1", "F2", "F3", "F4"]
    }
    expect(boxes["1.b"]).to_be_checked()
    boxes["1.a"].focus()
    page.keyboard.press("Space")  # tick 1.a
    page.keyboard.press("Tab")
    expect(boxes["1.b"]).to_be_focused()
    page.keyboard.press("Space")  # untick 1.b
    for code in ["1.c", "1.d", "F1", "F2", "F3", "F4"]:
        page.keyboard.press("Tab")
        expect(boxes[code]).to_be_focused()
        if code == "F2":
            page.keyboard.press("Space")  # tick F2
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Save links")).to_be_focused()
    page.keyboard.press("Enter")

    expect(page.get_by_text("Recommendation 4.1 now serves Theory of Change 1.a, F2.")).to_be_visible()
    expect(page.get_by_role("link", name="1.a Review governance arrangements")).to_be_visible()
    expect(page.get_by_role("link", name="F2 VRU Delivery Plan")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("^1.b "))).to_have_count(0)
    expect(page.get_by_text("Theory of Change activities: 1.b → 1.a, F2")).to_be_visible()
    axe(page)

    # The Theory of Change lists the recommendation under the activities it now serves.
    page.get_by_role("link", name="1.a Review governance arrangements").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Theory of Change")
    axe(page)
    for table, listed in [("Linked to 1.a", 1), ("Linked to F2", 1)]:
        expect(
            page.get_by_role("table", name=table).get_by_role("link", name="4.1", exact=True)
        ).to_have_count(listed)
    expect(page.get_by_role("table", name="Linked to 1.b")).to_have_count(0)
