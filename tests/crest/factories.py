"""Factories for the tracker's records; the governance records come from the governance factories."""

from __future__ import annotations

import datetime as dt

import factory

from crest.models import ProgressEntry, Recommendation, SourceReport
from governance.models import (
    RAG,
    Meeting,
    TermsOfReference,
)
from tests.governance import factories as governance

OrganisationFactory = governance.OrganisationFactory
PersonFactory = governance.PersonFactory


class SVRPGroupFactory(governance.PartnershipGroupFactory):
    name = "Strategic Violence Reduction Partnership"  # type: ignore[assignment]
    acts_as_vru_core_group = True


class MeetingFactory(governance.MeetingFactory):
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


class ActionFactory(governance.ActionFactory):
    reference = factory.Sequence(lambda n: f"SVRP-2026-{n:02d}")
    description = "Write to each specified authority setting out what it contributes to the Duty."  # type: ignore[assignment]
    due_date = dt.date(2026, 12, 31)
    meeting = None  # type: ignore[assignment]


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
