"""Query-string filters of the API's lists (django-filter)."""

from __future__ import annotations

import django_filters as filters
from django import forms
from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from governance.models import Action, Meeting, Minutes


@extend_schema_field(OpenApiTypes.INT)
class IntegerFilter(filters.NumberFilter):
    """A whole number (django-filter's NumberFilter takes decimals, which ids never are)."""

    field_class = forms.IntegerField


class MeetingFilter(filters.FilterSet):
    group = filters.CharFilter(field_name="group__slug", help_text="The group's slug, for example `svrp`.")
    date = filters.DateFromToRangeFilter(help_text="`date_after` and `date_before` (inclusive).")
    status = filters.ChoiceFilter(choices=Meeting.Status.choices)
    published = filters.BooleanFilter(method="filter_published", help_text="Minutes published or not.")

    class Meta:
        model = Meeting
        fields = ["group", "date", "status", "published"]

    def filter_published(self, queryset: QuerySet[Meeting], name: str, value: bool) -> QuerySet[Meeting]:
        if value:
            return queryset.filter(minutes__status=Minutes.Status.PUBLISHED)
        return queryset.exclude(minutes__status=Minutes.Status.PUBLISHED)


class ActionFilter(filters.FilterSet):
    status = filters.MultipleChoiceFilter(choices=Action.Status.choices)
    organisation = filters.CharFilter(field_name="organisation__slug", help_text="The organisation's slug.")
    due = filters.DateFromToRangeFilter(field_name="due_date", help_text="`due_after` and `due_before`.")
    overdue = filters.BooleanFilter(field_name="overdue_flag")
    meeting = IntegerFilter(field_name="meeting_id", help_text="The id of the meeting that raised it.")

    class Meta:
        model = Action
        fields = ["status", "organisation", "due", "overdue", "meeting"]
