"""Server-rendered fragments cached on the versions of the content they read.

A large register, tracker, meeting record or dashboard costs far more to render than to read. Such a
fragment is rendered once per version of the scopes of content it reads and reused: each scope's
version (``core.content_version``) grows with every committed change to its tables, kept by database
triggers in the same transaction as the change, and the versions are read in one query over a handful
of rows whatever the size of the data. An edit, an addition or a deletion gives a new key at once, in
every process (nothing has to be invalidated), to the fragments that read its scope and to no other:
recording an attendance row re-renders the meeting's record, not the membership register. A table no
app has given a scope is in ``content_version.GLOBAL``, which every fragment reads. See docs/adr/0004.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable
from typing import Any, TypeVar, cast

from django.core.cache import cache
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

from core import content_version

logger = logging.getLogger(__name__)
T = TypeVar("T")

# Unused versions simply age out.
FRAGMENT_TIMEOUT = 60 * 60


def get_or_render(key: str, render: Callable[[], Any], timeout: int = FRAGMENT_TIMEOUT) -> Any:
    """The cached value under ``key``, or ``render()``'s, stored for next time.

    The cache is a speed-up, never a dependency: if it cannot be reached (Redis down, with
    ``CACHE_URL`` pointing at it) the page is rendered as if nothing were cached, and the failure logged.
    """
    name = key.split(":")[1] if key.count(":") >= 2 else key.split(":")[0]
    try:
        value = cache.get(key)
    except Exception:  # any cache backend's connection error
        logger.warning("Cache unavailable: rendering %s afresh.", name, exc_info=True)
        return render()
    if value is None:
        value = render()
        try:
            cache.set(key, value, timeout)
        except Exception:
            logger.warning("Cache unavailable: could not keep %s.", name, exc_info=True)
    return value


def fragment_key(name: str, *, scopes: Iterable[str] | None, vary: Iterable[Any]) -> str:
    """The key of ``name`` for the versions of ``scopes`` now (all the content when None), today, in
    this language and ``vary``."""
    parts = [
        name,
        content_version.current(None if scopes is None else tuple(scopes)),
        timezone.localdate().isoformat(),
        translation.get_language(),
        *vary,
    ]
    return f"svrp-fragment:{name}:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def cached_value(
    name: str, *, scopes: Iterable[str] | None, vary: Iterable[Any], compute: Callable[[], T]
) -> T:
    """``compute()``'s value (picklable) for these versions of ``scopes``, today, in this language and
    ``vary``. The versions are read before ``compute()`` reads the data: a change committed in between is
    kept under the versions before it, which no later request asks for."""
    return cast(T, get_or_render(fragment_key(name, scopes=scopes, vary=vary), compute))


def cached_fragment(
    name: str, *, scopes: Iterable[str] | None, vary: Iterable[Any], render: Callable[[], str]
) -> SafeString:
    """``render()``'s HTML for these versions of ``scopes`` (the scopes of content it reads; None for
    all of it), today, in this language and ``vary``."""
    html = get_or_render(fragment_key(name, scopes=scopes, vary=vary), render)
    return mark_safe(str(html))  # noqa: S308 - rendered by our own templates, autoescaped
