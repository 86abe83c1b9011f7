"""Accounts that follow the register: inviting a person, first sign-in from the link, leavers."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core import mail

from core.models import AccessRemoval
from core.roles import Role
from governance.models import Membership
from governance.services.accounts import leavers_access_remove, person_invite
from governance.tasks import remove_leavers_access
from tests.governance.factories import (
    MembershipFactory,
    PartnershipGroupFactory,
    PersonFactory,
    SubgroupFactory,
)

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://\S+/accounts/invitation/\S+/")


def _roles(user) -> set[str]:
    return set(user.groups.values_list("name", flat=True))


def _link_path(message) -> str:
    found = LINK.search(message.body)
    assert found is not None
    url = found.group(0)
    return url[url.index("/accounts/") :]


@pytest.fixture(autouse=True)
def _on_commit_runs(monkeypatch):
    """The tests' transaction never commits: run what a service leaves for after the commit at once."""
    from django.db import transaction

    monkeypatch.setattr(transaction, "on_commit", lambda func, using=None, robust=False: func())


@pytest.fixture
def member():
    """A board member in the register with no account yet."""
    person = PersonFactory(full_name="Nia Newcomer", email="Nia.Newcomer@example.org")
    MembershipFactory(person=person, group=PartnershipGroupFactory(), start_date=dt.date(2026, 1, 1))
    return person


# --- Inviting ------------------------------------------------------------------------------------


def test_the_invite_page_says_what_will_happen_and_sends_nothing_until_asked(client_for, vru_staff, member):
    response = client_for(vru_staff).get(f"/membership/people/{member.pk}/invite/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "nia.newcomer@example.org" in page
    assert "Board member" in page
    assert "Send the invitation" in page
    assert mail.outbox == []
    member.refresh_from_db()
    assert member.user is None


def test_inviting_creates_a_linked_account_with_the_seats_roles_and_emails_a_link(
    client_for, vru_staff, member
):
    response = client_for(vru_staff).post(f"/membership/people/{member.pk}/invite/")
    assert response.status_code == 302
    member.refresh_from_db()
    user = member.user
    assert user.username == "nia.newcomer@example.org"
    assert _roles(user) == {Role.BOARD_MEMBER.value}
    assert not user.has_usable_password()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["Nia.Newcomer@example.org"]
    assert "nia.newcomer@example.org" in message.body
    assert LINK.search(message.body)


def test_the_link_sets_the_password_and_signs_in(client, vru_staff, member):
    person_invite(acting_user=vru_staff, person=member)
    path = _link_path(mail.outbox[0])
    response = client.get(path)
    assert response.status_code == 302  # the token moves into the session
    form_url = response["Location"]
    assert client.get(form_url).status_code == 200
    response = client.post(
        form_url, {"new_password1": "a long new passphrase 42", "new_password2": "a long new passphrase 42"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/").wsgi_request.user.username == "nia.newcomer@example.org"
    member.user.refresh_from_db()
    assert member.user.check_password("a long new passphrase 42")


def test_a_used_link_is_refused_with_a_clear_page(client, vru_staff, member):
    person_invite(acting_user=vru_staff, person=member)
    path = _link_path(mail.outbox[0])
    form_url = client.get(path)["Location"]
    client.post(
        form_url, {"new_password1": "a long new passphrase 42", "new_password2": "a long new passphrase 42"}
    )
    client.logout()
    response = client.get(path)
    assert response.status_code == 200
    assert "This invitation link does not work" in response.content.decode()


def test_an_expired_link_is_refused_with_a_clear_page(client, vru_staff, member, settings):
    settings.SVRP_INVITATION_DAYS = 7
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False):
        person_invite(acting_user=vru_staff, person=member)
    path = _link_path(mail.outbox[0])
    with time_machine.travel(dt.datetime(2026, 3, 8, 9, 0, tzinfo=dt.UTC), tick=False):
        assert client.get(path).status_code == 302  # six days on: still good
    with time_machine.travel(dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.UTC), tick=False):
        response = client.get(path)
    assert response.status_code == 200
    assert "This invitation link does not work" in response.content.decode()


def test_a_person_without_an_email_address_cannot_be_invited(client_for, vru_staff):
    person = PersonFactory(email="")
    client = client_for(vru_staff)
    assert "has no email address" in client.get(f"/membership/people/{person.pk}/invite/").content.decode()
    client.post(f"/membership/people/{person.pk}/invite/")
    person.refresh_from_db()
    assert person.user is None
    assert mail.outbox == []


def test_a_sub_group_chair_gets_the_chair_role(vru_staff):
    person = PersonFactory()
    MembershipFactory(person=person, group=SubgroupFactory(), role=Membership.Role.CHAIR)
    user = person_invite(acting_user=vru_staff, person=person)
    assert _roles(user) == {Role.SUBGROUP_CHAIR.value}


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (Role.VRU_STAFF, True),
        (Role.ADMINISTRATOR, True),
        (Role.BOARD_MEMBER, False),
        (Role.SUBGROUP_CHAIR, False),
        (Role.DATA_PROVIDER, False),
    ],
)
def test_only_vru_staff_and_administrators_may_invite(client_for, make_user, member, role, allowed):
    client = client_for(make_user(role, username=f"someone-{role.name.lower()}"))
    url = f"/membership/people/{member.pk}/invite/"
    assert client.get(url).status_code == (200 if allowed else 403)
    assert client.post(url).status_code == (302 if allowed else 403)
    member.refresh_from_db()
    assert (member.user is not None) is allowed
    assert len(mail.outbox) == (1 if allowed else 0)


