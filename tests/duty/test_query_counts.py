"""The Duty's pages answer in a fixed number of queries, whatever the number of rows."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from duty import services
from tests.duty.factories import AreaFactory
from tests.governance.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _add_milestones(plan, count: int, start: int) -> None:
    for n in range(start, start + count):
        owner = PersonFactory()
        services.milestone_save(
            acting_user=None,
            plan=plan,
            reference=f"M{n}",
            title=f"Milestone {n}",
            owner=owner,
            organisation=owner.organisation,
            due_date=dt.date(2026, 6, 1),
        )


def _add_areas(concordat, authority, count: int, start: int) -> None:
    for n in range(start, start + count):
        area: Any = AreaFactory(name=f"Area {n} Council")
        services.dissemination_record(
            acting_user=None,
            concordat=concordat,
            area=area,
            authority=authority,
            sent_on=dt.date(2026, 4, 2),
            sent_to="x",
        )


def test_the_plans_page_does_not_grow_with_milestones(client_for, board_member):
    plan = services.plan_create(acting_user=None, kind="vru", year=2026)
    client = client_for(board_member)
    _add_milestones(plan, 2, 0)
    few = _queries(client, reverse("duty:plans"))
    _add_milestones(plan, 8, 2)
    assert _queries(client, reverse("duty:plans")) == few


def test_the_concordat_grid_does_not_grow_with_areas(client_for, board_member, police):
    concordat = services.concordat_add(acting_user=None, issued_on=dt.date(2026, 4, 1))
    client = client_for(board_member)
    _add_areas(concordat, police, 2, 0)
    few = _queries(client, reverse("duty:concordat"))
    _add_areas(concordat, police, 6, 2)
    assert _queries(client, reverse("duty:concordat")) == few
