from __future__ import annotations

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from core.models import SignInEvent
from tests.core.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def axes_on(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 5


def attempt(client, username="board.member", password="not-my-password"):  # noqa: S107
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_five_wrong_passwords_lock_the_account_with_a_clear_page(client, board_member, axes_on):
    for _ in range(4):
        response = attempt(client)
        assert response.status_code == 200 and "govuk-error-summary" in response.text
    response = attempt(client)
    assert response.status_code == 429
    assert "Your account is locked" in response.text
    assert "contact the Violence Reduction Unit" in response.text
    assert "30 minutes" in response.text

    # Even the right password is refused while locked.
    response = attempt(client, password=TEST_PASSWORD)
    assert response.status_code == 429
    assert client.get("/").status_code == 302


def test_the_lockout_is_by_username_whatever_the_address(client, board_member, axes_on):
    for n in range(5):
        client.post(
            "/accounts/login/",
            {"username": "board.member", "password": "wrong"},
            REMOTE_ADDR=f"192.0.2.{n}",
        )
    assert attempt(client, password=TEST_PASSWORD).status_code == 429


def test_other_accounts_are_not_locked(client, board_member, vru_staff, axes_on):
    for _ in range(5):
        attempt(client)
    response = attempt(client, username="vru.staff", password=TEST_PASSWORD)
    assert response.status_code == 302


def test_the_lock_lifts_after_the_cool_off_time(client, board_member, axes_on, time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False)
    for _ in range(5):
        attempt(client)
    time_machine.move_to(dt.datetime(2026, 3, 2, 9, 31, tzinfo=dt.UTC), tick=False)
    assert attempt(client, password=TEST_PASSWORD).status_code == 302


def test_an_administrator_unlocks_an_account_by_deleting_its_access_attempt(
    client, django_user_model, board_member, superuser, axes_on
):
    for _ in range(5):
        attempt(client)
    locked = AccessAttempt.objects.get(username="board.member")

    from django.test import Client

    admin_client = Client()
    admin_client.force_login(superuser)
    response = admin_client.post(f"/admin/axes/accessattempt/{locked.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302

    assert attempt(client, password=TEST_PASSWORD).status_code == 302


def test_a_successful_sign_in_clears_earlier_failures(client, board_member, axes_on):
    for _ in range(4):
        attempt(client)
    assert attempt(client, password=TEST_PASSWORD).status_code == 302
    client.post("/accounts/logout/")
    for _ in range(4):
        attempt(client)
    assert attempt(client, password=TEST_PASSWORD).status_code == 302


def test_each_locked_attempt_is_recorded_once_as_locked(client, board_member, axes_on):
    for _ in range(6):
        attempt(client)
    outcomes = list(SignInEvent.objects.order_by("id").values_list("outcome", flat=True))
    assert outcomes == ["failure"] * 4 + ["locked", "locked"]


@pytest.mark.parametrize("password", ["short1!", "password12345", "123456789012", "board.member1"])
def test_weak_passwords_are_refused(board_member, password):
    with pytest.raises(ValidationError):
        validate_password(password, user=board_member)


def test_a_session_ends_after_two_hours_without_activity(client, board_member, settings, time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False)
    client.post("/accounts/login/", {"username": "board.member", "password": TEST_PASSWORD})
    assert settings.SESSION_COOKIE_AGE == 2 * 60 * 60

    # Activity keeps the session alive: each request starts the two hours again.
    for minute in (110, 220, 330):
        time_machine.move_to(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC) + dt.timedelta(minutes=minute))
        assert client.get("/").status_code == 200

    time_machine.move_to(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC) + dt.timedelta(minutes=330 + 121))
    response = client.get("/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
