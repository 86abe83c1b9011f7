"""The VRU staff workflow of a quarterly meeting, in the browser, from start to publication.

Staff schedule the meeting, record attendance (one deputy, one apology), add two actions linked to
ToC activity 1.b, write, approve and publish the minutes; the board member updates their own action
from "My actions"; an anonymous visitor reads the published meeting without the confidential paper.
axe-core checks every page visited.
"""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from governance.models import (
    Action,
    Attendance,
    Meeting,
    Membership,
    Minutes,
    Organisation,
    PartnershipGroup,
    Person,
    Seat,
)
from tests.forms import fill_date_input

pytestmark = [pytest.mark.browser]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def svrp_members(transactional_db, demo_accounts):
    """The reference data of `make run`, and three members of the SVRP, one of them `board.member`."""
    call_command("load_reference_data", stdout=io.StringIO())
    since = timezone.localdate() - dt.timedelta(days=400)
    seats = [
        ("Bea Member", "Portsmouth City Council", "board.member"),
        ("Tom Reid", "Hampshire and Isle of Wight Fire and Rescue Service", None),
        ("Priya Shah", "Hampshire and Isle of Wight Constabulary", None),
    ]
    for name, organisation_name, username in seats:
        organisation = Organisation.objects.get(name=organisation_name)
        person = Person.objects.create(
            full_name=name,
            organisation=organisation,
            email=f"{name.split()[0].lower()}@example.org",
            user=get_user_model().objects.get(username=username) if username else None,
        )
        seat = Seat.objects.create(
            group=PartnershipGroup.objects.get(short_name="SVRP"),
            organisation=organisation,
            title=f"Seat of {name}",
        )
        Membership.objects.create(person=person, seat=seat, role=Membership.Role.MEMBER, start_date=since)


def _record(page, who: str, status: str, deputy: str = "") -> None:
    """One row of the attendance register, saved on its own (htmx swaps the row back in)."""
    row = page.locator("tr", has=page.get_by_label(f"Attendance of {who}", exact=True))
    row.get_by_label(f"Attendance of {who}", exact=True).select_option(label=status)
    if deputy:
        row.get_by_label(f"Deputy or officer for {who} (if one came)").fill(deputy)
    row.get_by_role("button", name=f"Save {who}").click()
    expect(row.get_by_role("status")).to_have_text(f"Saved: {status}.")


