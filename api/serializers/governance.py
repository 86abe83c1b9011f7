"""Meetings (published fields) and actions, as the API shows them."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from governance.models import Action, Decision, Meeting, Minutes, Organisation, PartnershipGroup


@extend_schema_field(
    {"type": "string", "pattern": r"^[0-2][0-9]:[0-5][0-9]$", "example": "10:00", "description": "UK time."}
)
class LocalTimeField(serializers.TimeField):
    """A time of day in the UK, "HH:MM" (meetings keep local times without an offset)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%H:%M", **kwargs)


class GroupSerializer(serializers.ModelSerializer[PartnershipGroup]):
    class Meta:
        model = PartnershipGroup
        fields = ["slug", "name", "short_name"]


class OrganisationSerializer(serializers.ModelSerializer[Organisation]):
    class Meta:
        model = Organisation
        fields = ["slug", "name", "short_name"]


class DecisionSerializer(serializers.ModelSerializer[Decision]):
    class Meta:
        model = Decision
        fields = ["reference", "text"]


def minutes_published(meeting: Meeting) -> bool:
    try:
        minutes = meeting.minutes
    except Minutes.DoesNotExist:
        return False
    return minutes.status == Minutes.Status.PUBLISHED


class MeetingSerializer(serializers.ModelSerializer[Meeting]):
    """What /published/ shows of a meeting; decisions and attendance only once minutes are published."""

    group = GroupSerializer(read_only=True)
    start_time = LocalTimeField(read_only=True, allow_null=True)
    end_time = LocalTimeField(read_only=True, allow_null=True)
    minutes_published = serializers.SerializerMethodField()
    decisions = serializers.SerializerMethodField()
    organisations_represented = serializers.SerializerMethodField()

    class Meta:
        model = Meeting
        fields = [
            "id",
            "group",
            "title",
            "date",
            "start_time",
            "end_time",
            "status",
            "minutes_published",
            "decisions",
            "organisations_represented",
        ]

    def get_minutes_published(self, meeting: Meeting) -> bool:
        return minutes_published(meeting)

    @extend_schema_field(DecisionSerializer(many=True, allow_null=True))
    def get_decisions(self, meeting: Meeting) -> list[dict[str, Any]] | None:
        if not minutes_published(meeting):
            return None
        return DecisionSerializer(meeting.decisions.all(), many=True).data  # type: ignore[return-value]

    @extend_schema_field(OrganisationSerializer(many=True, allow_null=True))
    def get_organisations_represented(self, meeting: Meeting) -> list[dict[str, Any]] | None:
        """Authorities present in person or by deputy (the attendees' organisations)."""
        if not minutes_published(meeting):
            return None
        seen: dict[int, Organisation] = {}
        for row in meeting.attendance.all():  # prefetched: represented rows with an organisation
            if row.organisation is not None:
                seen.setdefault(row.organisation.pk, row.organisation)
        ordered = sorted(seen.values(), key=lambda o: o.name)
        return OrganisationSerializer(ordered, many=True).data  # type: ignore[return-value]


class ActionSerializer(serializers.ModelSerializer[Action]):
    owner = serializers.CharField(source="owner.full_name", read_only=True)
    organisation = OrganisationSerializer(read_only=True)
    meeting = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    toc_activity = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    is_overdue = serializers.BooleanField(source="overdue_flag", read_only=True)

    class Meta:
        model = Action
        fields = [
            "reference",
            "description",
            "owner",
            "organisation",
            "due_date",
            "status",
            "is_overdue",
            "completed_on",
            "meeting",
            "toc_activity",
        ]
