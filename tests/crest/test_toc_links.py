"""VRU staff change which Theory of Change activities a recommendation serves, with the change recorded."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from crest import services
from crest.history import history_rows
from crest.models import Recommendation
from governance.models import TheoryOfChangeActivity

from .factories import ActionFactory, RecommendationFactory

pytestmark = pytest.mark.django_db

ROLES = ["vru_staff", "board_member", "subgroup_chair", "data_provider", "administrator"]
URL = "/crest/4.1/theory-of-change/"


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 11, 2, 10, 0, tzinfo=dt.UTC), tick=True):
        yield


def codes(rec: Recommendation) -> list[str]:
    return sorted(rec.toc_activities.values_list("code", flat=True))


def toc_section(html: str, activity: TheoryOfChangeActivity) -> str:
    return html.split(f'id="toc-{activity.pk}"')[1].split("</section>")[0]


# Who may change the links


@pytest.mark.parametrize("role", ROLES)
def test_only_vru_staff_reach_the_form(request, client_for, rec, role):
    response = client_for(request.getfixturevalue(role)).get(URL)
    assert response.status_code == (200 if role == "vru_staff" else 403)


@pytest.mark.parametrize("role", ["board_member", "subgroup_chair", "data_provider", "administrator"])
def test_no_one_but_vru_staff_can_post_new_links(request, client_for, rec, toc, role):
    response = client_for(request.getfixturevalue(role)).post(URL, {"activities": [toc["1.a"].pk]})
    assert response.status_code == 403
    assert codes(rec) == ["1.b"]


def test_anonymous_visitors_are_sent_to_sign_in_and_change_nothing(client, rec, toc):
    assert "/accounts/login/" in client.get(URL)["Location"]
    response = client.post(URL, {"activities": [toc["1.a"].pk]})
    assert "/accounts/login/" in response["Location"]
    assert codes(rec) == ["1.b"]


@pytest.mark.parametrize("role", ROLES)
def test_the_change_link_is_offered_only_to_vru_staff(request, client_for, rec, role):
    response = client_for(request.getfixturevalue(role)).get("/crest/4.1/")
    if role in {"subgroup_chair", "data_provider"}:
        assert response.status_code == 403
    else:
        assert (f'href="{URL}"' in response.text) == (role == "vru_staff")


# The form


def test_the_form_offers_every_activity_ticked_as_linked_activities_before_functions(
    client_for, vru_staff, rec
):
    html = client_for(vru_staff).get(URL).text
    assert "<title>Theory of Change activities of recommendation 4.1 – SVRP Portal</title>" in html
    order = [html.index(f">{code} ") for code in ["1.a", "1.b", "1.c", "1.d", "F1", "F2", "F3", "F4"]]
    assert order == sorted(order)
    assert (
        html.index("Activities</h2>") < order[0] < html.index("Further functions of the SVRP</h2>") < order[4]
    )
    ticked = [line for line in html.splitlines() if 'type="checkbox"' in line and " checked" in line]
    assert len(ticked) == 1 and f'value="{rec.toc_activities.get().pk}"' in ticked[0]
    # The error summary links to #id_activities: the first checkbox carries that id.
    assert 'id="id_activities" name="activities" type="checkbox"' in html


def test_staff_change_the_links_and_see_them_on_the_recommendation_and_the_theory_of_change_at_once(
    client_for, vru_staff, rec, toc
):
    client = client_for(vru_staff)
    before = client.get("/theory-of-change/").text
    assert 'href="/crest/4.1/"' in toc_section(before, toc["1.b"])

    response = client.post(URL, {"activities": [toc["1.c"].pk, toc["1.a"].pk]}, follow=True)

    assert response.redirect_chain[-1][0] == "/crest/4.1/"
    assert "Recommendation 4.1 now serves Theory of Change 1.a, 1.c." in response.text
    assert codes(rec) == ["1.a", "1.c"]
    summary = response.text.split('id="theory-of-change"')[1].split("</div>")[0]
    assert "1.a Review governance arrangements" in summary
    assert "1.c Co-produce the responses to serious violence" in summary
    assert "1.b" not in summary
    after = client.get("/theory-of-change/").text
    assert 'href="/crest/4.1/"' in toc_section(after, toc["1.a"])
    assert 'href="/crest/4.1/"' in toc_section(after, toc["1.c"])
    assert 'href="/crest/4.1/"' not in toc_section(after, toc["1.b"])


def test_staff_remove_every_link_and_are_told_so(client_for, vru_staff, rec):
    response = client_for(vru_staff).post(URL, {}, follow=True)
    assert "Recommendation 4.1 is no longer linked to any Theory of Change activity." in response.text
    assert "Not linked to an activity" in response.text
    assert codes(rec) == []


def test_saving_the_same_links_says_so_and_records_nothing(client_for, vru_staff, rec, toc):
    records = rec.history.count()
    response = client_for(vru_staff).post(URL, {"activities": [toc["1.b"].pk]}, follow=True)
    assert "No change: the links were already those." in response.text
    assert rec.history.count() == records


@pytest.mark.parametrize("bad", ["999999", "1.b", "-1"])
def test_an_activity_id_made_up_by_hand_is_refused_and_nothing_is_saved(client_for, vru_staff, rec, toc, bad):
    records = rec.history.count()
    response = client_for(vru_staff).post(URL, {"activities": [toc["1.a"].pk, bad]})
    assert response.status_code == 200
    html = response.text
    assert "<title>Error: Theory of Change activities of recommendation 4.1 – SVRP Portal</title>" in html
    message = "Select activities from the list: one of those chosen is not in the Theory of Change."
    assert f'<a href="#id_activities">{message}</a>' in html  # the error summary
    assert 'class="govuk-error-message"' in html and message in html.split('class="govuk-error-message"')[1]
    assert codes(rec) == ["1.b"]
    assert rec.history.count() == records


def test_an_archived_recommendation_is_not_found(client_for, vru_staff, rec, toc):
    Recommendation.objects.filter(pk=rec.pk).update(archived_at=timezone.now())
    assert client_for(vru_staff).post(URL, {"activities": [toc["1.a"].pk]}).status_code == 404
    assert codes(rec) == ["1.b"]


# The service


def test_the_service_records_one_history_entry_naming_who_changed_what(vru_staff, rec, toc):
    records = rec.history.count()
    change = services.recommendation_set_toc_activities(
        acting_user=vru_staff, recommendation=rec, activities=[toc["1.a"], toc["F2"]]
    )
    assert [a.code for a in change.added] == ["1.a", "F2"]
    assert [a.code for a in change.removed] == ["1.b"]
    assert rec.history.count() == records + 1
    latest = rec.history.latest()
    assert latest.history_user == vru_staff
    assert sorted(latest.toc_activities.values_list("theoryofchangeactivity__code", flat=True)) == [
        "1.a",
        "F2",
    ]
    row = history_rows(rec)[0]
    assert row.who == vru_staff.get_full_name()
    assert [(c.label, c.old, c.new) for c in row.changes] == [
        ("Theory of Change activities", "1.b", "1.a, F2")
    ]


def test_the_service_refuses_an_activity_deleted_meanwhile_and_changes_nothing(vru_staff, rec, toc):
    gone = TheoryOfChangeActivity.objects.create(code="9.z", kind="activity", title="Gone", description="…")
    TheoryOfChangeActivity.objects.filter(pk=gone.pk).delete()
    records = rec.history.count()
    with pytest.raises(ValidationError) as caught:
        services.recommendation_set_toc_activities(
            acting_user=vru_staff, recommendation=rec, activities=[toc["1.a"], gone]
        )
    assert "activities" in caught.value.message_dict
    assert codes(rec) == ["1.b"]
    assert rec.history.count() == records


def test_the_service_refuses_to_change_an_archived_recommendation(vru_staff, rec, toc):
    Recommendation.objects.filter(pk=rec.pk).update(archived_at=timezone.now())
    with pytest.raises(ValidationError, match="archived"):
        services.recommendation_set_toc_activities(
            acting_user=vru_staff, recommendation=rec, activities=[toc["1.a"]]
        )
    assert codes(rec) == ["1.b"]


def test_linking_an_action_outside_a_request_names_the_user_in_one_history_entry(vru_staff, rec):
    records = rec.history.count()
    action = ActionFactory(reference="SVRP-2026-07")
    services.recommendation_link_action(acting_user=vru_staff, recommendation=rec, action=action)
    assert rec.history.count() == records + 1
    row = history_rows(rec)[0]
    assert row.who == vru_staff.get_full_name()
    assert [(c.label, c.old, c.new) for c in row.changes] == [("Linked actions", "none", "SVRP-2026-07")]


# The recommendation's page


def test_the_history_on_the_page_shows_who_changed_the_links_from_what_to_what(
    client_for, vru_staff, rec, toc
):
    client = client_for(vru_staff)
    client.post(URL, {"activities": [toc["1.a"].pk, toc["1.c"].pk]})
    html = client.get("/crest/4.1/").text
    history = html.split("History of changes")[1]
    assert "Theory of Change activities: 1.b → 1.a, 1.c" in history
    assert vru_staff.get_full_name() in history.split("Theory of Change activities: 1.b")[0]


@pytest.mark.parametrize("size", [2, 8])
def test_the_recommendation_page_costs_the_same_queries_whatever_its_links_and_history(
    client_for, vru_staff, toc, django_assert_num_queries, size
):
    rec = RecommendationFactory(number="4.1")
    activities = list(toc.values())
    for n in range(size):
        services.recommendation_link_action(acting_user=vru_staff, recommendation=rec, action=ActionFactory())
        services.recommendation_set_toc_activities(
            acting_user=vru_staff, recommendation=rec, activities=activities[: n + 1]
        )
        services.recommendation_record_progress(
            acting_user=vru_staff,
            recommendation=rec,
            date=dt.date(2026, 11, 1),
            text=f"Step {n}.",
            rag="amber",
        )
    client = client_for(vru_staff)
    with django_assert_num_queries(QUERIES):
        response = client.get("/crest/4.1/")
    # Every link change is in the history, each named.
    assert response.text.count("Linked actions: ") == size
    assert response.text.count("Theory of Change activities: ") == size


QUERIES = 16


# Loading the reference data again


def test_loading_the_reference_data_again_keeps_the_links_staff_chose(vru_staff, db):
    call_command("load_reference_data", verbosity=0)
    first, second = Recommendation.objects.order_by("number")
    assert codes(first) == codes(second) == ["1.b"]
    activity_1a = TheoryOfChangeActivity.objects.get(code="1.a")
    services.recommendation_set_toc_activities(acting_user=vru_staff, recommendation=first, activities=[])
    services.recommendation_set_toc_activities(
        acting_user=vru_staff, recommendation=second, activities=[activity_1a]
    )

    call_command("load_reference_data", verbosity=0)

    assert codes(first) == []
    assert codes(second) == ["1.a"]
    assert history_rows(first)[0].who == vru_staff.get_full_name()


def test_the_reference_data_links_a_recommendation_it_creates_in_one_history_entry(db):
    call_command("load_reference_data", verbosity=0)
    rec = Recommendation.objects.get(number="4.1")
    rows = history_rows(rec)
    assert [(c.label, c.old, c.new) for c in rows[0].changes] == [
        ("Theory of Change activities", "none", "1.b")
    ]
    assert rows[0].who == "the system"


# The Theory of Change page


def test_the_theory_of_change_page_leaves_out_archived_recommendations(client_for, board_member, rec, toc):
    kept = RecommendationFactory(number="4.2")
    kept.toc_activities.set([toc["1.b"]])
    Recommendation.objects.filter(pk=rec.pk).update(archived_at=timezone.now())
    section = toc_section(client_for(board_member).get("/theory-of-change/").text, toc["1.b"])
    assert 'href="/crest/4.2/"' in section
    assert 'href="/crest/4.1/"' not in section


# The migration that starts the links' history


def test_the_migration_gives_past_history_records_the_links_so_no_false_change_is_shown(vru_staff, rec, toc):
    """Before it, no record kept the ToC links: the first change after it would have shown every
    link as added by whoever made that change, whatever it was."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("crest.migrations.0002_history_of_toc_links")
    Recommendation.history.model.toc_activities.model.objects.all().delete()  # as before the migration
    migration.backfill(apps, None)
    services.recommendation_record_progress(
        acting_user=vru_staff,
        recommendation=rec,
        date=dt.date(2026, 11, 1),
        text="Letters sent.",
        rag="amber",
    )
    changes = [c.label for row in history_rows(rec) for c in row.changes]
    assert "Theory of Change activities" not in changes
    assert "RAG rating" in changes


def test_the_content_version_moves_when_only_a_link_row_changes(rec, toc):
    """Cached fragments (core.fragments) key on it: a page showing links must not outlive a change."""
    from core import content_version

    before = content_version.current()
    Recommendation.toc_activities.through.objects.filter(recommendation=rec).delete()
    assert content_version.current() > before
