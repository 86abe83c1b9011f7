from __future__ import annotations

from django.urls import path

from . import views

app_name = "crest"

urlpatterns = [
    path("crest/", views.tracker, name="tracker"),
    path("crest/export.csv", views.export_csv, name="export_csv"),
    path("crest/export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("crest/upload/", views.bulk_update, name="bulk_update"),
    path("crest/<str:number>/", views.detail, name="detail"),
    path("crest/<str:number>/edit/", views.edit, name="edit"),
    path("crest/<str:number>/progress/", views.record_progress, name="record_progress"),
    path("crest/<str:number>/actions/", views.link_action, name="link_action"),
    path("crest/<str:number>/actions/<str:reference>/unlink/", views.unlink_action, name="unlink_action"),
    path("crest/<str:number>/theory-of-change/", views.toc_links, name="toc_links"),
    path("crest/<str:number>/evidence/", views.upload_evidence, name="upload_evidence"),
    path("crest/<str:number>/evidence/<int:pk>/", views.download_evidence, name="download_evidence"),
    path("crest/<str:number>/achieved/", views.mark_achieved, name="mark_achieved"),
    path("published/crest/", views.published, name="published"),
]
