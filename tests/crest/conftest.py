"""Fixtures shared by the Crest tests. A test module's own ``rec`` fixture overrides the one here."""

from __future__ import annotations

import pytest

from governance.models import TheoryOfChangeActivity
from governance.reference_registers import load_theory_of_change

from .factories import RecommendationFactory


@pytest.fixture
def toc(db) -> dict[str, TheoryOfChangeActivity]:
    """The Theory of Change's activities from the Terms of Reference, by code."""
    load_theory_of_change()
    return {a.code: a for a in TheoryOfChangeActivity.objects.all()}


@pytest.fixture
def rec(toc):
    """Recommendation 4.1, serving ToC activity 1.b."""
    rec = RecommendationFactory(number="4.1")
    rec.toc_activities.set([toc["1.b"]])
    return rec
