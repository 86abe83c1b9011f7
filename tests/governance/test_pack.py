from __future__ import annotations

import datetime as dt
import io
import re
import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from core import hooks
from governance import pack
from governance.models import Meeting
from governance.services import meetings as services

from .factories import ActionFactory, MeetingFactory
from .uploads import docx

pytestmark = pytest.mark.django_db


def performance_section(meeting: Meeting, request):
    return pack.PackSection(
        title="Performance summary",
        template="governance/partials/paper_list.html",  # any partial; receives the section's context
        context={"papers": []},
    )


def test_the_pack_lists_overdue_actions_before_open_ones_and_shows_plugged_in_sections(
    svrp, client_for, board_member, monkeypatch
):
    meeting = MeetingFactory(group=svrp.group, date=dt.date(2026, 6, 9))
    ActionFactory(reference="SVRP-2026-02", owner=svrp.bea, meeting=meeting, due_date=dt.date(2026, 9, 1))
    ActionFactory(reference="SVRP-2026-01", owner=svrp.bea, meeting=meeting, due_date=dt.date(2026, 4, 1))
    url = reverse("governance:meeting_pack", args=[meeting.pk])
    page = client_for(board_member).get(url).content.decode()
    assert page.index("Overdue actions") < page.index("SVRP-2026-01") < page.index("Open actions")
    assert page.index("Open actions") < page.index("SVRP-2026-02")
    assert "The performance summary is not available yet." in page

    with hooks.register_temporarily(hooks.PACK_SECTIONS, performance_section, alone=True):
        page = client_for(board_member).get(url).content.decode()
    assert "Performance summary" in page
    assert "not available yet" not in page


