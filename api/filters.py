"""Query-string filters of the API's lists (django-filter)."""

from __future__ import annotations

import django_filters as filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from governance.models import Action, Meeting, Minutes


@extend_schema_field(OpenApiTypes.INT)
class IntegerFilter(filters.NumberFilter):
    """A whole number (django-filter's NumberFilter takes decimals, which ids never are)."""

    field_class = forms.IntegerField


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


class MeetingFilter(filters.FilterSet):
    group = filters.CharFilter(field_name="group__slug", help_text="The group's slug, for example `svrp`.")
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


class ActionFilter(filters.FilterSet):
    status = ChoicesFilter(choices=Action.Status.choices)
    organisation = filters.CharFilter(field_name="organisation__slug", help_text="The organisation's slug.")
    due = filters.DateFromToRangeFilter(field_name="due_date", help_text="`due_after` and `due_before`.")
    overdue = BooleanFilter(field_name="overdue_flag", help_text="Open and past its due date, or not.")
    meeting = IntegerFilter(field_name="meeting_id", help_text="The id of the meeting that raised it.")

    class Meta:
        model = Action
        fields = ["status", "organisation", "due", "overdue", "meeting"]
