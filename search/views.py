from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from . import selectors
from .forms import SearchForm

PER_PAGE = 20


@require_GET
def search_page(request: HttpRequest) -> HttpResponse:
    """Search everything the signed-in user may open (login is required by the portal's middleware)."""
    form = SearchForm(request.GET or None, user=request.user)
    context: dict[str, object] = {"form": form, "page": None, "results": [], "q": ""}
    if form.is_bound and form.is_valid() and form.cleaned_data["q"]:
        q = form.cleaned_data["q"]
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
            q=q,
            page=page,
            results=selectors.results(page.object_list, q),
            query=query.urlencode(),
            no_words=not selectors.terms(q),
        )
    return render(request, "search/search.html", context, status=422 if form.errors else 200)
