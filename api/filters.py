"""Query-string filters of the API's lists (django-filter)."""

from __future__ import annotations

import re

import django_filters as filters
from django import forms
from django.core.validators import ProhibitNullCharactersValidator
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework.exceptions import ValidationError

from crest.models import Recommendation
from governance.models import Action, Meeting, Minutes
from governance.quarters import FinancialQuarter
from performance.models import AgeBand, Figure, Measure, Period

MAX_ID = 2**31 - 1


class IdField(forms.IntegerField):
    def __init__(self, **kwargs: object) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)  # type: ignore[arg-type]


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_ID})
class IntegerFilter(filters.NumberFilter):
    """An id: a whole number from 1 (django-filter's NumberFilter takes decimals, which ids never are,
    and a number too big for the database would reach it)."""

    field_class = IdField


class AnyTextField(forms.CharField):
    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.validators = [v for v in self.validators if not isinstance(v, ProhibitNullCharactersValidator)]


class TextFilter(filters.CharFilter):
    """Exact text (a slug or code). Any text is a fair question: text no record has, a null character
    included, simply matches nothing (PostgreSQL could not even be asked about a null character)."""

    field_class = AnyTextField

    def filter(self, qs: QuerySet, value: str) -> QuerySet:  # type: ignore[override]
        if value and "\x00" in value:
            return qs.none()
        return super().filter(qs, value)


class StrictBooleanField(forms.Field):
    """``true`` or ``false`` (also 1/0, True/False); anything else is refused, not ignored."""

    default_error_messages = {"invalid": _("Enter true or false.")}
    VALUES = {"true": True, "1": True, "false": False, "0": False}

    def to_python(self, value: object) -> bool | None:
        if value in (None, ""):
            return None
        if isinstance(value, bool):
            return value
        try:
            return self.VALUES[str(value).lower()]
        except KeyError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


@extend_schema_field(OpenApiTypes.BOOL)
class BooleanFilter(filters.BooleanFilter):
    field_class = StrictBooleanField


class ChoicesFilter(filters.MultipleChoiceFilter):
    """One or more values (``?status=open&status=in_progress``); an empty value means no filter."""

    def filter(self, qs: QuerySet, value: list[str]) -> QuerySet:  # type: ignore[override]
        return super().filter(qs, [v for v in value if v])

    class field_class(filters.MultipleChoiceFilter.field_class):  # noqa: N801 - django-filter's hook
        def validate(self, value: list[str]) -> None:
            super().validate([v for v in value if v])

        def valid_value(self, value: str) -> bool:
            return value == "" or super().valid_value(value)


class SingleValueFilterSet(filters.FilterSet):
    """A filter that takes one value refuses the same name given twice, rather than keep the last."""

    def is_valid(self) -> bool:
        valid = super().is_valid()
        getlist = getattr(self.data, "getlist", None)
        if getlist is None:
            return valid
        for name, declared in self.filters.items():
            if not isinstance(declared, filters.MultipleChoiceFilter) and len(getlist(name)) > 1:
                self.form.add_error(None if name not in self.form.fields else name, _("Give one value."))
                valid = False
        return valid


class MeetingFilter(SingleValueFilterSet):
    group = TextFilter(field_name="group__slug", help_text="The group's slug, for example `svrp`.")
    date = filters.DateFromToRangeFilter(help_text="`date_after` and `date_before` (inclusive).")
    status = filters.ChoiceFilter(choices=Meeting.Status.choices)
    published = BooleanFilter(method="filter_published", help_text="Minutes published or not.")

    class Meta:
        model = Meeting
        fields = ["group", "date", "status", "published"]

    def filter_published(self, queryset: QuerySet[Meeting], name: str, value: bool) -> QuerySet[Meeting]:
        if value:
            return queryset.filter(minutes__status=Minutes.Status.PUBLISHED)
        return queryset.exclude(minutes__status=Minutes.Status.PUBLISHED)


class ActionFilter(SingleValueFilterSet):
    status = ChoicesFilter(choices=Action.Status.choices)
    organisation = TextFilter(field_name="organisation__slug", help_text="The organisation's slug.")
    due = filters.DateFromToRangeFilter(field_name="due_date", help_text="`due_after` and `due_before`.")
    overdue = BooleanFilter(field_name="overdue_flag", help_text="Open and past its due date, or not.")
    meeting = IntegerFilter(field_name="meeting_id", help_text="The id of the meeting that raised it.")

    class Meta:
        model = Action
        fields = ["status", "organisation", "due", "overdue", "meeting"]


QUARTER_PATTERN = r"^[0-9]{4}[/-][0-9]{2}(-q| Q)[1-4]$"


@extend_schema_field({"type": "string", "pattern": QUARTER_PATTERN, "example": "2025/26 Q1"})
class PeriodValueFilter(filters.CharFilter):
    """A quarter as "2025/26 Q1" or "2025-26-q1"; anything else is refused with a message.

    A well-formed quarter that cannot be (2025/27 Q1) matches no figure, as an unknown code does.
    """

    def filter(self, qs: QuerySet, value: str) -> QuerySet:  # type: ignore[override]
        if not value:
            return qs
        if not re.fullmatch(QUARTER_PATTERN, value):
            raise ValidationError(
                {"period": [_("“%(value)s” is not a quarter like 2025/26 Q1.") % {"value": value[:40]}]}
            )
        try:
            quarter = FinancialQuarter.parse(value)
        except ValueError:
            return qs.none()
        return qs.filter(
            **{f"{self.field_name}__year": quarter.year, f"{self.field_name}__quarter": quarter.quarter}
        )


class MeasureFilter(SingleValueFilterSet):
    outcome = TextFilter(field_name="outcome__code", help_text="The outcome's code, for example `1.1`.")
    data_source = TextFilter(field_name="data_source__slug", help_text="The organisation's slug.")
    derived = BooleanFilter(help_text="Computed by the portal (true) or sent by a data provider (false).")
    home_office = BooleanFilter(help_text="A Home Office measure or not.")

    class Meta:
        model = Measure
        fields = ["outcome", "data_source", "derived", "home_office"]


class PeriodFilter(SingleValueFilterSet):
    locked = BooleanFilter(
        field_name="locked_at", lookup_expr="isnull", exclude=True, help_text="Locked or not."
    )

    class Meta:
        model = Period
        fields = ["locked"]


class FigureFilter(SingleValueFilterSet):
    period = PeriodValueFilter(field_name="period", help_text='A quarter: "2025/26 Q1" or "2025-26-q1".')
    measure = TextFilter(field_name="measure__code", help_text="A measure code, for example `1.1.1.b`.")
    area = TextFilter(field_name="area__code", help_text="An area code, for example `hampshire`.")
    status = ChoicesFilter(choices=Figure.Status.choices)
    age_band = filters.ChoiceFilter(choices=AgeBand.choices)

    class Meta:
        model = Figure
        fields = ["period", "measure", "area", "status", "age_band"]


class RecommendationFilter(SingleValueFilterSet):
    status = ChoicesFilter(choices=Recommendation.Status.choices)
    number = TextFilter(help_text="Crest Advisory's number, for example `4.1`.")

    class Meta:
        model = Recommendation
        fields = ["status", "number"]
