from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from duty.models import Concordat, DeliveryPlan, Milestone
from duty.selectors import CellState, concordat_grid

pytestmark = pytest.mark.django_db


@pytest.fixture
def made_run(settings):
    settings.DEMO_PASSWORD = "demo-password"
    out = io.StringIO()
    call_command("load_reference_data", stdout=out)
    call_command("create_demo_accounts", force=True, stdout=out)
    call_command("load_demo_data", force=True, stdout=out)


def test_make_run_shows_a_part_sent_concordat_and_two_plans_with_a_slipping_milestone(
    made_run, client_for, board_member
):
    concordat = Concordat.objects.get(is_demo=True)
    counts = concordat_grid(concordat).counts
    assert all(counts[state] > 0 for state in CellState.values)
    assert DeliveryPlan.objects.filter(is_demo=True).count() == 2
    assert Milestone.objects.filter(reference="VRU-2").get().status == "in_progress"
    page = client_for(board_member).get(reverse("duty:plans")).content.decode()
    assert "Concordat acknowledged by every specified authority" in page


def test_loading_the_demo_again_changes_nothing(made_run):
    before = (Concordat.objects.count(), Milestone.objects.count())
    call_command("load_demo_data", force=True, stdout=io.StringIO())
    assert (Concordat.objects.count(), Milestone.objects.count()) == before
