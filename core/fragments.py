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
import logging
from collections.abc import Callable, Iterable
from typing import Any

from django.core.cache import cache
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

from core import content_version

logger = logging.getLogger(__name__)

# Unused versions simply age out.
FRAGMENT_TIMEOUT = 60 * 60


def get_or_render(key: str, render: Callable[[], str], timeout: int = FRAGMENT_TIMEOUT) -> str:
    """The cached text under ``key``, or ``render()``'s, stored for next time.

    The cache is a speed-up, never a dependency: if it cannot be reached (Redis down, with
    ``CACHE_URL`` pointing at it) the page is rendered as if nothing were cached, and the failure logged.
    """
    try:
        text = cache.get(key)
    except Exception:  # any cache backend's connection error
        logger.warning("Cache unavailable: rendering %s afresh.", key.split(":")[0], exc_info=True)
        return render()
    if text is None:
        text = render()
        try:
            cache.set(key, text, timeout)
        except Exception:
            logger.warning("Cache unavailable: could not keep %s.", key.split(":")[0], exc_info=True)
    return str(text)


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
    key = "svrp-fragment:" + hashlib.sha256(repr(parts).encode()).hexdigest()
    return mark_safe(get_or_render(key, render))  # noqa: S308 - rendered by our own templates, autoescaped
