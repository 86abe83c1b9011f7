"""The meeting pack carries the framework's performance summary (once the framework has figures)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache

from . import factories
from .conftest import COLLECTING

pytestmark = pytest.mark.django_db


@pytest.fixture
def pack_url(framework):
    meeting = factories.meeting(dt.date(2026, 8, 11), status="scheduled")
    return f"/meetings/{meeting.pk}/pack/"


def test_the_pack_shows_each_measure_with_its_latest_verified_figure(client, board_member, pack_url):
    factories.figure("1.1.1.d", COLLECTING.previous(), 1000)
    factories.figure("1.1.1.d", COLLECTING, 1100)
    client.force_login(board_member)
    page = client.get(pack_url).content.decode()
    assert "Performance summary" in page
    assert "The performance summary is not available yet." not in page
    row = page.split("1.1.1.d")[1].split("</tr>")[0]
    assert "1,100" in row
    assert "+100 (+10.0%)" in row
    for code in ("1.1.1.a", "1.1.1.b", "1.1.1.c", "2.1.1.a", "2.2.1.a"):
        assert code in page


def test_small_counts_are_starred_in_the_pack_for_a_subgroup_chair(client, subgroup_chair, pack_url):
    factories.figure("1.1.1.c", COLLECTING, 3)
    client.force_login(subgroup_chair)
    row = client.get(pack_url).content.decode().split("1.1.1.c")[1].split("</tr>")[0]
    assert "app-suppressed" in row
    assert ">3<" not in row.replace("\n", "")


def test_the_pdf_pack_carries_the_summary_too(client, board_member, pack_url):
    factories.figure("1.1.1.d", COLLECTING, 1100)
    client.force_login(board_member)
    response = client.get(pack_url.replace("/pack/", "/pack.pdf"))
    assert response.content.startswith(b"%PDF")
    assert len(response.content) > 1000


@pytest.mark.parametrize("quarters", [2, 40])
def test_the_packs_query_count_does_not_grow_with_quarters_of_figures(
    client, board_member, pack_url, django_assert_num_queries, quarters
):
    for back in range(quarters):
        for code in ("1.1.1.a", "1.1.1.b", "1.1.1.c", "1.1.1.d"):
            factories.figure(code, COLLECTING.minus(back), 10 + back)
    client.force_login(board_member)
    client.get(pack_url)
    cache.clear()  # the pack's body is a fragment cached per content version: measure it built afresh
    with django_assert_num_queries(QUERIES):
        response = client.get(pack_url)
    assert response.status_code == 200
    assert "1.1.1.d" in response.content.decode()
    # Reloaded: the body and the summary come from the cache, whatever the quarters.
    with django_assert_num_queries(QUERIES_CACHED):
        again = client.get(pack_url)
    assert "1.1.1.d" in again.content.decode()


# Governance's pack built afresh (its papers, the last minutes, the sub-groups with their updates in one
# query) and the framework's summary, each with the versions it reads.
QUERIES = 19
QUERIES_CACHED = 9  # the body and the summary from the cache: the session, the viewer, the meeting, versions


def test_the_cached_summary_shows_a_newly_verified_figure_at_once(client, board_member, pack_url, vru_staff):
    """The summary is cached per version of what it reads: a figure verified since the last reload is
    in the next one; one only submitted is not (the summary shows verified figures)."""
    from performance import services
    from performance.models import Figure

    factories.figure("1.1.1.d", COLLECTING.previous(), 1000)
    client.force_login(board_member)

    def row() -> str:
        return client.get(pack_url).content.decode().split("1.1.1.d")[1].split("</tr>")[0]

    assert "1,000" in row()
    submitted = factories.figure("1.1.1.d", COLLECTING, 1234, status=Figure.Status.SUBMITTED)
    assert "1,234" not in row() and "1,000" in row()
    services.figures_verify(acting_user=vru_staff, figure_ids=[submitted.pk])
    assert "1,234" in row()
