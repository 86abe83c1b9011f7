from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


class PermissionsPolicyMiddleware:
    """Adds the ``Permissions-Policy`` header (settings.PERMISSIONS_POLICY) to every response."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class PrivateCacheMiddleware:
    """``Cache-Control: no-store, private`` on every response to a signed-in user and on every API
    response (ASVS 8.2.1): a shared or browser cache never keeps a private page, export or JSON body.
    Public pages to anonymous visitors keep whatever caching their views chose."""

    VALUE = "no-store, private"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        private = request.path.startswith("/api/") or (user is not None and user.is_authenticated)
        if private and "no-store" not in response.get("Cache-Control", ""):
            # A view that already forbids storing (never_cache: no-store, private, max-age=0) keeps its
            # stricter header; anything else is replaced.
            response["Cache-Control"] = self.VALUE
            response.headers.pop("Expires", None)
        return response
