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
