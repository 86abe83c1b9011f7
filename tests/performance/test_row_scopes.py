"""On the deadline day data providers submit figures while the board reads the dashboard: a submission
is not verified, so the dashboard (verified figures only) stays cached, and only the submitted measure's
page is rendered again, showing the figure at once; verifying it re-renders the dashboard, which shows
it at once (core.content_version.RowScope, performance.content_scopes)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from performance import services
from performance.models import Area, Figure
from tests.fragment_spy import RenderSpy

from . import factories
from .conftest import COLLECTING

pytestmark = pytest.mark.django_db
DASHBOARD, SUBMITTED_PAGE, OTHER_PAGE = (
    "/performance/",
    "/performance/measures/1.1.1.d/",
    "/performance/measures/1.1.1.c/",
)


def _cells(client: Client, path: str) -> str:
    """The page's table cells, as the reader sees them."""
    response = client.get(path)
    assert response.status_code == 200
    return " ".join(re.findall(r"<td[^>]*>(.*?)</td>", response.content.decode(), re.S))


def test_a_submission_re_renders_its_measure_page_only_and_verifying_it_the_dashboard(
    client, provider, board_member, vru_staff, framework, spy: RenderSpy
):
    factories.figure("1.1.1.c", COLLECTING.previous(), 40)
    board = Client()
    board.force_login(board_member)
    for path in (DASHBOARD, SUBMITTED_PAGE, OTHER_PAGE):
        _cells(board, path)
    assert spy.rendered["performance-dashboard"] == 1 and spy.rendered["measure-detail"] == 2

    client.force_login(provider)
    response = client.post(
        "/performance/submit/",
        {
            "measure": framework["1.1.1.d"].pk,
            "period": factories.period(COLLECTING).pk,
            "area": Area.objects.get(code="hips").pk,
            "age_band": "all",
            "value": "1750",
            "action": "submit",
        },
    )
    assert response.status_code == 302
    figure = Figure.objects.get(measure=framework["1.1.1.d"])
    assert figure.status == Figure.Status.SUBMITTED

    spy.rendered.clear()
    assert "1,750" not in _cells(board, DASHBOARD), "a figure not yet verified is not on the dashboard"
    assert "1,750" in _cells(board, SUBMITTED_PAGE), "the measure's page shows the submission at once"
    _cells(board, OTHER_PAGE)
    assert spy.rendered["performance-dashboard"] == 0, "a submission re-rendered the dashboard"
    assert spy.rendered["measure-detail"] == 1, "only the submitted measure's page is rendered again"

    services.figures_verify(acting_user=vru_staff, figure_ids=[figure.pk])
    spy.rendered.clear()
    assert "1,750" in _cells(board, DASHBOARD), "the verified figure is on the dashboard at once"
    assert spy.rendered["performance-dashboard"] == 1
