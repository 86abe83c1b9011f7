"""Every API error is JSON: a message per field for bad input, ``{"detail": ...}`` otherwise."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, RequestDataTooBig):
        # Django refuses a body over DATA_UPLOAD_MAX_MEMORY_SIZE before anything reads it.
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)
        return Response(
            {"detail": _("The request body is too large: send at most %(n)s MB at a time.") % {"n": limit}},
            status=413,
        )
    if isinstance(exc, DjangoValidationError):
        # A service's full_clean() or its own check: the same messages the web form shows, per field.
        exc = exceptions.ValidationError(serializers.as_serializer_error(exc))
    return drf_exception_handler(exc, context)


def not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
    """Any address under /api/ that names no endpoint: JSON, like the rest of the API."""
    return JsonResponse({"detail": _("There is no API endpoint at this address.")}, status=404)


not_found.login_required = False  # type: ignore[attr-defined]
