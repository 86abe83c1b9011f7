"""Building an agenda: add, edit, delete and reorder items, through the service and the pages."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from governance.models import AgendaItem, Minutes
from governance.services import meetings as services

from .factories import MeetingFactory
from .uploads import pdf

pytestmark = pytest.mark.django_db


def titles(meeting) -> list[tuple[int, str]]:
    return list(meeting.agenda_items.order_by("order").values_list("order", "title"))


def build(meeting, user, *names: str) -> list[AgendaItem]:
    return [services.agenda_item_add(acting_user=user, meeting=meeting, title=name) for name in names]


def approve(meeting, user) -> Minutes:
    minutes = services.minutes_save(acting_user=user, meeting=meeting, summary="Quorate.", entries={})
    return services.minutes_approve(
        acting_user=user, minutes=minutes, approved_on=meeting.date, approved_at_meeting=None
    )


def visible_text(html: str) -> str:
    """The page's words as a reader meets them: tags gone, white space collapsed."""
    inline = re.sub(r"</?(span|strong|a)\b[^>]*>", "", html)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", inline))


# --- The service ------------------------------------------------------------------------------


def test_items_are_added_at_the_end_and_numbered_from_one_with_their_author_in_history(svrp, vru_staff):
    meeting = MeetingFactory(group=svrp.group)
    build(meeting, vru_staff, "Welcome", "Minutes of the last meeting", "Any other business")

    assert titles(meeting) == [(1, "Welcome"), (2, "Minutes of the last meeting"), (3, "Any other business")]
    welcome = meeting.agenda_items.get(title="Welcome")
    assert welcome.history.get().history_user == vru_staff


def test_an_item_is_edited_and_its_change_kept_in_history(svrp, vru_staff):
    meeting = MeetingFactory(group=svrp.group)
    (item,) = build(meeting, vru_staff, "Welcom")

    services.agenda_item_update(
        acting_user=vru_staff, item=item, title="Welcome", presenter=svrp.bea, description="The chair opens."
    )

    item.refresh_from_db()
    assert (item.title, item.presenter, item.description) == ("Welcome", svrp.bea, "The chair opens.")
    assert [h.title for h in item.history.order_by("history_date")] == ["Welcom", "Welcome"]
    with pytest.raises(ValidationError):
        services.agenda_item_update(acting_user=vru_staff, item=item, title="  ")


def test_items_move_up_and_down_and_stay_put_at_either_end(svrp, vru_staff):
    meeting = MeetingFactory(group=svrp.group)
    welcome, minutes, aob = build(meeting, vru_staff, "Welcome", "Minutes", "AOB")

    services.agenda_item_move(acting_user=vru_staff, item=aob, direction="up")
    assert titles(meeting) == [(1, "Welcome"), (2, "AOB"), (3, "Minutes")]
    services.agenda_item_move(acting_user=vru_staff, item=welcome, direction="down")
    assert titles(meeting) == [(1, "AOB"), (2, "Welcome"), (3, "Minutes")]

    services.agenda_item_move(acting_user=vru_staff, item=aob, direction="up")  # already first
    services.agenda_item_move(acting_user=vru_staff, item=minutes, direction="down")  # already last
    assert titles(meeting) == [(1, "AOB"), (2, "Welcome"), (3, "Minutes")]
    with pytest.raises(ValidationError):
        services.agenda_item_move(acting_user=vru_staff, item=aob, direction="sideways")
    assert aob.history.latest().history_user == vru_staff


def test_deleting_an_item_closes_the_gap_and_keeps_its_papers_with_the_meeting(svrp, vru_staff):
    meeting = MeetingFactory(group=svrp.group)
    _welcome, plan, _aob = build(meeting, vru_staff, "Welcome", "Plan", "AOB")
    paper = services.paper_add(
        acting_user=vru_staff, meeting=meeting, title="The plan", upload=pdf(), agenda_item=plan
    )

    services.agenda_item_delete(acting_user=vru_staff, item=plan)

    assert titles(meeting) == [(1, "Welcome"), (2, "AOB")]
    paper.refresh_from_db()
    assert paper.meeting == meeting and paper.agenda_item is None
    assert AgendaItem.history.filter(id=plan.pk, history_type="-").get().history_user == vru_staff


