from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from governance.models import DutyStatus, Sector
from governance.quarters import FinancialQuarter
from performance.models import Measure
from performance.reference import CONSTABULARY, ICB, load_framework

from . import factories

# A fixed "today" for every performance test: 15 August 2026, in 2026/27 Q2, so the quarter whose
# figures are being collected is 2026/27 Q1 (April to June 2026).
TODAY = dt.datetime(2026, 8, 15, 10, 0, tzinfo=dt.UTC)
COLLECTING = FinancialQuarter(2026, 1)


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def framework(db):
    """The ToR's outcomes, measures, areas, survey aspects and periods (2025/26 and 2026/27)."""
    load_framework()
    return {m.code: m for m in Measure.objects.all()}


@pytest.fixture
def constabulary(framework):
    return factories.organisation(CONSTABULARY, sector=Sector.POLICE)


@pytest.fixture
def icb(framework):
    return factories.organisation(ICB, sector=Sector.HEALTH)


@pytest.fixture
def provider(data_provider, constabulary):
    """data.provider, an analyst at the Constabulary (the source of 1.1.1.b–d)."""
    factories.person("Dana Analyst", constabulary, user=data_provider)
    return data_provider


@pytest.fixture
def icb_provider(make_user, icb):
    from core.roles import Role

    user = make_user(Role.DATA_PROVIDER, username="icb.analyst")
    factories.person("Ian Analyst", icb, user=user)
    return user


@pytest.fixture
def council(db):
    return factories.organisation("Portsmouth City Council", duty=DutyStatus.SPECIFIED)
