"""The performance framework as the API shows it, and the figures a data provider sends.

A figure sent through the API meets the same checks as the web form and the spreadsheet import: the
measure is one of the caller's organisation's (never a derived one), the quarter exists and is not
locked, an under-25 figure only for measures reported that way, a count is a whole number, and the
denominator is more than 0. The service then saves it as the web form does.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.filters import QUARTER_PATTERN
from governance.quarters import FinancialQuarter
from performance import permissions
from performance.models import AgeBand, Area, Figure, Measure, Outcome, Period


class OutcomeSerializer(serializers.ModelSerializer[Outcome]):
    measures = serializers.SerializerMethodField()

    class Meta:
        model = Outcome
        fields = ["code", "text", "measures"]

    @extend_schema_field({"type": "array", "items": {"type": "string"}, "example": ["1.1.1.a"]})
    def get_measures(self, outcome: Outcome) -> list[str]:
        # Prefetched: the current measures only.
        return [measure.code for measure in outcome.measures.all()]


class MeasureSerializer(serializers.ModelSerializer[Measure]):
    outcome = serializers.SlugRelatedField(slug_field="code", read_only=True)
    data_source = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    age_bands = serializers.ListField(child=serializers.ChoiceField(choices=AgeBand.choices), read_only=True)

    class Meta:
        model = Measure
        fields = [
            "code",
            "short_title",
            "text",
            "outcome",
            "data_source",
            "home_office",
            "unit",
            "direction",
            "reports_under_25",
            "age_bands",
            "baseline",
            "baseline_note",
            "target",
            "definition",
            "derived",
        ]


class PeriodSerializer(serializers.ModelSerializer[Period]):
    slug = serializers.CharField(read_only=True)
    label = serializers.CharField(read_only=True)
    start = serializers.SerializerMethodField()
    end = serializers.SerializerMethodField()
    is_locked = serializers.BooleanField(read_only=True)

    class Meta:
        model = Period
        fields = ["slug", "label", "start", "end", "deadline", "is_locked"]

    @extend_schema_field(serializers.DateField())
    def get_start(self, period: Period) -> str:
        return period.fq.start.isoformat()

    @extend_schema_field(serializers.DateField())
    def get_end(self, period: Period) -> str:
        return period.fq.end.isoformat()


class FigureSerializer(serializers.ModelSerializer[Figure]):
    """A figure. For callers not trusted with small numbers a count from 1 to 7 (and any value that
    would let one be worked out) comes as ``null`` with ``suppressed: true``, as on the dashboards."""

    measure = serializers.SlugRelatedField(slug_field="code", read_only=True)
    period = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    area = serializers.SlugRelatedField(slug_field="code", read_only=True)
    value = serializers.SerializerMethodField()
    suppressed = serializers.SerializerMethodField()

    class Meta:
        model = Figure
        fields = [
            "id",
            "measure",
            "period",
            "area",
            "age_band",
            "value",
            "suppressed",
            "numerator",
            "denominator",
            "note",
            "status",
            "submitted_at",
            "verified_at",
        ]

    def _suppressed(self, figure: Figure) -> bool:
        return figure.pk in self.context.get("suppressed", ())

    @extend_schema_field(serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True))
    def get_value(self, figure: Figure) -> str | None:
        return None if self._suppressed(figure) else f"{figure.value:.2f}"

    def get_suppressed(self, figure: Figure) -> bool:
        return self._suppressed(figure)

    def to_representation(self, instance: Figure) -> dict[str, Any]:
        data = super().to_representation(instance)
        if self._suppressed(instance):
            data["numerator"] = data["denominator"] = None
        return data


@extend_schema_field(
    {
        "type": "string",
        "example": "2025/26 Q1",
        "description": 'A reporting quarter, as "2025/26 Q1" or "2025-26-q1" (see /api/periods/).',
    }
)
class PeriodField(serializers.Field):
    """A reporting period named by its label or its slug, exactly (the schema lists those that exist)."""

    default_error_messages = {
        "invalid": _("“%(value)s” is not a quarter like 2025/26 Q1."),
        "unknown": _("%(value)s is not a reporting period yet."),
    }

    def to_internal_value(self, data: Any) -> Period:
        if not isinstance(data, str) or not re.fullmatch(QUARTER_PATTERN, data):
            raise serializers.ValidationError(self.error_messages["invalid"] % {"value": str(data)[:40]})
        try:
            quarter = FinancialQuarter.parse(data)
        except ValueError:
            raise serializers.ValidationError(self.error_messages["invalid"] % {"value": data}) from None
        period = Period.objects.filter(year=quarter.year, quarter=quarter.quarter).first()
        if period is None:
            raise serializers.ValidationError(self.error_messages["unknown"] % {"value": quarter.label})
        return period

    def to_representation(self, value: Period) -> str:
        return value.slug


DECIMAL_TEXT = re.compile(r"[0-9]{1,12}(\.[0-9]{1,2})?")


class StrictDecimalField(serializers.DecimalField):
    """A number, or a string of digits with at most two decimals ("12", "12.5"): no spaces, signs,
    exponents or booleans, so what the schema says is exactly what is accepted."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, bool) or (isinstance(data, str) and not DECIMAL_TEXT.fullmatch(data)):
            self.fail("invalid")
        if not isinstance(data, str | int | float):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictBooleanField(serializers.BooleanField):
    """JSON true or false only (DRF also takes "yes", 1 and the like)."""

    def to_internal_value(self, data: Any) -> bool:
        if not isinstance(data, bool):
            self.fail("invalid", input=str(data)[:40])
        return data


