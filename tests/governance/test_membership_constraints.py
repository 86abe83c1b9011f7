"""The register's rules, held by the database on both engines and checked first with clear messages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from governance.models import Membership, Organisation
from governance.services.registers import membership_end, membership_start
from tests.governance.factories import (
    MembershipFactory,
    OrganisationFactory,
    PartnershipGroupFactory,
    PersonFactory,
    SeatFactory,
)

pytestmark = pytest.mark.django_db

D = dt.date


def refused_by_database(**fields):
    """Insert straight into the table, past every form and model check; True if the database refuses."""
    fields.setdefault("seat", SeatFactory(group=fields["group"], organisation=fields["organisation"]))
    try:
        with transaction.atomic():
            Membership.objects.bulk_create([Membership(**fields)])
    except IntegrityError:
        return True
    return False


@pytest.fixture
def svrp():
    return PartnershipGroupFactory(short_name="SVRP")


def test_database_refuses_a_persons_second_membership_of_a_group_at_overlapping_dates(svrp):
    first = MembershipFactory(group=svrp, start_date=D(2025, 4, 1), end_date=None)
    assert refused_by_database(
        person=first.person, group=svrp, organisation=first.organisation, start_date=D(2026, 1, 1)
    )
    assert Membership.objects.count() == 1


def test_database_treats_the_last_day_as_inside_the_membership(svrp):
    first = MembershipFactory(group=svrp, start_date=D(2025, 4, 1), end_date=D(2026, 2, 28))
    fields = {"person": first.person, "group": svrp, "organisation": first.organisation}
    assert refused_by_database(**fields, start_date=D(2026, 2, 28))
    assert not refused_by_database(**fields, start_date=D(2026, 3, 1))


def test_database_allows_the_same_person_in_another_group_at_the_same_time(svrp):
    first = MembershipFactory(group=svrp)
    tvrp = PartnershipGroupFactory(short_name="TVRP", kind="subgroup")
    assert not refused_by_database(
        person=first.person, group=tvrp, organisation=first.organisation, start_date=first.start_date
    )


def test_database_refuses_a_second_chair_of_a_group_at_overlapping_dates(svrp):
    MembershipFactory(group=svrp, role="chair", start_date=D(2025, 4, 1))
    other = PersonFactory()
    assert refused_by_database(
        person=other, group=svrp, organisation=other.organisation, role="chair", start_date=D(2026, 1, 1)
    )
    # Not a chair: fine.
    assert not refused_by_database(
        person=other, group=svrp, organisation=other.organisation, role="member", start_date=D(2026, 1, 1)
    )


def test_database_allows_a_new_chair_once_the_old_chair_has_stepped_down(svrp):
    MembershipFactory(group=svrp, role="chair", start_date=D(2025, 4, 1), end_date=D(2025, 12, 31))
    other = PersonFactory()
    assert not refused_by_database(
        person=other, group=svrp, organisation=other.organisation, role="chair", start_date=D(2026, 1, 1)
    )


def test_database_refuses_an_update_that_makes_two_chairs_overlap(svrp):
    MembershipFactory(group=svrp, role="chair", start_date=D(2025, 4, 1), end_date=D(2025, 12, 31))
    later = MembershipFactory(group=svrp, role="chair", start_date=D(2026, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.filter(pk=later.pk).update(start_date=D(2025, 6, 1))
    later.refresh_from_db()
    assert later.start_date == D(2026, 1, 1)


def test_database_refuses_an_end_date_before_the_start_date(svrp):
    person = PersonFactory()
    assert refused_by_database(
        person=person,
        group=svrp,
        organisation=person.organisation,
        start_date=D(2026, 1, 1),
        end_date=D(2025, 1, 1),
    )


def test_database_refuses_two_organisations_with_one_name():
    OrganisationFactory(name="Gosport Borough Council", slug="gosport-borough-council")
    with pytest.raises(IntegrityError), transaction.atomic():
        Organisation.objects.bulk_create(
            [Organisation(name="Gosport Borough Council", slug="gosport", sector="local_authority")]
        )


def test_starting_an_overlapping_membership_names_the_start_date(svrp, administrator):
    first = MembershipFactory(group=svrp, start_date=D(2025, 4, 1))
    with pytest.raises(ValidationError) as refused:
        membership_start(
            acting_user=administrator,
            person=first.person,
            seat=SeatFactory(group=svrp),
            start_date=D(2026, 1, 1),
        )
    assert "start_date" in refused.value.message_dict
    assert "already a member of SVRP from 1 April 2025" in refused.value.message_dict["start_date"][0]
    assert Membership.objects.count() == 1


def test_appointing_a_second_chair_names_the_role_and_the_sitting_chair(svrp, administrator):
    chair = MembershipFactory(group=svrp, role="chair", person__full_name="Donna Jones")
    with pytest.raises(ValidationError) as refused:
        membership_start(
            acting_user=administrator,
            person=PersonFactory(),
            seat=SeatFactory(group=svrp),
            role="chair",
            start_date=chair.start_date,
        )
    assert "already has a chair, Donna Jones" in refused.value.message_dict["role"][0]


def test_a_race_past_the_check_becomes_the_same_clear_error_and_no_duplicate(
    svrp, administrator, monkeypatch
):
    """Another request saves a chair between our check and our write: the database's refusal is
    turned into a ValidationError naming the field, and nothing is saved twice."""
    MembershipFactory(group=svrp, role="chair")
    # The check ran before the other request committed, so it found nothing.
    monkeypatch.setattr(Membership, "clean", lambda self: None)
    with pytest.raises(ValidationError) as refused:
        membership_start(
            acting_user=administrator,
            person=PersonFactory(),
            seat=SeatFactory(group=svrp),
            role="chair",
            start_date=D(2025, 6, 1),
        )
    assert "one chair at a time" in refused.value.message_dict["role"][0]
    assert Membership.objects.filter(role="chair").count() == 1


def test_ending_a_membership_before_it_started_names_the_end_date(svrp, administrator):
    membership = MembershipFactory(group=svrp, start_date=D(2025, 4, 1))
    with pytest.raises(ValidationError) as refused:
        membership_end(acting_user=administrator, membership=membership, end_date=D(2025, 1, 1))
    assert "end_date" in refused.value.message_dict
    membership.refresh_from_db()
    assert membership.end_date is None


def test_who_represented_portsmouth_on_1_march_is_answered_from_the_history(svrp, administrator):
    portsmouth = OrganisationFactory(name="Portsmouth City Council")
    alice = PersonFactory(full_name="Alice Adams", organisation=portsmouth)
    bob = PersonFactory(full_name="Bob Brown", organisation=portsmouth)
    seat = SeatFactory(group=svrp, organisation=portsmouth, title="Representation from Portsmouth")
    alices = membership_start(acting_user=administrator, person=alice, seat=seat, start_date=D(2024, 4, 1))
    membership_end(acting_user=administrator, membership=alices, end_date=D(2026, 2, 15))
    membership_start(acting_user=administrator, person=bob, seat=seat, start_date=D(2026, 2, 16))

    def represented_on(day):
        return [
            m.person.full_name
            for m in Membership.objects.active_on(day).filter(organisation=portsmouth, group=svrp)
        ]

    assert represented_on(D(2026, 3, 1)) == ["Bob Brown"]
    assert represented_on(D(2025, 3, 1)) == ["Alice Adams"]
    assert represented_on(D(2024, 3, 1)) == []
    # And the change itself is kept, with who made it.
    changes = alices.history.order_by("history_date")
    assert [h.end_date for h in changes] == [None, D(2026, 2, 15)]
    assert changes.last().modified_by_id == administrator.pk
