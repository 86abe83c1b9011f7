"""Table rows rendered in Python: one string per row, each value worked out once per table.

A register, an action log or a meeting pack has tens to thousands of rows. Rendered by the template
engine, each row costs a node per cell, a ``{% url %}``, an include of the status tag and a translation
lookup or two; here the labels are translated once per table, the tag of each status rendered once, each
address built from a prefix, and every value escaped by ``format_html`` (issue 19: a page's cold render
within 4× the floor). The HTML is the templates' own, cell for cell.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from core import tags

# What Django's reverse() leaves unquoted in a path argument.
_PATH_SAFE = "/~:@!$&'()*+,;="
_MARK = "__svrp_row__"


def url_maker(name: str) -> Callable[[Any], str]:
    """``reverse(name, args=[value])`` for many values, reversing once: the prefix and suffix around
    the argument, the argument quoted as ``reverse`` quotes it."""
    before, after = reverse(name, args=[_MARK]).split(_MARK)
    return lambda value: f"{before}{quote(str(value), safe=_PATH_SAFE)}{after}"


def tag_html(tag: tags.Tag | None) -> SafeString:
    """``partials/tag.html`` for one tag."""
    if not tag:
        return mark_safe("")
    html = format_html('<strong class="govuk-tag govuk-tag--{}">{}</strong>', tag.colour, tag.label)
    if tag.hint:
        html += format_html(' <span class="govuk-visually-hidden">{}</span>', tag.hint)
    return mark_safe(html)  # noqa: S308 - escaped above


class Dates:
    """``value|date:format``, each distinct date formatted once. The day-month-year formats the tables
    use ("j M Y", "j F Y") are put together from the day, the year and the month's name as Django
    formats it in the active language (twelve names, formatted once), not parsed afresh for each of a
    pack's hundreds of due dates."""

    _FAST = ("j M Y", "j F Y")

    def __init__(self, fmt: str) -> None:
        self.fmt = fmt
        self.seen: dict[Any, str] = {}
        self.months: list[str] = []
        if fmt in self._FAST:
            month = fmt.split()[1]
            self.months = ["", *(str(date_filter(dt.date(2000, m, 1), month)) for m in range(1, 13))]

    def __call__(self, value: Any) -> str:
        if value is None:
            return ""
        found = self.seen.get(value)
        if found is None:
            if self.months and type(value) is dt.date:
                found = f"{value.day} {self.months[value.month]} {value.year:04d}"
            else:
                found = str(date_filter(value, self.fmt))
            self.seen[value] = found
        return found


def action_status_tags(
    status: str, overdue: bool, *, cache: dict[tuple[str, bool], SafeString]
) -> SafeString:
    """``governance/partials/status_tags.html``: the status tag, and "Overdue" in words when it is."""
    key = (status, overdue)
    found = cache.get(key)
    if found is None:
        html = tag_html(tags.tag("action_status", status))
        if overdue:
            html += format_html(' <strong class="govuk-tag govuk-tag--red">{}</strong>', _("Overdue"))
        found = cache[key] = mark_safe("\n" + html)  # noqa: S308 - escaped above
    return found


# The columns the action table shows (``QuerySet.only``): a long list loads nothing else. The meeting's
# id too: a meeting's ``actions`` manager sets it on each row (read lazily, it would be a query a row).
ACTION_TABLE_FIELDS = (
    "meeting",
    "reference",
    "description",
    "status",
    "due_date",
    "owner__full_name",
    "organisation__name",
    "toc_activity__code",
    "toc_activity__title",
)


@dataclass(frozen=True, slots=True)
class Named:
    """A related record as an action table shows it: its name, or its code and title."""

    full_name: str = ""
    name: str = ""
    code: str = ""
    title: str = ""


@dataclass(frozen=True, slots=True)
class AgendaRow:
    """An agenda item as the meeting's record shows it, from a row (not two model instances)."""

    pk: int
    order: int
    title: str
    description: str
    presenter: Named | None


# The columns of an agenda's rows (``agenda_rows_from``).
AGENDA_FIELDS = ("pk", "order", "title", "description", "presenter_id", "presenter__full_name")


