"""Crest Advisory recommendations as the API shows them."""

from __future__ import annotations

from rest_framework import serializers

from crest.models import Recommendation

from .governance import OrganisationSerializer


class RecommendationSerializer(serializers.ModelSerializer[Recommendation]):
    """The tracker's fields. Callers outside the tracker's readers get only what /published/crest/
    shows (number, text, status, RAG) of the recommendations marked publishable."""

    report = serializers.CharField(source="report.short_name", read_only=True)
    owner = serializers.CharField(
        source="owner_person.full_name", read_only=True, allow_null=True, default=None
    )
    owner_organisation = OrganisationSerializer(read_only=True, allow_null=True)
    actions = serializers.SlugRelatedField(slug_field="reference", many=True, read_only=True)

    class Meta:
        model = Recommendation
        fields = [
            "id",
            "report",
            "number",
            "text",
            "status",
            "rag",
            "owner",
            "owner_organisation",
            "response",
            "target_date",
            "achieved_on",
            "actions",
        ]


class PublishedRecommendationSerializer(serializers.ModelSerializer[Recommendation]):
    report = serializers.CharField(source="report.short_name", read_only=True)

    class Meta:
        model = Recommendation
        fields = ["id", "report", "number", "text", "status", "rag"]
