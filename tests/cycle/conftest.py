from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from core.roles import Role
from governance.models import (
    Action,
    DutyStatus,
    Meeting,
    Membership,
    Organisation,
    PartnershipGroup,
    Person,
    Seat,
    Sector,
)
from performance.reference import CONSTABULARY, ICB, load_framework
from tests.performance import factories

LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def partnership(db, make_user):
    """The SVRP with two members, a sub-group with its chair, VRU staff and an action owner."""
    police = Organisation.objects.create(
        name="Hampshire Constabulary", slug="police", sector=Sector.POLICE, duty_status=DutyStatus.SPECIFIED
    )
    council = Organisation.objects.create(
        name="Southampton City Council",
        slug="southampton",
        sector=Sector.LOCAL_AUTHORITY,
        duty_status=DutyStatus.SPECIFIED,
    )
    svrp = PartnershipGroup.objects.create(
        name="Strategic Violence Reduction Partnership", short_name="SVRP", slug="svrp", kind="partnership"
    )
    dawg = PartnershipGroup.objects.create(
        name="Data and Analysis Working Group", short_name="DAWG", slug="dawg", kind="subgroup", parent=svrp
    )
    start = dt.date(2024, 4, 1)
    alice_user = make_user(Role.BOARD_MEMBER, username="alice", email="alice@police.example")
    alice = Person.objects.create(full_name="Alice Police", organisation=police, user=alice_user)
    bob = Person.objects.create(full_name="Bob Council", organisation=council, email="bob@council.example")
    chair_user = make_user(Role.SUBGROUP_CHAIR, username="carol", email="carol@council.example")
    carol = Person.objects.create(full_name="Carol Chair", organisation=council, user=chair_user)
    for person, org in ((alice, police), (bob, council)):
        seat = Seat.objects.create(group=svrp, organisation=org, title=f"Representation from {org}")
        Membership.objects.create(person=person, seat=seat, start_date=start)
    # A seat nobody holds: no reminder goes to it.
    Seat.objects.create(group=svrp, organisation=council, title="Second council seat")
    chair = Seat.objects.create(group=dawg, organisation=council, title="Chair of the DAWG")
    Membership.objects.create(person=carol, seat=chair, role=Membership.Role.CHAIR, start_date=start)
    staff = make_user(Role.VRU_STAFF, username="vera", email="vera@vru.example")
    return {
        "svrp": svrp,
        "dawg": dawg,
        "police": police,
        "council": council,
        "alice": alice,
        "bob": bob,
        "carol": carol,
        "staff": staff,
    }


@pytest.fixture
def make_meeting(partnership):
    def _make(day: dt.date, group=None, **kw) -> Meeting:
        return Meeting.objects.create(
            group=group or partnership["svrp"], date=day, start_time=dt.time(10), end_time=dt.time(12), **kw
        )

    return _make


@pytest.fixture
def make_action(partnership):
    counter = iter(range(1, 1000))

    def _make(due: dt.date, owner=None, **kw) -> Action:
        owner = owner or partnership["alice"]
        return Action.objects.create(
            reference=f"SVRP-2025-{next(counter):02d}",
            description="Share the knife-crime hotspot analysis with the partnership.",
            owner=owner,
            organisation=owner.organisation,
            due_date=due,
            **kw,
        )

    return _make


@pytest.fixture
def sources(make_user):
    """The framework, an analyst at each data source, and VRU staff."""
    with time_machine.travel(dt.datetime(2026, 4, 1, 9, tzinfo=LONDON), tick=False):
        load_framework()
    police = factories.organisation(CONSTABULARY, sector=Sector.POLICE)
    icb = factories.organisation(ICB, sector=Sector.HEALTH)
    dana = make_user(Role.DATA_PROVIDER, username="dana", email="dana@police.example")
    factories.person("Dana Analyst", police, user=dana)
    ian = make_user(Role.DATA_PROVIDER, username="ian", email="ian@icb.example")
    factories.person("Ian Analyst", icb, user=ian)
    make_user(Role.BOARD_MEMBER, username="bea", email="bea@council.example")  # never written to here
    make_user(Role.VRU_STAFF, username="vera", email="vera@vru.example")
    return {"police": police, "icb": icb}
