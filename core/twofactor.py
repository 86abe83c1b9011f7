"""Two-factor login (django-otp): who must use it, and what a session has proved.

Whether the signed-in user has a confirmed device is kept in the session at sign-in (and updated when
they set up or remove one), so the middleware adds no query to an ordinary page.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django_otp import user_has_device

from core.roles import Role, has_role

HAS_DEVICE_SESSION_KEY = "svrp_2fa_has_device"
BACKUP_CODE_COUNT = 10


def two_factor_required(user: Any) -> bool:
    """VRU staff, Administrators and anyone who can reach the admin must use two-factor login."""
    if not settings.SVRP_REQUIRE_2FA or not user.is_authenticated:
        return False
    return bool(user.is_staff or user.is_superuser or has_role(user, Role.VRU_STAFF, Role.ADMINISTRATOR))


def session_has_device(request: HttpRequest) -> bool:
    """Whether the signed-in user has a confirmed device, from the session (read once if missing)."""
    flag = request.session.get(HAS_DEVICE_SESSION_KEY)
    if flag is None:
        flag = remember_device_state(request)
    return bool(flag)


def remember_device_state(request: HttpRequest) -> bool:
    flag = bool(user_has_device(request.user, confirmed=True))
    request.session[HAS_DEVICE_SESSION_KEY] = flag
    return flag


def is_verified(request: HttpRequest) -> bool:
    verified = getattr(request.user, "is_verified", None)
    return bool(verified and verified())


def _on_logged_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        request.session[HAS_DEVICE_SESSION_KEY] = bool(user_has_device(user, confirmed=True))


def connect() -> None:
    from django.contrib.auth.signals import user_logged_in

    user_logged_in.connect(_on_logged_in, dispatch_uid="core.twofactor.logged_in")
