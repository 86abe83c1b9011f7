"""The PDF renderer every portal PDF uses fetches the portal's static files and nothing else."""

from __future__ import annotations

import pytest

from core.pdf import static_only_fetcher


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/tracker.png",
        "http://169.254.169.254/latest/meta-data/",
        "file:///etc/passwd",
        "http://portal.invalid/static/../../etc/passwd",
        "http://portal.invalid/media-not-served/papers/secret.pdf",
    ],
)
def test_the_pdf_renderer_fetches_nothing_but_the_portals_static_files(url):
    fetcher = static_only_fetcher()
    with pytest.raises(Exception):  # noqa: B017, PT011 - WeasyPrint only needs a refusal
        fetcher.fetch(url)


def test_the_pdf_renderer_serves_the_pack_stylesheet():
    response = static_only_fetcher().fetch("http://portal.invalid/static/css/pack-pdf.css")
    assert b"@page" in response.read()
