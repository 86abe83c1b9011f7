from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]

EXPECTED_CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def csp_directives(header: str) -> dict[str, str]:
    parts = [part.strip().split(" ", 1) for part in header.split(";") if part.strip()]
    return {part[0]: part[1] for part in parts}


@pytest.mark.parametrize("signed_in", [False, True])
def test_every_page_carries_the_security_headers(client_for, client, board_member, signed_in):
    browser = client_for(board_member) if signed_in else client
    response = browser.get("/" if signed_in else "/accounts/login/")
    assert response.status_code == 200
    directives = csp_directives(response["Content-Security-Policy"])
    for name, value in EXPECTED_CSP.items():
        assert directives[name] == value, name
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in response["Permissions-Policy"]


def test_the_layout_needs_nothing_the_policy_forbids(client):
    html = client.get("/accounts/login/").text
    assert "<script>" not in html and "<style" not in html and " style=" not in html
    assert 'src="http' not in html and 'href="http' not in html.split("<body")[0]


def test_over_https_the_browser_is_told_to_stay_on_https_and_cookies_are_secure(
    client, board_member, settings
):
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    response = client.post(
        "/accounts/login/",
        {"username": "board.member", "password": "correct-horse-battery-staple"},
        secure=True,
    )
    assert response.status_code == 302
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    session = response.cookies[settings.SESSION_COOKIE_NAME]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"
    assert response.cookies[settings.CSRF_COOKIE_NAME]["secure"]


def test_plain_http_is_redirected_to_https_in_production(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/accessibility/")
    assert response.status_code == 301 and response["Location"].startswith("https://")


def test_deployment_checklist_is_clean_with_production_settings():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SVRP_", "SECURE_", "SESSION_", "CSRF_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="svrp.settings",
        DEBUG="false",
        SECRET_KEY="a-long-random-production-secret-key-" + "k3Qz9" * 10,
        ALLOWED_HOSTS="svrp.example.org",
        CSRF_TRUSTED_ORIGINS="https://svrp.example.org",
    )
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set for the browser tests; never in production
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
