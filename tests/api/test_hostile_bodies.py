"""Every answer under /api/ is JSON, whatever was sent: never an HTML page, never a server error.

Seen: ``POST /api/figures/bulk/`` with 100,000 nested ``[`` gave an HTML 500 (RecursionError in the JSON
parser); a 6 MB body gave Django's HTML "Bad Request (400)".
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

BULK = "/api/figures/bulk/"


def _json(response) -> dict:
    assert response["Content-Type"].startswith("application/json"), response.content[:200]
    return response.json()


@pytest.mark.parametrize("depth", [100_000, 40])
def test_a_body_nested_too_deep_is_a_json_400_naming_the_limit(depth, provider, api_for):
    response = api_for(provider).generic(
        "POST", BULK, "[" * depth + "]" * depth, content_type="application/json"
    )
    assert response.status_code == 400
    assert "nested more than 32 levels deep" in _json(response)["detail"]


def test_a_body_nested_a_little_is_read_as_usual(provider, api_for):
    response = api_for(provider).generic(
        "POST", BULK, '{"figures": [[[1]]]}', content_type="application/json"
    )
    assert response.status_code == 400
    assert "nested" not in str(_json(response))


def test_a_body_over_the_size_limit_is_a_json_413(provider, api_for, settings):
    body = "[" + "1," * 3_000_000 + "1]"
    assert len(body) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    response = api_for(provider).generic("POST", BULK, body, content_type="application/json")
    assert response.status_code == 413
    assert "at most 5 MB" in _json(response)["detail"]


def test_a_body_that_is_not_json_is_a_json_400(provider, api_for):
    response = api_for(provider).generic("POST", BULK, "{'figures':", content_type="application/json")
    assert response.status_code == 400
    assert "JSON" in _json(response)["detail"]


def test_a_huge_form_body_outside_the_api_gets_a_page_saying_what_to_do(client_for, vru_staff):
    response = client_for(vru_staff).post("/meetings/new/", {"title": "x" * (6 * 1024 * 1024)})
    assert response.status_code == 413
    assert "too large" in response.text and "Nothing was saved" in response.text
