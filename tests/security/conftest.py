"""The demo portal the security tests crawl: reference data, demo accounts and the demo data of make run."""

from __future__ import annotations

import pytest
from django.core.management import call_command


@pytest.fixture
def portal(settings):
    settings.DEMO_PASSWORD = "crawl-demo-password-0192"
    settings.AXES_ENABLED = True  # as in production: hostile sign-ins go through django-axes too
    call_command("load_reference_data", verbosity=0)
    call_command("create_demo_accounts", force=True, verbosity=0)
    # The demo data of `make run`, so the crawl meets pages with rows and forms as the apps grow.
    call_command("load_demo_data", force=True, verbosity=0)
    # What the demo data leaves out but a page shows: a meeting paper, Crest evidence, an API token.
    add_files_and_a_token()
    return settings


def add_files_and_a_token() -> None:
    from django.contrib.auth import get_user_model

    from api.services import api_token_create
    from crest.models import Recommendation
    from crest.services import recommendation_add_evidence_file
    from governance.models import Meeting
    from governance.services.meetings import paper_add
    from tests.governance.uploads import pdf

    staff = get_user_model().objects.get(username="vru.staff")
    meeting = Meeting.objects.order_by("date", "pk")[0]
    paper_add(acting_user=staff, meeting=meeting, title="Serious violence profile", upload=pdf())
    recommendation = Recommendation.objects.order_by("pk")[0]
    recommendation_add_evidence_file(
        acting_user=staff, recommendation=recommendation, title="Evidence", file=pdf("evidence.pdf")
    )
    api_token_create(acting_user=staff, name="Crawl")
