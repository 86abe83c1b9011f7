"""Membership upkeep in the admin: clear errors for the register's rules, even when racing."""

from __future__ import annotations

import datetime as dt

import pytest

from governance.models import Membership
from tests.governance.factories import MembershipFactory, PartnershipGroupFactory, PersonFactory, SeatFactory

pytestmark = pytest.mark.django_db


def membership_form(person, group, seat=None, **overrides):
    """The admin's tenure form: a person in a seat (a new seat of the group for their authority)."""
    seat = seat or SeatFactory(group=group, organisation=person.organisation)
    data = {
        "person": person.pk,
        "seat": seat.pk,
        "role": "chair",
        "start_date": "01/06/2025",
        "end_date": "",
    }
    return {**data, **overrides}


def test_adding_a_second_chair_in_the_admin_names_the_role(client_for, administrator):
    svrp = PartnershipGroupFactory(short_name="SVRP")
    MembershipFactory(group=svrp, role="chair", person__full_name="Donna Jones")
    response = client_for(administrator).post(
        "/admin/governance/membership/add/", membership_form(PersonFactory(), svrp)
    )
    assert response.status_code == 200
    assert (
        response.context["adminform"]
        .form.errors["role"][0]
        .startswith("SVRP already has a chair, Donna Jones")
    )
    assert Membership.objects.count() == 1


def test_a_race_in_the_admin_becomes_the_same_form_error_not_a_server_error(
    client_for, administrator, monkeypatch
):
    """The other chair is saved after our form was checked: the database refuses ours, the form is
    checked again and shows the error, and nothing is saved twice."""
    svrp = PartnershipGroupFactory(short_name="SVRP")
    MembershipFactory(group=svrp, role="chair")
    real_clean = Membership.clean
    calls = []

    def clean_that_misses_the_first_time(self):
        calls.append(1)
        if len(calls) > 1:
            real_clean(self)

    monkeypatch.setattr(Membership, "clean", clean_that_misses_the_first_time)
    response = client_for(administrator).post(
        "/admin/governance/membership/add/", membership_form(PersonFactory(), svrp)
    )
    assert response.status_code == 200
    assert "already has a chair" in response.context["adminform"].form.errors["role"][0]
    assert Membership.objects.filter(role="chair").count() == 1


def test_two_overlapping_rows_of_one_person_in_one_save_are_refused_on_the_row(client_for, administrator):
    svrp = PartnershipGroupFactory(short_name="SVRP")
    person = PersonFactory()
    prefix = "memberships"
    data = {
        "full_name": person.full_name,
        "job_title": person.job_title,
        "email": person.email,
        "phone": person.phone,
        "organisation": person.organisation.pk,
        f"{prefix}-TOTAL_FORMS": "2",
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for i, start in enumerate(("01/04/2025", "01/05/2025")):
        data.update(
            {
                f"{prefix}-{i}-seat": SeatFactory(group=svrp, organisation=person.organisation).pk,
                f"{prefix}-{i}-role": "member",
                f"{prefix}-{i}-start_date": start,
            }
        )
    response = client_for(administrator).post(f"/admin/governance/person/{person.pk}/change/", data)
    assert response.status_code == 200
    assert "These dates overlap another membership" in response.text
    assert Membership.objects.count() == 0


def test_ending_a_membership_in_the_admin_keeps_it_in_the_history(client_for, administrator):
    membership = MembershipFactory(role="member", start_date=dt.date(2025, 4, 1))
    response = client_for(administrator).post(
        f"/admin/governance/membership/{membership.pk}/change/",
        membership_form(
            membership.person,
            membership.group,
            seat=membership.seat,
            role="member",
            start_date="01/04/2025",
            end_date="31/03/2026",
        ),
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.end_date == dt.date(2026, 3, 31)
    assert membership.modified_by == administrator
    assert membership.history.count() == 2
    assert membership.history.first().history_user == administrator
