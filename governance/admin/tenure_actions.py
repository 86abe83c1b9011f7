"""The tenure admin's two upkeep actions: end tenures, and replace a seat's holder.

Each asks first, on its own page (the end date; the next holder and their start date), and writes only
through the register services (``membership_end``, ``membership_replace``), so the registers of the
meetings to come follow, as they do from the portal's own pages.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from ..models import Membership, Person
from ..services.registers import membership_end, membership_replace

DATE_WIDGET = forms.DateInput(attrs={"type": "date", "autofocus": True}, format="%Y-%m-%d")


class EndTenureForm(forms.Form):
    end_date = forms.DateField(
        label=gettext_lazy("Last day of the tenure"),
        help_text=gettext_lazy("The person leaves the seat after this day; the seat stays, vacant."),
        widget=DATE_WIDGET,
    )


class ReplaceHolderForm(forms.Form):
    person = forms.ModelChoiceField(
        label=gettext_lazy("New holder"),
        queryset=Person.objects.filter(archived_at__isnull=True).select_related("organisation"),
        widget=forms.Select(attrs={"autofocus": True}),
    )
    start_date = forms.DateField(
        label=gettext_lazy("First day of the new holder's tenure"),
        help_text=gettext_lazy("The current holder's tenure ends the day before."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


def _ask(
    model_admin: admin.ModelAdmin,
    request: HttpRequest,
    queryset: QuerySet[Membership],
    *,
    action: str,
    title: str,
    form: forms.Form,
    template: str,
) -> HttpResponse:
    context = {
        **model_admin.admin_site.each_context(request),
        "title": title,
        "subtitle": None,
        "opts": model_admin.model._meta,
        "tenures": queryset.select_related("person", "seat", "group"),
        "form": form,
        "action": action,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "media": model_admin.media,
    }
    return TemplateResponse(request, template, context)


@admin.action(description=gettext_lazy("End the selected tenures (asks for the last day first)"))
def end_tenures(model_admin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Membership]) -> Any:
    form = EndTenureForm(request.POST if "apply" in request.POST else None)
    if form.is_bound and form.is_valid():
        ended = 0
        for tenure in queryset.select_related("person", "seat"):
            try:
                membership_end(
                    acting_user=request.user, membership=tenure, end_date=form.cleaned_data["end_date"]
                )
            except ValidationError as exc:
                model_admin.message_user(request, f"{tenure}: {' '.join(exc.messages)}", messages.ERROR)
            else:
                ended += 1
        if ended:
            model_admin.message_user(
                request,
                ngettext("%(n)s tenure ended.", "%(n)s tenures ended.", ended) % {"n": ended},
                messages.SUCCESS,
            )
        return None
    if not form.is_bound:
        form = EndTenureForm(initial={"end_date": timezone.localdate()})
    return _ask(
        model_admin,
        request,
        queryset,
        action="end_tenures",
        title=_("End tenures"),
        form=form,
        template="admin/governance/membership/end_tenures.html",
    )


@admin.action(description=gettext_lazy("Replace the holder of the selected tenure's seat"))
def replace_holder(
    model_admin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Membership]
) -> Any:
    if queryset.count() != 1:
        model_admin.message_user(
            request, _("Select one tenure: the seat's current holder."), messages.WARNING
        )
        return None
    tenure = queryset.select_related("person", "seat").get()
    form = ReplaceHolderForm(request.POST if "apply" in request.POST else None)
    if form.is_bound and form.is_valid():
        try:
            new = membership_replace(
                acting_user=request.user,
                membership=tenure,
                person=form.cleaned_data["person"],
                start_date=form.cleaned_data["start_date"],
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc)
        else:
            model_admin.message_user(
                request,
                _("%(person)s holds the seat %(seat)s from %(day)s.")
                % {"person": new.person, "seat": new.seat, "day": new.start_date.strftime("%d/%m/%Y")},
                messages.SUCCESS,
            )
            return None
    return _ask(
        model_admin,
        request,
        queryset,
        action="replace_holder",
        title=_("Replace the holder of %(seat)s") % {"seat": tenure.seat},
        form=form,
        template="admin/governance/membership/replace_holder.html",
    )
