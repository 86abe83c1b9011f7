"""Pages of the registers: membership, organisations, Terms of Reference, Theory of Change, published."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core import tags
from core.forms import apply_service_error, form_page
from core.fragments import Fragment, cached_values
from core.spreadsheets import csv_response, xlsx_response

from .. import register_selectors as selectors
from ..content_scopes import ATTENDANCE, MEETINGS, REGISTERS
from ..models import (
    Membership,
    Organisation,
    Seat,
    TermsOfReference,
    TheoryOfChangeActivity,
)
from ..permissions import (
    can_edit_registers,
    can_invite,
    can_see_contact_details,
    can_see_register_history,
    require,
)
from ..register_forms import RegisterFilterForm, TenureEndForm
from ..rows import esc, url_maker
from ..services.registers import membership_end
from ..theory_of_change import linked_items


def _register_context(request: HttpRequest) -> tuple[RegisterFilterForm, list[selectors.RegisterGroup]]:
    form = RegisterFilterForm(request.GET or None)
    groups = selectors.register(day=timezone.localdate(), with_attendance=True, **form.filters())
    return form, groups


@require_GET
def membership_register(request: HttpRequest) -> HttpResponse:
    """The internal register, by authority: status, seats, people, contacts, attendance."""
    form = RegisterFilterForm(request.GET or None)
    query = request.GET.urlencode()
    show_contacts = can_see_contact_details(request.user)

    # Rendered without the request, as every cached fragment shared by viewers: nothing of the viewer's
    # may reach it, and the context processors' navigation is not worked out for it.
    def tables() -> str:
        groups = selectors.register(day=timezone.localdate(), with_attendance=False, **form.filters())
        return render_to_string(
            "governance/partials/membership_register.html",
            {
                "form": form,
                # Some 300 rows: built in one pass with each value worked out once, not a template per row.
                "tables": [(group, register_rows(group, show_contacts=show_contacts)) for group in groups],
                "show_contacts": show_contacts,
                # The same head on a dozen tables: rendered once.
                "head_html": render_to_string(
                    "governance/partials/membership_register_head.html", {"show_contacts": show_contacts}
                ),
                "query": f"?{query}" if query else "",
                "organisation_count": sum(len(g.entries) for g in groups),
            },
        )

    # Rendering the filters and some 300 rows costs far more than the page's queries: render them once
    # per version of the registers (core.fragments), for each filter and with or without contact
    # details. The attendance rates, which move at every meeting, are kept apart and filled in; the
    # versions of both are read in one query.
    register_html, rates = cached_values(
        Fragment("membership-register", (REGISTERS,), (query, show_contacts), tables),
        Fragment("attendance-rates", RATES_SCOPES, (), selectors.attendance_rate_texts),
    )
    return render(
        request, "governance/membership.html", {"register_html": fill_attendance_rates(register_html, rates)}
    )


def register_rows(group: selectors.RegisterGroup, *, show_contacts: bool) -> SafeString:
    """The register's rows for one group: each authority's link and status tag made once, each row's
    values read once and escaped into one string a row (the rows are the bulk of the register's cost;
    ``governance.rows``). Attendance rates are placeholders (``fill_attendance_rates``)."""
    statuses: dict[str, str] = {}
    vacant = f'<strong class="govuk-tag govuk-tag--grey">{esc(_("Vacant seat"))}</strong>'
    none = esc(_("No current members."))
    roles: dict[str, str] = {}  # each role's label translated once
    seat_groups: dict[int | None, str] = {}  # each group's name escaped once
    organisation_url = url_maker("governance:organisation")
    rows: list[str] = []
    for entry in group.entries:
        organisation = entry.organisation
        status = organisation.duty_status
        if status not in statuses:
            statuses[status] = render_to_string("partials/tag.html", {"tag": tags.tag("duty_status", status)})
        head = (
            '<tr class="govuk-table__row">\n  <th scope="row" class="govuk-table__header">'
            f'<a class="govuk-link" href="{esc(organisation_url(organisation.slug))}">'
            f"{esc(organisation.name)}</a></th>\n"
            f'  <td class="govuk-table__cell">{statuses[status]}</td>'
        )
        rate = f'\n  <td class="govuk-table__cell"><!--attendance-rate:{organisation.pk}--></td>\n</tr>'
        if not entry.seats:
            rows.append(
                f'{head}\n  <td class="govuk-table__cell" colspan="{6 if show_contacts else 4}">{none}</td>'
                + rate
            )
            continue
        for seat_row in entry.seats:
            seat = seat_row.seat
            title = esc(seat.title)
            seat_group = seat_groups.get(seat.group_id)
            if seat_group is None:
                seat_group = seat_groups[seat.group_id] = esc(seat.group)
            # Every seat once: its holder, or "Vacant seat"; then its deputies.
            for membership in seat_row.lines:
                person = membership.person if membership else None
                if person is None:
                    who = vacant
                elif person.job_title:
                    job = esc(person.job_title)
                    who = f'{esc(person.full_name)}<br><span class="govuk-body-s">{job}</span>'
                else:
                    who = esc(person.full_name)
                if membership:
                    role = roles.get(membership.role)
                    if role is None:
                        role = roles[membership.role] = esc(membership.get_role_display())
                else:
                    role = "–"
                cells = (
                    f'\n  <td class="govuk-table__cell">{title}</td>'
                    f'\n  <td class="govuk-table__cell">{who}</td>'
                    f'\n  <td class="govuk-table__cell">{role}</td>'
                    f'\n  <td class="govuk-table__cell">{seat_group}</td>'
                )
                if show_contacts:
                    email = (
                        f'<a class="govuk-link" href="mailto:{esc(person.email)}">{esc(person.email)}</a>'
                        if person and person.email
                        else "–"
                    )
                    phone = esc(person.phone) if person and person.phone else "–"
                    cells += (
                        f'\n  <td class="govuk-table__cell">{email}</td>'
                        f'\n  <td class="govuk-table__cell app-nowrap">{phone}</td>'
                    )
                rows.append(head + cells + rate)
                # The rate is the authority's, never a seat's: shown once, on its first row.
                rate = '\n  <td class="govuk-table__cell"></td>\n</tr>'
    return mark_safe("\n".join(rows))  # noqa: S308 - every value escaped by esc above


_RATE = re.compile(r"<!--attendance-rate:(\d+)-->")


# What the attendance rates read: the registers' rows, the meetings held and the authorities.
RATES_SCOPES = (ATTENDANCE, MEETINGS, REGISTERS)


def fill_attendance_rates(html: str, rates: tuple[dict[int, str], str]) -> SafeString:
    """The register with each organisation's attendance rate in its placeholder: ``rates`` as
    ``selectors.attendance_rate_texts`` gives them (cached on the attendance, meetings and registers
    alone)."""
    texts, none = rates
    return mark_safe(_RATE.sub(lambda m: escape(texts.get(int(m[1]), none)), html))  # noqa: S308 - escaped


def _export_header(with_contacts: bool) -> list[str]:
    header = [
        _("Authority group"),
        _("Authority"),
        _("Sector"),
        _("Serious Violence Duty status"),
        _("Group"),
        _("Seat"),
        _("Name"),
        _("Vacant seat"),
        _("Role"),
        _("Start date"),
    ]
    if with_contacts:
        header += [_("Email"), _("Phone")]
    return [*header, _("Attendance rate")]


def _export_rows(request: HttpRequest) -> Iterator[list[Any]]:
    """The register as rows (the same columns in CSV and XLSX); contacts only for those allowed."""
    with_contacts = can_see_contact_details(request.user)
    _form, groups = _register_context(request)
    meetings_held = selectors.any_meeting_held()
    yield _export_header(with_contacts)
    for group in groups:
        for entry in group.entries:
            organisation = entry.organisation
            if entry.attendance:
                rate = str(entry.attendance)
            else:
                rate = _("Not recorded") if meetings_held else _("No meetings yet")
            if not entry.seats:
                row: list[Any] = [
                    group.label,
                    organisation.name,
                    organisation.get_sector_display(),
                    organisation.get_duty_status_display(),
                    "",
                    "",
                    _("No current members"),
                    "",
                    "",
                    "",
                ]
                if with_contacts:
                    row += ["", ""]
                yield [*row, rate]
            for seat_row in entry.seats:
                for membership in seat_row.lines:
                    person = membership.person if membership else None
                    row = [
                        group.label,
                        organisation.name,
                        organisation.get_sector_display(),
                        organisation.get_duty_status_display(),
                        str(seat_row.seat.group),
                        seat_row.seat.title,
                        person.full_name if person else "",
                        _("Yes") if membership is None else _("No"),
                        membership.get_role_display() if membership else "",
                        membership.start_date if membership else None,
                    ]
                    if with_contacts:
                        row += [person.email if person else "", person.phone if person else ""]
                    yield [*row, rate]


def _filename(extension: str) -> str:
    return f"svrp-membership-{timezone.localdate():%Y-%m-%d}.{extension}"


@require_GET
def membership_export_csv(request: HttpRequest) -> StreamingHttpResponse:
    return csv_response(_filename("csv"), _export_rows(request))


@require_GET
def membership_export_xlsx(request: HttpRequest) -> FileResponse:
    return xlsx_response(_filename("xlsx"), [(str(_("Membership")), _export_rows(request))])


def _organisation_history(organisation: Organisation) -> list[dict[str, Any]]:
    """Newest first: when, who, what kind of change, which fields changed (one query)."""
    kinds = {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}
    rows = list(
        organisation.history.select_related("history_user").order_by("-history_date", "-history_id")[:100]  # type: ignore[attr-defined]
    )
    entries = []
    for newer, older in zip(rows, [*rows[1:], None], strict=False):
        changes = ""
        if older is not None:
            delta = newer.diff_against(older, foreign_keys_are_objs=False)
            changes = "; ".join(
                f"{getattr(organisation._meta.get_field(c.field), 'verbose_name', c.field)}: "
                f"{c.old or '–'} → {c.new or '–'}"
                for c in delta.changes
                if c.field not in ("modified", "modified_by")
            )
        entries.append(
            {
                "date": newer.history_date,
                "user": newer.history_user,
                "kind": kinds.get(newer.history_type, newer.history_type),
                "changes": changes,
            }
        )
    return entries


@require_GET
def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(
        Organisation.objects.prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.select_related("person", "group", "seat").order_by(
                    "-start_date", "group__order", "pk"
                ),
            )
        ),
        slug=slug,
    )
    today = timezone.localdate()
    memberships = list(organisation.memberships.all())  # type: ignore[attr-defined]
    show_history = can_see_register_history(request.user)
    return render(
        request,
        "governance/organisation.html",
        {
            "organisation": organisation,
            "current": [m for m in memberships if m.is_active_on(today)],
            "vacant_seats": list(
                Seat.objects.current()
                .filter(organisation=organisation)
                .exclude(pk__in=Membership.objects.active_on(today).holders().values("seat_id"))
                .select_related("group")
            ),
            "future": [m for m in memberships if m.start_date > today],
            "past": [m for m in memberships if m.end_date is not None and m.end_date < today],
            "attendance": selectors.attendance_rates().get(organisation.pk),
            "meetings_held": selectors.any_meeting_held(),
            "show_contacts": can_see_contact_details(request.user),
            "can_end_tenures": can_edit_registers(request.user),
            "history": _organisation_history(organisation) if show_history else None,
            "account_people": (
                list(organisation.people.filter(archived_at__isnull=True).select_related("user"))  # type: ignore[attr-defined]
                if can_invite(request.user)
                else None
            ),
        },
    )


def tenure_end(request: HttpRequest, pk: int) -> HttpResponse:
    """End a tenure: the date, then a page that says what will happen and asks first, then the end."""
    require(can_edit_registers(request.user))
    membership = get_object_or_404(
        Membership.objects.select_related("person", "seat", "group", "organisation"), pk=pk
    )
    back = membership.organisation.get_absolute_url()
    title = _("End %(person)s's tenure in %(seat)s") % {"person": membership.person, "seat": membership.seat}
    if request.method != "POST":
        form = TenureEndForm(initial={"end_date": membership.end_date or timezone.localdate()})
        return form_page(request, form, title=title, button=_("Continue"), back=back)
    form = TenureEndForm(request.POST)
    if form.is_valid():
        end_date = form.cleaned_data["end_date"]
        if form.cleaned_data["confirmed"]:
            try:
                membership_end(acting_user=request.user, membership=membership, end_date=end_date)
            except ValidationError as error:
                membership.refresh_from_db()
                apply_service_error(form, error)
            else:
                messages.success(
                    request,
                    _("%(person)s's tenure in %(seat)s ends on %(day)s.")
                    % {
                        "person": membership.person,
                        "seat": membership.seat,
                        "day": date_format(end_date, "j F Y"),
                    },
                )
                return redirect(back)
        else:
            # Checked as the service will check it (the end after the start), before asking.
            trial = Membership.objects.get(pk=membership.pk)
            trial.end_date = end_date
            try:
                trial.full_clean()
            except ValidationError as error:
                apply_service_error(form, error)
            else:
                return render(
                    request,
                    "governance/tenure_end_confirm.html",
                    {
                        "title": title,
                        "back": back,
                        "ending": selectors.tenure_ending(membership, end_date),
                    },
                )
    return form_page(request, form, title=title, button=_("Continue"), back=back)


def _versions(terms: TermsOfReference | None) -> list[TermsOfReference]:
    if terms is None:
        return []
    return list(
        TermsOfReference.objects.filter(group_id=terms.group_id)
        .select_related("approved_at_meeting")
        .order_by("-created", "-pk")
    )


@require_GET
def terms_of_reference(request: HttpRequest) -> HttpResponse:
    terms = selectors.current_terms_of_reference()
    return render(
        request,
        "governance/terms_of_reference.html",
        {"terms": terms, "versions": _versions(terms), "published": False},
    )


@require_GET
def theory_of_change(request: HttpRequest) -> HttpResponse:
    activities = list(TheoryOfChangeActivity.objects.order_by("order", "code"))
    links = linked_items([a.pk for a in activities])
    rows: list[dict[str, Any]] = [{"activity": a, "links": links.get(a.pk, [])} for a in activities]
    return render(
        request,
        "governance/theory_of_change.html",
        {
            "activities": [r for r in rows if r["activity"].kind == TheoryOfChangeActivity.Kind.ACTIVITY],
            "functions": [r for r in rows if r["activity"].kind == TheoryOfChangeActivity.Kind.FUNCTION],
        },
    )


@login_not_required
@require_GET
def published_membership(request: HttpRequest) -> HttpResponse:
    """Organisations and their seats on the SVRP: no names, no email addresses, no phone numbers."""
    group = selectors.svrp_group()
    organisations = sorted(
        selectors.register_organisations(day=timezone.localdate(), group=group),
        key=lambda o: (selectors.SECTOR_ORDER.get(o.sector, 99), o.name),
    )
    groups: dict[str, list[dict[str, Any]]] = {}
    for organisation in organisations:
        # Every seat once, held or vacant: the ToR's seats, never the people in them.
        seats = [
            (row.seat.title, row.vacant)
            for row in selectors.seat_rows(organisation.seats_in_force)  # type: ignore[attr-defined]
        ]
        groups.setdefault(organisation.display_group, []).append(
            {"organisation": organisation, "seats": seats}
        )
    return render(
        request,
        "governance/published_membership.html",
        {"groups": groups, "group": group, "today": timezone.localdate()},
    )


@login_not_required
@require_GET
def published_terms_of_reference(request: HttpRequest) -> HttpResponse:
    terms = selectors.current_terms_of_reference()
    return render(
        request,
        "governance/terms_of_reference.html",
        {"terms": terms, "versions": [], "published": True},
    )
