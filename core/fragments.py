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
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from django.core.cache import cache
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

from core import content_version

logger = logging.getLogger(__name__)
T = TypeVar("T")

# Unused versions simply age out.
FRAGMENT_TIMEOUT = 60 * 60


def render_piece(key: str, render: Callable[[], Any]) -> Any:
    """``render()``, the value kept under ``key``: every fragment rendered afresh is rendered here (the
    test suite counts them here)."""
    return render()


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
        return render_piece(key, render)
    if value is None:
        value = render_piece(key, render)
        try:
            cache.set(key, value, timeout)
        except Exception:
            logger.warning("Cache unavailable: could not keep %s.", name, exc_info=True)
    return value


def fragment_key(
    name: str, *, scopes: Iterable[str] | None, vary: Iterable[Any], version: int | None = None
) -> str:
    """The key of ``name`` for the versions of ``scopes`` now (all the content when None; ``version``
    when the caller has read it), today, in this language and ``vary``."""
    if version is None:
        version = content_version.current(None if scopes is None else tuple(scopes))
    parts = [
        name,
        version,
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


@dataclass(frozen=True)
class Fragment:
    """One of a page's cached fragments (``cached_fragments``): as ``cached_fragment``'s arguments, or
    ``cached_value``'s (``cached_values``)."""

    name: str
    scopes: tuple[str, ...]
    vary: tuple[Any, ...]
    render: Callable[[], Any]


def cached_values(*pieces: Fragment) -> list[Any]:
    """Each piece's value, as ``cached_value`` would give it, for a page made of pieces reading
    different scopes (a change re-renders only the pieces that read it): their versions in one query
    and the cache in one round trip to read and one to keep what was rendered, so the page costs what
    one piece did. As ``get_or_render``, the cache is a speed-up, never a dependency."""
    versions = content_version.by_scope(scope for piece in pieces for scope in piece.scopes)
    keys = [
        fragment_key(
            piece.name,
            scopes=piece.scopes,
            vary=piece.vary,
            version=content_version.version_of(versions, piece.scopes),
        )
        for piece in pieces
    ]
    try:
        found = cache.get_many(keys)
    except Exception:  # any cache backend's connection error
        logger.warning(
            "Cache unavailable: rendering %s afresh.", ", ".join(p.name for p in pieces), exc_info=True
        )
        return [render_piece(key, piece.render) for key, piece in zip(keys, pieces, strict=True)]
    values, rendered = [], {}
    for key, piece in zip(keys, pieces, strict=True):
        if key in found:
            values.append(found[key])
        else:
            # Not asked again: the one round trip above has said it is not there.
            value = rendered[key] = render_piece(key, piece.render)
            values.append(value)
    if rendered:
        try:
            cache.set_many(rendered, FRAGMENT_TIMEOUT)
        except Exception:
            names = ", ".join(piece.name for key, piece in zip(keys, pieces, strict=True) if key in rendered)
            logger.warning("Cache unavailable: could not keep %s.", names, exc_info=True)
    return values


def cached_fragments(*pieces: Fragment) -> list[SafeString]:
    """Each piece's HTML, as ``cached_fragment`` would give it (``cached_values``)."""
    return [mark_safe(str(html)) for html in cached_values(*pieces)]  # noqa: S308 - our templates
