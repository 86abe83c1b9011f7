from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from core.content_version import USERS
from core.fragments import cached_fragment
from core.roles import user_roles
from governance.content_scopes import REGISTERS

from . import selectors
from .content_scopes import SEARCH
from .forms import SearchForm

PER_PAGE = 20

# What a page of results reads: the index, and what decides whose drafts a searcher sees (their
# person and memberships, in the registers; their shown name).
RESULT_SCOPES = (SEARCH, REGISTERS, USERS)


@require_GET
def search_page(request: HttpRequest) -> HttpResponse:
    """Search everything the signed-in user may open (login is required by the portal's middleware)."""
    form = SearchForm(request.GET or None, user=request.user)
    valid = not form.is_bound or form.is_valid()
    q = form.cleaned_data["q"] if form.is_bound and valid else ""

    def body() -> str:
        return render_to_string("search/partials/body.html", _body_context(request, form, q), request)

    if valid:
        # Ranking thousands of matches of a common word, and the form's fields, cost several times a
        # plain page: a page of results is kept per searcher (what they may open is theirs) and per
        # version of the index and the registers, so the same search again, or the next page and
        # back, costs a cache read (core.fragments, docs/adr/0004).
        roles = sorted(role.value for role in user_roles(request.user))
        user: Any = request.user
        vary = (user.pk, user.is_superuser, *roles, "|", request.GET.urlencode())
        body_html = cached_fragment("search-results", scopes=RESULT_SCOPES, vary=vary, render=body)
    else:
        body_html = mark_safe(body())  # noqa: S308 - rendered by our own template, autoescaped
    return render(
        request,
        "search/search.html",
        {"form": form, "q": q, "body_html": body_html},
        status=422 if form.errors else 200,
    )


def _body_context(request: HttpRequest, form: SearchForm, q: str) -> dict[str, object]:
    context: dict[str, object] = {"form": form, "page": None, "results": [], "q": q}
    if q:
        found = selectors.search(
            request.user,
            q,
            kinds=form.cleaned_data["kind"],
            date_from=form.cleaned_data["date_from"],
            date_to=form.cleaned_data["date_to"],
        )
        page = Paginator(found, PER_PAGE).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        context.update(
            page=page,
            results=selectors.results(page.object_list, q),
            query=query.urlencode(),
            no_words=not selectors.terms(q),
        )
    return context
