"""E-mails from templates: ``templates/emails/<kind>_subject.txt``, ``_body.txt`` and ``_body.html``.

Links in e-mails are absolute, from ``settings.SITE_URL``: a reader opens them from their mail client.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

Attachment = tuple[str, bytes, str]  # file name, content, MIME type


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def site_url(url_name: str, *args: Any) -> str:
    """The absolute address of a named page, for a reader who opens it from their mail client."""
    return absolute(reverse(url_name, args=args))


def build_email(
    kind: str,
    *,
    to: Sequence[str],
    context: dict[str, Any],
    attachments: Iterable[Attachment] = (),
) -> EmailMultiAlternatives:
    context = {"site_url": settings.SITE_URL, **context}
    # A subject is one line, whatever the template's whitespace.
    subject = " ".join(render_to_string(f"emails/{kind}_subject.txt", context).split())
    text = render_to_string(f"emails/{kind}_body.txt", context)
    html = render_to_string(f"emails/{kind}_body.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=list(to))
    message.attach_alternative(html, "text/html")
    for name, content, mimetype in attachments:
        message.attach(name, content, mimetype)
    return message
