"""Admin of the registers: membership upkeep by Administrators (DESIGN.md).

History of every change is visible through django-simple-history's ``SimpleHistoryAdmin`` ("History"
button); organisations, people and memberships import and export as CSV or XLSX through
django-import-export, atomically (``governance.resources``).

The database refuses overlapping memberships and a second chair (migration 0003). The forms check the
same rules first (``Membership.clean`` and ``MembershipInlineFormSet.clean``); should another request
slip in between the check and the save, ``RaceSafeChangeformMixin`` turns the ``IntegrityError`` into
the same form error rather than a server error.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.admin_access import RegisterAdminMixin, RegisterPermissionsMixin
from core.admin_files import SafeImportExportMixin
from core.authorship import stamp

# The admin's history pages name a changed link in words, never "Deleted person (pk=None)".
from ..history import ReadableHistoryAdmin as SimpleHistoryAdmin
from ..models import (
    Membership,
    Organisation,
    PartnershipGroup,
    Person,
    Seat,
    TermsOfReference,
    TermsOfReferenceSection,
    TheoryOfChangeActivity,
)
from ..resources import MembershipResource, OrganisationResource, PersonResource
from ..services.registers import (
    organisation_archive,
    seat_archive,
    tenures_changed,
    terms_of_reference_approve,
)
from .tenure_actions import end_tenures, replace_holder


class RaceSafeChangeformMixin:
    """A database refusal on save becomes a form error, never a 500 and never a duplicate.

    The admin saves inside one transaction, so the refused save left nothing behind. The form is then
    validated again: the record that won the race is now visible to ``Membership.clean``, which names the
    field. If validation still passes (a refusal the checks cannot see), the user gets a clear message.
    """

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)  # type: ignore[misc]
        except IntegrityError:
            if request.method != "POST":
                raise
        try:
            # The form with the error the second validation found, or, if the other request's change
            # was undone meanwhile, the saved record.
            return super().changeform_view(request, object_id, form_url, extra_context)  # type: ignore[misc]
        except IntegrityError:
            pass
        self.message_user(  # type: ignore[attr-defined]
            request,
            _(
                "Nothing was saved: the change conflicts with a membership saved at the same time "
                "(overlapping dates or a second chair). Check the memberships and try again."
            ),
            messages.ERROR,
        )
        return HttpResponseRedirect(request.get_full_path())


class StampedAdminMixin:
    """Record who created and last changed a record, here and in inlines, as the services do
    (``core.authorship.stamp``: the record's fields and its history row name the same user)."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        stamp(obj, request.user, new=not change)
        super().save_model(request, obj, form, change)  # type: ignore[misc]

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        instances = formset.save(commit=False)
        groups: set[int] = set()
        for instance in instances:
            stamp(instance, request.user, new=instance.pk is None)
            instance.save()
            if isinstance(instance, Membership | Seat):
                groups.add(instance.group_id)
        for obj in formset.deleted_objects:
            obj.delete()
        formset.save_m2m()
        for group_id in groups:
            tenures_changed(group_id=group_id)


class GovernedAdminMixin(StampedAdminMixin):
    """A governed record (meetings, minutes, decisions, actions, memberships) is never deleted here:
    it is cancelled, superseded or ended through its service, and its history stays whole."""

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def _meets(a: Any, b: Any) -> bool:
    far = a.start_date.replace(year=9999, month=12, day=31)
    return a.start_date <= (b.end_date or far) and b.start_date <= (a.end_date or far)


class MembershipInlineFormSet(BaseInlineFormSet):
    """Rows of one submission checked against each other (each is checked against the database by
    ``Membership.clean``): the same person twice in a group, or two chairs, at overlapping dates."""

    def clean(self) -> None:
        super().clean()
        rows: list[Membership] = []
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or not form.cleaned_data or form.cleaned_data.get("DELETE"):
                continue
            instance = form.instance
            if instance.start_date is None or instance.group_id is None:
                continue
            for other in rows:
                if other.group_id != instance.group_id or not _meets(instance, other):
                    continue
                if other.person_id == instance.person_id:
                    form.add_error(
                        "start_date",
                        _("These dates overlap another membership of the same person in the same group."),
                    )
                elif instance.role == other.role == Membership.Role.CHAIR:
                    form.add_error(
                        "role", _("Another row makes someone else chair of this group at the same dates.")
                    )
            rows.append(instance)


class MembershipInline(RegisterPermissionsMixin, admin.TabularInline):
    model = Membership
    formset = MembershipInlineFormSet
    extra = 0
    can_delete = False  # a membership ends (its end date); it is never deleted
    show_change_link = True


class PersonMembershipInline(MembershipInline):
    """A person's tenures: which seat (and so which group and authority), as what, from when to when."""

    fk_name = "person"
    autocomplete_fields = ("seat",)
    fields = ("seat", "role", "start_date", "end_date")


class SeatTenureInline(MembershipInline):
    """Who has held a seat, and who holds it or deputises in it now."""

    fk_name = "seat"
    autocomplete_fields = ("person",)
    fields = ("person", "role", "start_date", "end_date")


class GroupSeatInline(RegisterPermissionsMixin, admin.TabularInline):
    """The seats of a group: archived through the seat's own page, never deleted."""

    model = Seat
    extra = 0
    can_delete = False
    show_change_link = True
    autocomplete_fields = ("organisation",)
    fields = ("title", "organisation", "voting", "order", "archived_at")
    readonly_fields = ("archived_at",)


class ArchivedFilter(admin.SimpleListFilter):
    title = gettext_lazy("archived")
    parameter_name = "archived"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("no", _("Current")), ("yes", _("Archived"))]

    def queryset(self, request: HttpRequest, queryset: Any) -> Any:
        if self.value() == "no":
            return queryset.filter(archived_at__isnull=True)
        if self.value() == "yes":
            return queryset.filter(archived_at__isnull=False)
        return queryset


