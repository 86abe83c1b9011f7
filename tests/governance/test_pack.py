from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from governance import pack
from governance.models import Meeting

from .factories import ActionFactory, MeetingFactory

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

    monkeypatch.setattr(pack, "PACK_SECTIONS", [f"{__name__}.performance_section"])
    page = client_for(board_member).get(url).content.decode()
    assert "Performance summary" in page
    assert "not available yet" not in page


def test_the_pack_pdf_is_a_pdf_attachment(svrp, client_for, board_member):
    meeting = MeetingFactory(group=svrp.group, date=dt.date(2026, 6, 9))
    response = client_for(board_member).get(reverse("governance:meeting_pack_pdf", args=[meeting.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="meeting-pack-')
    assert response.content.startswith(b"%PDF")


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/tracker.png",
        "http://169.254.169.254/latest/meta-data/",
        "file:///etc/passwd",
        "http://portal.invalid/static/../../etc/passwd",
        "http://portal.invalid/media-not-served/papers/secret.pdf",
    ],
)
def test_the_pdf_renderer_fetches_nothing_but_the_portals_static_files(url):
    fetcher = pack.static_only_fetcher()
    with pytest.raises(Exception):  # noqa: B017, PT011 - WeasyPrint only needs a refusal
        fetcher.fetch(url)


def test_the_pdf_renderer_serves_the_pack_stylesheet():
    response = pack.static_only_fetcher().fetch("http://portal.invalid/static/css/pack-pdf.css")
    assert b"@page" in response.read()
