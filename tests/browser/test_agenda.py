"""Staff build and reorder an agenda with the keyboard alone, then a board member downloads the pack and
finds the last meeting's minutes and a paper merged into it. axe-core checks every page visited."""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess

import pytest
import weasyprint
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from governance.models import Meeting, PartnershipGroup
from governance.services import meetings as services

pytestmark = [pytest.mark.browser]

TAB_LIMIT = 80


@pytest.fixture
def meetings(transactional_db, demo_accounts):
    """The SVRP of `make run`; its last meeting, with approved minutes, and the next one."""
    call_command("load_reference_data", stdout=io.StringIO())
    staff = get_user_model().objects.get(username="vru.staff")
    svrp = PartnershipGroup.objects.get(short_name="SVRP")
    today = timezone.localdate()
    last = services.meeting_schedule(
        acting_user=staff, group=svrp, date=today - dt.timedelta(days=91), title="SVRP meeting last quarter"
    )
    budget = services.agenda_item_add(acting_user=staff, meeting=last, title="Budget")
    minutes = services.minutes_save(
        acting_user=staff, meeting=last, summary="", entries={budget.pk: "The partnership agreed the budget."}
    )
    services.minutes_approve(
        acting_user=staff, minutes=minutes, approved_on=last.date, approved_at_meeting=None
    )
    return services.meeting_schedule(
        acting_user=staff, group=svrp, date=today + dt.timedelta(days=14), title="SVRP meeting next month"
    )


def tab_to(page, target) -> None:
    """Press Tab until ``target`` has the focus, as a keyboard user moves through the page."""
    target.wait_for(state="attached", timeout=5000)
    for _press in range(TAB_LIMIT):
        if target.evaluate("element => element === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{target} was not reached with the Tab key")


def control(page, action: str, title: str):
    """An item's "Move up", "Move down" button, named for its item (the item's title is hidden text)."""
    return page.get_by_role("button", name=re.compile(rf"^{action}\W*{re.escape(title)}$"))


def agenda_text(page) -> list[str]:
    return [
        " ".join(text.split()) for text in page.locator(".app-agenda__item > p:first-child").all_inner_texts()
    ]


def test_staff_build_and_reorder_an_agenda_by_keyboard_and_the_board_reads_the_pack(
    page, live_server, sign_in, axe, meetings: Meeting, tmp_path
):
    meeting = meetings
    sign_in("vru.staff", meeting.get_absolute_url())
    axe(page)
    tab_to(page, page.get_by_role("link", name="Change the agenda: edit, delete or reorder items"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Agenda")
    axe(page)

    # One step per item: type the title in the form below the agenda and press Enter.
    for number, title in enumerate(("Any other business", "Welcome", "Minutes of the last meeting"), 1):
        tab_to(page, page.get_by_label("Agenda item"))
        page.keyboard.type(title)
        page.keyboard.press("Enter")
        expect(page.get_by_text(f"Agenda item added: {number}. {title}.")).to_be_visible()
        axe(page)
    assert agenda_text(page) == ["1. Any other business", "2. Welcome", "3. Minutes of the last meeting"]

    # Reorder with the ordinary buttons: Tab to them, Enter.
    tab_to(page, control(page, "Move down", "Any other business"))
    page.keyboard.press("Enter")
    expect(page.get_by_text("“Any other business” is now item 2.")).to_be_visible()
    axe(page)
    tab_to(page, control(page, "Move up", "Minutes of the last meeting"))
    page.keyboard.press("Enter")
    expect(page.get_by_text("“Minutes of the last meeting” is now item 2.")).to_be_visible()
    axe(page)
    assert agenda_text(page) == ["1. Welcome", "2. Minutes of the last meeting", "3. Any other business"]
    expect(control(page, "Move up", "Welcome")).to_have_count(0)  # first: nowhere to go

    # A paper for the last item, then the meeting page shows the agenda numbered once.
    page.get_by_role("link", name="Back to the meeting").first.click()
    axe(page)
    page.get_by_role("link", name="Add a paper").click()
    axe(page)
    page.get_by_label("Title of the paper").fill("Partnership plan")
    paper = weasyprint.HTML(string="<p>Knife crime work in schools starts in September.</p>").write_pdf()
    page.get_by_label("File").set_input_files(
        files=[{"name": "plan.pdf", "mimeType": "application/pdf", "buffer": paper}]
    )
    page.get_by_label("Agenda item (optional)").select_option(label="3. Any other business")
    page.get_by_role("button", name="Upload paper").click()
    expect(page.get_by_text("Paper added.")).to_be_visible()
    expect(page.get_by_role("heading", level=3, name="2. Minutes of the last meeting")).to_be_visible()
    axe(page)
    page.get_by_role("button", name="Sign out (vru.staff)").click()
    axe(page)

    # The board member downloads the pack: the previous minutes and the paper itself are inside.
    sign_in("board.member", meeting.get_absolute_url())
    axe(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the meeting pack (PDF)").click()
    pdf = download_info.value.path().read_bytes()
    path = tmp_path / "pack.pdf"
    path.write_bytes(pdf)
    text = " ".join(
        subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True).stdout.decode().split()  # noqa: S603, S607
    )
    assert "1. Welcome 2. Minutes of the last meeting" in text
    assert not re.search(r"\b(\d+)\.\s+\1\.\s", text)
    assert "Minutes of the last meeting SVRP meeting last quarter" in text
    assert "The partnership agreed the budget." in text
    assert "Knife crime work in schools starts in September." in text
    reader = PdfReader(io.BytesIO(pdf))
    titles = [entry.title for entry in reader.outline if not isinstance(entry, list)]
    assert titles[-1] == "Merged papers"
    merged = reader.outline[-1]
    assert isinstance(merged, list)
    assert [entry.title for entry in merged if not isinstance(entry, list)] == ["Partnership plan"]
