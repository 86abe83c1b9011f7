"""The performance framework: outcomes, measures, periods and figures; data providers send figures.

Reading follows the dashboards: every role reads the framework and the verified figures; figures
still in the workflow (draft, submitted) are seen only by VRU staff and by the data providers of the
measure's organisation; small counts are hidden from those the board does not trust with them. Writing follows
the submit page: a data provider saves their own organisation's figures through the same service
(``performance.services.figure_save``), as a draft or submitted; verification stays with VRU staff.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from core.parameters import whole_number
from core.roles import Role, has_role, is_vru_staff
from governance.quarters import FinancialQuarter
from performance import derived, permissions, services
from performance.models import Figure, Measure, Outcome, Period
from performance.suppression import suppress

from ..filters import FigureFilter, MeasureFilter, PeriodFilter
from ..serializers.performance import (
    FigureBatchSerializer,
    FigureSerializer,
    FigureWriteSerializer,
    MeasureSerializer,
    OutcomeSerializer,
    PeriodSerializer,
)

SUBMIT_REFUSED = _("Only data providers send figures, and only their own organisation's.")


class OutcomeViewSet(viewsets.ReadOnlyModelViewSet[Outcome]):
    """The framework's outcomes, each with the codes of its current measures."""

    serializer_class = OutcomeSerializer
    lookup_field = "code"
    lookup_value_regex = r"[0-9][0-9.]*"

    def get_queryset(self) -> QuerySet[Outcome]:
        return Outcome.objects.prefetch_related(
            Prefetch("measures", queryset=Measure.objects.current().order_by("order", "code"))
        ).order_by("order", "code")


class MeasureViewSet(viewsets.ReadOnlyModelViewSet[Measure]):
    """The framework's current measures, with the Terms of Reference's own codes and text."""

    serializer_class = MeasureSerializer
    filterset_class = MeasureFilter
    lookup_field = "code"
    lookup_value_regex = r"[0-9][0-9a-z.]*"

    def get_queryset(self) -> QuerySet[Measure]:
        return Measure.objects.current().select_related("outcome", "data_source").order_by("order", "code")


class PeriodViewSet(viewsets.ReadOnlyModelViewSet[Period]):
    """UK financial-year quarters, newest first, with their data deadline and whether locked."""

    serializer_class = PeriodSerializer
    filterset_class = PeriodFilter
    lookup_field = "slug"
    lookup_value_regex = r"[0-9]{4}-[0-9]{2}-q[1-4]"

    def get_queryset(self) -> QuerySet[Period]:
        return Period.objects.order_by("-year", "-quarter")

    def get_object(self) -> Period:
        try:
            quarter = FinancialQuarter.parse(self.kwargs["slug"])
        except ValueError:
            raise Http404 from None
        period = self.get_queryset().filter(year=quarter.year, quarter=quarter.quarter).first()
        if period is None:
            raise Http404
        return period


class DerivedValueSerializer(serializers.Serializer[Any]):
    measure = serializers.CharField(help_text="2.1.1.a or 2.2.1.a.")
    period = serializers.CharField(help_text='The quarter\'s slug, for example "2025-26-q1".')
    value = serializers.DecimalField(max_digits=12, decimal_places=2)
    numerator = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    denominator = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    detail = serializers.CharField(help_text='As the dashboard words it, for example "9 of 14 authorities".')


@extend_schema_view(
    list=extend_schema(
        summary="The measures the portal computes (2.1.1.a, 2.2.1.a), per quarter, newest first",
        responses=DerivedValueSerializer(many=True),
    )
)
class DerivedValueViewSet(viewsets.GenericViewSet[Period]):
    """Derived measures are never sent in: the portal computes 2.1.1.a from the attendance register and
    2.2.1.a from the understanding survey. Paged by quarter; a quarter with nothing to count is left out."""

    filterset_class = PeriodFilter
    serializer_class = DerivedValueSerializer

    def get_queryset(self) -> QuerySet[Period]:
        return Period.objects.order_by("-year", "-quarter")

    def list(self, request: Request) -> Response:
        periods = list(self.paginate_queryset(self.filter_queryset(self.get_queryset())) or [])
        quarters = [period.fq for period in periods]
        codes = list(
            Measure.objects.current()
            .filter(derived=True)
            .order_by("order", "code")
            .values_list("code", flat=True)
        )
        rows = []
        for code in codes:
            values = derived.derived_values(code, quarters)
            for period in periods:
                value = values.get(period.fq)
                if value is not None:
                    rows.append(
                        {
                            "measure": code,
                            "period": period.slug,
                            "value": value.value,
                            "numerator": value.numerator,
                            "denominator": value.denominator,
                            "detail": value.detail,
                        }
                    )
        return self.get_paginated_response(DerivedValueSerializer(rows, many=True).data)


