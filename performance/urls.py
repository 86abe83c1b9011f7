from __future__ import annotations

from django.urls import path, register_converter

from . import views
from .reporting import views as reports

app_name = "performance"


class MeasureCodeConverter:
    """Measure codes keep their dots: ``/performance/measures/1.1.1.a/``."""

    regex = r"[0-9]+(?:\.[0-9]+)*(?:\.[a-z])?"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(MeasureCodeConverter, "measure_code")

urlpatterns = [
    path("performance/", views.dashboard, name="dashboard"),
    path("performance/export.csv", views.publication_export, name="export"),
    path("performance/measures/<measure_code:code>/", views.measure_detail, name="measure"),
    path("performance/submit/", views.submit, name="submit"),
    path("performance/submit/upload/", views.upload, name="upload"),
    path("performance/submit/template.csv", views.upload_template, name="template"),
    path("performance/submit/drafts/", views.submit_drafts, name="submit_drafts"),
    path("performance/verify/", views.verify, name="verify"),
    path("performance/periods/<slug:slug>/lock/", views.period_lock, name="period_lock"),
    path("performance/figures/<int:pk>/correct/", views.figure_correct, name="correct"),
    path("performance/returns/", views.returns, name="returns"),
    path("performance/survey/", views.survey, name="survey"),
    path("performance/survey/invitations/<int:pk>/", views.survey_answer, name="survey_answer"),
    path("performance/survey/<int:pk>/close/", views.survey_close, name="survey_close"),
    path("performance/grants/", views.grants, name="grants"),
    path("performance/grants/return/", views.grant_return, name="grant_return"),
    path("reports/", reports.report_list, name="reports"),
    path("reports/generate/", reports.report_generate, name="report_generate"),
    path("reports/<slug:slug>/", reports.report_detail, name="report"),
    path("reports/<slug:slug>/regenerate/", reports.report_regenerate, name="report_regenerate"),
    path("reports/<slug:slug>/correct/", reports.report_correct, name="report_correct"),
    path("reports/<slug:slug>/v<int:number>/submit/", reports.report_submit, name="report_submit"),
    path("reports/<slug:slug>/v<int:number>/sources/", reports.report_sources, name="report_sources"),
    path(
        "reports/<slug:slug>/v<int:number>/sources/<int:row>/",
        reports.report_sources,
        name="report_figure_sources",
    ),
    path("reports/<slug:slug>/v<int:number>/<slug:kind>/", reports.report_download, name="report_download"),
]