@admin.register(Organisation)
class OrganisationAdmin(RegisterAdminMixin, StampedAdminMixin, SafeImportExportMixin, SimpleHistoryAdmin):
    resource_classes = [OrganisationResource]
    list_display = ("name", "short_name", "sector", "duty_status", "is_reference", "archived_at")
    list_filter = ("sector", "duty_status", ArchivedFilter, "is_reference")
    search_fields = ("name", "short_name", "tor_description")
    readonly_fields = ("is_reference", "archived_at")
    actions = ["archive_selected"]

    def get_prepopulated_fields(self, request: HttpRequest, obj: Any = None) -> dict[str, tuple[str, ...]]:
        return {} if obj else {"slug": ("name",)}

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        # The slug is the organisation's address (/organisations/<slug>/) and the reference loader's key.
        return (*self.readonly_fields, "slug") if obj else tuple(self.readonly_fields)

    @admin.action(description=gettext_lazy("Archive the selected organisations (and end their memberships)"))
    def archive_selected(self, request: HttpRequest, queryset: Any) -> None:
        archived = 0
        for organisation in queryset:
            try:
                organisation_archive(acting_user=request.user, organisation=organisation)
                archived += 1
            except ValidationError as exc:
                self.message_user(request, " ".join(exc.messages), messages.ERROR)
        if archived:
            self.message_user(
                request,
                ngettext("%(n)s organisation archived.", "%(n)s organisations archived.", archived)
                % {"n": archived},
                messages.SUCCESS,
            )


@admin.register(Person)
class PersonAdmin(
    RegisterAdminMixin, RaceSafeChangeformMixin, StampedAdminMixin, SafeImportExportMixin, SimpleHistoryAdmin
):
    resource_classes = [PersonResource]
    list_display = ("full_name", "job_title", "organisation", "email", "archived_at")
    list_filter = ("organisation__sector", ArchivedFilter, "organisation")
    search_fields = ("full_name", "job_title", "email", "organisation__name")
    autocomplete_fields = ("organisation", "user")
    list_select_related = ("organisation",)
    inlines = [PersonMembershipInline]
    actions = ["invite_to_portal"]

    @admin.action(description=gettext_lazy("Invite to the portal (shows what will happen first)"))
    def invite_to_portal(self, request: HttpRequest, queryset: Any) -> HttpResponse | None:
        """The staff page says what inviting will do and asks first (governance.views.accounts)."""
        from django.urls import reverse

        if queryset.count() != 1:
            self.message_user(request, _("Choose one person to invite."), messages.WARNING)
            return None
        return HttpResponseRedirect(reverse("governance:person_invite", args=[queryset.get().pk]))