def agenda_rows_from(found: Iterable[tuple[Any, ...]]) -> list[AgendaRow]:
    """Rows of ``AGENDA_FIELDS``' values as ``AgendaRow``s."""
    return [
        AgendaRow(pk, order, title, description, None if presenter_id is None else Named(full_name=name))
        for pk, order, title, description, presenter_id, name in found
    ]


@dataclass(frozen=True, slots=True)
class ActionRow:
    """An action as ``action_rows`` reads it, from a row rather than four model instances (a pack's
    action log has a thousand rows and more: making their instances was half its cost)."""

    reference: str
    description: str
    status: str
    due_date: dt.date | None
    overdue_flag: bool
    owner: Named | None
    organisation: Named | None
    toc_activity: Named | None


# The columns of an action table's rows (``action_table_rows``), in ``ActionRow``'s order.
ACTION_TABLE_FIELDS = (
    "reference",
    "description",
    "status",
    "due_date",
    "overdue_flag",
    "owner__full_name",
    "organisation__name",
    "toc_activity__code",
    "toc_activity__title",
)


def action_table_rows(actions: Any) -> list[ActionRow]:
    """``actions`` (a queryset annotated ``with_overdue``, in the order to show) as ``ActionRow``s: one
    query, the columns of ``ACTION_TABLE_FIELDS`` only."""
    return action_rows_from(actions.values_list(*ACTION_TABLE_FIELDS))


def action_rows_from(found: Iterable[tuple[Any, ...]]) -> list[ActionRow]:
    """Rows of ``ACTION_TABLE_FIELDS``' values as ``ActionRow``s."""
    return [
        ActionRow(
            reference,
            description,
            status,
            due_date,
            bool(overdue),
            None if owner is None else Named(full_name=owner),
            None if organisation is None else Named(name=organisation),
            None if code is None else Named(code=code, title=title),
        )
        for (reference, description, status, due_date, overdue, owner, organisation, code, title) in found
    ]


def action_rows(actions: Iterable[Any], *, public: bool = False, plain: bool = False) -> SafeString:
    """The rows of ``governance/partials/action_table.html``: actions with ``owner``, ``organisation``
    and ``toc_activity`` loaded and ``overdue_flag`` annotated. A pack lists a group's open actions,
    a thousand and more: each value is escaped as ``escape`` does, into one f-string a row."""
    link = url_maker("governance:action")
    toc_label = esc(_("Theory of Change:"))
    due = Dates("j M Y")
    statuses: dict[tuple[str, bool], SafeString] = {}
    rows = []
    for action in actions:
        overdue = bool(getattr(action, "overdue_flag", False))
        ref = esc(action.reference)
        if not (public or plain):
            ref = f'<a class="govuk-link" href="{esc(link(action.reference))}">{ref}</a>'
        description = esc(action.description)
        activity = action.toc_activity
        if activity:
            description += (
                '<br><span class="govuk-hint govuk-!-font-size-16 govuk-!-margin-bottom-0">'
                f"{toc_label} {esc(activity.code)} {esc(activity.title)}</span>"
            )
        owner = action.owner
        organisation = action.organisation
        tags_html = action_status_tags(action.status, overdue, cache=statuses)
        who = "" if public else f"{esc(owner.full_name) if owner else ''}<br>"
        rows.append(
            f'    <tr class="govuk-table__row{" app-overdue" if overdue else ""}">\n'
            f'      <th scope="row" class="govuk-table__header app-nowrap">{ref}</th>\n'
            f'      <td class="govuk-table__cell">{description}</td>\n'
            f'      <td class="govuk-table__cell">{who}<span class="govuk-!-font-size-16">'
            f"{esc(organisation.name) if organisation else ''}</span></td>\n"
            f'      <td class="govuk-table__cell app-nowrap">{esc(due(action.due_date))}</td>\n'
            f'      <td class="govuk-table__cell">{tags_html}</td>\n'
            "    </tr>"
        )
    return mark_safe("\n".join(rows))  # noqa: S308 - every value escaped by esc above


def esc(value: Any) -> str:
    """``django.utils.html.escape`` without its SafeString: the same characters escaped."""
    return html.escape(str(value))


@dataclass(frozen=True, slots=True)
class TenureSeat:
    """The seat of a row's tenure, for a row recorded before seats were records."""

    seat: str