def test_an_item_a_minute_or_a_decision_refers_to_cannot_be_deleted(svrp, vru_staff):
    meeting = MeetingFactory(group=svrp.group, date=dt.date(2026, 5, 12))
    minuted, decided = build(meeting, vru_staff, "Budget", "Plan")
    services.minutes_save(acting_user=vru_staff, meeting=meeting, summary="", entries={minuted.pk: "Agreed."})
    services.decision_add(acting_user=vru_staff, meeting=meeting, text="Plan adopted.", agenda_item=decided)

    with pytest.raises(ValidationError, match="“Budget” cannot be deleted because a minute is written"):
        services.agenda_item_delete(acting_user=vru_staff, item=minuted)
    with pytest.raises(ValidationError, match="a decision is recorded against it"):
        services.agenda_item_delete(acting_user=vru_staff, item=decided)
    assert titles(meeting) == [(1, "Budget"), (2, "Plan")]


def test_once_the_minutes_are_approved_the_agenda_cannot_change(svrp, vru_staff):
    meeting = MeetingFactory(group=svrp.group, date=dt.date(2026, 5, 12))
    first, second = build(meeting, vru_staff, "Welcome", "AOB")
    approve(meeting, vru_staff)

    refused = "agenda can no longer be changed"
    with pytest.raises(ValidationError, match=refused):
        services.agenda_item_add(acting_user=vru_staff, meeting=meeting, title="Late item")
    with pytest.raises(ValidationError, match=refused):
        services.agenda_item_update(acting_user=vru_staff, item=first, title="Hello")
    with pytest.raises(ValidationError, match=refused):
        services.agenda_item_move(acting_user=vru_staff, item=second, direction="up")
    with pytest.raises(ValidationError, match=refused):
        services.agenda_item_delete(acting_user=vru_staff, item=second)
    assert titles(meeting) == [(1, "Welcome"), (2, "AOB")]


# --- The pages --------------------------------------------------------------------------------


def test_staff_build_the_agenda_on_one_page(svrp, vru_staff, client_for):
    meeting = MeetingFactory(group=svrp.group)
    client = client_for(vru_staff)
    url = reverse("governance:agenda", args=[meeting.pk])

    response = client.post(url, {"title": "Welcome", "presenter": svrp.bea.pk, "description": ""})
    item = meeting.agenda_items.get()
    assert response.status_code == 302 and response["Location"] == f"{url}#item-{item.pk}"
    client.post(url, {"title": "Minutes of the last meeting"})
    response = client.post(url, {"title": ""})
    assert response.status_code == 422
    assert "Enter the item&#x27;s title." in response.content.decode()

    page = visible_text(client.get(url).content.decode())
    assert "1. Welcome" in page and "2. Minutes of the last meeting" in page
    assert "Move down: Welcome" in page and "Move up: Welcome" not in page  # the first cannot go up
    assert "Move up: Minutes of the last meeting" in page


def test_staff_edit_move_and_delete_items_through_the_pages(svrp, vru_staff, client_for):
    meeting = MeetingFactory(group=svrp.group)
    welcome, aob = build(meeting, vru_staff, "Welcom", "AOB")
    client = client_for(vru_staff)
    agenda_url = reverse("governance:agenda", args=[meeting.pk])

    client.post(reverse("governance:agenda_item_edit", args=[meeting.pk, welcome.pk]), {"title": "Welcome"})
    client.post(reverse("governance:agenda_item_move", args=[meeting.pk, aob.pk]), {"direction": "up"})
    assert titles(meeting) == [(1, "AOB"), (2, "Welcome")]

    delete_url = reverse("governance:agenda_item_delete", args=[meeting.pk, aob.pk])
    assert "Delete item 1. AOB?" in client.get(delete_url).content.decode()
    response = client.post(delete_url, follow=True)
    assert response.redirect_chain[-1][0] == agenda_url
    assert "Agenda item deleted: AOB." in response.content.decode()
    assert titles(meeting) == [(1, "Welcome")]


