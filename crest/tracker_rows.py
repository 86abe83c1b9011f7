"""The tracker's rows rendered in Python: one string a row, each label translated and each tag rendered
once per table (``governance.rows``; issue 19: the tracker's cold render within 4× the floor). The HTML
is ``crest/partials/tracker_table.html``'s, cell for cell."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.template.defaultfilters import truncatewords
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core import tags
from governance.rows import Dates, esc, tag_html, url_maker


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
