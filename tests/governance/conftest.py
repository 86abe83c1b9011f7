"""Fixtures for meetings and actions: an SVRP with members, some of them linked to the role users."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
import time_machine

from .factories import (
    MembershipFactory,
    OrganisationFactory,
    PartnershipGroupFactory,
    PersonFactory,
    SubgroupFactory,
)

TODAY = dt.date(2026, 5, 20)


@pytest.fixture
def frozen_today():
    """Wednesday 20 May 2026, 09:00 in London."""
    with time_machine.travel(dt.datetime(2026, 5, 20, 8, 0, tzinfo=dt.UTC), tick=False):
        yield TODAY


@pytest.fixture
def svrp(db, frozen_today, vru_staff, board_member, subgroup_chair, data_provider):
    """The SVRP with three authorities: board.member and one other sit on it; subgroup.chair chairs DAWG."""
    portsmouth = OrganisationFactory(name="Portsmouth City Council", slug="portsmouth-city-council")
    police = OrganisationFactory(name="Hampshire and Isle of Wight Constabulary", slug="constabulary")
    fire = OrganisationFactory(name="Fire and Rescue", slug="fire")
    group = PartnershipGroupFactory(short_name="SVRP", name="Strategic Violence Reduction Partnership")
    dawg = SubgroupFactory(
        short_name="DAWG", name="Data and Analysis Working Group", slug="dawg", parent=group
    )
    tvrp = SubgroupFactory(
        short_name="TVRP", name="Tactical Violence Reduction Partnership", slug="tvrp", parent=group
    )
    bea = PersonFactory(full_name="Bea Member", organisation=portsmouth, user=board_member)
    other = PersonFactory(full_name="Oliver Other", organisation=police)
    sam = PersonFactory(full_name="Sam Chair", organisation=police, user=subgroup_chair)
    val = PersonFactory(full_name="Val Staff", organisation=police, user=vru_staff)
    MembershipFactory(person=bea, group=group)
    MembershipFactory(person=other, group=group)
    MembershipFactory(person=sam, group=dawg, role="chair")
    return SimpleNamespace(
        group=group,
        dawg=dawg,
        tvrp=tvrp,
        portsmouth=portsmouth,
        police=police,
        fire=fire,
        bea=bea,
        other=other,
        sam=sam,
        val=val,
    )
