"""Test settings: the portal's one settings module with test-friendly environment defaults.

Only defaults are set here; DATABASE_URL and CELERY_BROKER_URL from the environment still win,
so the same suite runs on PostgreSQL and Redis when they point there.
"""

from __future__ import annotations

import os

os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "insecure-key-for-tests-only")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("SVRP_STATIC_MANIFEST", "false")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("SESSION_COOKIE_SECURE", "false")
os.environ.setdefault("CSRF_COOKIE_SECURE", "false")
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "true")
os.environ.setdefault("SVRP_REQUIRE_2FA", "false")
os.environ.setdefault("SVRP_LOG_FILE", "")  # no var/svrp.log from test runs (tests/core/test_logging.py)
# django-axes refuses Client.login() (it has no request); lockout tests turn it on with `settings`.
os.environ.setdefault("AXES_ENABLED", "false")
os.environ.setdefault("SVRP_BACKUP_DIR", "/tmp/svrp-test-backups")  # noqa: S108
os.environ.setdefault("MEDIA_ROOT", "/tmp/svrp-test-media")  # noqa: S108

from svrp.settings import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast; tests only
