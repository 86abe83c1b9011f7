"""PDFs the portal writes (the meeting pack, the Home Office report): WeasyPrint on a closed network.

The renderer fetches the portal's own static files and nothing else, so a PDF builds without network
access and can never be made to reach another host.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpRequest
from django.template.loader import render_to_string

BASE_URL = "http://portal.invalid/"


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
                raise ValueError(f"A portal PDF does not fetch {url}.")
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
    document = weasyprint.HTML(string=html, base_url=BASE_URL, url_fetcher=static_only_fetcher())
    return document.write_pdf()  # type: ignore[no-any-return]
