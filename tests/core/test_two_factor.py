from __future__ import annotations

import base64
import datetime as dt
import re

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.models import SignInEvent
from core.roles import Role
from tests.core.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def code_for(key_hex: str, drift: int = 0) -> str:
    return f"{totp(bytes.fromhex(key_hex), drift=drift):06d}"


def sign_in(client, username: str):
    return client.post("/accounts/login/", {"username": username, "password": TEST_PASSWORD})


def set_up_two_factor(client) -> tuple[str, list[str]]:
    """Through the setup page as a person would: read the key, enter the app's code."""
    assert client.get("/accounts/two-factor/setup/").status_code == 200
    key = client.session["svrp_2fa_setup_key"]
    response = client.post("/accounts/two-factor/setup/", {"code": code_for(key)})
    assert response.status_code == 200
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", response.text)
    return key, codes


@pytest.fixture
def required(settings):
    settings.SVRP_REQUIRE_2FA = True


@pytest.mark.parametrize(
    ("role", "must_set_up"),
    [
        (Role.VRU_STAFF, True),
        (Role.ADMINISTRATOR, True),
        (Role.BOARD_MEMBER, False),
        (Role.SUBGROUP_CHAIR, False),
        (Role.DATA_PROVIDER, False),
    ],
)
def test_only_staff_and_administrators_must_set_up_two_factor(client, make_user, required, role, must_set_up):
    make_user(role, username="someone")
    sign_in(client, "someone")
    response = client.get("/")
    if must_set_up:
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/two-factor/setup/")
    else:
        assert response.status_code == 200


def test_an_account_with_admin_access_must_set_up_two_factor_whatever_its_groups(client, make_user, required):
    make_user(username="root", is_staff=True, is_superuser=True)
    sign_in(client, "root")
    assert client.get("/admin/")["Location"].startswith("/accounts/two-factor/setup/")


def test_with_the_setting_off_staff_sign_in_with_a_password_only(client, vru_staff):
    sign_in(client, "vru.staff")
    assert client.get("/").status_code == 200


def test_setup_shows_a_qr_code_as_inline_svg_and_the_key_without_any_script(client, vru_staff, required):
    sign_in(client, "vru.staff")
    response = client.get("/accounts/two-factor/setup/")
    assert response.status_code == 200
    assert '<svg role="img" aria-label="QR code for your authenticator app"' in response.text
    assert "<script>" not in response.text
    secret = base64.b32encode(bytes.fromhex(client.session["svrp_2fa_setup_key"])).decode()
    assert secret[:4] in response.text
    assert "no-store" in response["Cache-Control"]


def test_setting_up_with_the_apps_code_turns_it_on_and_shows_ten_backup_codes_once(
    client, vru_staff, required
):
    sign_in(client, "vru.staff")
    key, codes = set_up_two_factor(client)
    assert len(codes) == 10
    assert TOTPDevice.objects.get(user=vru_staff).confirmed
    assert client.get("/").status_code == 200  # this session is verified
    manage = client.get("/accounts/two-factor/manage/")
    assert "Backup codes left" in manage.text
    assert not any(code in manage.text for code in codes)


def test_a_wrong_code_at_setup_is_refused_with_an_error_and_nothing_is_saved(client, vru_staff, required):
    sign_in(client, "vru.staff")
    client.get("/accounts/two-factor/setup/")
    response = client.post("/accounts/two-factor/setup/", {"code": "000000x"})
    assert "govuk-error-summary" in response.text
    assert "The security code is not right" in response.text
    assert not TOTPDevice.objects.filter(user=vru_staff).exists()


