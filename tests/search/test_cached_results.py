"""A page of results is kept per searcher and per version of the index and the registers: the same
search again costs a cache read, and never shows what the index or the searcher's rights no longer say."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.roles import Role
from tests.governance.factories import ActionFactory, MembershipFactory, PersonFactory

pytestmark = pytest.mark.django_db

URL = "/search/"


def _get(client, q: str):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, {"q": q})
    assert response.status_code == 200
    searched = [s for s in (q["sql"] for q in queries) if "search_searchentry" in s]
    return response.content.decode(), searched


def test_the_same_search_again_is_answered_without_searching_the_index(corpus, client_for, vru_staff):
    client = client_for(vru_staff)
    first, searched = _get(client, "axolotl")
    assert searched, "the first search reads the index"
    again, searched_again = _get(client, "axolotl")
    assert searched_again == []
    assert "<mark>Axolotl</mark>" in again
    assert again.count("app-search-results") == first.count("app-search-results") == 1


def test_a_record_indexed_since_is_found_at_once(
    corpus, client_for, vru_staff, django_capture_on_commit_callbacks
):
    client = client_for(vru_staff)
    html, _ = _get(client, "axolotl")
    assert "1 result" in html
    with django_capture_on_commit_callbacks(execute=True):
        ActionFactory(meeting=corpus.held, description="A second axolotl action.")
    html, searched = _get(client, "axolotl")
    assert searched, "a changed index is searched again"
    assert "2 results" in html


def test_one_searchers_page_is_never_anothers(corpus, client_for, vru_staff, data_provider):
    assert "Draft <mark>narwhal</mark> minute" in _get(client_for(vru_staff), "narwhal")[0]
    html, _ = _get(client_for(data_provider), "narwhal")
    assert "narwhal minute" not in html.lower()
    assert "0 results" in html


def test_a_new_role_shows_what_it_may_open_at_once(corpus, client_for, data_provider):
    assert "0 results" in _get(client_for(data_provider), "narwhal")[0]
    data_provider.groups.add(Group.objects.get_or_create(name=Role.VRU_STAFF.value)[0])
    html, _ = _get(client_for(data_provider), "narwhal")
    assert "Draft <mark>narwhal</mark> minute" in html


def test_a_new_membership_shows_the_groups_drafts_at_once(corpus, svrp, client_for, data_provider):
    client = client_for(data_provider)
    assert "0 results" in _get(client, "narwhal")[0]
    person = PersonFactory(full_name="Dana Provider", organisation=svrp.police, user=data_provider)
    MembershipFactory(person=person, group=svrp.dawg, start_date=corpus.dawg.date)
    assert "Draft <mark>narwhal</mark> minute" in _get(client, "narwhal")[0]
