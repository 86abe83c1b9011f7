"""Factories for the governance models (registers, meetings, actions). Keep them sorted by model."""

from __future__ import annotations

import datetime as dt

import factory

from governance.models import (
    Action,
    AgendaItem,
    Attendance,
    DutyStatus,
    Meeting,
    Membership,
    Organisation,
    PartnershipGroup,
    Person,
    Seat,
    Sector,
    TheoryOfChangeActivity,
)


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    reference = factory.Sequence(lambda n: f"TEST-2026-{n:03d}")
    description = factory.Sequence(lambda n: f"Action number {n}.")
    owner = factory.SubFactory("tests.governance.factories.PersonFactory")
    organisation = factory.SelfAttribute("owner.organisation")
    due_date = dt.date(2026, 9, 30)
    meeting = factory.SubFactory("tests.governance.factories.MeetingFactory")


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory("tests.governance.factories.MeetingFactory")
    order = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Agenda item {n}")


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    meeting = factory.SubFactory("tests.governance.factories.MeetingFactory")
    person = factory.SubFactory("tests.governance.factories.PersonFactory")
    organisation = factory.SelfAttribute("person.organisation")


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    group = factory.SubFactory("tests.governance.factories.PartnershipGroupFactory")
    date = dt.date(2026, 6, 9)
    start_time = dt.time(10, 0)
    end_time = dt.time(12, 0)
    location = "Winchester"


class SeatFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Seat

    group = factory.SubFactory("tests.governance.factories.PartnershipGroupFactory")
    organisation = factory.SubFactory("tests.governance.factories.OrganisationFactory")
    title = factory.Sequence(lambda n: f"Seat {n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    """A tenure. Without ``seat``, a seat of its own on ``group`` for ``organisation`` (the person's)."""

    class Meta:
        model = Membership

    class Params:
        group = factory.SubFactory("tests.governance.factories.PartnershipGroupFactory")
        organisation = factory.SelfAttribute("person.organisation")

    person = factory.SubFactory("tests.governance.factories.PersonFactory")
    seat = factory.SubFactory(
        SeatFactory,
        group=factory.SelfAttribute("..group"),
        organisation=factory.SelfAttribute("..organisation"),
    )
    role = Membership.Role.MEMBER
    start_date = dt.date(2023, 1, 31)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Authority {n}")
    slug = factory.Sequence(lambda n: f"authority-{n}")
    sector = Sector.LOCAL_AUTHORITY
    duty_status = DutyStatus.SPECIFIED


class PartnershipGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnershipGroup
        django_get_or_create = ("short_name",)

    short_name = "SVRP"
    name = factory.LazyAttribute(lambda g: f"{g.short_name} group")
    slug = factory.LazyAttribute(lambda g: g.short_name.lower())
    kind = PartnershipGroup.Kind.PARTNERSHIP


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    full_name = factory.Faker("name", locale="en_GB")
    job_title = "Head of Community Safety"
    email = factory.Sequence(lambda n: f"person{n}@example.org")
    phone = "023 8000 0000"
    organisation = factory.SubFactory(OrganisationFactory)


class SubgroupFactory(PartnershipGroupFactory):
    short_name = factory.Sequence(lambda n: f"SUB{n}")  # type: ignore[assignment]
    kind = PartnershipGroup.Kind.SUBGROUP
    parent = factory.SubFactory(PartnershipGroupFactory)


class TheoryOfChangeActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TheoryOfChangeActivity
        django_get_or_create = ("code",)

    code = "1.b"
    kind = TheoryOfChangeActivity.Kind.ACTIVITY
    title = factory.LazyAttribute(lambda a: f"Activity {a.code}")
    description = "Set clear expectations of the contribution of all specified authorities."
