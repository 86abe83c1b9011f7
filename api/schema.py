"""drf-spectacular additions: the token scheme, and the error answers every operation may give."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension

ERROR_SCHEMA = {
    "type": "object",
    "description": (
        "An error. `detail` says what went wrong; for bad input each field named carries a list of "
        "messages; a refused bulk submission names the item (`items[].index`) and its fields."
    ),
    "properties": {
        "detail": {"type": "string"},
        "non_field_errors": {"type": "array", "items": {"type": "string"}},
    },
    "additionalProperties": True,
}

ERROR_RESPONSES = {
    "400": "The request is not valid: see the message for each field.",
    "401": "No API token, or a token that is not valid or has been revoked.",
    "403": "The caller's role or organisation does not allow this.",
    "404": "Not found, or not visible to the caller.",
    "429": "Too many requests for this token: wait and try again.",
}


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.ApiTokenAuthentication"
    name = "apiToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A token created on the portal's API tokens page (/api/tokens/).",
        }


def add_error_responses(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """Document the JSON error answers on every operation, so clients (and the fuzzer) expect them.

    Also says that an empty filter (``?status=``) is accepted and means "no filter", as django-filter
    and the page size treat it; only ``page`` must be a number when given.
    """
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components.setdefault("Error", ERROR_SCHEMA)
    ref = {"$ref": "#/components/schemas/Error"}
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            for parameter in operation.get("parameters", []):
                if parameter.get("in") == "query" and parameter.get("name") != "page":
                    parameter.setdefault("allowEmptyValue", True)
            responses = operation.setdefault("responses", {})
            for code, description in ERROR_RESPONSES.items():
                responses.setdefault(
                    code, {"description": description, "content": {"application/json": {"schema": ref}}}
                )
    return result


NUMBER_SCHEMA = {
    "anyOf": [
        {"type": "string", "pattern": r"^[0-9]{1,10}(\.[0-9]{1,2})?$", "example": "42"},
        {"type": "number", "minimum": 0, "maximum": 9999999999.99},
    ]
}


def add_live_choices(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """Say in the schema which measures, areas and quarters a figure can name today (from the database),
    the numbers a figure takes, and that a batch holds 1 to 2,000 figures."""
    schemas = result.get("components", {}).get("schemas", {})
    figure = schemas.get("FigureWriteRequest")
    if figure is None:
        return result
    from django.db import DatabaseError

    from performance.models import Area, Measure, Period

    properties = figure["properties"]
    try:
        codes = list(Measure.objects.current().filter(derived=False).values_list("code", flat=True))
        areas = list(Area.objects.values_list("code", flat=True))
        periods = [quarter for period in Period.objects.all() for quarter in (period.label, period.slug)]
    except DatabaseError:  # the schema written out without a database (manage.py spectacular)
        codes, areas, periods = [], [], []
    for name, values in (("measure", codes), ("area", areas), ("period", periods)):
        if values:
            properties[name]["enum"] = values
    properties["period"]["pattern"] = r"^[0-9]{4}[/-][0-9]{2}(-q| Q)[1-4]$"
    for name in ("value", "numerator", "denominator"):
        nullable = properties[name].get("nullable", False)
        properties[name] = {**NUMBER_SCHEMA, **({"nullable": True} if nullable else {})}
    batch = schemas.get("FigureBatchRequest")
    if batch is not None:
        batch["properties"]["figures"].update({"minItems": 1, "maxItems": 2000})
    return result
