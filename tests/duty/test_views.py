from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from duty import services
from duty.models import DutyDocument

pytestmark = pytest.mark.django_db

READ_PAGES = ["duty:documents", "duty:concordat", "duty:plans"]


@pytest.mark.parametrize("page", READ_PAGES)
@pytest.mark.parametrize("role", ["vru_staff", "board_member", "administrator"])
def test_readers_see_the_duty_pages(page, role, request, client_for):
    assert client_for(request.getfixturevalue(role)).get(reverse(page)).status_code == 200


@pytest.mark.parametrize("page", READ_PAGES)
@pytest.mark.parametrize("role", ["subgroup_chair", "data_provider"])
def test_chairs_and_data_providers_are_refused(page, role, request, client_for):
    assert client_for(request.getfixturevalue(role)).get(reverse(page)).status_code == 403


@pytest.mark.parametrize("page", READ_PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(page, client):
    response = client.get(reverse(page))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("role", ["board_member", "administrator", "subgroup_chair", "data_provider"])
def test_only_vru_staff_change_the_records(role, request, client_for, approved_strategy):
    client = client_for(request.getfixturevalue(role))
    for url in (
        reverse("duty:document_add"),
        reverse("duty:strategy_add"),
        reverse("duty:concordat_add"),
        reverse("duty:priority_add", args=[approved_strategy.pk]),
    ):
        assert client.get(url).status_code == 403
        assert client.post(url, {}).status_code == 403


def test_approval_asks_first_then_publishes(client_for, vru_staff, decision):
    from tests.governance.uploads import pdf

    draft = services.document_add(acting_user=None, kind="needs_assessment", summary="Findings.", file=pdf())
    client = client_for(vru_staff)
    url = reverse("duty:document_approve", args=[draft.pk])
    response = client.post(url, {"decision": decision.pk})
    assert "Check before you approve" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == DutyDocument.Status.DRAFT
    assert client.get(reverse("duty:published")).content.decode().count("Findings.") == 0
    client.post(url, {"decision": decision.pk, "confirm": "1"})
    draft.refresh_from_db()
    assert draft.status == DutyDocument.Status.APPROVED
    assert draft.history.first().history_user == vru_staff
    client.logout()
    public = client.get(reverse("duty:published"))
    assert "Findings." in public.content.decode()
    assert client.get(reverse("duty:published_file", args=[draft.pk])).status_code == 200


def test_a_draft_is_neither_listed_nor_downloadable_in_public(client):
    from tests.governance.uploads import pdf

    draft = services.document_add(
        acting_user=None, kind="needs_assessment", summary="Secret draft.", file=pdf()
    )
    assert "Secret draft." not in client.get(reverse("duty:published")).content.decode()
    assert client.get(reverse("duty:published_file", args=[draft.pk])).status_code == 404
    assert client.get(reverse("duty:document_file", args=[draft.pk])).status_code == 302


def test_the_grid_says_each_cells_state_in_words(client_for, board_member, areas, police):
    concordat = services.concordat_add(acting_user=None, issued_on=dt.date(2026, 4, 1))
    services.dissemination_record(
        acting_user=None,
        concordat=concordat,
        area=areas[0],
        authority=police,
        sent_on=dt.date(2026, 4, 2),
        sent_to="Commander",
        acknowledged_on=dt.date(2026, 4, 5),
    )
    page = client_for(board_member).get(reverse("duty:concordat")).content.decode()
    assert re.search(r"Acknowledged</strong>\s+5 Apr 2026", page)
    assert page.count("Not sent") >= 3
    assert "Chase outstanding" not in page  # board members see, never chase


def test_chasing_shows_who_first_and_sends_on_confirmation(
    client_for, vru_staff, areas, police, mailoutbox, django_capture_on_commit_callbacks
):
    concordat = services.concordat_add(acting_user=None, issued_on=dt.date(2026, 4, 1))
    services.dissemination_record(
        acting_user=None,
        concordat=concordat,
        area=areas[0],
        authority=police,
        sent_on=dt.date(2026, 4, 2),
        sent_to="Commander",
        email="c@police.example",
    )
    client = client_for(vru_staff)
    url = reverse("duty:concordat_chase", args=[concordat.version])
    assert "c@police.example" in client.get(url).content.decode()
    assert mailoutbox == []
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    assert [m.to for m in mailoutbox] == [["c@police.example"]]


def test_the_concordat_is_evidence_on_recommendation_4_2_and_activity_1b(
    client_for, vru_staff, areas, police
):
    from crest.models import Recommendation
    from governance.reference_registers import load_theory_of_change
    from tests.crest.factories import RecommendationFactory

    load_theory_of_change()
    RecommendationFactory(number="4.2", owner_organisation=police)
    services.concordat_add(acting_user=None, issued_on=dt.date(2026, 4, 1))
    client = client_for(vru_staff)
    rec = Recommendation.objects.get(number="4.2")
    page = client.get(rec.get_absolute_url()).content.decode()
    assert "acknowledged by 0 of 4 authorities" in page
    toc = client.get(reverse("governance:theory_of_change")).content.decode()
    assert "acknowledged by 0 of 4 authorities" in toc


def test_board_members_see_slipping_milestones(client_for, board_member, owner):
    plan = services.plan_create(acting_user=None, kind="vru", year=2026)
    services.milestone_save(
        acting_user=None,
        plan=plan,
        reference="M1",
        title="Publish the strategy",
        owner=owner,
        organisation=owner.organisation,
        due_date=dt.date(2020, 1, 1),
    )
    page = client_for(board_member).get(reverse("duty:plans")).content.decode()
    assert "Publish the strategy" in page
    assert "1 milestone: 0 complete, 1 past its due date." in page  # plain words: one milestone
    assert "Add a milestone" not in page


@pytest.mark.parametrize("version", ["1", "2", "²", "٣", "0", "x", "9" * 40])
def test_the_grid_shows_a_version_asked_for_and_the_latest_for_anything_else(version, client_for, vru_staff):
    services.concordat_add(acting_user=None, issued_on=dt.date(2026, 4, 1))
    services.concordat_add(acting_user=None, issued_on=dt.date(2026, 9, 1))
    page = client_for(vru_staff).get(reverse("duty:concordat"), {"version": version})
    assert page.status_code == 200
    shown = "Concordat v1" if version == "1" else "Concordat v2"
    assert f'<h2 class="govuk-heading-l">{shown}</h2>' in page.content.decode()


def test_the_theory_of_change_lists_only_the_current_strategys_priorities(client_for, board_member, decision):
    from governance.reference_registers import load_theory_of_change
    from tests.governance.uploads import pdf

    load_theory_of_change()
    from governance.models import TheoryOfChangeActivity

    activity = TheoryOfChangeActivity.objects.get(code="1.c")
    for title in ("Old priority", "New priority"):
        draft = services.document_add(acting_user=None, kind="response_strategy", summary="S", file=pdf())
        services.priority_add(acting_user=None, document=draft, title=title, toc_activities=[activity])
        services.document_approve(acting_user=None, document=draft, decision=decision)
    page = client_for(board_member).get(reverse("governance:theory_of_change")).content.decode()
    assert "New priority" in page
    assert "Old priority" not in page
