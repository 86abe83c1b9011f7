"""The report's action log counts on the domain's dates: raised on, completed on, due.

An action typed in after its quarter (a backfill, a late write-up) belongs to the quarter it was raised
in; when its row was created plays no part.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

import pytest
from django.utils import timezone

from governance.models import Action
from governance.quarters import FinancialQuarter
from performance.reporting.sections import ReportContext, action_counts, actions_section

from . import factories

pytestmark = pytest.mark.django_db

Q1 = FinancialQuarter(2026, 1)  # April to June 2026; "today" is 15 August 2026
TYPED_IN_AUGUST = timezone.make_aware(dt.datetime(2026, 8, 1, 9))


def _action(ref: str, raised_at: Any, due: dt.date, owner: Any, **extra: Any) -> Action:
    return Action.objects.create(
        reference=ref,
        description=f"Action {ref}.",
        owner=owner,
        organisation=owner.organisation,
        meeting=raised_at,
        due_date=due,
        created=TYPED_IN_AUGUST,
        **extra,
    )


@pytest.fixture
def backfilled(framework, council):
    """Actions written up in August: two raised on 8 June, three older, one raised in July."""
    owner = factories.person("Carol Council", council)
    june, march = factories.meeting(dt.date(2026, 6, 8)), factories.meeting(dt.date(2026, 3, 10))
    _action("SVRP-2026-11", june, dt.date(2026, 7, 30), owner)  # open, not yet due at 30 June
    _action("SVRP-2026-12", june, dt.date(2026, 6, 20), owner)  # open and overdue at 30 June
    _action("SVRP-2026-03", march, dt.date(2026, 5, 1), owner)  # open and overdue at 30 June
    _action("SVRP-2026-04", march, dt.date(2026, 12, 31), owner)  # open
    _action(
        "SVRP-2026-05",
        march,
        dt.date(2026, 5, 31),
        owner,
        status=Action.Status.COMPLETE,
        completed_on=dt.date(2026, 5, 15),
    )
    # Agreed between meetings on 2 July: the next quarter's.
    _action("SVRP-2026-13", None, dt.date(2026, 9, 1), owner, raised_on=dt.date(2026, 7, 2))


def _ctx() -> ReportContext:
    return ReportContext(quarter=Q1, version=cast(Any, None), today=dt.date(2026, 8, 15))


def test_actions_entered_after_the_quarter_count_in_the_quarter_they_were_raised(backfilled):
    assert action_counts(_ctx()) == {"opened": 2, "completed": 1, "overdue": 2, "open": 4}


def test_the_action_list_shows_each_actions_raised_on_date_and_leaves_out_later_ones(backfilled):
    section = actions_section(_ctx())
    summary, listing = section.tables
    assert [tuple(r) for r in summary.rows()] == [
        ("Opened in the quarter", 2),
        ("Completed in the quarter", 1),
        ("Overdue at the end of the quarter", 2),
        ("Open at the end of the quarter", 4),
    ]
    assert listing.headers[4] == "Raised on"
    raised = {row[0]: row[4] for row in listing.rows()}
    assert raised == {
        "SVRP-2026-03": dt.date(2026, 3, 10),
        "SVRP-2026-04": dt.date(2026, 3, 10),
        "SVRP-2026-05": dt.date(2026, 3, 10),
        "SVRP-2026-11": dt.date(2026, 6, 8),
        "SVRP-2026-12": dt.date(2026, 6, 8),
    }


def test_an_action_without_a_raised_on_date_takes_its_meetings_date(framework, council):
    owner = factories.person("Carol Council", council)
    action = _action("SVRP-2026-21", factories.meeting(dt.date(2026, 5, 12)), dt.date(2026, 9, 1), owner)
    assert action.raised_on == dt.date(2026, 5, 12)
