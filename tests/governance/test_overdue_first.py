"""The action log pages actions overdue first, then by due date and reference, reading each page from
an index's order rather than sorting every action (``meeting_selectors.OverdueFirst``). Hypothesis
builds any mix of statuses and due dates around today; every page, at every page size, must hold exactly
the ids the single sorted query would give, and the log's pages as a user reads them must too."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.paginator import Paginator
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from governance.meeting_selectors import OVERDUE_FIRST, OverdueFirst
from governance.models import Action
from tests.governance.factories import ActionFactory, MeetingFactory, PersonFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 10, 1)
STATUSES = [choice for choice, _label in Action.Status.choices]
action = st.tuples(st.sampled_from(STATUSES), st.integers(min_value=-3, max_value=3))


def sorted_ids(actions) -> list[int]:
    """The order as one query sorting every action on the overdue expression states it."""
    return list(
        actions.with_overdue(TODAY)
        .order_by(OVERDUE_FIRST, "due_date", "reference")
        .values_list("pk", flat=True)
    )


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(actions=st.lists(action, max_size=12), per_page=st.integers(min_value=1, max_value=5))
def test_every_page_holds_what_sorting_every_action_would(actions, per_page):
    Action.objects.all().delete()
    owner, meeting = PersonFactory(), MeetingFactory()
    for n, (status, days) in enumerate(actions):
        ActionFactory(
            reference=f"T-{(n * 7) % 13:02d}-{n}",
            status=status,
            due_date=TODAY + dt.timedelta(days=days),
            owner=owner,
            meeting=meeting,
        )
    everything = Action.objects.all()
    expected = sorted_ids(everything)
    paginator = Paginator(OverdueFirst(everything, TODAY), per_page)
    paged = [pk for number in paginator.page_range for pk in paginator.page(number).object_list]
    assert paged == expected
    assert paginator.count == len(expected)
    # A filter (here: open actions only) pages the same way.
    open_only = Action.objects.open()
    paginator = Paginator(OverdueFirst(open_only, TODAY), per_page)
    assert [pk for n in paginator.page_range for pk in paginator.page(n).object_list] == sorted_ids(open_only)


def test_the_log_shows_overdue_actions_first_on_its_first_page(client_for, board_member, time_machine):
    time_machine.move_to(dt.datetime(2026, 10, 1, 12, 0), tick=False)
    owner, meeting = PersonFactory(), MeetingFactory()
    # Sixty actions due long ago but done, then the only overdue one, due last of all.
    for n in range(60):
        ActionFactory(
            reference=f"DONE-{n:02d}",
            status="complete",
            due_date=dt.date(2025, 1, 1),
            owner=owner,
            meeting=meeting,
        )
    ActionFactory(
        reference="LATE-01", status="open", due_date=dt.date(2026, 9, 30), owner=owner, meeting=meeting
    )
    client = client_for(board_member)
    first = client.get("/actions/").content.decode()
    references = re.findall(r"(DONE-\d\d|LATE-01)", first)
    assert references[0] == "LATE-01"
    second = client.get("/actions/?page=2").content.decode()
    assert "LATE-01" not in second
    assert "DONE-59" in second or "DONE-59" in first
