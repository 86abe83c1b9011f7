"""Cached pages never depend on the cache: with it unreachable they are rendered as if nothing were
cached (core.fragments.get_or_render)."""

from __future__ import annotations

import pytest

from tests.governance.factories import ActionFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

# A real Redis client pointed at a port nothing listens on: every cache call fails to connect.
UNREACHABLE = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
}


def test_pages_cached_on_the_content_version_still_answer_when_the_cache_is_down(
    settings, client, vru_staff, caplog
):
    OrganisationFactory(name="Unreachable Cache Borough Council")
    client.force_login(vru_staff)
    settings.CACHES = UNREACHABLE  # the settings fixture resets Django's cache handlers
    response = client.get("/membership/")
    assert response.status_code == 200
    assert "Unreachable Cache Borough Council" in response.content.decode()
    assert client.get("/performance/").status_code == 200
    # A page of several fragments read in one round trip (core.fragments.cached_fragments): the
    # meeting's record and its pack.
    action = ActionFactory(description="Seen with the cache down")
    for path in (action.meeting.get_absolute_url(), f"{action.meeting.get_absolute_url()}pack/"):
        response = client.get(path)
        assert response.status_code == 200 and "Seen with the cache down" in response.content.decode(), path
    assert "Cache unavailable" in caplog.text
