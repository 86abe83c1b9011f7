"""Factories for the tracker's tests, with the governance records they need."""

from __future__ import annotations

import datetime as dt

import factory

from crest.models import ProgressEntry, Recommendation, SourceReport
from governance.models import (
    RAG,
    Action,
    DutyStatus,
    Meeting,
    Organisation,
    PartnershipGroup,
    Person,
    Sector,
    TermsOfReference,
)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Authority {n}")
    slug = factory.Sequence(lambda n: f"authority-{n}")
    sector = Sector.LOCAL_AUTHORITY
    duty_status = DutyStatus.SPECIFIED


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    full_name = factory.Faker("name", locale="en_GB")
    email = factory.LazyAttribute(lambda p: f"{p.full_name.split()[0].lower()}@example.org")
    organisation = factory.SubFactory(OrganisationFactory)


class SVRPGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnershipGroup
        django_get_or_create = ("slug",)

    name = "Strategic Violence Reduction Partnership"
    short_name = "SVRP"
    slug = "svrp"
    kind = PartnershipGroup.Kind.PARTNERSHIP
    acts_as_vru_core_group = True


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    group = factory.SubFactory(SVRPGroupFactory)
    title = "SVRP quarterly meeting"
    date = dt.date(2026, 10, 15)
    status = Meeting.Status.HELD


class ApprovedTermsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TermsOfReference

    group = factory.SubFactory(SVRPGroupFactory)
    version = factory.Sequence(lambda n: f"1.{n}")
    status = TermsOfReference.Status.APPROVED
    approved_on = dt.date(2026, 4, 1)


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    reference = factory.Sequence(lambda n: f"SVRP-2026-{n:02d}")
    description = "Write to each specified authority setting out what it contributes to the Duty."
    owner = factory.SubFactory(PersonFactory)
    organisation = factory.SelfAttribute("owner.organisation")
    due_date = dt.date(2026, 12, 31)


class SourceReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SourceReport
        django_get_or_create = ("short_name",)

    short_name = "JRA 2023"
    title = "Joint Readiness Assessment for Hampshire & Isle of Wight"
    published_on = dt.date(2023, 5, 1)


class RecommendationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Recommendation

    report = factory.SubFactory(SourceReportFactory)
    number = factory.Sequence(lambda n: f"9.{n}")
    text = (
        "Set expectations with all Specified Authorities on what they are expected to contribute to the Duty."
    )
    owner_organisation = factory.SubFactory(OrganisationFactory)


class ProgressEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgressEntry

    recommendation = factory.SubFactory(RecommendationFactory)
    date = dt.date(2026, 9, 1)
    text = "Letters drafted."
    rag = RAG.AMBER
