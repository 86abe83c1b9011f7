"""The admin for membership upkeep: Administrators see the registers and keep them through the services;
the technical sections are for superusers."""

from __future__ import annotations

import datetime as dt

import pytest

from governance.models import Membership

from .factories import MembershipFactory, PersonFactory

pytestmark = pytest.mark.django_db

REGISTERS = {
    "governance.organisation",
    "governance.seat",
    "governance.person",
    "governance.membership",
    "governance.partnershipgroup",
    "governance.termsofreference",
    "governance.theoryofchangeactivity",
    # The Duty's registers, added to here (README, Roles): nothing else of the Duty's.
    "duty.deliveryplan",
    "duty.strategy",
}
TECHNICAL = {
    "axes.accessattempt",
    "django_celery_results.taskresult",
    "otp_totp.totpdevice",
    "django_celery_beat.periodictask",
    "django_celery_beat.solarschedule",
    "core.signinevent",
}


def listed_models(response) -> set[str]:
    return {
        f"{app['app_label']}.{model['object_name'].lower()}"
        for app in response.context["app_list"]
        for model in app["models"]
    }


def test_the_admin_index_for_an_administrator_lists_only_the_registers(client_for, administrator):
    response = client_for(administrator).get("/admin/")
    assert response.status_code == 200
    assert listed_models(response) == REGISTERS


def test_a_superuser_still_sees_the_technical_sections(client_for, superuser):
    listed = listed_models(client_for(superuser).get("/admin/"))
    assert listed >= REGISTERS | TECHNICAL


@pytest.mark.parametrize(
    "url",
    [
        "/admin/axes/accessattempt/",
        "/admin/django_celery_results/taskresult/",
        "/admin/otp_totp/totpdevice/",
        "/admin/django_celery_beat/solarschedule/",
        "/admin/core/signinevent/",
    ],
)
def test_a_technical_section_is_refused_to_an_administrator_even_with_model_permissions(
    client_for, administrator, url
):
    from django.contrib.auth.models import Permission

    administrator.user_permissions.set(Permission.objects.all())
    assert client_for(administrator).get(url).status_code == 403


def test_the_cursor_starts_in_the_first_field_of_an_admin_form(client_for, administrator):
    page = client_for(administrator).get("/admin/governance/organisation/add/")
    assert page.context["adminform"].form.fields["name"].widget.attrs.get("autofocus") is True
    assert page.text.count("autofocus") == 1


def test_an_administrator_ends_a_tenure_after_confirming_the_day(client_for, administrator):
    tenure = MembershipFactory(start_date=dt.date(2025, 4, 1))
    client = client_for(administrator)
    selected = {"action": "end_tenures", "_selected_action": [tenure.pk]}
    asked = client.post("/admin/governance/membership/", selected)
    assert asked.status_code == 200
    assert "Yes, end them" in asked.text
    tenure.refresh_from_db()
    assert tenure.end_date is None  # nothing happens before the answer

    answer = {**selected, "apply": "yes", "end_date": "2026-03-31"}
    done = client.post("/admin/governance/membership/", answer)
    assert done.status_code == 302
    tenure.refresh_from_db()
    assert tenure.end_date == dt.date(2026, 3, 31)
    assert tenure.history.latest().history_user == administrator


def test_an_administrator_replaces_a_seats_holder(client_for, administrator):
    tenure = MembershipFactory(start_date=dt.date(2025, 4, 1), role=Membership.Role.MEMBER)
    successor = PersonFactory()
    client = client_for(administrator)
    done = client.post(
        "/admin/governance/membership/",
        {
            "action": "replace_holder",
            "_selected_action": [tenure.pk],
            "apply": "yes",
            "person": successor.pk,
            "start_date": "2026-01-05",
        },
    )
    assert done.status_code == 302
    tenure.refresh_from_db()
    assert tenure.end_date == dt.date(2026, 1, 4)
    new = Membership.objects.get(person=successor)
    assert (new.seat_id, new.role, new.start_date) == (tenure.seat_id, tenure.role, dt.date(2026, 1, 5))


def test_a_replacement_starting_before_the_tenure_is_refused_on_the_form(client_for, administrator):
    tenure = MembershipFactory(start_date=dt.date(2025, 4, 1))
    page = client_for(administrator).post(
        "/admin/governance/membership/",
        {
            "action": "replace_holder",
            "_selected_action": [tenure.pk],
            "apply": "yes",
            "person": PersonFactory().pk,
            "start_date": "2025-03-01",
        },
    )
    assert page.status_code == 200
    assert "The new holder must start after 01/04/2025" in page.text
    assert Membership.objects.count() == 1


@pytest.mark.parametrize("role", ["vru_staff", "board_member"])
def test_other_roles_do_not_reach_the_admin(request, client_for, role):
    response = client_for(request.getfixturevalue(role)).get("/admin/governance/membership/")
    assert response.status_code == 302


def test_an_administrator_adds_a_delivery_plan_in_the_admin_and_cannot_change_it(client_for, administrator):
    from duty.models import DeliveryPlan

    client = client_for(administrator)
    response = client.post("/admin/duty/deliveryplan/add/", {"kind": "vru", "year": "2026"})
    assert response.status_code == 302
    plan = DeliveryPlan.objects.get()
    assert str(plan) == "VRU Delivery Plan 2026/27"
    assert plan.history.get().history_user == administrator  # through the service, with its author
    client.post(f"/admin/duty/deliveryplan/{plan.pk}/change/", {"kind": "svd_grant", "year": "2027"})
    plan.refresh_from_db()
    assert (plan.kind, plan.year) == ("vru", 2026)  # shown, never changed here


def test_archiving_one_seat_says_one_seat(client_for, administrator):
    """Plain words: "1 seat archived.", not "1 seats archived."."""
    seat = MembershipFactory(start_date=dt.date(2025, 4, 1), end_date=dt.date(2025, 12, 31)).seat
    client = client_for(administrator)
    done = client.post(
        "/admin/governance/seat/", {"action": "archive_selected", "_selected_action": [seat.pk]}, follow=True
    )
    assert "1 seat archived." in done.text
