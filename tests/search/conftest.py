"""Records of every kind with known words, and the index built over them."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import cast

import pytest
from django.core.files.base import ContentFile

from governance.models import AgendaItem, Decision, MinuteEntry, Minutes, Paper
from performance.models import Measure, Outcome
from search.services import index_rebuild
from tests.crest.factories import RecommendationFactory
from tests.governance.conftest import frozen_today, svrp  # noqa: F401  (fixtures)
from tests.governance.factories import (
    ActionFactory,
    AgendaItemFactory,
    MeetingFactory,
    OrganisationFactory,
    PersonFactory,
)


def paper(meeting, title: str, *, confidential: bool = False) -> Paper:
    return Paper.objects.create(
        meeting=meeting,
        title=title,
        file=ContentFile(b"%PDF-1.4\n", name="paper.pdf"),
        original_name="paper.pdf",
        file_type="pdf",
        confidential=confidential,
    )


def minutes(meeting, text: str, *, status: str = Minutes.Status.DRAFT) -> Minutes:
    record = Minutes.objects.create(
        meeting=meeting,
        status=status,
        approved_on=meeting.date if status != Minutes.Status.DRAFT else None,
    )
    item = cast(AgendaItem, AgendaItemFactory(meeting=meeting, title="Minuted item"))
    MinuteEntry.objects.create(minutes=record, agenda_item=item, text=text)
    return record


@pytest.fixture
def corpus(svrp):  # noqa: F811
    """One record of every kind, each with a word found nowhere else."""
    held = MeetingFactory(group=svrp.group, title="Quokka summit", date=dt.date(2026, 3, 10), status="held")
    dawg = MeetingFactory(group=svrp.dawg, title="Data meeting", date=dt.date(2026, 4, 14), status="held")
    svrp_draft = MeetingFactory(
        group=svrp.group, title="Spring board", date=dt.date(2026, 5, 5), status="held"
    )
    AgendaItemFactory(meeting=held, title="Zephyr briefing", description="The zephyr plan.")
    paper(held, "Marmoset paper")
    paper(held, "Ocelot paper", confidential=True)
    minutes(held, "Approved wombat minute.", status=Minutes.Status.APPROVED)
    minutes(dawg, "Draft narwhal minute.")
    minutes(svrp_draft, "Draft pangolin minute.")
    Decision.objects.create(meeting=dawg, reference="D-1", text="Agreed the platypus decision.")
    Decision.objects.create(meeting=held, reference="D-2", text="Agreed the tapir decision.")
    ActionFactory(meeting=held, owner=svrp.bea, description="Axolotl action.", raised_on=held.date)
    RecommendationFactory(number="9.1", text="The capybara recommendation.", owner_organisation=svrp.police)
    outcome = Outcome.objects.create(code="9", text="Outcome")
    Measure.objects.create(
        code="9.9.9.z",
        short_title="Meerkat measure",
        text="Number of meerkat incidents.",
        outcome=outcome,
        data_source=svrp.police,
    )
    PersonFactory(full_name="Kestrel Jones", organisation=svrp.fire)
    OrganisationFactory(name="Heron Trust", slug="heron-trust")
    index_rebuild()
    return SimpleNamespace(held=held, dawg=dawg, svrp_draft=svrp_draft)
