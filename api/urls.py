from __future__ import annotations

from django.urls import include, path, re_path
from rest_framework.routers import DefaultRouter

from .exceptions import not_found
from .views import crest, docs, governance, performance, tokens

app_name = "api"

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("meetings", governance.MeetingViewSet, basename="meeting")
router.register("actions", governance.ActionViewSet, basename="action")
router.register("outcomes", performance.OutcomeViewSet, basename="outcome")
router.register("measures", performance.MeasureViewSet, basename="measure")
router.register("periods", performance.PeriodViewSet, basename="period")
router.register("figures", performance.FigureViewSet, basename="figure")
router.register("derived-values", performance.DerivedValueViewSet, basename="derived-value")
router.register("recommendations", crest.RecommendationViewSet, basename="recommendation")

docs_view = docs.DocsView.as_view()
# A person reads the documentation: signed out, they are sent to sign in, as on any portal page.
docs_view.login_required = True  # type: ignore[attr-defined]

urlpatterns = [
    path("tokens/", tokens.tokens, name="tokens"),
    path("tokens/<int:pk>/revoke/", tokens.token_revoke, name="token_revoke"),
    path("schema/", docs.SchemaView.as_view(), name="schema"),
    path("docs/", docs_view, name="docs"),
    path("", include(router.urls)),
    re_path(r"^", not_found),  # anything else under /api/, newlines included
]
