"""Meetings and the action log: read-only (changes are made in the web pages)."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from rest_framework import viewsets

from governance.models import Action, Attendance, Meeting

from ..filters import ActionFilter, MeetingFilter
from ..serializers.governance import ActionSerializer, MeetingSerializer


class MeetingViewSet(viewsets.ReadOnlyModelViewSet[Meeting]):
    """Meetings of the partnership and its sub-groups: the fields the portal publishes."""

    serializer_class = MeetingSerializer
    filterset_class = MeetingFilter

    def get_queryset(self) -> QuerySet[Meeting]:
        represented = (
            Attendance.objects.representing()
            .filter(organisation__isnull=False)
            .select_related("organisation")
        )
        return (
            Meeting.objects.select_related("group", "minutes")
            .prefetch_related("decisions", Prefetch("attendance", queryset=represented))
            .order_by("-date", "-start_time", "-pk")
        )


class ActionViewSet(viewsets.ReadOnlyModelViewSet[Action]):
    """The action log, with each action's overdue flag."""

    serializer_class = ActionSerializer
    filterset_class = ActionFilter
    lookup_field = "reference"
    lookup_value_regex = r"[A-Za-z0-9][A-Za-z0-9_.-]*"

    def get_queryset(self) -> QuerySet[Action]:
        return Action.objects.for_list().with_overdue().order_by("due_date", "reference")
