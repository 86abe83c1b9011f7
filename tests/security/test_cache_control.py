"""No cache keeps a private page: every response to a signed-in user and every API response says
``Cache-Control: no-store, private`` (ASVS 8.2.1). Seen: signed-in HTML pages, API JSON and the action
exports carried no Cache-Control at all."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def never_stored(response) -> bool:  # type: ignore[no-untyped-def]
    """no-store and private (a never_cache view's stricter header counts too)."""
    directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
    return {"no-store", "private"} <= directives


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/actions/",
        "/actions/export.csv",
        "/actions/export.xlsx",
        "/membership/",
        "/membership/export.csv",
    ],
)
@pytest.mark.parametrize(
    "role", ["vru_staff", "board_member", "subgroup_chair", "data_provider", "administrator"]
)
def test_every_response_to_a_signed_in_user_is_never_stored(client_for, request, role, path):
    response = client_for(request.getfixturevalue(role)).get(path)
    assert never_stored(response), (role, path, response.status_code, response.get("Cache-Control"))


def test_a_refusal_to_a_signed_in_user_is_not_stored_either(client_for, data_provider):
    response = client_for(data_provider).get("/admin/")
    assert response.status_code in (302, 403)
    assert never_stored(response)


@pytest.mark.parametrize("path", ["/api/meetings/", "/api/actions/", "/api/nothing-here/"])
def test_every_api_response_is_never_stored_whatever_its_status(client, board_member, path):
    from api.services import api_token_create

    key = api_token_create(acting_user=board_member, name="Cache test")[1]
    response = client.get(path, HTTP_AUTHORIZATION=f"Bearer {key}")
    assert never_stored(response)
    assert never_stored(client.get(path))  # refused without a token, still not stored


def test_public_pages_to_visitors_keep_their_own_caching(client):
    response = client.get("/published/membership/")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def test_a_page_that_never_caches_keeps_its_stricter_header(client_for, data_provider):
    response = client_for(data_provider).get("/api/tokens/")
    assert response["Cache-Control"].startswith("max-age=0") and never_stored(response)