def test_the_delete_page_says_why_a_minuted_item_cannot_go_and_the_post_is_refused(
    svrp, vru_staff, client_for
):
    meeting = MeetingFactory(group=svrp.group, date=dt.date(2026, 5, 12))
    (item,) = build(meeting, vru_staff, "Budget")
    services.minutes_save(acting_user=vru_staff, meeting=meeting, summary="", entries={item.pk: "Agreed."})
    client = client_for(vru_staff)
    url = reverse("governance:agenda_item_delete", args=[meeting.pk, item.pk])

    page = client.get(url).content.decode()
    assert "This item cannot be deleted because:" in page and "A minute is written against it." in page
    assert "Delete item</button>" not in page
    response = client.post(url, follow=True)
    assert "cannot be deleted because a minute is written against it" in response.content.decode()
    assert titles(meeting) == [(1, "Budget")]


def test_after_approval_the_agenda_page_offers_no_changes(svrp, vru_staff, client_for):
    meeting = MeetingFactory(group=svrp.group, date=dt.date(2026, 5, 12))
    build(meeting, vru_staff, "Welcome", "AOB")
    approve(meeting, vru_staff)

    page = client_for(vru_staff).get(reverse("governance:agenda", args=[meeting.pk])).content.decode()
    assert "agenda can no longer be changed" in page
    assert "Move up" not in page and "Add item" not in page


@pytest.mark.parametrize("role", ["board_member", "subgroup_chair", "data_provider", "administrator"])
def test_only_staff_who_manage_meetings_may_change_the_agenda(svrp, vru_staff, client_for, request, role):
    meeting = MeetingFactory(group=svrp.group)
    first, second = build(meeting, vru_staff, "Welcome", "AOB")
    client = client_for(request.getfixturevalue(role))
    args = [meeting.pk, second.pk]

    assert client.get(reverse("governance:agenda", args=[meeting.pk])).status_code == 403
    assert client.post(reverse("governance:agenda", args=[meeting.pk]), {"title": "Mine"}).status_code == 403
    assert (
        client.post(reverse("governance:agenda_item_edit", args=args), {"title": "Mine"}).status_code == 403
    )
    assert (
        client.post(reverse("governance:agenda_item_move", args=args), {"direction": "up"}).status_code == 403
    )
    assert client.post(reverse("governance:agenda_item_delete", args=args)).status_code == 403
    assert titles(meeting) == [(1, "Welcome"), (2, "AOB")]


def test_an_anonymous_visitor_is_sent_to_sign_in(svrp, vru_staff, client):
    meeting = MeetingFactory(group=svrp.group)
    (item,) = build(meeting, vru_staff, "Welcome")

    response = client.post(
        reverse("governance:agenda_item_move", args=[meeting.pk, item.pk]), {"direction": "up"}
    )
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.get(reverse("governance:agenda", args=[meeting.pk])).status_code == 302


def test_an_item_of_another_meeting_is_not_found(svrp, vru_staff, client_for):
    meeting, other = MeetingFactory(group=svrp.group), MeetingFactory(group=svrp.group)
    (item,) = build(other, vru_staff, "Welcome")

    url = reverse("governance:agenda_item_move", args=[meeting.pk, item.pk])
    assert client_for(vru_staff).post(url, {"direction": "up"}).status_code == 404


def test_numbering_is_shown_once_on_the_meeting_page_the_pack_the_minutes_and_the_published_page(
    svrp, vru_staff, client_for
):
    meeting = MeetingFactory(group=svrp.group, date=dt.date(2026, 5, 12))
    welcome, _aob = build(meeting, vru_staff, "Welcome", "Any other business")
    services.minutes_save(
        acting_user=vru_staff, meeting=meeting, summary="", entries={welcome.pk: "Said hello."}
    )
    client = client_for(vru_staff)

    minutes_form = client.get(reverse("governance:minutes_edit", args=[meeting.pk])).content.decode()
    approve(meeting, vru_staff)
    services.minutes_publish(acting_user=vru_staff, minutes=meeting.minutes)
    pages = {
        "meeting": client.get(reverse("governance:meeting", args=[meeting.pk])).content.decode(),
        "pack": client.get(reverse("governance:meeting_pack", args=[meeting.pk])).content.decode(),
        "minutes form": minutes_form,
        "published": client.get(reverse("governance:published_meeting", args=[meeting.pk])).content.decode(),
    }
    for name, html in pages.items():
        text = visible_text(html)
        assert "1. Welcome" in text, name
        assert not re.search(r"\b1\.\s*1\.", text), name
        # Lists that carry their own numbers are not numbered again by the browser.
        assert '<ol class="govuk-list govuk-list--number' not in html, name
