"""The cold path of the pages with long tables (issue 19): the register, the meeting page and its pack,
the action log and the Crest tracker render a table's rows in Python, one string a row
(``governance.rows``, ``crest.tracker_rows``), not a template (an include, a status tag) per row or cell.
So rendering them afresh after a change renders the same templates at any size of the data: counted
with Django's ``template_rendered`` signal at two sizes, each page's count is the same."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.test.signals import template_rendered

from crest.models import Recommendation
from demo import benchmark
from governance import reference
from governance.models import Action

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 30)
SMALL, LARGER = 0.1, 0.4


def _pages() -> list[str]:
    meeting = next(p for p in benchmark.key_pages() if p.startswith("/meetings/"))
    return ["/membership/", meeting, f"{meeting}pack/", "/actions/", "/crest/"]


def _templates_per_page() -> dict[str, Counter[str]]:
    """The templates each page renders with its cached fragments emptied (its cold path)."""
    client = Client()
    client.force_login(get_user_model().objects.get(username="bench.board"))
    rendered: Counter[str] = Counter()

    def count(sender: Any, template: Any, **kwargs: Any) -> None:
        rendered[template.name] += 1

    found = {}
    template_rendered.connect(count)
    try:
        for path in _pages():
            # Meeting ids differ between the two data sets; the page is the same.
            name = path.replace(path.split("/")[2], "<latest>") if path.startswith("/meetings/") else path
            cache.clear()
            rendered.clear()
            response = client.get(path)
            assert response.status_code == 200, f"{path} answered {response.status_code}"
            found[name] = Counter(rendered)
    finally:
        template_rendered.disconnect(count)
    return found


def _generate_and_count(scale: float) -> tuple[dict[str, Counter[str]], int, int]:
    """Build a data set, count, and roll it back (see test_benchmark._generate_and_count)."""
    cache.clear()
    with transaction.atomic():
        benchmark.generate_all(scale=scale, password="bench-password-for-tests", today=TODAY)
        actions, recommendations = Action.objects.count(), Recommendation.objects.count()
        counts = _templates_per_page()
        transaction.set_rollback(True)
    return counts, actions, recommendations


def test_the_long_tables_render_no_template_per_row(db: Any, time_machine: Any) -> None:
    time_machine.move_to(dt.datetime(2026, 11, 30, 12, 0, tzinfo=dt.UTC), tick=False)
    reference.load_all()
    small, small_actions, small_recommendations = _generate_and_count(SMALL)
    larger, larger_actions, larger_recommendations = _generate_and_count(LARGER)
    # The two sizes really differ: more actions (in the log and the pack) and recommendations.
    assert larger_actions >= 3 * small_actions
    assert larger_recommendations > small_recommendations
    assert set(small) == set(larger)
    for page in small:
        if page.endswith("/pack/"):
            # The performance summary's section is the dashboard's: a table per measure of the
            # framework (not of the data), with a cell where a quarter has a figure.
            for counts in (small[page], larger[page]):
                for name in [n for n in counts if n.startswith("performance/")]:
                    del counts[name]
        assert small[page] == larger[page], (
            f"{page} renders templates per row: {dict(larger[page] - small[page])} more at the larger size"
        )


def test_a_due_date_reads_as_the_date_filter_writes_it() -> None:
    """The tables' day-month-year dates are put together from parts (``governance.rows.Dates``): each
    one reads exactly as Django's ``date`` filter writes it, every day of a leap year and beyond."""
    from django.template.defaultfilters import date as date_filter

    from governance.rows import Dates

    for fmt in ("j M Y", "j F Y"):
        dates = Dates(fmt)
        day = dt.date(2024, 1, 1)
        while day < dt.date(2025, 3, 1):
            assert dates(day) == date_filter(day, fmt)
            day += dt.timedelta(days=1)
        assert dates(dt.date(999, 7, 4)) == date_filter(dt.date(999, 7, 4), fmt)
        assert dates(None) == ""


def test_the_action_table_rows_read_as_rows_render_as_the_records_did(db: Any, time_machine: Any) -> None:
    """The pack's and the meeting's action tables read their rows as values, not model instances
    (``governance.rows.action_table_rows``): the table is the same, cell for cell."""
    from governance.rows import action_rows, action_table_rows

    time_machine.move_to(dt.datetime(2026, 11, 30, 12, 0, tzinfo=dt.UTC), tick=False)
    reference.load_all()
    benchmark.generate_all(scale=0.1, password="bench-password-for-tests", today=TODAY)
    actions = Action.objects.with_overdue(TODAY).order_by("due_date", "reference")
    records = list(actions.select_related("owner", "organisation", "toc_activity"))
    # Rows of every kind the table shows: linked to an activity, and overdue.
    assert any(a.toc_activity_id for a in records) and any(getattr(a, "overdue_flag", False) for a in records)
    for public, plain in ((False, False), (True, False), (False, True)):
        assert action_rows(action_table_rows(actions), public=public, plain=plain) == action_rows(
            records, public=public, plain=plain
        )
