"""Row scopes (core.content_version.RowScope): a scope moved only by the rows it covers, before or after
a change, whoever writes them. The performance framework declares two on its figures: the verified
figures (all the dashboard shows) and each measure's figures (all a measure's page shows)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection

from core import content_version
from governance.quarters import FinancialQuarter
from performance.content_scopes import MEASURE_FIGURES, VERIFIED_FIGURES
from performance.models import Area, Figure, Measure
from performance.reference import load_framework
from tests.performance import factories

pytestmark = pytest.mark.django_db
QUARTER = FinancialQuarter(2026, 1)


@pytest.fixture
def measures(db: object) -> tuple[Measure, Measure]:
    load_framework()
    return Measure.objects.get(code="1.1.1.b"), Measure.objects.get(code="1.1.1.c")


def versions(*measures: Measure) -> dict[str, int]:
    """The version of the verified figures and of each measure's figures."""
    found = {"verified": content_version.current([VERIFIED_FIGURES])}
    for measure in measures:
        found[measure.code] = content_version.current(content_version.keyed(MEASURE_FIGURES, measure.pk))
    return found


def moved(before: dict[str, int], after: dict[str, int]) -> set[str]:
    return {name for name in before if after[name] != before[name]}


def test_a_submitted_figure_moves_its_measure_only(measures):
    b, c = measures
    before = versions(b, c)
    factories.figure(b, QUARTER, 120, status=Figure.Status.SUBMITTED)
    assert moved(before, versions(b, c)) == {"1.1.1.b"}


def test_verifying_correcting_and_withdrawing_a_figure_each_move_the_verified_figures(measures):
    b, c = measures
    figure = factories.figure(b, QUARTER, 120, status=Figure.Status.SUBMITTED)

    before = versions(b, c)
    Figure.objects.filter(pk=figure.pk).update(
        status=Figure.Status.VERIFIED, verified_at=dt.datetime.now(dt.UTC)
    )
    assert moved(before, versions(b, c)) == {"verified", "1.1.1.b"}

    before = versions(b, c)
    figure.refresh_from_db()
    figure.value = Decimal(130)
    figure.save()
    assert moved(before, versions(b, c)) == {"verified", "1.1.1.b"}

    before = versions(b, c)
    Figure.objects.filter(pk=figure.pk).update(status=Figure.Status.SUBMITTED)
    assert moved(before, versions(b, c)) == {"verified", "1.1.1.b"}, (
        "no longer verified: the dashboard changes"
    )

    before = versions(b, c)
    figure.delete()
    assert moved(before, versions(b, c)) == {"1.1.1.b"}, "a submitted figure was never on the dashboard"

    verified = factories.figure(c, QUARTER, 7)
    before = versions(b, c)
    verified.delete()
    assert moved(before, versions(b, c)) == {"verified", "1.1.1.c"}


def test_moving_a_figure_to_another_measure_moves_both(measures):
    b, c = measures
    figure = factories.figure(b, QUARTER, 120, status=Figure.Status.SUBMITTED)
    before = versions(b, c)
    Figure.objects.filter(pk=figure.pk).update(measure=c)
    assert moved(before, versions(b, c)) == {"1.1.1.b", "1.1.1.c"}


def test_a_bulk_insert_moves_every_measure_it_writes_and_compacting_keeps_the_versions(measures):
    b, c = measures
    before = versions(b, c)
    period = factories.period(QUARTER)
    area = Area.objects.get(code="hips")
    Figure.objects.bulk_create(
        [
            Figure(
                measure=m, period=period, area=area, age_band="all", value=5, status=Figure.Status.SUBMITTED
            )
            for m in (b, c)
        ]
    )
    after = versions(b, c)
    assert moved(before, after) == {"1.1.1.b", "1.1.1.c"}
    content_version.compact()
    assert versions(b, c) == after


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no TRUNCATE")
def test_emptying_the_table_moves_every_reader_of_its_row_scopes(measures):
    b, c = measures
    factories.figure(b, QUARTER, 120)
    before = versions(b, c)
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the figure's own foreign-key checks, first
        cursor.execute(f"TRUNCATE {Figure._meta.db_table} CASCADE")
    assert moved(before, versions(b, c)) == {"verified", "1.1.1.b", "1.1.1.c"}


def test_a_row_scope_no_longer_declared_stops_moving(measures):
    from core import hooks

    b, _c = measures
    try:
        with hooks.register_temporarily(hooks.ROW_SCOPES, lambda: [], alone=True):
            content_version.install_triggers()
            before = versions(b)
            factories.figure(b, QUARTER, 120)
            assert moved(before, versions(b)) == set()
    finally:
        content_version.install_triggers()
    before = versions(b)
    factories.figure(b, QUARTER.previous(), 120)
    assert moved(before, versions(b)) == {"verified", "1.1.1.b"}


def test_a_scope_name_or_value_that_is_not_a_plain_word_is_refused():
    scope = content_version.RowScope(Figure, "figures'; DROP TABLE x; --")
    with pytest.raises(ValueError, match="letters, digits"):
        list(content_version._sqlite_rows([scope], connection.ops.quote_name))
