"""Start-up configuration: bad values stop the portal with one line naming the variable."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_check(**env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "DATABASE_URL"}}
    clean["DJANGO_SETTINGS_MODULE"] = "svrp.settings"
    clean.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_missing_secret_key_in_production_stops_start_up_with_one_line():
    result = run_check(DEBUG="false", ALLOWED_HOSTS="svrp.example.org")
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().count("\n") == 0
    assert "SECRET_KEY" in result.stderr


@pytest.mark.parametrize("url", ["not-a-url", "mysql2://nowhere/db", "postgres://user@host:notaport/db"])
def test_bad_database_url_stops_start_up_with_one_line(url):
    result = run_check(DEBUG="true", DATABASE_URL=url)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().count("\n") == 0
    assert "DATABASE_URL" in result.stderr


def test_bad_boolean_is_refused_naming_the_variable():
    result = run_check(DEBUG="perhaps")
    assert result.returncode != 0
    assert "DEBUG" in result.stderr and "Traceback" not in result.stderr


def test_development_defaults_start_without_any_environment():
    result = run_check(DEBUG="true")
    assert result.returncode == 0, result.stderr


def test_time_zone_and_language_are_british(settings):
    assert settings.TIME_ZONE == "Europe/London"
    assert settings.LANGUAGE_CODE == "en-gb"
