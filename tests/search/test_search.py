"""Search finds every kind by its words, ranks and highlights them, and never offers what the
searcher may not open — on SQLite's FTS5 and on PostgreSQL's full-text search alike."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from search.selectors import search
from search.services import index_rebuild
from tests.governance.factories import ActionFactory, MeetingFactory

pytestmark = pytest.mark.django_db

URL = reverse("search:search")


def kinds_found(user, q, **filters):
    return [e.kind for e in search(user, q, **filters)]


@pytest.mark.parametrize(
    ("word", "kind"),
    [
        ("quokka", "meeting"),
        ("zephyr", "agenda_item"),
        ("marmoset", "paper"),
        ("ocelot", "paper"),
        ("wombat", "minutes"),
        ("narwhal", "minutes"),
        ("tapir", "decision"),
        ("platypus", "decision"),
        ("axolotl", "action"),
        ("capybara", "recommendation"),
        ("meerkat", "measure"),
        ("kestrel", "person"),
        ("heron", "organisation"),
    ],
)
def test_vru_staff_find_every_kind_by_its_words(corpus, vru_staff, word, kind):
    assert kind in kinds_found(vru_staff, word)


def test_stemmed_words_match(corpus, vru_staff):
    assert kinds_found(vru_staff, "briefings") == ["agenda_item"]


# Who finds what: (word, roles that find it). Every other role finds nothing.
VISIBILITY = {
    "quokka": {"vru_staff", "board_member", "subgroup_chair", "data_provider", "administrator"},
    "marmoset": {"vru_staff", "board_member", "subgroup_chair", "data_provider", "administrator"},
    # Confidential papers: the board only (governance.permissions.can_see_confidential).
    "ocelot": {"vru_staff", "board_member"},
    "wombat": {"vru_staff", "board_member", "subgroup_chair", "data_provider", "administrator"},
    # Draft minutes and decisions of DAWG: VRU staff and DAWG's members (its chair) only.
    "narwhal": {"vru_staff", "subgroup_chair"},
    "platypus": {"vru_staff", "subgroup_chair"},
    # Draft minutes of an SVRP meeting: VRU staff and the SVRP's members (the board member).
    "pangolin": {"vru_staff", "board_member"},
    "axolotl": {"vru_staff", "board_member", "subgroup_chair", "data_provider", "administrator"},
    # The Crest tracker: VRU staff, board members and administrators (crest.permissions).
    "capybara": {"vru_staff", "board_member", "administrator"},
    "meerkat": {"vru_staff", "board_member", "subgroup_chair", "data_provider", "administrator"},
    "kestrel": {"vru_staff", "board_member", "subgroup_chair", "data_provider", "administrator"},
}
ROLES = ["vru_staff", "board_member", "subgroup_chair", "data_provider", "administrator"]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("word", sorted(VISIBILITY))
def test_no_role_finds_what_it_may_not_open(corpus, request, role, word):
    user = request.getfixturevalue(role)
    found = bool(kinds_found(user, word))
    assert found == (role in VISIBILITY[word])


@pytest.mark.parametrize("role", ROLES)
def test_every_result_opens_for_the_searcher(corpus, request, client, role):
    """The promise itself: each result a role is shown is a page that answers it with 200."""
    user = request.getfixturevalue(role)
    client.force_login(user)
    words = " ".join(sorted(VISIBILITY))
    urls = set()
    for word in words.split():
        urls.update(e.url for e in search(user, word))
    assert urls
    for url in sorted(urls):
        assert client.get(url).status_code == 200, url


def test_anonymous_visitor_is_sent_to_sign_in(corpus, client):
    response = client.get(URL, {"q": "quokka"})
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_anonymous_user_finds_nothing_through_the_selector(corpus):
    from django.contrib.auth.models import AnonymousUser

    assert kinds_found(AnonymousUser(), "quokka") == []


def test_a_title_match_ranks_above_a_body_only_match(svrp, vru_staff):
    ActionFactory(reference="GECKO-1", description="Unrelated words here.", raised_on=dt.date(2026, 1, 1))
    ActionFactory(reference="OTHER-1", description="Something about a gecko.", raised_on=dt.date(2026, 1, 2))
    index_rebuild()
    assert [e.title for e in search(vru_staff, "gecko")] == ["GECKO-1", "OTHER-1"]


def test_more_hits_rank_above_fewer(svrp, vru_staff):
    ActionFactory(reference="A-1", description="An iguana was seen near the harbour wall.")
    ActionFactory(reference="A-2", description="An iguana, another iguana and a third iguana.")
    index_rebuild()
    assert [e.title for e in search(vru_staff, "iguana")] == ["A-2", "A-1"]


def test_every_word_must_match(corpus, vru_staff):
    assert kinds_found(vru_staff, "zephyr plan") == ["agenda_item"]
    assert kinds_found(vru_staff, "zephyr narwhal") == []


def test_kind_filter(corpus, vru_staff):
    assert kinds_found(vru_staff, "agreed", kinds=["decision"]) == ["decision", "decision"]
    assert kinds_found(vru_staff, "agreed", kinds=["minutes"]) == []


def test_date_filter(corpus, vru_staff):
    assert kinds_found(vru_staff, "minute", kinds=["minutes"]) == ["minutes"] * 3
    found = search(
        vru_staff, "minute", kinds=["minutes"], date_from=dt.date(2026, 4, 1), date_to=dt.date(2026, 4, 30)
    )
    assert [e.object_id for e in found] == [corpus.dawg.minutes.pk]
    assert kinds_found(vru_staff, "quokka", date_from=dt.date(2026, 3, 11)) == []


def test_the_page_highlights_the_matching_words(corpus, client_for, vru_staff):
    response = client_for(vru_staff).get(URL, {"q": "zephyr"})
    html = response.content.decode()
    assert "<mark>Zephyr</mark> briefing" in html
    assert "The <mark>zephyr</mark> plan." in html


def test_record_text_never_becomes_markup(svrp, client_for, vru_staff):
    ActionFactory(reference="XSS-1", description='Salamander <script>alert("x")</script> <b>bold</b>')
    index_rebuild()
    html = client_for(vru_staff).get(URL, {"q": "salamander"}).content.decode()
    assert "<mark>Salamander</mark>" in html
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &lt;b&gt;bold&lt;/b&gt;" in html


@pytest.mark.parametrize(
    "q",
    [
        '"',
        '"unbalanced',
        "quokka OR",
        "NEAR(quokka narwhal)",
        "title:quokka",
        "quokka*",
        "-quokka",
        "^quokka",
        "(quokka",
        "quokka AND NOT",
        "'; DROP TABLE search_searchentry; --",
        "!!!",
        "\x00quokka",
        "🙂 quokka",
    ],
)
def test_hostile_queries_answer_calmly(corpus, client_for, vru_staff, q):
    response = client_for(vru_staff).get(URL, {"q": q})
    assert response.status_code in (200, 422)


def test_query_syntax_is_taken_as_words(corpus, vru_staff):
    assert kinds_found(vru_staff, '"quokka" OR title:(narwhal*)') == []
    assert kinds_found(vru_staff, "zephyr*") == ["agenda_item"]


def test_a_very_long_search_is_refused_with_a_clear_message(corpus, client_for, vru_staff):
    response = client_for(vru_staff).get(URL, {"q": "quokka " * 100})
    assert response.status_code == 422
    assert "Search for 200 characters or fewer." in response.content.decode()


def test_punctuation_only_asks_for_words(corpus, client_for, vru_staff):
    response = client_for(vru_staff).get(URL, {"q": "!!!"})
    assert "Enter words to search for" in response.content.decode()


def test_a_date_range_backwards_is_refused(corpus, client_for, vru_staff):
    response = client_for(vru_staff).get(
        URL,
        {
            "q": "quokka",
            "date_from_0": "1",
            "date_from_1": "5",
            "date_from_2": "2026",
            "date_to_0": "1",
            "date_to_1": "4",
            "date_to_2": "2026",
        },
    )
    assert response.status_code == 422
    assert "The to date must be the same as or after the from date." in response.content.decode()


def test_the_kind_filter_names_only_kinds_the_user_may_see(corpus, client_for, data_provider):
    html = client_for(data_provider).get(URL, {"q": "quokka"}).content.decode()
    assert "Meetings" in html
    assert "Crest recommendations" not in html


def _queries(client, q):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, {"q": q})
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("role", ["vru_staff", "board_member"])
def test_the_page_reads_a_fixed_number_of_queries_at_any_size(svrp, client_for, request, role):
    client = client_for(request.getfixturevalue(role))
    for n in range(3):
        ActionFactory(description=f"Ferret sighting {n}.")
    index_rebuild()
    small = _queries(client, "ferret")
    for n in range(60):
        meeting = MeetingFactory(group=svrp.group, title=f"Ferret meeting {n}")
        ActionFactory(meeting=meeting, description=f"Ferret sighting {n}.")
    index_rebuild()
    assert _queries(client, "ferret") == small


def test_a_saved_record_is_indexed_after_commit(svrp, vru_staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        action = ActionFactory(description="A lemur escaped.")
    assert kinds_found(vru_staff, "lemur") == ["action"]
    with django_capture_on_commit_callbacks(execute=True):
        action.description = "A fox escaped."
        action.save()
    assert kinds_found(vru_staff, "lemur") == []
    assert kinds_found(vru_staff, "fox") == ["action"]


def test_approving_minutes_shows_them_to_everyone(corpus, data_provider, django_capture_on_commit_callbacks):
    assert kinds_found(data_provider, "narwhal") == []
    record = corpus.dawg.minutes
    with django_capture_on_commit_callbacks(execute=True):
        record.status = record.Status.APPROVED
        record.approved_on = corpus.dawg.date
        record.save()
    assert kinds_found(data_provider, "narwhal") == ["minutes"]
    assert kinds_found(data_provider, "platypus") == ["decision"]
