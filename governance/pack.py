"""The meeting pack: one page and one PDF, with sections other apps add.

``PACK_SECTIONS`` lists dotted paths of functions ``section(meeting, request) -> PackSection | None``;
the pack shows each section that returns one, in order, after the agenda, papers, sub-group updates and
actions. The performance app adds its "performance summary" here. A section keeps its query count fixed
and must render without network access (the PDF renderer fetches nothing but the portal's static files).
"""

from __future__ import annotations

import mimetypes
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.module_loading import import_string

from .models import Meeting


@dataclass
class PackSection:
    title: str
    template: str  # under templates/<app>/partials/; receives ``section`` (this object's context)
    context: dict[str, Any] = field(default_factory=dict)


PACK_SECTIONS: list[str] = []


def sections_for(meeting: Meeting, request: HttpRequest | None) -> list[PackSection]:
    found = []
    for dotted in PACK_SECTIONS:
        provider: Callable[[Meeting, HttpRequest | None], PackSection | None] = import_string(dotted)
        section = provider(meeting, request)
        if section is not None:
            found.append(section)
    return found


def static_only_fetcher() -> Any:
    """A WeasyPrint URL fetcher that serves the portal's own static files and refuses anything else.

    The PDF must build on a closed network and must never be used to reach another host.
    """
    import weasyprint

    class StaticOnlyFetcher(weasyprint.URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            path = unquote(urlsplit(url).path)
            prefix = settings.STATIC_URL
            if not url.startswith(("http://portal.invalid/", "file:")) or not path.startswith(prefix):
                raise ValueError(f"The meeting pack does not fetch {url}.")
            found = finders.find(path.removeprefix(prefix))
            if not found:
                root = Path(settings.STATIC_ROOT) / path.removeprefix(prefix)
                found = (
                    str(root)
                    if root.is_file() and root.resolve().is_relative_to(Path(settings.STATIC_ROOT).resolve())
                    else None
                )
            if not found:
                raise ValueError(f"No static file {path}.")
            content_type = mimetypes.guess_type(found)[0] or "application/octet-stream"
            return weasyprint.urls.URLFetcherResponse(
                url, body=Path(found).read_bytes(), headers={"Content-Type": content_type}
            )

    return StaticOnlyFetcher(fail_on_errors=False)


def render_pdf(template: str, context: dict[str, Any], request: HttpRequest | None = None) -> bytes:
    import weasyprint

    html = render_to_string(template, context, request=request)
    document = weasyprint.HTML(
        string=html, base_url="http://portal.invalid/", url_fetcher=static_only_fetcher()
    )
    return document.write_pdf()  # type: ignore[no-any-return]
