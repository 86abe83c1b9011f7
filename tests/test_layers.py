"""The layers of the code base, read from the imports themselves (every import, at any depth).

``core`` is the ground floor every app stands on and imports no app of the portal; governance knows
nothing of the Crest tracker or the performance framework; the tracker nothing of the framework;
nothing imports the API (only the project's URLs wire it in); and no demonstration or benchmark code
lives inside an app.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = sorted(p.parent.name for p in ROOT.glob("*/apps.py")) + ["svrp"]

# What each package must never import (its own code, at any depth: module level or inside functions).
FORBIDDEN: dict[str, set[str]] = {
    "core": {app for app in APPS if app != "core"},
    "governance": {"crest", "performance", "duty", "search", "api", "demo"},
    "crest": {"performance", "duty", "search", "api", "demo"},
    "performance": {"duty", "search", "api", "demo"},
    "duty": {"search", "api", "demo"},
}
# Nothing but the project's wiring imports the API.
for app in APPS:
    if app not in {"api", "svrp"}:
        FORBIDDEN.setdefault(app, set()).add("api")


def imported_packages(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


def test_the_rules_cover_every_app():
    assert {"core", "governance", "crest", "performance", "api", "demo"} <= set(APPS)


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_a_package_imports_nothing_above_it(package):
    broken = [
        f"{path.relative_to(ROOT)} imports {', '.join(sorted(bad))}"
        for path in sorted((ROOT / package).rglob("*.py"))
        if (bad := imported_packages(path) & FORBIDDEN[package])
    ]
    assert broken == []


def test_the_walker_sees_imports_inside_functions(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from performance.models import Figure\n    import api.urls\n")
    assert imported_packages(module) == {"performance", "api"}


@pytest.mark.parametrize("app", ["core", "governance", "crest", "performance", "api"])
def test_no_demonstration_or_benchmark_code_lives_inside_an_app(app):
    found = [
        str(path.relative_to(ROOT))
        for path in (ROOT / app).rglob("*.py")
        if path.stem.startswith("demo") or "benchmark" in path.stem or "bench_" in path.stem
    ]
    assert found == []
