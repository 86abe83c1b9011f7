from __future__ import annotations

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import CommandError, call_command

from core.roles import Role, user_roles

pytestmark = pytest.mark.django_db

EXPECTED = {
    "vru.staff": Role.VRU_STAFF,
    "board.member": Role.BOARD_MEMBER,
    "subgroup.chair": Role.SUBGROUP_CHAIR,
    "data.provider": Role.DATA_PROVIDER,
    "admin": Role.ADMINISTRATOR,
}


@pytest.fixture
def var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    return tmp_path


def test_demo_accounts_are_refused_without_debug(settings, var_dir):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("create_demo_accounts")
    assert not get_user_model().objects.exists()


def test_one_demo_account_per_role_with_the_printed_password(settings, var_dir, capsys):
    settings.DEBUG = True
    settings.DEMO_PASSWORD = ""
    call_command("create_demo_accounts")
    printed = capsys.readouterr().out
    password = (var_dir / "demo-credentials.txt").read_text().split("password: ")[1].strip()
    assert password in printed
    for username, role in EXPECTED.items():
        user = authenticate(username=username, password=password)
        assert user is not None, username
        assert user_roles(user) == {role}


def test_running_twice_keeps_the_first_password(settings, var_dir):
    settings.DEBUG = True
    settings.DEMO_PASSWORD = ""
    call_command("create_demo_accounts")
    first = (var_dir / "demo-credentials.txt").read_text()
    call_command("create_demo_accounts")
    assert (var_dir / "demo-credentials.txt").read_text() == first
    password = first.split("password: ")[1].strip()
    assert authenticate(username="vru.staff", password=password) is not None
    assert get_user_model().objects.count() == len(EXPECTED)


def test_demo_password_from_the_environment_is_used(settings, var_dir):
    settings.DEBUG = True
    settings.DEMO_PASSWORD = "a-chosen-demo-password"
    call_command("create_demo_accounts")
    assert authenticate(username="board.member", password="a-chosen-demo-password") is not None
    assert not (var_dir / "demo-credentials.txt").exists()
