"""Numbers in addresses are read by one strict parser: anything but ASCII digits is refused, not a 500."""

from __future__ import annotations

import pytest
from django.urls import reverse

from core.parameters import whole_number


@pytest.mark.parametrize("raw", ["²", "٣", "1_000", " 7", "7 ", "+7", "", "9" * 10, "1e3", "0x10", None, 7])
def test_only_ascii_digits_make_a_whole_number(raw):
    assert whole_number(raw) is None


def test_bounds_are_kept():
    assert whole_number("12") == 12
    assert whole_number("-3") == -3
    assert whole_number("0", minimum=1) is None
    assert whole_number("501", maximum=500) is None


@pytest.mark.django_db
@pytest.mark.parametrize("user_id", ["%C2%B2", "%D9%A3", "1_0", "9" * 30])
def test_the_calendar_feed_refuses_a_crafted_user_id_without_a_server_error(client, user_id):
    response = client.get(f"{reverse('governance:calendar')}?u={user_id}&t=x")
    assert response.status_code < 500
    assert response.status_code in {302, 403, 404}


@pytest.mark.django_db
def test_the_grants_page_refuses_a_year_in_other_digits(client, django_user_model):
    from django.contrib.auth.models import Group

    from core.roles import Role

    user = django_user_model.objects.create_user("vera", password="x")
    user.groups.add(Group.objects.get_or_create(name=Role.VRU_STAFF.value)[0])
    client.force_login(user)
    assert client.get(reverse("performance:grants") + "?year=%D9%A2%D9%A0%D9%A2%D9%A6").status_code == 404