@admin.register(PartnershipGroup)
class PartnershipGroupAdmin(
    RegisterAdminMixin, RaceSafeChangeformMixin, StampedAdminMixin, SimpleHistoryAdmin
):
    list_display = ("short_name", "name", "kind", "parent", "acts_as_vru_core_group", "order")
    list_filter = ("kind",)
    search_fields = ("name", "short_name")
    prepopulated_fields = {"slug": ("short_name",)}
    inlines = [GroupSeatInline]


@admin.register(Seat)
class SeatAdmin(RegisterAdminMixin, RaceSafeChangeformMixin, GovernedAdminMixin, SimpleHistoryAdmin):
    """The Terms of Reference's seats. Ending a tenure leaves its seat (vacant); archiving a seat is the
    separate, deliberate act below, refused while anyone still holds it."""

    list_display = ("title", "organisation", "group", "voting", "is_reference", "archived_at")
    list_filter = ("group", ArchivedFilter, "organisation__sector", "voting", "is_reference")
    search_fields = ("title", "organisation__name", "group__short_name")
    autocomplete_fields = ("organisation",)
    list_select_related = ("organisation", "group")
    readonly_fields = ("is_reference", "archived_at")
    inlines = [SeatTenureInline]
    actions = ["archive_selected"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        tenures_changed(group_id=obj.group_id)

    @admin.action(description=gettext_lazy("Archive the selected seats (nobody may hold them)"))
    def archive_selected(self, request: HttpRequest, queryset: Any) -> None:
        archived = 0
        for seat in queryset:
            try:
                seat_archive(acting_user=request.user, seat=seat)
                archived += 1
            except ValidationError as exc:
                self.message_user(request, " ".join(exc.messages), messages.ERROR)
        if archived:
            self.message_user(
                request,
                ngettext("%(n)s seat archived.", "%(n)s seats archived.", archived) % {"n": archived},
                messages.SUCCESS,
            )


@admin.register(Membership)
class MembershipAdmin(
    RegisterAdminMixin, RaceSafeChangeformMixin, GovernedAdminMixin, SafeImportExportMixin, SimpleHistoryAdmin
):
    """Tenures: a person in a seat, as its holder or its deputy, for a time."""

    resource_classes = [MembershipResource]
    list_display = ("person", "seat", "group", "role", "organisation", "start_date", "end_date")
    list_filter = ("group", "role", "organisation__sector", "organisation__duty_status")
    search_fields = ("person__full_name", "seat__title", "organisation__name")
    autocomplete_fields = ("person", "seat")
    list_select_related = ("person", "group", "organisation", "seat")
    date_hierarchy = "start_date"
    actions = [end_tenures, replace_holder]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        tenures_changed(group_id=obj.group_id)


class SectionInline(RegisterPermissionsMixin, admin.StackedInline):
    model = TermsOfReferenceSection
    extra = 0
    fields = ("order", "heading", "body", "notes")


@admin.register(TermsOfReference)
class TermsOfReferenceAdmin(RegisterAdminMixin, StampedAdminMixin, SimpleHistoryAdmin):
    list_display = ("__str__", "group", "version", "status", "approved_on", "revision_required")
    list_filter = ("group", "status", "revision_required")
    search_fields = ("version", "summary_of_changes", "sections__heading")
    readonly_fields = ("status",)
    inlines = [SectionInline]
    actions = ["approve_selected"]

    @admin.action(description=gettext_lazy("Approve the selected draft today (supersedes the approved one)"))
    def approve_selected(self, request: HttpRequest, queryset: Any) -> None:
        from django.utils import timezone

        for terms in queryset:
            try:
                terms_of_reference_approve(
                    acting_user=request.user, terms=terms, approved_on=timezone.localdate()
                )
            except ValidationError as exc:
                self.message_user(request, f"{terms}: {' '.join(exc.messages)}", messages.ERROR)
            else:
                self.message_user(request, _("%(terms)s approved.") % {"terms": terms}, messages.SUCCESS)


@admin.register(TheoryOfChangeActivity)
class TheoryOfChangeActivityAdmin(RegisterAdminMixin, StampedAdminMixin, SimpleHistoryAdmin):
    list_display = ("code", "title", "kind", "order")
    list_filter = ("kind",)
    search_fields = ("code", "title", "description")
