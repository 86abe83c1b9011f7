"""The Theory of Change page and an action's page list the Crest recommendations linked to them."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from crest import services
from governance.models import TheoryOfChangeActivity

from .factories import RecommendationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def reference(db):
    call_command("load_reference_data", verbosity=0)


def test_recommendations_4_1_and_4_2_appear_under_activity_1_b_with_their_status(
    client_for, board_member, vru_staff, reference
):
    from crest.models import Recommendation

    services.recommendation_record_progress(
        acting_user=vru_staff,
        recommendation=Recommendation.objects.get(number="4.1"),
        date=Recommendation.objects.get(number="4.1").created.date(),
        text="Letters drafted.",
        rag="amber",
    )
    html = client_for(board_member).get("/theory-of-change/").text
    section = html.split('id="toc-{}"'.format(TheoryOfChangeActivity.objects.get(code="1.b").pk))[1]
    section = section.split("</section>")[0]
    assert 'href="/crest/4.1/"' in section
    assert 'href="/crest/4.2/"' in section
    assert "Crest recommendation" in section
    assert "In progress" in section and "Not started" in section


@pytest.mark.parametrize("size", [1, 8])
def test_the_page_costs_the_same_queries_whatever_the_number_of_recommendations(
    client_for, board_member, reference, django_assert_num_queries, size
):
    activities = list(TheoryOfChangeActivity.objects.all())
    for _n in range(size):
        RecommendationFactory().toc_activities.set(activities)
    client = client_for(board_member)
    client.get("/theory-of-change/")
    with django_assert_num_queries(QUERIES):
        response = client.get("/theory-of-change/")
    assert response.text.count("Crest recommendation") >= size * len(activities)


# Nine for the page and the tracker's links; three for the Duty's (priorities, milestones, concordat).
QUERIES = 12


def test_an_actions_page_names_the_recommendations_it_is_linked_to(client_for, board_member, vru_staff):
    from .factories import ActionFactory

    action = ActionFactory(reference="SVRP-2026-07")
    recommendation = RecommendationFactory(number="4.1")
    unlinked = ActionFactory(reference="SVRP-2026-08")
    services.recommendation_link_action(acting_user=vru_staff, recommendation=recommendation, action=action)

    client = client_for(board_member)
    assert 'href="/crest/4.1/"' in client.get("/actions/SVRP-2026-07/").text
    assert "Crest recommendation" not in client.get(f"/actions/{unlinked.reference}/").text
