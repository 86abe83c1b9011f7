"""Server-rendered fragments cached on the content version.

A large register, tracker, meeting record or dashboard costs far more to render than to read. Such a
fragment is rendered once per version of the portal's content and reused: the version
(``core.content_version``) grows with every committed change to any table of the governance, Crest and
performance apps, kept by database triggers in the same transaction as the change, and is read in one
query over a handful of rows whatever the size of the data. An edit, an addition or a deletion anywhere
gives a new key at once, in every process (nothing has to be invalidated). See docs/adr/0004.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from typing import Any

from django.core.cache import cache
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

from core import content_version

# Unused versions simply age out.
FRAGMENT_TIMEOUT = 60 * 60


def cached_fragment(name: str, *, vary: Iterable[Any], render: Callable[[], str]) -> SafeString:
    """``render()``'s HTML for this version of the content, today, in this language and ``vary``.

    The version is read before ``render()`` reads the data: a change committed in between is cached
    under the version before it, which no later request asks for.
    """
    parts = [
        name,
        content_version.current(),
        timezone.localdate().isoformat(),
        translation.get_language(),
        *vary,
    ]
    key = "svrp:fragment:" + hashlib.sha256(repr(parts).encode()).hexdigest()
    html = cache.get(key)
    if html is None:
        html = render()
        cache.set(key, html, FRAGMENT_TIMEOUT)
    return mark_safe(html)  # noqa: S308 - rendered by our own templates, autoescaped
