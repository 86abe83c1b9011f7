from __future__ import annotations

import datetime as dt

import factory
from django.contrib.auth import get_user_model
from django.utils.text import slugify

TEST_PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()


# --- Registers: organisations, people, groups, memberships --------------------------------


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "governance.Organisation"
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Test Borough Council {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    sector = "local_authority"
    duty_status = "specified"


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "governance.Person"

    full_name = factory.Faker("name", locale="en_GB")
    job_title = "Head of Community Safety"
    email = factory.Sequence(lambda n: f"person{n}@example.org")
    phone = "023 8000 0000"
    organisation = factory.SubFactory(OrganisationFactory)


class PartnershipGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "governance.PartnershipGroup"
        django_get_or_create = ("short_name",)

    short_name = "SVRP"
    name = factory.LazyAttribute(lambda g: f"{g.short_name} group")
    slug = factory.LazyAttribute(lambda g: slugify(g.short_name))
    kind = "partnership"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "governance.Membership"

    person = factory.SubFactory(PersonFactory)
    group = factory.SubFactory(PartnershipGroupFactory)
    organisation = factory.LazyAttribute(lambda m: m.person.organisation)
    role = "member"
    start_date = dt.date(2025, 4, 1)
