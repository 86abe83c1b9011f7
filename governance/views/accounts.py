"""Inviting a person in the register to the portal: a page that says what will happen, then the invite."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ..models import Person
from ..permissions import can_invite, require
from ..services.accounts import invitation_plan, person_invite


@require_http_methods(["GET", "POST"])
def person_invite_page(request: HttpRequest, pk: int) -> HttpResponse:
    require(can_invite(request.user))
    person = get_object_or_404(Person.objects.select_related("organisation", "user"), pk=pk)
    back = person.organisation.get_absolute_url()
    if request.method == "POST":
        try:
            person_invite(acting_user=request.user, person=person)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("%(person)s has been invited. The email with their link is on its way to %(email)s.")
                % {"person": person, "email": person.email},
            )
            return redirect(back)
    plan = invitation_plan(person=person)
    return render(request, "governance/person_invite.html", {"plan": plan, "back": back})
