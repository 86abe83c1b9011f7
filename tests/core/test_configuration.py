from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def setting_under(name: str, **env: str) -> str:
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith(("SVRP_", "DEBUG", "SECRET_KEY", "AXES_"))
    }
    clean.update(env, DJANGO_SETTINGS_MODULE="svrp.settings")
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            f"import django; django.setup(); from django.conf import settings; print(settings.{name})",
        ],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_two_factor_is_required_by_default_in_production_and_not_for_the_demo():
    production = {"DEBUG": "false", "SECRET_KEY": "x" * 60, "ALLOWED_HOSTS": "svrp.example.org"}
    assert setting_under("SVRP_REQUIRE_2FA", **production) == "True"
    assert setting_under("SVRP_REQUIRE_2FA", DEBUG="true") == "False"
    assert setting_under("SVRP_REQUIRE_2FA", DEBUG="true", SVRP_REQUIRE_2FA="true") == "True"


def test_lockout_settings_come_from_the_environment():
    assert setting_under("AXES_FAILURE_LIMIT", DEBUG="true") == "5"
    assert setting_under("AXES_FAILURE_LIMIT", DEBUG="true", AXES_FAILURE_LIMIT="3") == "3"
    assert setting_under("AXES_COOLOFF_TIME", DEBUG="true", AXES_COOLOFF_MINUTES="45") == "0:45:00"


def test_a_bad_lockout_limit_stops_start_up_with_one_line():
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "AXES_FAILURE_LIMIT"}}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "svrp.settings", "DEBUG": "true", "AXES_FAILURE_LIMIT": "0"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "AXES_FAILURE_LIMIT" in result.stderr and "Traceback" not in result.stderr


def test_the_cache_is_per_process_by_default_and_redis_when_cache_url_says_so():
    assert "LocMemCache" in setting_under("CACHES['default']['BACKEND']", DEBUG="true")
    redis = setting_under("CACHES['default']", DEBUG="true", CACHE_URL="redis://127.0.0.1:6379/3")
    assert "RedisCache" in redis and "127.0.0.1:6379/3" in redis


def test_a_bad_cache_url_stops_start_up_with_one_line():
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "svrp.settings",
            "DEBUG": "true",
            "CACHE_URL": "nosuch://x",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "CACHE_URL" in result.stderr and "Traceback" not in result.stderr
