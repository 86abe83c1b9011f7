"""The Crest tracker, read-only: the whole tracker to its readers, the published part to the others."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema, extend_schema_view
from rest_framework import viewsets

from crest import permissions
from crest.models import Recommendation
from governance.models import Action

from ..filters import RecommendationFilter
from ..serializers.crest import PublishedRecommendationSerializer, RecommendationSerializer

EITHER = PolymorphicProxySerializer(
    component_name="RecommendationForCaller",
    serializers=[RecommendationSerializer, PublishedRecommendationSerializer],
    resource_type_field_name=None,
)


@extend_schema_view(list=extend_schema(responses=EITHER), retrieve=extend_schema(responses=EITHER))
class RecommendationViewSet(viewsets.ReadOnlyModelViewSet[Recommendation]):
    """Crest Advisory's recommendations: VRU staff, board members and administrators read the tracker;
    sub-group chairs and data providers read what is published, as anyone may at /published/crest/."""

    filterset_class = RecommendationFilter

    def _reader(self) -> bool:
        return permissions.can_view_tracker(self.request.user)

    def get_serializer_class(self) -> Any:
        return RecommendationSerializer if self._reader() else PublishedRecommendationSerializer

    def get_queryset(self) -> QuerySet[Recommendation]:
        if not self._reader():
            return Recommendation.objects.publishable().select_related("report").order_by("pk")
        return (
            Recommendation.objects.current()
            .select_related("report", "owner_person", "owner_organisation")
            .prefetch_related(Prefetch("actions", queryset=Action.objects.order_by("reference")))
            .order_by("report__published_on", "number", "pk")
        )
