from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from duty import services
from governance.models import Decision
from tests.duty.factories import AreaFactory, AuthorityFactory
from tests.governance.factories import MeetingFactory, PersonFactory
from tests.governance.uploads import pdf


@pytest.fixture
def decision(db) -> Decision:
    meeting: Any = MeetingFactory(date=dt.date(2026, 3, 10))
    return Decision.objects.create(meeting=meeting, reference="SVRP-2026-D01", text="Approve the strategy.")


@pytest.fixture
def approved_strategy(decision):
    draft = services.document_add(
        acting_user=None, kind="response_strategy", summary="Our priorities.", file=pdf("strategy.pdf")
    )
    return services.document_approve(acting_user=None, document=draft, decision=decision)


@pytest.fixture
def areas(db):
    return [AreaFactory(name=name) for name in ("Portsmouth City Council", "Southampton City Council")]


@pytest.fixture
def police(db):
    return AuthorityFactory(name="Hampshire and Isle of Wight Constabulary", short_name="Police")


@pytest.fixture
def owner(db):
    return PersonFactory(full_name="Alex Owner")