def test_the_pack_pdf_is_a_pdf_attachment(svrp, client_for, board_member):
    meeting = MeetingFactory(group=svrp.group, date=dt.date(2026, 6, 9))
    response = client_for(board_member).get(reverse("governance:meeting_pack_pdf", args=[meeting.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="meeting-pack-')
    assert response.content.startswith(b"%PDF")


# --- The pack a board member reads: previous minutes, updates, owners, papers merged in -------


def pdf_text(data: bytes, tmp_path) -> list[str]:
    """The PDF's pages as a reader meets them, read back with pdftotext."""
    path = tmp_path / "pack.pdf"
    path.write_bytes(data)
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True)  # noqa: S603, S607
    pages = out.stdout.decode().split("\f")
    return [" ".join(page.split()) for page in pages if page.strip()]


def paper_pdf(*pages: str) -> bytes:
    import weasyprint

    body = "".join(f'<p style="break-after: page">{text}</p>' for text in pages)
    return weasyprint.HTML(string=f"<html><body>{body}</body></html>").write_pdf()


def outline(reader, entries=None, depth=0) -> list[tuple[int, str, int]]:
    """The PDF's outline flattened: (depth, title, page number from 1) for each entry, in order."""
    found: list[tuple[int, str, int]] = []
    for entry in reader.outline if entries is None else entries:
        if isinstance(entry, list):
            found += outline(reader, entry, depth + 1)
        else:
            found.append((depth, entry.title, reader.get_destination_page_number(entry) + 1))
    return found


def test_the_pack_pdf_holds_the_previous_minutes_updates_owners_and_the_papers_merged_in(
    svrp, vru_staff, board_member, client_for, tmp_path
):
    previous = MeetingFactory(group=svrp.group, date=dt.date(2026, 3, 10), title="SVRP meeting in March")
    budget = services.agenda_item_add(acting_user=vru_staff, meeting=previous, title="Budget")
    minutes = services.minutes_save(
        acting_user=vru_staff, meeting=previous, summary="", entries={budget.pk: "The budget was agreed."}
    )
    services.minutes_approve(
        acting_user=vru_staff, minutes=minutes, approved_on=dt.date(2026, 3, 12), approved_at_meeting=None
    )
    meeting = MeetingFactory(group=svrp.group, date=dt.date(2026, 6, 9), title="SVRP meeting in June")
    for title in ("Welcome", "Minutes of the last meeting", "Partnership plan"):
        item = services.agenda_item_add(acting_user=vru_staff, meeting=meeting, title=title)
    plan = services.paper_add(
        acting_user=vru_staff,
        meeting=meeting,
        title="Partnership plan 2026",
        agenda_item=item,
        upload=SimpleUploadedFile("plan.pdf", paper_pdf("Knife crime work in schools.", "The second page.")),
    )
    sheet = services.paper_add(acting_user=vru_staff, meeting=meeting, title="Budget sheet", upload=docx())
    services.paper_add(
        acting_user=vru_staff,
        meeting=meeting,
        title="Damaged report",
        upload=SimpleUploadedFile(
            "bad.pdf", b"%PDF-1.7\n1 0 obj<</Type/Catalog/Pages 9 0 R>>\ntrailer garbage"
        ),
    )
    services.subgroup_update_submit(
        acting_user=vru_staff,
        group=svrp.dawg,
        meeting=meeting,
        summary="Hotspot maps refreshed.",
        rag="green",
    )
    ActionFactory(
        owner=svrp.bea, meeting=previous, description="Brief the schools.", due_date=dt.date(2026, 9, 1)
    )

    response = client_for(board_member).get(reverse("governance:meeting_pack_pdf", args=[meeting.pk]))
    pages = pdf_text(response.content, tmp_path)
    text = " ".join(pages)
    total = len(pages)

    assert "1. Welcome 2. Minutes of the last meeting" in text
    assert not re.search(r"\b(\d+)\.\s+\1\.\s", text)  # numbered once
    assert "The approved minutes of SVRP meeting in March are in this pack" in text
    assert "Minutes of the last meeting SVRP meeting in March: minutes approved on 12 March 2026." in text
    assert "1. Budget The budget was agreed." in text
    assert "Data and Analysis Working Group" in text and "Hotspot maps refreshed." in text
    assert "Brief the schools. Bea Member Portsmouth City Council" in text  # the owner, organisation beside
    # The PDF paper is merged at the end, numbered as part of the pack; the others are listed with links.
    assert "Knife crime work in schools." in pages[-2] and "The second page." in pages[-1]
    assert f"Page {total - 1} of {total}" in pages[-2] and f"Page {total} of {total}" in pages[-1]
    assert f"Page 1 of {total}" in pages[0]
    assert f"Paper: Partnership plan 2026, page {total - 1}" in pages[0]  # the cover's contents
    assert f"merged into this pack from page {total - 1}" in text
    assert f"Budget sheet (DOCX): http://testserver/papers/{sheet.pk}/download/" in text
    assert "Damaged report (PDF), not merged into this pack because the file is damaged" in text

    entries = outline(PdfReader(io.BytesIO(response.content)))
    top = [title for depth, title, _page in entries if depth == 0]
    assert top[:2] == ["Agenda", "Minutes of the last meeting"] and top[-1] == "Merged papers"
    assert entries[-1] == (1, plan.title, total - 1)


def test_a_pack_with_nothing_to_say_under_a_heading_leaves_the_heading_out(
    svrp, vru_staff, board_member, client_for, tmp_path
):
    meeting = MeetingFactory(group=svrp.dawg, date=dt.date(2026, 6, 9), title="DAWG meeting")
    services.agenda_item_add(acting_user=vru_staff, meeting=meeting, title="Welcome")

    response = client_for(board_member).get(reverse("governance:meeting_pack_pdf", args=[meeting.pk]))
    text = " ".join(pdf_text(response.content, tmp_path))
    for heading in ("Papers", "Minutes of the last meeting", "Sub-group updates", "Performance summary"):
        assert heading not in text
    assert "1. Welcome" in text

    html = (
        client_for(board_member).get(reverse("governance:meeting_pack", args=[meeting.pk])).content.decode()
    )
    main = html[html.index("<main") : html.index("</main>")]
    for section in re.split(r"<h2\b", main)[1:]:
        words = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", section)).strip()
        heading, _, rest = words.partition(" ")
        assert rest.strip(), f"the heading {heading!r} has nothing under it"


def test_a_paper_confidential_to_the_board_is_neither_merged_nor_listed_for_a_data_provider(
    svrp, vru_staff, data_provider, client_for, tmp_path
):
    meeting = MeetingFactory(group=svrp.group, date=dt.date(2026, 6, 9))
    services.paper_add(
        acting_user=vru_staff,
        meeting=meeting,
        title="Case review",
        confidential=True,
        upload=SimpleUploadedFile("case.pdf", paper_pdf("Names of victims.")),
    )

    response = client_for(data_provider).get(reverse("governance:meeting_pack_pdf", args=[meeting.pk]))
    text = " ".join(pdf_text(response.content, tmp_path))
    assert "Case review" not in text and "Names of victims." not in text
