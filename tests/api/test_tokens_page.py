from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from api.models import ApiToken, hash_key
from api.services import api_token_create

pytestmark = pytest.mark.django_db


def test_signed_out_visitor_is_sent_to_sign_in(client):
    response = client.get("/api/tokens/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("role_fixture", ["vru_staff", "board_member", "subgroup_chair", "data_provider"])
def test_every_role_reaches_the_page_from_the_footer_of_every_page(request, client_for, role_fixture):
    client = client_for(request.getfixturevalue(role_fixture))
    home = client.get("/").content.decode()
    assert 'href="/api/tokens/"' in home
    assert client.get("/api/tokens/").status_code == 200


def test_creating_a_token_shows_the_key_once_and_keeps_only_its_hash(client_for, data_provider):
    client = client_for(data_provider)
    response = client.post("/api/tokens/", {"name": "Constabulary Q1 upload"})
    assert response.status_code == 201
    key = re.search(r'value="(svrp_[^"]+)"', response.content.decode()).group(1)
    token = ApiToken.objects.get(user=data_provider)
    assert token.name == "Constabulary Q1 upload"
    assert token.key_hash == hash_key(key)
    assert response["Cache-Control"].startswith("max-age=0")
    again = client.get("/api/tokens/").content.decode()
    assert key not in again
    assert token.prefix in again and "Constabulary Q1 upload" in again and "Never" in again


def test_a_token_needs_a_name(client_for, data_provider):
    response = client_for(data_provider).post("/api/tokens/", {"name": "  "})
    assert response.status_code == 200
    assert "Enter a name for the token." in response.content.decode()
    assert "govuk-error-summary" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_the_page_lists_only_the_users_own_tokens(client_for, data_provider, board_member):
    api_token_create(acting_user=board_member, name="Board member's script")
    api_token_create(acting_user=data_provider, name="Mine")
    html = client_for(data_provider).get("/api/tokens/").content.decode()
    assert "Mine" in html and "Board member" not in html


def test_the_owner_revokes_a_token_with_a_post(client_for, data_provider):
    token, _key = api_token_create(acting_user=data_provider, name="Laptop")
    client = client_for(data_provider)
    assert client.get(f"/api/tokens/{token.pk}/revoke/").status_code == 405
    response = client.post(f"/api/tokens/{token.pk}/revoke/", follow=True)
    assert response.redirect_chain[-1][0] == "/api/tokens/"
    assert "is revoked" in response.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_another_users_token_cannot_be_revoked_and_is_not_disclosed(client_for, data_provider, board_member):
    token, _key = api_token_create(acting_user=board_member, name="Not yours")
    response = client_for(data_provider).post(f"/api/tokens/{token.pk}/revoke/")
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_anonymous_revoke_is_sent_to_sign_in(client, board_member):
    token, _key = api_token_create(acting_user=board_member, name="Script")
    response = client.post(f"/api/tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is None


def test_the_page_keeps_its_query_count_as_tokens_grow(client_for, data_provider, django_assert_num_queries):
    client = client_for(data_provider)
    api_token_create(acting_user=data_provider, name="One")
    client.get("/api/tokens/")  # the session and the user's roles settle on the first request
    with CaptureQueriesContext(connection) as one_token:
        client.get("/api/tokens/")
    for n in range(8):
        api_token_create(acting_user=data_provider, name=f"Token {n}")
    with django_assert_num_queries(len(one_token.captured_queries)):
        client.get("/api/tokens/")