class CodeField(serializers.SlugRelatedField):
    """A measure or area named by its code, with a message that says which code was not found."""

    default_error_messages = {
        **serializers.SlugRelatedField.default_error_messages,
        "does_not_exist": _("“{value}” is not a known code."),
    }


class FigureWriteSerializer(serializers.Serializer[Figure]):
    """One figure to save: created, or updated where one exists for the measure, period, area and age."""

    measure = CodeField(
        slug_field="code", queryset=Measure.objects.current(), help_text="A code like 1.1.1.b."
    )
    period = PeriodField()
    area = CodeField(
        slug_field="code",
        queryset=Area.objects.all(),
        help_text="hampshire, isle-of-wight, portsmouth, southampton or hips (as /api/figures/ shows).",
    )
    age_band = serializers.ChoiceField(choices=AgeBand.choices, default=AgeBand.ALL)
    value = StrictDecimalField(max_digits=12, decimal_places=2, min_value=0)
    numerator = StrictDecimalField(
        max_digits=12, decimal_places=2, min_value=0, required=False, allow_null=True, default=None
    )
    denominator = StrictDecimalField(
        max_digits=14, decimal_places=2, min_value=0, required=False, allow_null=True, default=None
    )
    note = serializers.CharField(
        max_length=500, required=False, allow_blank=True, default="", trim_whitespace=False
    )
    reason = serializers.CharField(
        max_length=2000,
        required=False,
        allow_blank=True,
        default="",
        help_text="Required when changing a figure already verified: why it changes.",
    )
    submit = StrictBooleanField(
        default=True,
        help_text="Submit for verification (the default), or keep as a draft to submit later.",
    )

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        user = self.context["request"].user
        measure: Measure = data["measure"]
        period: Period = data["period"]
        errors: dict[str, str] = {}
        # The figure's rules are the model's; the API answers with the same words as the form.
        try:
            Figure(
                measure=measure,
                period=period,
                area=data["area"],
                age_band=data["age_band"],
                value=data["value"],
                numerator=data.get("numerator"),
                denominator=data.get("denominator"),
                note=data.get("note", ""),
            ).clean()
        except DjangoValidationError as error:
            errors.update({name: messages[0] for name, messages in error.message_dict.items()})
        if not measure.derived and not permissions.can_enter_measure(user, measure):
            errors["measure"] = _("%(code)s is not one of your organisation's measures.") % {
                "code": measure.code
            }
        if errors:
            raise serializers.ValidationError(errors)
        return data


class FigureBatchSerializer(serializers.Serializer[Any]):
    """A whole quarter (or any set) of figures: all saved, or none."""

    figures = FigureWriteSerializer(many=True, allow_empty=False, max_length=2000)

    def validate_figures(self, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        seen: dict[tuple[int, int, int, str], int] = {}
        for index, item in enumerate(items):
            key = (item["measure"].pk, item["period"].pk, item["area"].pk, item["age_band"])
            if key in seen:
                raise serializers.ValidationError(
                    _("Item %(index)s (%(what)s) is the same figure as item %(other)s.")
                    % {"index": index, "what": describe(item), "other": seen[key]}
                )
            seen[key] = index
        return items


def describe(item: dict[str, Any]) -> str:
    """How an error names a figure of a batch: "1.1.1.b 2025/26 Q1 Hampshire (All ages)"."""
    band = dict(AgeBand.choices).get(item.get("age_band", ""), "")
    parts = [
        getattr(item.get("measure"), "code", "?"),
        getattr(item.get("period"), "label", "?"),
        getattr(item.get("area"), "name", "?"),
    ]
    return " ".join(parts) + (f" ({band})" if band else "")
