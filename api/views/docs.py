"""The OpenAPI schema and its browsable documentation (Swagger UI from the sidecar package)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.renderers import JSONOpenAPIRenderer


class SchemaView(SpectacularAPIView):
    """The OpenAPI 3 description, as JSON (`?format=yaml` is not offered: one form, one answer)."""

    renderer_classes = [JSONOpenAPIRenderer]
    throttle_classes: list[Any] = []


class DocsView(SpectacularSwaggerSplitView):
    """Swagger UI whose start-up script is a separate file, so it runs under `script-src 'self'`."""

    template_name = "api/swagger_ui.html"
    url_name = "api:schema"
    throttle_classes: list[Any] = []
