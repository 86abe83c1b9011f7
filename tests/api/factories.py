"""The API tests' records: the governance factories, with the SVRP's own name and a held meeting."""

from __future__ import annotations

import datetime as dt

import factory

from governance.models import Decision, Meeting, Minutes, PartnershipGroup, Sector
from tests.governance import factories as governance


class OrganisationFactory(governance.OrganisationFactory):
    sector = Sector.POLICE


class PersonFactory(governance.PersonFactory):
    organisation = factory.SubFactory(OrganisationFactory)


class GroupFactory(governance.PartnershipGroupFactory):
    name = "Strategic Violence Reduction Partnership"  # type: ignore[assignment]
    kind = PartnershipGroup.Kind.PARTNERSHIP


class MeetingFactory(governance.MeetingFactory):
    group = factory.SubFactory(GroupFactory)
    date = dt.date(2026, 5, 14)
    location = "Police HQ, Eastleigh"
    online_link = "https://meet.example.org/secret-room"
    status = Meeting.Status.HELD


def publish_minutes(meeting: Meeting, *, decision: str = "Agree the plan.") -> Meeting:
    """Minutes published, with one decision and one authority present."""
    Minutes.objects.create(meeting=meeting, status=Minutes.Status.PUBLISHED, approved_on=meeting.date)
    Decision.objects.create(meeting=meeting, reference=f"D-{meeting.pk}", text=decision)
    return meeting


class ActionFactory(governance.ActionFactory):
    reference = factory.Sequence(lambda n: f"SVRP-2026-{n:02d}")
    description = "Map the youth offer across the four areas."  # type: ignore[assignment]
    owner = factory.SubFactory(PersonFactory)
    due_date = dt.date(2026, 6, 30)
    meeting = None  # type: ignore[assignment]
