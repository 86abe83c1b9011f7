"""The API tokens page: a signed-in user creates, sees and revokes their own tokens."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import F
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from ..forms import ApiTokenForm
from ..models import ApiToken
from ..services import api_token_create, api_token_revoke


@never_cache  # the page answering a creation carries the key: no cache may keep it
@require_http_methods(["GET", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
    new_key = None
    if request.method == "POST":
        form = ApiTokenForm(request.POST)
        if form.is_valid():
            try:
                _token, new_key = api_token_create(acting_user=request.user, name=form.cleaned_data["name"])
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                form = ApiTokenForm()
    else:
        form = ApiTokenForm()
    # The key is shown in this answer only: it is never stored, nor put in the session.
    context = {
        "form": form,
        "new_key": new_key,
        # Active tokens first (NULL sorts differently in SQLite and PostgreSQL: say which).
        "tokens": ApiToken.objects.filter(user_id=cast(int, request.user.pk)).order_by(
            F("revoked_at").asc(nulls_first=True), "-created"
        ),
    }
    return render(request, "api/tokens.html", context, status=201 if new_key else 200)


@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    # Another user's token is simply not found: its existence is not disclosed.
    token = get_object_or_404(ApiToken, pk=pk, user_id=request.user.pk)
    api_token_revoke(acting_user=request.user, token=token)
    messages.success(
        request, _("The token “%(name)s” is revoked: it no longer works.") % {"name": token.name}
    )
    return HttpResponseRedirect(reverse("api:tokens"))