def test_an_anonymous_visitor_is_sent_to_sign_in(client, member):
    response = client.post(f"/membership/people/{member.pk}/invite/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    member.refresh_from_db()
    assert member.user is None


def test_the_organisation_page_offers_the_invite_to_staff_only(client_for, vru_staff, board_member, member):
    url = member.organisation.get_absolute_url()
    invite = f"/membership/people/{member.pk}/invite/"
    assert invite in client_for(vru_staff).get(url).content.decode()
    assert invite not in client_for(board_member).get(url).content.decode()


def test_the_person_admin_invites_through_the_page_that_asks_first(client_for, administrator, member):
    response = client_for(administrator).post(
        "/admin/governance/person/",
        {"action": "invite_to_portal", "_selected_action": [member.pk]},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/membership/people/{member.pk}/invite/"
    assert mail.outbox == []


# --- Leavers -------------------------------------------------------------------------------------


@pytest.fixture
def leaver(vru_staff):
    """A board member whose only tenure ends on Tuesday 30 June 2026, with an account from an invite."""
    person = PersonFactory(full_name="Lee Leaver")
    MembershipFactory(
        person=person,
        group=PartnershipGroupFactory(),
        start_date=dt.date(2024, 1, 1),
        end_date=dt.date(2026, 6, 30),
    )
    with time_machine.travel(dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC), tick=False):
        person_invite(acting_user=vru_staff, person=person)
    mail.outbox.clear()
    person.refresh_from_db()
    return person


def _run(day: dt.date) -> int:
    return remove_leavers_access.apply(kwargs={"today": day.isoformat()}).get()


def test_a_leaver_keeps_their_roles_until_the_end_date(leaver):
    assert _run(dt.date(2026, 6, 29)) == 0
    leaver.user.refresh_from_db()
    assert _roles(leaver.user) == {Role.BOARD_MEMBER.value}
    assert leaver.user.is_active
    assert mail.outbox == []


def test_a_leaver_loses_their_seat_roles_on_the_end_date_and_is_told_once(leaver, vru_staff):
    assert _run(dt.date(2026, 6, 30)) == 1
    leaver.user.refresh_from_db()
    assert _roles(leaver.user) == set()
    assert not leaver.user.is_active
    told = {tuple(m.to): m for m in mail.outbox}
    assert set(told) == {(leaver.user.email,), (vru_staff.email,)}
    assert "access" in told[(leaver.user.email,)].subject
    assert "Lee Leaver" in told[(vru_staff.email,)].subject
    # Once: a second run, the next day, does nothing more.
    assert _run(dt.date(2026, 7, 1)) == 0
    assert len(mail.outbox) == 2
    assert AccessRemoval.objects.get().roles_removed == [Role.BOARD_MEMBER.value]
    # Their history stays.
    assert Membership.objects.filter(person=leaver).count() == 1
    assert get_user_model().objects.filter(pk=leaver.user.pk).exists()


def test_a_leaver_keeps_roles_that_did_not_come_from_a_seat(leaver):
    from django.contrib.auth.models import Group

    leaver.user.groups.add(Group.objects.get_or_create(name=Role.DATA_PROVIDER.value)[0])
    leavers_access_remove(today=dt.date(2026, 6, 30))
    leaver.user.refresh_from_db()
    assert _roles(leaver.user) == {Role.DATA_PROVIDER.value}
    assert leaver.user.is_active


def test_a_mover_keeps_one_account_and_their_roles(leaver):
    MembershipFactory(
        person=leaver, group=SubgroupFactory(), role=Membership.Role.CHAIR, start_date=dt.date(2026, 7, 1)
    )
    assert _run(dt.date(2026, 6, 30)) == 0
    assert _run(dt.date(2026, 7, 1)) == 0
    leaver.user.refresh_from_db()
    assert leaver.user.is_active
    assert Role.BOARD_MEMBER.value in _roles(leaver.user)
    assert mail.outbox == []
    assert get_user_model().objects.filter(person=leaver).count() == 1


def test_a_leaver_who_cannot_sign_in_is_signed_out(client, leaver):
    client.force_login(leaver.user)
    assert client.get("/").status_code == 200
    leavers_access_remove(today=dt.date(2026, 6, 30))
    assert client.get("/").status_code == 302