def test_next_time_the_user_signs_in_they_must_enter_a_code_from_the_app(client, vru_staff, required):
    sign_in(client, "vru.staff")
    key, _ = set_up_two_factor(client)
    client.post("/accounts/logout/")

    sign_in(client, "vru.staff")
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/two-factor/?next=%2F"
    # The next 30-second code (the device accepts one step of clock drift).
    response = client.post("/accounts/two-factor/", {"code": code_for(key, drift=1), "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").status_code == 200


def test_a_code_cannot_be_used_twice(client, vru_staff, required):
    sign_in(client, "vru.staff")
    key, _ = set_up_two_factor(client)
    client.post("/accounts/logout/")
    sign_in(client, "vru.staff")
    code = code_for(key)  # the one used at setup
    response = client.post("/accounts/two-factor/", {"code": code})
    assert response.status_code == 200
    assert "The security code is not right" in response.text


def test_a_wrong_code_is_refused_and_recorded_as_a_two_factor_failure(client, board_member):
    # Offered to everyone: a board member who chose two-factor must use it too.
    sign_in(client, "board.member")
    set_up_two_factor(client)
    client.post("/accounts/logout/")
    sign_in(client, "board.member")
    response = client.post("/accounts/two-factor/", {"code": "123456"})
    assert response.status_code == 200
    assert "govuk-error-summary" in response.text
    assert client.get("/").status_code == 302
    assert SignInEvent.objects.filter(user=board_member, outcome="2fa-failure").count() == 1


def test_a_backup_code_signs_in_once(client, vru_staff, required):
    sign_in(client, "vru.staff")
    _, codes = set_up_two_factor(client)
    client.post("/accounts/logout/")

    sign_in(client, "vru.staff")
    assert client.post("/accounts/two-factor/", {"code": codes[0].upper()})["Location"] == "/"
    client.post("/accounts/logout/")

    sign_in(client, "vru.staff")
    response = client.post("/accounts/two-factor/", {"code": codes[0]})
    assert response.status_code == 200 and "govuk-error-summary" in response.text
    assert StaticToken.objects.filter(device__user=vru_staff).count() == 9


@pytest.mark.parametrize(
    ("path", "open_to_unverified"),
    [
        ("/", False),
        ("/admin/", False),
        ("/accounts/two-factor/manage/", False),
        ("/accounts/two-factor/", True),
        ("/accessibility/", True),
        ("/healthz", True),
    ],
)
def test_until_the_code_is_entered_only_two_factor_and_public_pages_open(
    client, vru_staff, required, path, open_to_unverified
):
    sign_in(client, "vru.staff")
    set_up_two_factor(client)
    client.post("/accounts/logout/")
    sign_in(client, "vru.staff")
    response = client.get(path)
    if open_to_unverified:
        assert response.status_code == 200
    else:
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/two-factor/?next=")


def test_a_user_with_a_device_cannot_add_another_before_entering_a_code(client, vru_staff, required):
    sign_in(client, "vru.staff")
    set_up_two_factor(client)
    client.post("/accounts/logout/")
    sign_in(client, "vru.staff")
    assert client.get("/accounts/two-factor/setup/")["Location"] == "/accounts/two-factor/"


def test_new_backup_codes_replace_the_old_ones(client, board_member):
    sign_in(client, "board.member")
    _, old = set_up_two_factor(client)
    response = client.post("/accounts/two-factor/backup-codes/")
    new = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", response.text)
    assert len(new) == 10 and not set(new) & set(old)
    assert set(StaticToken.objects.filter(device__user=board_member).values_list("token", flat=True)) == set(
        new
    )


def test_staff_cannot_turn_two_factor_off_when_it_is_required(client, vru_staff, required):
    sign_in(client, "vru.staff")
    set_up_two_factor(client)
    response = client.post("/accounts/two-factor/remove/", follow=True)
    assert "cannot be turned off" in response.text
    assert TOTPDevice.objects.filter(user=vru_staff).exists()


def test_a_board_member_can_turn_two_factor_off_after_confirming(client, board_member):
    sign_in(client, "board.member")
    set_up_two_factor(client)
    assert "Are you sure" in client.get("/accounts/two-factor/remove/").text
    response = client.post("/accounts/two-factor/remove/", follow=True)
    assert "Two-factor authentication is turned off" in response.text
    assert not TOTPDevice.objects.filter(user=board_member).exists()
    client.post("/accounts/logout/")
    sign_in(client, "board.member")
    assert client.get("/").status_code == 200


def test_anyone_signed_in_is_offered_two_factor(client_for, data_provider):
    response = client_for(data_provider).get("/accounts/two-factor/manage/")
    assert response.status_code == 200
    assert 'href="/accounts/two-factor/setup/"' in response.text


def test_after_a_wrong_code_the_user_is_asked_to_wait_a_moment(client, vru_staff, required, time_machine):
    start = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    time_machine.move_to(start, tick=False)
    sign_in(client, "vru.staff")
    key, _ = set_up_two_factor(client)
    client.post("/accounts/logout/")
    time_machine.move_to(start + dt.timedelta(seconds=60), tick=False)
    sign_in(client, "vru.staff")

    client.post("/accounts/two-factor/", {"code": "000000"})
    response = client.post("/accounts/two-factor/", {"code": code_for(key)})
    assert "Wait a few seconds" in response.text

    time_machine.move_to(start + dt.timedelta(seconds=62), tick=False)
    assert client.post("/accounts/two-factor/", {"code": code_for(key)})["Location"] == "/"


@pytest.mark.parametrize("code", ["²²²²²²", "٣٣٣٣٣٣", "１２３４５６"])
def test_a_code_in_other_digits_is_refused_not_a_server_error(client, vru_staff, required, code):
    """Python's isdigit() accepts "²" and int() does not: such a code was a server error."""
    sign_in(client, "vru.staff")
    client.get("/accounts/two-factor/setup/")
    assert "The security code is not right" in client.post("/accounts/two-factor/setup/", {"code": code}).text
    set_up_two_factor(client)
    client.post("/accounts/logout/")
    sign_in(client, "vru.staff")
    response = client.post("/accounts/two-factor/", {"code": code})
    assert response.status_code == 200 and "The security code is not right" in response.text
