"""Sub-group updates: chairs submit theirs for the next SVRP meeting; staff see who has not."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from core.forms import form_page, form_saved

from .. import permissions as perms
from ..meeting_forms import SubgroupUpdateForm
from ..meeting_selectors import subgroup_update_status
from ..models import PartnershipGroup, SubgroupUpdate
from ..services import meetings as services


def updates(request: HttpRequest) -> HttpResponse:
    perms.require(perms.can_see_update_tracker(request.user))
    meeting = services.next_svrp_meeting()
    status = subgroup_update_status(meeting) if meeting else []
    mine = {g.pk for g in perms.chaired_groups(request.user)}
    return render(
        request,
        "governance/updates.html",
        {
            "meeting": meeting,
            "status": [
                (group, update, perms.is_vru_staff(request.user) or group.pk in mine)
                for group, update in status
            ],
            "is_staff": perms.is_vru_staff(request.user),
            "submitted": sum(1 for _g, u in status if u is not None),
        },
    )


def update_submit(request: HttpRequest, slug: str) -> HttpResponse:
    group = get_object_or_404(PartnershipGroup, slug=slug, kind=PartnershipGroup.Kind.SUBGROUP)
    perms.require(perms.can_submit_update(request.user, group))
    meeting = services.next_svrp_meeting()
    if meeting is None:
        messages.info(request, _("No SVRP meeting is scheduled yet, so no update is due."))
        return redirect("governance:updates")
    existing = SubgroupUpdate.objects.filter(group=group, meeting=meeting).first()
    initial = (
        {"summary": existing.summary, "rag": existing.rag, "escalations": existing.escalations}
        if existing
        else {}
    )
    form = SubgroupUpdateForm(request.POST or None, initial=initial, group=group)
    if form_saved(
        request,
        form,
        lambda: services.subgroup_update_submit(
            acting_user=request.user, group=group, meeting=meeting, **form.cleaned_data
        ),
    ):
        messages.success(
            request,
            _("The %(group)s update is submitted for %(meeting)s.")
            % {"group": group.name, "meeting": meeting},
        )
        return redirect("governance:updates")
    return form_page(
        request,
        form,
        title=_("Update from the %(group)s") % {"group": group.name},
        button=_("Submit update"),
        back=reverse("governance:updates"),
        lead=_("For %(meeting)s. You can change it until the meeting.") % {"meeting": meeting},
    )
