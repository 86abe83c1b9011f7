"""Demonstration data (DEBUG only): a draft Home Office report for the last complete quarter."""

from __future__ import annotations

from django.utils import timezone

from performance.models import Report
from performance.reporting.services import generate_draft
from performance.selectors import collection_quarter


def load_demo_report() -> str:
    quarter = collection_quarter(timezone.localdate())
    if Report.objects.filter(year=quarter.year, quarter=quarter.quarter, versions__isnull=False).exists():
        return f"Home Office report demo: the {quarter.label} report already exists."
    version = generate_draft(quarter.year, quarter.quarter)
    return f"Home Office report demo: draft version {version.number} of the {quarter.label} report."
