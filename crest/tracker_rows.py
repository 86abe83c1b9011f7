"""The tracker's rows rendered in Python: one string a row, each label translated and each tag rendered
once per table (``governance.rows``; issue 19: the tracker's cold render within 4× the floor). The HTML
is ``crest/partials/tracker_table.html``'s, cell for cell."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.template.defaultfilters import truncatewords
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core import tags
from governance.models.actions import OPEN_STATUSES
from governance.rows import Dates, Named, esc, tag_html, url_maker

from .models import Recommendation


@dataclass(frozen=True, slots=True)
class TrackerRecord:
    """A recommendation as the tracker shows it, read as a row: a hundred and more rows of four records
    each (the recommendation, its report, owner and authority) were most of the tracker's cold cost."""

    number: str
    text: str
    response: str
    status: str
    rag: str
    target_date: dt.date | None
    overdue: bool
    latest_progress_text: str | None
    latest_progress_date: dt.date | None
    linked_actions: int
    overdue_actions: int
    owner_person: Named | None
    owner_organisation: Named | None

    def get_response_display(self) -> str:
        return str(Recommendation.Response(self.response).label) if self.response else ""


def tracker_records(queryset: QuerySet[Recommendation], today: dt.date) -> list[TrackerRecord]:
    """``queryset`` (``Recommendation.objects.for_tracker()``, filtered) as rows, in its order, one
    query: how many actions each links to and how many of them are overdue are counted in the database
    rather than loaded."""
    overdue = Q(actions__status__in=OPEN_STATUSES, actions__due_date__lt=today)
    rows = (
        queryset.prefetch_related(None)
        .annotate(
            linked_actions=Count("actions", distinct=True),
            overdue_actions=Count("actions", filter=overdue, distinct=True),
        )
        .values_list(
            "number",
            "text",
            "response",
            "status",
            "rag",
            "target_date",
            "latest_progress_text",
            "latest_progress_date",
            "linked_actions",
            "overdue_actions",
            "owner_person__full_name",
            "owner_organisation__name",
        )
    )
    return [
        TrackerRecord(
            number=number,
            text=text,
            response=response,
            status=status,
            rag=rag,
            target_date=target,
            overdue=Recommendation.overdue_on(status, target, today),
            latest_progress_text=progress_text,
            latest_progress_date=progress_date,
            linked_actions=linked,
            overdue_actions=overdue_count,
            owner_person=Named(full_name=person) if person is not None else None,
            owner_organisation=Named(name=organisation) if organisation is not None else None,
        )
        for (
            number,
            text,
            response,
            status,
            rag,
            target,
            progress_text,
            progress_date,
            linked,
            overdue_count,
            person,
            organisation,
        ) in rows
    ]


class _Once(dict[Any, str]):
    """Each key's value worked out once per table."""

    def __init__(self, make: Any) -> None:
        super().__init__()
        self.make = make

    def __missing__(self, key: Any) -> str:
        value = self[key] = self.make(key)
        return value


def tracker_rows(recommendations: Iterable[Any]) -> SafeString:
    """Recommendations as ``crest.views.tracker`` annotates them (``linked_actions``,
    ``overdue_actions``, ``overdue``, ``latest_progress_text`` and ``_date``)."""
    link = url_maker("crest:detail")
    dates = Dates("j M Y")
    not_assigned = esc(_("Not assigned"))
    overdue_text = esc(_("Overdue"))
    none_set = esc(_("None set"))
    no_progress = esc(_("No progress recorded"))
    statuses = _Once(lambda s: str(tag_html(tags.tag("recommendation_status", s))))
    rags = _Once(lambda r: str(tag_html(tags.tag("rag", r))))
    linked = _Once(lambda n: esc(ngettext("%(counter)s action", "%(counter)s actions", n) % {"counter": n}))
    overdue_actions = _Once(lambda n: esc(_("%(n)s overdue") % {"n": n}))
    responses: dict[str, str] = {}
    rows = []
    for rec in recommendations:
        if rec.response not in responses:
            responses[rec.response] = esc(rec.get_response_display())
        person, organisation = rec.owner_person, rec.owner_organisation
        owner = (f"{esc(person.full_name)}<br>" if person else "") + (
            esc(organisation.name) if organisation else ""
        )
        if not person and not organisation:
            owner += not_assigned
        if rec.target_date:
            target = esc(dates(rec.target_date))
            if rec.overdue:
                target += f'<br><span class="app-overdue">{overdue_text}</span>'
        else:
            target = none_set
        if rec.latest_progress_text:
            progress = (
                '<span class="govuk-body-s govuk-!-display-block govuk-!-margin-bottom-1">'
                f"{esc(dates(rec.latest_progress_date))}</span>"
                f"{esc(truncatewords(rec.latest_progress_text, 30))}"
            )
        else:
            progress = no_progress
        actions = linked[rec.linked_actions]
        if rec.overdue_actions:
            actions += f'<br><span class="app-overdue">{overdue_actions[rec.overdue_actions]}</span>'
        rows.append(
            '    <tr class="govuk-table__row">\n'
            '      <th scope="row" class="govuk-table__header">'
            f'<a class="govuk-link" href="{esc(link(rec.number))}">{esc(rec.number)}</a></th>\n'
            f'      <td class="govuk-table__cell">{esc(rec.text)}</td>\n'
            f'      <td class="govuk-table__cell">{owner}</td>\n'
            f'      <td class="govuk-table__cell">{responses[rec.response]}</td>\n'
            f'      <td class="govuk-table__cell">{statuses[rec.status]}</td>\n'
            f'      <td class="govuk-table__cell">{rags[rec.rag]}</td>\n'
            f'      <td class="govuk-table__cell app-nowrap">{target}</td>\n'
            f'      <td class="govuk-table__cell">{progress}</td>\n'
            f'      <td class="govuk-table__cell">{actions}</td>\n'
            "    </tr>"
        )
    return mark_safe("\n".join(rows))  # noqa: S308 - every value escaped by esc above
