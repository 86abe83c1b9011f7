from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from core import hooks
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
