"""The portal's one registry of extension points, in the manner of wagtail's hooks.

An app adds to another app's pages or loaders without that app importing it: each app lists what it
adds in its own ``hooks.py`` with ``@hooks.register(NAME)``; those modules are imported once, in
``INSTALLED_APPS`` order, the first time a hook is read. The names below are the extension points.

- ``REFERENCE_LOADERS``: ``() -> str``, run by ``load_reference_data`` in order (registers first).
- ``HOME_PANELS``: ``(request) -> list[Panel]``, the panels of the signed-in home page.
- ``PACK_SECTIONS``: ``(meeting, request) -> PackSection | None``, sections of the meeting pack.
- ``TOC_LINKS``: ``(activities) -> ...``, what links to each Theory of Change activity.
- ``ACTION_LINKS``: ``(actions) -> ...``, what links to each action.
- ``CONTENT_SCOPES``: ``() -> {scope: [model, ...]}``, the scope of the content each model's table is
  in, for the content versions that cached fragments key on (``core.content_version``).
- ``ROW_SCOPES``: ``() -> list[core.content_version.RowScope]``, finer scopes than a table's, moved by
  the rows they cover (the verified figures; each measure's figures).
- ``RECOMMENDATION_EVIDENCE``: ``(recommendation) -> list[LinkedItem]``, evidence other apps offer on a
  Crest recommendation's page.
- ``REPORT_SECTIONS``: ``(report_context) -> Section``, sections of the Home Office report after the
  framework's own, numbered in order.
- ``REPORT_CHECKS``: ``(workbook, quarter) -> Iterable[Difference]``, the reconciliation of the sections
  an app adds: each recomputes its figures from the records by its own plain rule and names the cells
  that differ (``performance.reporting.reconcile``).
- ``REPORT_RECORDS``: ``(wanted: {kind: [pk, ...]}) -> {key: (label, url)}``, the records an app's
  report figures name (``kind:pk`` keys), for the sources pages' links.
- ``DIGEST_ITEMS``: ``(today, horizon) -> dict[person_id, list[DigestItem]]``, what else each person's
  weekly action digest lists beside their actions.
- ``SEARCH_SOURCES``: ``() -> Iterable[core.search.SearchSource]``, the kinds of record an app offers
  to the portal's search, how to build their index entries and who may see them.

A provider keeps its query count fixed (no per-row queries): pages call every provider.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib import import_module
from typing import Any, TypeVar

from django.apps import apps
from django.utils.module_loading import module_has_submodule

REFERENCE_LOADERS = "reference_loaders"
HOME_PANELS = "home_panels"
PACK_SECTIONS = "pack_sections"
TOC_LINKS = "toc_links"
ACTION_LINKS = "action_links"
CONTENT_SCOPES = "content_scopes"
ROW_SCOPES = "row_scopes"
RECOMMENDATION_EVIDENCE = "recommendation_evidence"
DIGEST_ITEMS = "digest_items"
REPORT_SECTIONS = "report_sections"
REPORT_CHECKS = "report_checks"
REPORT_RECORDS = "report_records"
SEARCH_SOURCES = "search_sources"

F = TypeVar("F", bound=Callable[..., Any])

_registry: dict[str, list[tuple[int, Callable[..., Any]]]] = {}
_discovered = False


def register(name: str, *, order: int = 0) -> Callable[[F], F]:
    """Decorator: add a function to the hook ``name``; lower ``order`` first, then registration order."""

    def decorate(fn: F) -> F:
        entries = _registry.setdefault(name, [])
        if all(existing is not fn for _, existing in entries):
            entries.append((order, fn))
        return fn

    return decorate


def get_hooks(name: str) -> list[Callable[..., Any]]:
    """The functions registered for ``name``, in order."""
    _discover()
    return [fn for _, fn in sorted(_registry.get(name, []), key=lambda entry: entry[0])]


@contextmanager
def register_temporarily(
    name: str, fn: Callable[..., Any], *, order: int = 0, alone: bool = False
) -> Iterator[None]:
    """Tests: add ``fn`` to the hook (``alone``: in place of the others) for a ``with`` block."""
    _discover()
    saved = list(_registry.get(name, []))
    _registry[name] = [(order, fn)] if alone else [*saved, (order, fn)]
    try:
        yield
    finally:
        _registry[name] = saved


def _discover() -> None:
    global _discovered
    if _discovered:
        return
    for config in apps.get_app_configs():
        if config.module is not None and module_has_submodule(config.module, "hooks"):
            import_module(f"{config.name}.hooks")
    _discovered = True
