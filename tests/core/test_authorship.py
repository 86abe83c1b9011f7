"""A service names its author on the record and in its history, called from a page or not."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser

from core.authorship import author
from crest.models import Recommendation
from crest.services import recommendation_update
from governance.services.meetings import meeting_schedule
from tests.core.factories import UserFactory
from tests.crest.factories import RecommendationFactory
from tests.governance.factories import PartnershipGroupFactory

pytestmark = pytest.mark.django_db


def test_a_governance_service_called_outside_a_request_writes_history_with_its_author():
    staff = UserFactory(username="val")
    meeting = meeting_schedule(acting_user=staff, group=PartnershipGroupFactory(), date=dt.date(2027, 3, 9))
    assert meeting.created_by == meeting.modified_by == staff
    assert meeting.history.get().history_user == staff


def test_crest_and_governance_record_their_author_the_same_way():
    staff = UserFactory(username="val")
    recommendation = recommendation_update(
        acting_user=staff, recommendation=RecommendationFactory(), status=Recommendation.Status.IN_PROGRESS
    )
    assert recommendation.modified_by == staff
    assert recommendation.history.latest().history_user == staff


def test_the_portal_itself_and_an_anonymous_request_are_recorded_as_nobody():
    assert author(None) is None
    assert author(AnonymousUser()) is None
