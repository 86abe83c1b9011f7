"""A spy on ``core.fragments``: which cached fragments a request rendered (not served from the cache),
the scopes each keyed on and the tables each read."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core import fragments

TABLE = re.compile(r'(?:FROM|JOIN)\s+"(\w+)"')


class RenderSpy:
    """Which fragments were rendered (not served from the cache), and the tables each one read."""

    def __init__(self) -> None:
        self.rendered: Counter[str] = Counter()
        self.tables: dict[str, set[str]] = {}
        self.scopes: dict[str, set[str] | None] = {}
        self._inner = fragments.render_piece
        self._key = fragments.fragment_key

    def fragment_key(self, name: str, *, scopes: Any, vary: Any, version: int | None = None) -> str:
        self.scopes[name] = None if scopes is None else set(scopes)
        return self._key(name, scopes=scopes, vary=vary, version=version)

    def render_piece(self, key: str, render: Callable[[], Any]) -> Any:
        if not key.startswith("svrp-fragment:"):
            return self._inner(key, render)  # a chart, keyed on its own data (performance.charts)
        name = key.split(":")[1]
        self.rendered[name] += 1
        with CaptureQueriesContext(connection) as queries:
            value = self._inner(key, render)
        self.tables.setdefault(name, set()).update(
            t for q in queries.captured_queries for t in TABLE.findall(q["sql"])
        )
        return value


@pytest.fixture
def spy(monkeypatch: pytest.MonkeyPatch) -> RenderSpy:
    spy = RenderSpy()
    monkeypatch.setattr(fragments, "render_piece", spy.render_piece)
    monkeypatch.setattr(fragments, "fragment_key", spy.fragment_key)
    return spy