@dataclass(frozen=True, slots=True)
class AttendanceRow:
    """A row of a meeting's register as ``attendance_rows`` reads it, from one row of a query rather
    than six model instances."""

    status: str
    organisation_id: int | None
    organisation: Named | None
    seat: Named | None
    membership: TenureSeat | None
    person: Named | None
    deputy: Named | None
    deputy_name: str
    guest_name: str
    guest_organisation: str

    def get_status_display(self) -> str:
        from .models import Attendance

        return str(Attendance.Status(self.status).label)

    @property
    def represents_authority(self) -> bool:
        from .models import Attendance

        return Attendance.represents(self.organisation_id, self.status)


# A register's order (status, then organisation, name and guest) and the columns of its rows
# (``attendance_rows_from``): the meeting page's register (``meeting_selectors._REGISTER``).
ATTENDANCE_ORDER = ("status", "organisation__name", "person__full_name", "guest_name")
ATTENDANCE_FIELDS = (
    "status",
    "organisation_id",
    "organisation__name",
    "seat__title",
    "membership_id",
    "person__full_name",
    "deputy__full_name",
    "deputy_name",
    "guest_name",
    "guest_organisation",
)


def attendance_rows_from(found: list[tuple[Any, ...]]) -> list[AttendanceRow]:
    """Rows of ``ATTENDANCE_FIELDS``' values as ``AttendanceRow``s. Rows recorded before seats were
    records show their tenures' seats, read for those rows alone (one query, if any), not joined to
    every row: two joins more made planning the register's query dearer than running it."""
    older = {row[4] for row in found if row[3] is None and row[4] is not None}
    tenure_seats: dict[int, TenureSeat] = {}
    if older:
        from .models import Membership

        tenure_seats = {
            pk: TenureSeat(title)
            for pk, title in Membership.objects.filter(pk__in=older).values_list("pk", "seat__title")
        }
    return [
        AttendanceRow(
            status=status,
            organisation_id=organisation_id,
            organisation=None if organisation is None else Named(name=organisation),
            seat=None if seat is None else Named(title=seat),
            membership=tenure_seats.get(membership_id) if seat is None else None,
            person=None if person is None else Named(full_name=person),
            deputy=None if deputy is None else Named(full_name=deputy),
            deputy_name=deputy_name,
            guest_name=guest_name,
            guest_organisation=guest_organisation,
        )
        for (
            status,
            organisation_id,
            organisation,
            seat,
            membership_id,
            person,
            deputy,
            deputy_name,
            guest_name,
            guest_organisation,
        ) in found
    ]


def attendance_rows(rows: Iterable[Any], *, public: bool = False) -> SafeString:
    """The rows of ``governance/partials/attendance_table.html``: attendance with ``person``,
    ``organisation``, ``deputy``, ``membership`` (and its seat) and ``seat`` loaded. The meeting page
    lists a register of fifty and more; its labels are translated once a table, each status's label
    looked up once."""
    vacant = esc(_("Vacant seat"))
    guest = esc(_("Guest"))
    statuses: dict[str, str] = {}
    out = []
    for row in rows:
        status = row.status
        label = statuses.get(status)
        if label is None:
            label = statuses[status] = esc(row.get_status_display())
        organisation = row.organisation
        seat = row.seat
        if seat:
            role = esc(seat.title)
        elif row.membership:
            role = esc(row.membership.seat)
        elif status == "guest":
            role = guest
        else:
            role = ""
        if status == "deputy" and not public:
            deputy = row.deputy
            label = f"{label}: {esc((deputy.full_name if deputy else '') or row.deputy_name)}"
        name = ""
        if not public:
            person = row.person
            who = esc(person.full_name) if person else vacant if seat else esc(row.guest_name)
            name = f'      <td class="govuk-table__cell">{who}</td>\n'
        out.append(
            '    <tr class="govuk-table__row">\n'
            f"{name}"
            f'      <td class="govuk-table__cell">'
            f"{esc((organisation.name if organisation else '') or row.guest_organisation)}</td>\n"
            f'      <td class="govuk-table__cell">{role}</td>\n'
            f'      <td class="govuk-table__cell">{label}</td>\n'
            "    </tr>"
        )
    return mark_safe("\n".join(out))  # noqa: S308 - every value escaped by esc above