def test_staff_run_a_meeting_a_board_member_updates_their_action_and_the_public_reads_it(
    page, live_server, sign_in, axe, svrp_members
):
    today = timezone.localdate()
    sign_in("vru.staff", "/meetings/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Meetings")
    axe(page)

    # Schedule the meeting (it is held today: recording a meeting on the day is the normal case).
    page.get_by_role("link", name="Schedule a meeting").click()
    axe(page)
    page.get_by_label("Group").select_option(label="SVRP")
    page.get_by_label("Title (optional)").fill("SVRP quarterly meeting (browser test)")
    fill_date_input(page, "Date", today)
    page.get_by_label("Start time (optional)").fill("10:00")
    page.get_by_label("End time (optional)").fill("12:00")
    page.get_by_label("Place (optional)").fill("OPCC, Winchester")
    page.get_by_role("button", name="Schedule meeting").click()
    expect(page.get_by_text("Meeting scheduled: SVRP quarterly meeting (browser test).")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("SVRP quarterly meeting (browser test)")
    axe(page)
    meeting = Meeting.objects.get(title="SVRP quarterly meeting (browser test)")

    page.get_by_role("link", name="Add an agenda item").click()
    axe(page)
    page.get_by_label("Agenda item").fill("Serious Violence Duty: expectations of partners")
    page.get_by_role("button", name="Add item").click()
    expect(page.get_by_text("Agenda item added.")).to_be_visible()
    axe(page)

    for title, confidential in (("Partnership plan", False), ("Confidential case review", True)):
        page.get_by_role("link", name="Add a paper").click()
        axe(page)
        page.get_by_label("Title of the paper").fill(title)
        page.get_by_label("File").set_input_files(
            files=[{"name": f"{title}.pdf", "mimeType": "application/pdf", "buffer": PDF}]
        )
        if confidential:
            page.get_by_label("Confidential: for VRU staff and board members only").check()
        page.get_by_role("button", name="Upload paper").click()
        expect(page.get_by_text("Paper added.")).to_be_visible()
        axe(page)
    expect(page.get_by_role("link", name=re.compile("Confidential case review"))).to_be_visible()

    # The register is pre-filled from the memberships: one deputy, one apology, one present.
    page.get_by_role("link", name="Record attendance").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Attendance register")
    axe(page)
    _record(page, "Tom Reid", "Deputy sent", deputy="Jo Deputy")
    _record(page, "Priya Shah", "Apologies")
    _record(page, "Bea Member", "Present")
    # A seat nobody holds: an officer came for the authority all the same, and counts for it.
    vacant = "the vacant seat Representation from Fareham Borough Council"
    _record(page, vacant, "Deputy sent", deputy="Fay Officer")
    page.reload()
    expect(page.locator("tr", has=page.get_by_label(f"Attendance of {vacant}", exact=True))).to_contain_text(
        "Vacant seat"
    )
    axe(page)
    page.get_by_role("link", name="Done: back to the meeting").click()
    axe(page)
    represented = page.locator("#authorities + p + .govuk-grid-row .govuk-grid-column-one-half").first
    expect(represented).to_contain_text("Hampshire and Isle of Wight Fire and Rescue Service")  # by deputy
    expect(represented).to_contain_text("Portsmouth City Council")
    expect(represented).to_contain_text("Fareham Borough Council")  # by an officer, the seat vacant
    expect(represented).not_to_contain_text("Hampshire and Isle of Wight Constabulary")  # apologies

    page.get_by_role("link", name="Edit meeting details").click()
    axe(page)
    page.get_by_label("Status").select_option(label="Held")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Meeting details saved.")).to_be_visible()
    axe(page)

    # Two actions linked to ToC activity 1.b.
    actions = (
        ("Bea Member (Portsmouth City Council)", "Brief council housing teams on the Duty."),
        (
            "Tom Reid (Hampshire and Isle of Wight Fire and Rescue Service)",
            "Share the youth engagement evaluation with partners.",
        ),
    )
    for owner, text in actions:
        page.get_by_role("link", name="Add an action").click()
        axe(page)
        page.get_by_label("Action", exact=True).fill(text)
        page.get_by_label("Owner").select_option(label=owner)
        fill_date_input(page, "Due date", today + dt.timedelta(days=60))
        toc = page.get_by_label("Theory of Change activity (optional)")
        toc.select_option(label=toc.locator("option", has_text=re.compile(r"^1\.b ")).inner_text())
        page.get_by_role("button", name="Add action").click()
        expect(page.get_by_text(re.compile(r"^Action SVRP-\d{4}-\d+ added\.$"))).to_be_visible()
        axe(page)
    linked = Action.objects.filter(meeting=meeting, toc_activity__code="1.b")
    assert linked.count() == 2

    page.get_by_role("link", name="Write the minutes").click()
    axe(page)
    page.get_by_label("1. Serious Violence Duty: expectations of partners").fill(
        "Partners agreed to confirm their contribution to the Duty by the next meeting."
    )
    page.get_by_role("button", name="Save draft minutes").click()
    expect(page.get_by_text("Draft minutes saved.")).to_be_visible()
    axe(page)

    page.get_by_role("link", name="Approve the minutes").click()
    axe(page)
    page.get_by_role("button", name="Approve minutes").click()
    expect(page.get_by_text("Minutes approved.")).to_be_visible()
    axe(page)
    page.get_by_role("button", name="Publish minutes, attendees and actions").click()
    # Publishing asks first: what becomes public and what stays unrecorded or missing.
    expect(page.get_by_role("heading", name="What stays unrecorded or missing")).to_be_visible()
    axe(page)
    assert Minutes.objects.get(meeting=meeting).status == Minutes.Status.APPROVED
    page.get_by_role("button", name="Publish", exact=True).click()
    expect(page.get_by_text("Minutes, attendees, decisions and actions published.")).to_be_visible()
    axe(page)
    assert Minutes.objects.get(meeting=meeting).status == Minutes.Status.PUBLISHED
    assert set(meeting.attendance.exclude(person=None).values_list("status", flat=True)) == {
        Attendance.Status.PRESENT,
        Attendance.Status.APOLOGIES,
        Attendance.Status.DEPUTY,
    }
    fareham = meeting.attendance.get(seat__organisation__name="Fareham Borough Council")
    assert (fareham.person, fareham.status, fareham.deputy_name) == (None, "deputy", "Fay Officer")

    page.get_by_role("button", name="Sign out (vru.staff)").click()
    axe(page)

    # The board member updates their own action from "My actions".
    sign_in("board.member", "/actions/mine/")
    expect(page.get_by_role("heading", level=1)).to_have_text("My actions")
    own = Action.objects.get(meeting=meeting, owner__full_name="Bea Member")
    expect(page.get_by_role("link", name=own.reference)).to_be_visible()
    expect(page.get_by_text("Share the youth engagement evaluation")).to_have_count(0)  # not theirs
    axe(page)
    page.get_by_label("Update", exact=True).fill("Briefing booked with the housing teams for next month.")
    page.get_by_label("In progress").check()
    page.get_by_role("button", name=f"Add update to {own.reference}").click()
    expect(page.get_by_text(f"Update added to {own.reference}.")).to_be_visible()
    axe(page)
    own.refresh_from_db()
    assert own.status == Action.Status.IN_PROGRESS
    # The board reads the meeting pack, with the framework's performance summary in it.
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/pack/")
    expect(page.get_by_role("heading", level=2, name="Performance summary")).to_be_visible()
    expect(page.get_by_role("rowheader", name=re.compile(r"^2\.1\.1\.a "))).to_be_visible()
    axe(page)
    page.get_by_role("button", name="Sign out (board.member)").click()
    axe(page)

    # Anyone reads the published meeting: attendees, minutes and actions, no confidential paper.
    page.goto(f"{live_server.url}/published/meetings/{meeting.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("SVRP quarterly meeting (browser test)")
    expect(page.get_by_text("Partners agreed to confirm their contribution")).to_be_visible()
    expect(page.get_by_text(own.reference)).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("Partnership plan"))).to_be_visible()
    expect(page.get_by_text("Confidential case review")).to_have_count(0)
    expect(page.get_by_text("bea@example.org")).to_have_count(0)
    axe(page)
    # On a phone the tables scroll sideways: each scrolling one is a labelled region a keyboard reaches.
    page.set_viewport_size({"width": 375, "height": 800})
    page.reload()
    scrolling = page.locator(".app-table-wrapper[tabindex='0'][role='region']")
    expect(scrolling.first).to_be_visible()
    assert all(
        label.endswith("(scrolls sideways)")
        for label in scrolling.evaluate_all("nodes => nodes.map(n => n.getAttribute('aria-label'))")
    )
    scrolling.first.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("End")
    page.wait_for_function("n => n.scrollLeft > 0", arg=scrolling.first.element_handle(), timeout=5000)
    axe(page)
    page.set_viewport_size({"width": 1280, "height": 800})
