"""Board members at a glance: the performance page's summary table and the survey's next round."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.utils import timezone

from governance.quarters import FinancialQuarter
from performance import selectors
from performance.models import Measure, SurveyRound

from . import factories
from .conftest import COLLECTING

pytestmark = pytest.mark.django_db


def _summary_rows(page: str) -> dict[str, str]:
    """The summary table's rows by measure code, tags stripped to their words."""
    table = page[page.index('<h2 class="govuk-heading-l">At a glance</h2>') :]
    table = table[: table.index("</table>")]
    rows = {}
    for row in re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", table, re.S)[1:]:
        code = re.search(r'href="/performance/measures/([\w.]+)/"', row)
        assert code, row
        rows[code[1]] = " ".join(re.sub(r"<[^>]+>", " ", row).split())
    return rows


def test_the_performance_page_opens_with_every_measure_in_one_table_linking_to_its_detail(
    client, board_member, framework
):
    measure = Measure.objects.get(code="1.1.1.d")
    measure.target = Decimal(1000)
    measure.save()
    factories.figure("1.1.1.d", COLLECTING.previous(), 1000)
    factories.figure("1.1.1.d", COLLECTING, 1100)
    client.force_login(board_member)
    page = client.get("/performance/").content.decode()
    rows = _summary_rows(page)
    assert set(rows) == set(Measure.objects.current().values_list("code", flat=True))
    assert page.index("At a glance") < page.index('id="chart-1-1-1-a-heading"')  # the page opens with it
    assert rows["1.1.1.d"] == (
        f"1.1.1.d {measure.short_title} 1,100 {COLLECTING.label} +100 (+10.0%) "
        "Worsening Lower is better Amber: near target"
    )
    assert "No verified figure yet" in rows["1.1.1.b"] and "No target" in rows["1.1.1.b"]


def test_the_measure_read_from_the_attendance_register_has_its_row_and_its_section(
    client, board_member, framework
):
    client.force_login(board_member)
    page = client.get("/performance/").content.decode()
    assert "2.1.1.a" in _summary_rows(page)
    assert 'id="chart-2-1-1-a-heading"' in page
    assert "<!--dashboard-" not in page  # every placeholder filled
    cache.clear()
    assert client.get("/performance/").content.decode().count("/performance/measures/2.1.1.a/") == 2


def test_a_small_count_stays_hidden_in_the_summary_table(client, subgroup_chair, framework):
    factories.figure("1.1.1.c", COLLECTING.previous(), 5)
    factories.figure("1.1.1.c", COLLECTING, 3)
    client.force_login(subgroup_chair)
    row = _summary_rows(client.get("/performance/").content.decode())["1.1.1.c"]
    assert "*" in row and " 3 " not in f" {row} " and "-2" not in row
    assert "Improving" not in row and "Worsening" not in row


@pytest.mark.parametrize(
    ("direction", "values", "expected"),
    [
        (Measure.Direction.LOWER, (10, 8), "improving"),
        (Measure.Direction.LOWER, (8, 10), "worsening"),
        (Measure.Direction.HIGHER, (8, 10), "improving"),
        (Measure.Direction.HIGHER, (10, 8), "worsening"),
        (Measure.Direction.HIGHER, (10, 10), "unchanged"),
    ],
)
def test_the_direction_says_whether_the_latest_quarter_moved_the_way_the_measure_wants(
    framework, direction, values, expected
):
    Measure.objects.filter(code="1.1.1.d").update(direction=direction)
    factories.figure("1.1.1.d", COLLECTING.previous(), values[0])
    factories.figure("1.1.1.d", COLLECTING, values[1])
    summaries = selectors.dashboard(today=timezone.localdate(), restricted=False, only={"1.1.1.d"})
    assert summaries[0].trend_direction == expected


@pytest.mark.parametrize("measures_with_data", [1, 4])
def test_the_performance_page_query_count_does_not_grow_with_measures_holding_data(
    client, board_member, framework, django_assert_num_queries, measures_with_data
):
    for code in ("1.1.1.a", "1.1.1.b", "1.1.1.c", "1.1.1.d")[:measures_with_data]:
        for back in range(6):
            factories.figure(code, COLLECTING.minus(back), 20 + back)
    client.force_login(board_member)
    client.get("/performance/")  # warm the session
    cache.clear()
    with django_assert_num_queries(14):
        page = client.get("/performance/").content.decode()
    assert len(_summary_rows(page)) == 6


# The survey's next round --------------------------------------------------------------------------


def _round(quarter: FinancialQuarter, *, closed: bool) -> SurveyRound:
    return SurveyRound.objects.create(
        period=factories.period(quarter),
        opened_at=timezone.now(),
        closes_on=dt.date(2026, 9, 30),
        closed_at=timezone.now() if closed else None,
    )


def test_with_no_round_yet_the_survey_page_says_the_first_is_due(client, board_member, framework):
    client.force_login(board_member)
    page = client.get("/performance/survey/").content.decode()
    assert f"No survey round is open. The next, for {COLLECTING.label}, is due to open now." in page


def test_after_a_closed_round_the_survey_page_says_when_the_next_opens(client, board_member, framework):
    _round(COLLECTING, closed=True)
    client.force_login(board_member)
    page = client.get("/performance/survey/").content.decode()
    assert (
        f"No survey round is open. The next, for {COLLECTING.next().label}, opens on 1 October 2026." in page
    )


def test_while_a_round_is_open_the_survey_page_does_not_announce_another(client, board_member, framework):
    _round(COLLECTING, closed=False)
    client.force_login(board_member)
    assert "No survey round is open" not in client.get("/performance/survey/").content.decode()


@pytest.mark.parametrize("rounds", [1, 6])
def test_the_survey_page_query_count_does_not_grow_with_rounds(
    client, board_member, framework, django_assert_num_queries, rounds
):
    for back in range(rounds):
        _round(COLLECTING.minus(back), closed=True)
    client.force_login(board_member)
    client.get("/performance/survey/")  # warm the session
    with django_assert_num_queries(9):
        page = client.get("/performance/survey/").content.decode()
    assert page.count("Closed") == rounds
