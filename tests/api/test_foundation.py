from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from rest_framework.test import APIClient

from api.models import ApiToken, hash_key
from api.services import api_token_create, api_token_revoke

pytestmark = pytest.mark.django_db


def test_anonymous_call_gets_401_json_not_a_redirect_to_sign_in():
    response = APIClient().get("/api/meetings/")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    assert response.json()["detail"]
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_key_that_was_never_issued_is_refused_with_401(db):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer svrp_made-up")
    response = client.get("/api/meetings/")
    assert response.status_code == 401
    assert response.json() == {"detail": "The API token is not valid."}


@pytest.mark.parametrize("keyword", ["Bearer", "Token", "bearer"])
def test_a_valid_token_is_accepted_after_either_keyword(board_member, api_key, keyword):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"{keyword} {api_key(board_member)}")
    assert client.get("/api/meetings/").status_code == 200


def test_a_revoked_token_gets_401(board_member):
    token, key = api_token_create(acting_user=board_member, name="Old")
    api_token_revoke(acting_user=board_member, token=token)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    response = client.get("/api/meetings/")
    assert response.status_code == 401
    assert response.json() == {"detail": "The API token has been revoked."}


def test_the_token_of_a_disabled_account_gets_401(board_member, api_key):
    key = api_key(board_member)
    board_member.is_active = False
    board_member.save()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert client.get("/api/meetings/").status_code == 401


def test_the_secret_is_not_stored_only_its_sha256(board_member):
    token, key = api_token_create(acting_user=board_member, name="Analyst laptop")
    row = ApiToken.objects.filter(pk=token.pk).values().get()
    assert key not in [str(value) for value in row.values()]
    assert row["key_hash"] == hash_key(key)
    assert key.startswith(row["prefix"]) and len(row["prefix"]) < len(key) // 3
    assert not any(key in str(h.__dict__) for h in token.history.all())


def test_last_use_is_recorded_at_most_once_a_minute(board_member):
    token, key = api_token_create(acting_user=board_member, name="Script")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    start = dt.datetime(2026, 5, 1, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        client.get("/api/meetings/")
    token.refresh_from_db()
    assert token.last_used_at == start
    with time_machine.travel(start + dt.timedelta(seconds=30), tick=False):
        client.get("/api/meetings/")
    token.refresh_from_db()
    assert token.last_used_at == start
    with time_machine.travel(start + dt.timedelta(minutes=2), tick=False):
        client.get("/api/meetings/")
    token.refresh_from_db()
    assert token.last_used_at == start + dt.timedelta(minutes=2)


def test_a_signed_in_account_without_a_role_is_refused_with_403(make_user, api_for):
    response = api_for(make_user(username="no.role")).get("/api/actions/")
    assert response.status_code == 403
    assert "no role" in response.json()["detail"]


def test_too_many_requests_get_429_json_per_token(settings, board_member, api_key):
    settings.SVRP_API_THROTTLE_RATE = "3/minute"
    first, second = APIClient(), APIClient()
    first.credentials(HTTP_AUTHORIZATION=f"Bearer {api_key(board_member, 'one')}")
    second.credentials(HTTP_AUTHORIZATION=f"Bearer {api_key(board_member, 'two')}")
    assert [first.get("/api/meetings/").status_code for _ in range(3)] == [200, 200, 200]
    refused = first.get("/api/meetings/")
    assert refused.status_code == 429
    assert refused["Content-Type"] == "application/json"
    assert "throttled" in refused.json()["detail"].lower()
    assert int(refused["Retry-After"]) > 0
    # The counter is the token's: another token of the same user still gets through.
    assert second.get("/api/meetings/").status_code == 200


def test_an_unknown_address_under_api_is_a_json_404(board_member, api_for):
    response = api_for(board_member).get("/api/no-such-thing/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["detail"]


def test_lists_are_paginated_at_fifty_and_at_most_five_hundred(board_member, api_for):
    client = api_for(board_member)
    body = client.get("/api/meetings/").json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert client.get("/api/meetings/?page=9").status_code == 404
    assert client.get("/api/meetings/?page=9").json()["detail"]


def test_the_schema_is_openapi_3_and_names_the_bearer_scheme(board_member, api_for):
    response = api_for(board_member).get("/api/schema/")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert schema["components"]["securitySchemes"]["apiToken"] == {
        "type": "http",
        "scheme": "bearer",
        "description": "A token created on the portal's API tokens page (/api/tokens/).",
    }
    assert "401" in schema["paths"]["/api/meetings/"]["get"]["responses"]


def test_the_schema_needs_a_token_too():
    assert APIClient().get("/api/schema/").status_code == 401


def test_the_documentation_sends_a_signed_out_visitor_to_sign_in(client):
    response = client.get("/api/docs/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_documentation_is_served_from_the_portal_with_no_inline_script(client_for, data_provider):
    client = client_for(data_provider)
    html = client.get("/api/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "<script>" not in html and "<style" not in html and "https://" not in html
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "/api/schema/" in script.content.decode()


def test_session_callers_need_the_csrf_token_for_writes(data_provider):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(data_provider)
    assert client.get("/api/meetings/").status_code == 200
    response = client.post("/api/meetings/", {}, format="json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


def test_a_bad_page_size_or_flag_is_refused_not_ignored(board_member, api_for):
    client = api_for(board_member)
    refused = client.get("/api/actions/?page_size=abc").json()
    assert refused == {"page_size": ["Enter a whole number from 1 to 500."]}
    assert client.get("/api/actions/?overdue=maybe").json() == {"overdue": ["Enter true or false."]}
    assert client.get("/api/actions/?page_size=&overdue=&status=").status_code == 200