def visible_figures(user: Any) -> QuerySet[Figure]:
    """Verified figures to every role, as the dashboards show them; figures still in the workflow
    (draft, submitted) to VRU staff, who verify them, and to the measure's own data providers."""
    figures = Figure.objects.filter(measure__archived_at__isnull=True).select_related(
        "measure", "period", "area"
    )
    if is_vru_staff(user):
        return figures
    seen = Q(status=Figure.Status.VERIFIED)
    own = permissions.person_organisation_id(user) if has_role(user, Role.DATA_PROVIDER) else None
    if own is not None:
        seen |= Q(measure__data_source_id=own)
    return figures.filter(seen)


def suppressed_ids(figures: Iterable[Figure], visible: QuerySet[Figure]) -> set[int]:
    """The figures to hide from a caller not trusted with small numbers (primary and secondary).

    Suppression looks at the whole set of areas of a measure, quarter and age band, not only the page:
    one more query, whatever the page size.
    """
    groups = {(f.measure_id, f.period_id, f.age_band) for f in figures if f.measure.is_count}
    if not groups:
        return set()
    rows = visible.filter(
        measure_id__in={g[0] for g in groups},
        period_id__in={g[1] for g in groups},
        age_band__in={g[2] for g in groups},
    ).values_list("pk", "measure_id", "period_id", "age_band", "area_id", "area__is_total", "value")
    parts: dict[tuple[int, int, str], dict[int, tuple[int, Decimal]]] = defaultdict(dict)
    totals: dict[tuple[int, int, str], tuple[int, Decimal]] = {}
    for pk, measure_id, period_id, band, area_id, is_total, value in rows:
        key = (measure_id, period_id, band)
        if key not in groups:
            continue
        if is_total:
            totals[key] = (pk, value)
        else:
            parts[key][area_id] = (pk, value)
    hidden: set[int] = set()
    for key in groups:
        components = parts.get(key, {})
        total = totals.get(key)
        result = suppress(
            {area: value for area, (_pk, value) in components.items()},
            total[1] if total else None,
            has_total=total is not None,
        )
        hidden.update(components[area][0] for area, cell in result.components.items() if cell.suppressed)
        if total is not None and result.total is not None and result.total.suppressed:
            hidden.add(total[0])
    return hidden


class FigureViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet[Figure]):
    """Quarterly figures per measure, period, area and age band."""

    serializer_class = FigureSerializer
    filterset_class = FigureFilter

    def get_queryset(self) -> QuerySet[Figure]:
        return visible_figures(self.request.user).order_by(
            "measure__order", "-period__year", "-period__quarter", "area__order", "age_band", "pk"
        )

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "suppressed": getattr(self, "_suppressed", set())}

    def _hide_small_numbers(self, figures: list[Figure]) -> None:
        if not permissions.can_see_small_numbers(self.request.user):
            self._suppressed = suppressed_ids(figures, visible_figures(self.request.user))

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        queryset = self.filter_queryset(self.get_queryset())
        page = list(self.paginate_queryset(queryset) or [])
        self._hide_small_numbers(page)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        figure = self.get_object()
        self._hide_small_numbers([figure])
        return Response(self.get_serializer(figure).data)

    def _require_provider(self) -> None:
        if not has_role(self.request.user, Role.DATA_PROVIDER):
            raise PermissionDenied(SUBMIT_REFUSED)

    @extend_schema(
        request=FigureWriteSerializer,
        responses={
            201: OpenApiResponse(FigureSerializer, description="A new figure was saved."),
            200: OpenApiResponse(FigureSerializer, description="The figure existed: updated, or unchanged."),
        },
        summary="Send one figure (created, or updated where it exists)",
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Idempotent on measure, period, area and age band: sending the same figure twice changes nothing."""
        self._require_provider()
        incoming = FigureWriteSerializer(data=request.data, context=self.get_serializer_context())
        incoming.is_valid(raise_exception=True)
        [(figure, created)] = services.figures_save_batch(
            acting_user=request.user, items=[_arguments(incoming.validated_data)]
        )
        return Response(
            FigureSerializer(figure, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    @extend_schema(
        request=FigureBatchSerializer,
        responses={
            200: inline_serializer(
                "FigureBatchResult",
                {
                    "created": serializers.IntegerField(),
                    "updated": serializers.IntegerField(),
                    "figures": FigureSerializer(many=True),
                },
            )
        },
        summary="Send a whole quarter of figures at once: all saved, or none",
    )
    @action(detail=False, methods=["post"], url_path="bulk")
    def bulk(self, request: Request) -> Response:
        """Every item is checked as a single figure would be; one bad item refuses the whole batch and
        the answer names it (``items[].index`` counts from 0, with its measure, period and area)."""
        self._require_provider()
        incoming = FigureBatchSerializer(data=request.data, context=self.get_serializer_context())
        if not incoming.is_valid():
            return Response(_batch_errors(request.data, incoming.errors), status=status.HTTP_400_BAD_REQUEST)
        items = [_arguments(item) for item in incoming.validated_data["figures"]]
        try:
            saved = services.figures_save_batch(acting_user=request.user, items=items)
        except services.BatchItemError as error:
            refused = {str(error.index): serializers.as_serializer_error(error)}
            return Response(
                _batch_errors(request.data, {"figures": refused}), status=status.HTTP_400_BAD_REQUEST
            )
        created = sum(1 for _figure, new in saved if new)
        return Response(
            {
                "created": created,
                "updated": len(saved) - created,
                "figures": FigureSerializer(
                    [figure for figure, _new in saved], many=True, context=self.get_serializer_context()
                ).data,
            }
        )


def _arguments(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "measure": data["measure"],
        "period": data["period"],
        "area": data["area"],
        "age_band": data["age_band"],
        "value": data["value"],
        "numerator": data.get("numerator"),
        "denominator": data.get("denominator"),
        "reason": data.get("reason", ""),
        "note": data.get("note", ""),
        "submit": data["submit"],
    }


def _named(raw: Any) -> str:
    """A batch item as its sender wrote it: "1.1.1.b 2025/26 Q1 hampshire"."""
    if not isinstance(raw, dict):
        return ""
    return " ".join(str(raw.get(key, "?"))[:40] for key in ("measure", "period", "area")).strip()


def _item_errors(figures: Any) -> list[tuple[int, dict[str, Any]]] | None:
    """The per-item errors of a refused batch, by index (DRF keys them by index, as a dict or list)."""
    if isinstance(figures, dict) and figures and all(whole_number(str(key)) is not None for key in figures):
        return sorted((int(key), value) for key, value in figures.items() if value)
    if isinstance(figures, list) and figures and all(isinstance(e, dict) for e in figures):
        return [(index, value) for index, value in enumerate(figures) if value]
    return None


def _messages(errors: Any) -> str:
    if isinstance(errors, dict):
        return " ".join(
            f"{key}: {_messages(value)}" if key != "non_field_errors" else _messages(value)
            for key, value in errors.items()
        )
    if isinstance(errors, list):
        return " ".join(_messages(value) for value in errors)
    return str(errors)


def _batch_errors(raw: Any, errors: Any) -> dict[str, Any]:
    """Reshape a refused batch: ``detail`` names the first bad item; ``items`` lists each with its errors."""
    figures = errors.get("figures") if isinstance(errors, dict) else None
    raw_items = raw.get("figures") if isinstance(raw, dict) else None
    per_item = _item_errors(figures)
    if not per_item:
        return {"detail": _("Nothing was saved: %(messages)s") % {"messages": _messages(errors)}, **errors}
    items = []
    for index, item_errors in per_item:
        name = _named(raw_items[index]) if isinstance(raw_items, list) and index < len(raw_items) else ""
        items.append({"index": index, "figure": name, "errors": item_errors})
    first = items[0]
    detail = _("Nothing was saved: item %(index)s (%(figure)s) was refused. %(messages)s") % {
        "index": first["index"],
        "figure": first["figure"] or "?",
        "messages": _messages(first["errors"]),
    }
    return {"detail": detail, "items": items}
