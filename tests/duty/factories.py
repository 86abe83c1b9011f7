"""Factories for the Duty's records; the governance records come from the governance factories.

A document version is made through ``duty.services.document_add`` (it stores a checked file), so it
has no factory here.
"""

from __future__ import annotations

import datetime as dt

import factory

from duty.models import Concordat, DeliveryPlan, Dissemination, Milestone, Strategy
from governance.models import DutyStatus, Sector
from tests.governance import factories as governance


class StrategyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Strategy

    name = factory.Sequence(lambda n: f"Community Safety Strategy {n}")
    kind = Strategy.Kind.CSP
    owner = "Portsmouth Community Safety Partnership"


class ConcordatFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Concordat

    version = factory.Sequence(lambda n: n + 1)
    issued_on = dt.date(2026, 4, 1)


class AreaFactory(governance.OrganisationFactory):
    """A local authority area: a council of the register."""

    sector = Sector.LOCAL_AUTHORITY
    duty_status = DutyStatus.SPECIFIED


class AuthorityFactory(governance.OrganisationFactory):
    """A specified authority other than a council."""

    name = factory.Sequence(lambda n: f"Specified Authority {n}")
    sector = Sector.POLICE
    duty_status = DutyStatus.SPECIFIED


class DisseminationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Dissemination

    concordat = factory.SubFactory(ConcordatFactory)
    area = factory.SubFactory(AreaFactory)
    authority = factory.SubFactory(AuthorityFactory)
    sent_on = dt.date(2026, 4, 2)
    sent_to = "Serious Violence Duty lead"


class DeliveryPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DeliveryPlan
        django_get_or_create = ("kind", "year")

    kind = DeliveryPlan.Kind.VRU
    year = 2026


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    plan = factory.SubFactory(DeliveryPlanFactory)
    reference = factory.Sequence(lambda n: f"M{n}")
    title = factory.Sequence(lambda n: f"Milestone {n}")
    owner = factory.SubFactory(governance.PersonFactory)
    organisation = factory.SelfAttribute("owner.organisation")
    due_date = dt.date(2026, 9, 30)
