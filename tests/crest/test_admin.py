"""The recommendation admin: new recommendations, and the ToC links of existing ones, with their history."""

from __future__ import annotations

import pytest

from crest.history import history_rows
from crest.models import Recommendation

from .factories import SourceReportFactory

pytestmark = pytest.mark.django_db


def change_url(rec: Recommendation) -> str:
    return f"/admin/crest/recommendation/{rec.pk}/change/"


def test_the_change_form_edits_only_the_theory_of_change_links(client_for, superuser, rec):
    html = client_for(superuser).get(change_url(rec)).text
    assert 'name="toc_activities"' in html
    assert 'name="text"' not in html
    assert 'name="number"' not in html
    assert rec.text in html  # shown, read only


def test_an_administrator_changes_the_links_and_the_history_names_them(client_for, superuser, rec, toc):
    client = client_for(superuser)
    text = rec.text
    response = client.post(
        change_url(rec), {"toc_activities": [toc["1.a"].pk, toc["F1"].pk], "_save": "Save"}
    )
    assert response.status_code == 302
    rec.refresh_from_db()
    assert sorted(rec.toc_activities.values_list("code", flat=True)) == ["1.a", "F1"]
    assert rec.text == text
    row = history_rows(rec)[0]
    assert row.who == superuser.get_full_name()
    assert [(c.label, c.old, c.new) for c in row.changes] == [
        ("Theory of Change activities", "1.b", "1.a, F1")
    ]
    history = client.get(f"/admin/crest/recommendation/{rec.pk}/history/").text
    assert "Theory of Change activities" in history
    assert "1.a Review governance arrangements" in history


def test_an_unknown_activity_in_the_admin_is_refused_and_nothing_changes(client_for, superuser, rec, toc):
    response = client_for(superuser).post(
        change_url(rec), {"toc_activities": [toc["1.a"].pk, 999999], "_save": "Save"}
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["toc_activities"]
    assert list(rec.toc_activities.values_list("code", flat=True)) == ["1.b"]


def test_a_past_version_cannot_be_reverted_to_past_the_services(client_for, superuser, rec, toc):
    client = client_for(superuser)
    client.post(change_url(rec), {"toc_activities": [toc["1.a"].pk], "_save": "Save"})
    first = rec.history.earliest()
    url = f"/admin/crest/recommendation/{rec.pk}/history/{first.history_id}/"
    assert client.get(url).status_code == 200
    assert client.post(url, {"toc_activities": [toc["1.b"].pk], "_save": "Save"}).status_code == 403
    assert list(rec.toc_activities.values_list("code", flat=True)) == ["1.a"]


def test_an_administrator_adds_a_recommendation_with_its_links(client_for, superuser, toc):
    report = SourceReportFactory()
    response = client_for(superuser).post(
        "/admin/crest/recommendation/add/",
        {
            "report": report.pk,
            "number": "5.1",
            "text": "Publish the partnership's strategic needs assessment.",
            "owner_person": "",
            "owner_organisation": "",
            "target_date": "",
            "toc_activities": [toc["1.c"].pk],
            "_save": "Save",
        },
    )
    assert response.status_code == 302
    rec = Recommendation.objects.get(number="5.1")
    assert list(rec.toc_activities.values_list("code", flat=True)) == ["1.c"]
    assert rec.history.latest().history_user == superuser


@pytest.mark.parametrize("role", ["vru_staff", "board_member", "subgroup_chair", "data_provider"])
def test_only_administrators_reach_the_admin(request, client_for, rec, toc, role):
    client = client_for(request.getfixturevalue(role))
    response = client.post(change_url(rec), {"toc_activities": [toc["1.a"].pk], "_save": "Save"})
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
    assert list(rec.toc_activities.values_list("code", flat=True)) == ["1.b"]
