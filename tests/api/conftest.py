from __future__ import annotations

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from api.services import api_token_create


@pytest.fixture(autouse=True)
def _fresh_throttle(settings):
    """Each test starts with empty throttle counters and a rate no ordinary test reaches."""
    settings.SVRP_API_THROTTLE_RATE = "10000/minute"
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api_key():
    """api_key(user, name=...) -> a new token's key for that user."""

    def _key(user, name: str = "Test token") -> str:
        return api_token_create(acting_user=user, name=name)[1]

    return _key


@pytest.fixture
def api_for(api_key):
    """api_for(user) -> an API client sending a fresh token of that user (None: no token at all)."""

    def _client(user=None) -> APIClient:
        client = APIClient()
        if user is not None:
            client.credentials(HTTP_AUTHORIZATION=f"Bearer {api_key(user)}")
        return client

    return _client


# The performance tests' builders of the framework, the Constabulary and its analysts, for the API's
# performance tests (tests/api/test_performance.py).
from tests.performance.conftest import (  # noqa: E402, F401
    constabulary,
    framework,
    icb,
    icb_provider,
    provider,
)
