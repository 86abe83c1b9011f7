from __future__ import annotations

import pytest
from django.core.management import call_command

from crest.models import ProgressEntry, Recommendation

pytestmark = pytest.mark.django_db


def test_demo_data_gives_4_1_and_4_2_progress_and_a_linked_action_once(db):
    call_command("load_reference_data")
    call_command("load_demo_data", force=True)
    call_command("load_demo_data", force=True)
    for rec in Recommendation.objects.filter(number__in=["4.1", "4.2"]):
        assert rec.progress_entries.count() == 2
        assert rec.status == Recommendation.Status.IN_PROGRESS
        assert [a.is_demo for a in rec.actions.all()] == [True]
    assert ProgressEntry.objects.count() == 4
