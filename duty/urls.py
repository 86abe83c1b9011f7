from __future__ import annotations

from django.urls import path

from . import views

app_name = "duty"

urlpatterns = [
    path("duty/", views.documents, name="documents"),
    path("duty/documents/add/", views.document_add, name="document_add"),
    path("duty/documents/<int:pk>/file/", views.document_file, name="document_file"),
    path("duty/documents/<int:pk>/approve/", views.document_approve, name="document_approve"),
    path("duty/documents/<int:pk>/priorities/add/", views.priority_add, name="priority_add"),
    path("duty/strategies/add/", views.strategy_add, name="strategy_add"),
    path("duty/concordat/", views.concordat, name="concordat"),
    path("duty/concordat/add/", views.concordat_add, name="concordat_add"),
    path("duty/concordat/<int:version>/record/", views.dissemination_record, name="dissemination_record"),
    path("duty/concordat/<int:version>/chase/", views.concordat_chase, name="concordat_chase"),
    path(
        "duty/concordat/sent/<int:pk>/acknowledge/",
        views.dissemination_acknowledge,
        name="dissemination_acknowledge",
    ),
    path("duty/plans/", views.plans, name="plans"),
    path("duty/plans/<int:plan_pk>/milestones/add/", views.milestone_edit, name="milestone_add"),
    path("duty/plans/<int:plan_pk>/milestones/<int:pk>/", views.milestone_edit, name="milestone_edit"),
    path("published/duty/", views.published, name="published"),
    path("published/duty/<int:pk>/file/", views.published_file, name="published_file"),
]
