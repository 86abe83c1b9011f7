"""The sign-in audit log, written from Django's and django-axes' sign-in signals.

One event per attempt: when axes refuses a locked-out account, Django's ``user_login_failed`` also
fires for the same attempt; the request is then flagged ``axes_locked_out`` and only "locked" is kept.
(axes is listed before core in INSTALLED_APPS, so its receiver flags the request before ours runs.)
"""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.http import HttpRequest

from .models import SignInEvent


def _client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    # axes works out the address once per request (and honours its proxy settings); reuse it.
    ip = getattr(request, "axes_ip_address", None) or request.META.get("REMOTE_ADDR")
    return ip or None


def sign_in_event_record(
    *,
    outcome: str,
    request: HttpRequest | None,
    user: Any = None,
    username: str = "",
) -> SignInEvent:
    """Keep one sign-in event. The username is cut to its column; nothing here can fail a sign-in."""
    if user is not None and not username:
        username = user.get_username()
    agent = request.META.get("HTTP_USER_AGENT", "") if request is not None else ""
    return SignInEvent.objects.create(
        user=user if user is not None and user.pk else None,
        username=(username or "")[:150],
        ip_address=_client_ip(request),
        user_agent=agent[:300],
        outcome=outcome,
    )


def _on_logged_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    sign_in_event_record(outcome=SignInEvent.Outcome.SUCCESS, request=request, user=user)


def _on_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    if request is not None and getattr(request, "axes_locked_out", False):
        return  # recorded as "locked" by _on_locked_out
    sign_in_event_record(
        outcome=SignInEvent.Outcome.FAILURE,
        request=request,
        username=str(credentials.get("username", "")),
    )


def _on_locked_out(sender: Any, request: HttpRequest | None, username: str | None, **kwargs: Any) -> None:
    sign_in_event_record(outcome=SignInEvent.Outcome.LOCKED, request=request, username=username or "")


def connect() -> None:
    user_logged_in.connect(_on_logged_in, dispatch_uid="core.audit.logged_in")
    user_login_failed.connect(_on_login_failed, dispatch_uid="core.audit.login_failed")
    user_locked_out.connect(_on_locked_out, dispatch_uid="core.audit.locked_out")
