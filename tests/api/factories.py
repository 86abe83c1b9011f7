"""Factories for the API's tests (governance records; the other apps' as they land)."""

from __future__ import annotations

import datetime as dt

import factory

from governance.models import (
    Action,
    Decision,
    Meeting,
    Minutes,
    Organisation,
    PartnershipGroup,
    Person,
    Sector,
)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Authority {n}")
    slug = factory.Sequence(lambda n: f"authority-{n}")
    sector = Sector.POLICE
    duty_status = "specified"


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    full_name = factory.Sequence(lambda n: f"Person {n}")
    organisation = factory.SubFactory(OrganisationFactory)


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnershipGroup
        django_get_or_create = ("slug",)

    name = "Strategic Violence Reduction Partnership"
    short_name = "SVRP"
    slug = "svrp"
    kind = PartnershipGroup.Kind.PARTNERSHIP


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    group = factory.SubFactory(GroupFactory)
    date = dt.date(2026, 5, 14)
    start_time = dt.time(10, 0)
    end_time = dt.time(12, 0)
    location = "Police HQ, Eastleigh"
    online_link = "https://meet.example.org/secret-room"
    status = Meeting.Status.HELD


def publish_minutes(meeting: Meeting, *, decision: str = "Agree the plan.") -> Meeting:
    """Minutes published, with one decision and one authority present."""
    Minutes.objects.create(meeting=meeting, status=Minutes.Status.PUBLISHED, approved_on=meeting.date)
    Decision.objects.create(meeting=meeting, reference=f"D-{meeting.pk}", text=decision)
    return meeting


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    reference = factory.Sequence(lambda n: f"SVRP-2026-{n:02d}")
    description = "Map the youth offer across the four areas."
    owner = factory.SubFactory(PersonFactory)
    organisation = factory.SelfAttribute("owner.organisation")
    due_date = dt.date(2026, 6, 30)
