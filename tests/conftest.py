from __future__ import annotations

import os
from typing import Any

import pytest
from django.contrib.auth.models import Group

from core.roles import Role

from .core.factories import UserFactory
from .fragment_spy import spy  # noqa: F401  (a fixture: which cached fragments a request rendered)

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API with live_server


@pytest.fixture(autouse=True)
def _empty_cache() -> Any:
    """Each test starts with an empty cache: fragments cached on a data version (core.fragments)
    must not carry one test's rows into another's whose tables happen to have the same version."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture
def make_user(db):
    """make_user(Role.BOARD_MEMBER, username=...) -> a user holding those roles."""

    def _make(*roles: Role, **kwargs):
        user: Any = UserFactory(**kwargs)
        for role in roles:
            user.groups.add(Group.objects.get_or_create(name=role.value)[0])
        return user

    return _make


@pytest.fixture
def vru_staff(make_user):
    return make_user(Role.VRU_STAFF, username="vru.staff")


@pytest.fixture
def board_member(make_user):
    return make_user(Role.BOARD_MEMBER, username="board.member")


@pytest.fixture
def subgroup_chair(make_user):
    return make_user(Role.SUBGROUP_CHAIR, username="subgroup.chair")


@pytest.fixture
def data_provider(make_user):
    return make_user(Role.DATA_PROVIDER, username="data.provider")


@pytest.fixture
def administrator(make_user):
    """The Administrator role: staff who keep the registers in the admin, not a superuser."""
    return make_user(Role.ADMINISTRATOR, username="admin", is_staff=True)


@pytest.fixture
def superuser(make_user):
    """A superuser (also an Administrator): the admin's technical sections too."""
    return make_user(Role.ADMINISTRATOR, username="root", is_staff=True, is_superuser=True)


@pytest.fixture
def client_for(client):
    """client_for(user) -> a test client signed in as that user."""

    def _client(user):
        client.force_login(user)
        return client

    return _client
