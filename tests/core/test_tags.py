"""Status and RAG tags: one colour per value on every page, and a blank RAG is never a colour."""

from __future__ import annotations

import pytest
from django.template import Context, Template

from core import tags
from crest.models import Recommendation
from governance.models import RAG, Action
from performance.models import Figure


def rendered(kind: str, value: object) -> str:
    return (
        Template("{% load tags %}{% tag kind value %}")
        .render(Context({"kind": kind, "value": value}))
        .strip()
    )


@pytest.mark.parametrize("kind", ["rag", "target_rag"])
def test_amber_is_the_same_orange_wherever_a_rag_is_shown(kind):
    assert tags.tag(kind, RAG.AMBER).colour == "orange"  # type: ignore[union-attr]
    assert 'class="govuk-tag govuk-tag--orange"' in rendered(kind, "amber")


def test_a_blank_rag_reads_not_rated_never_green():
    assert rendered("rag", "") == '<strong class="govuk-tag govuk-tag--grey">Not rated</strong>'
    assert "No target" in rendered("target_rag", None)


def test_each_status_has_its_word_and_one_colour():
    assert rendered("action_status", Action.Status.COMPLETE) == (
        '<strong class="govuk-tag govuk-tag--green">Complete</strong>'
    )
    assert "govuk-tag--blue" in rendered("recommendation_status", Recommendation.Status.IN_PROGRESS)
    assert "Verified" in rendered("figure_status", Figure.Status.VERIFIED)


def test_a_choices_class_without_a_colour_for_every_value_is_refused_at_start_up():
    from django.db import models

    with pytest.raises(ValueError, match="no tag colour"):

        @tags.coloured("broken", {"a": "red"})
        class Broken(models.TextChoices):
            A = "a", "A"
            B = "b", "B"


def test_breadcrumbs_are_one_govuk_trail_from_pairs_of_text_and_address():
    html = Template('{% load tags %}{% breadcrumbs "Home" "/" "Meetings" "/meetings/" %}').render(Context())
    assert 'aria-label="Breadcrumb"' in html
    assert html.count('class="govuk-breadcrumbs__list-item"') == 2
    assert '<a class="govuk-breadcrumbs__link" href="/meetings/">Meetings</a>' in html
