"""Browser tests: Playwright driving Debian's Chromium, axe-core on every page a test visits."""

from __future__ import annotations

import os

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("SVRP_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
DEMO_PASSWORD = "demo-password-for-browser-tests"

pytestmark = pytest.mark.browser


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_FLAGS}


class AxeChecker:
    """Runs axe-core (WCAG 2.2 A and AA) on the page as it stands and remembers every violation."""

    def __init__(self) -> None:
        self.axe = Axe()
        self.violations: list[str] = []
        self.pages_checked: list[str] = []

    def __call__(self, page) -> None:
        page.wait_for_load_state("load")
        results = self.axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
        self.pages_checked.append(page.url.split("#")[0])
        for violation in results.response["violations"]:
            targets = [", ".join(node["target"]) for node in violation["nodes"]][:5]
            self.violations.append(f"{page.url}: {violation['id']} ({violation['help']}) at {targets}")


@pytest.fixture
def axe(page):
    """Call axe(page) after each page is shown; the test fails at the end on any violation.

    Every page the test navigated to is also checked here, in case a step forgot to call it.
    """
    checker = AxeChecker()
    visited: list[str] = []
    page.on(
        "framenavigated",
        lambda frame: visited.append(frame.url.split("#")[0]) if frame == page.main_frame else None,
    )
    yield checker
    assert checker.pages_checked, "the test checked no page with axe"
    missed = [url for url in dict.fromkeys(visited) if url not in checker.pages_checked]
    assert not missed, f"pages visited but never checked with axe: {missed}"
    assert not checker.violations, "axe-core found violations:\n" + "\n".join(checker.violations)


@pytest.fixture
def demo_accounts(transactional_db, settings):
    settings.DEMO_PASSWORD = DEMO_PASSWORD
    call_command("create_demo_accounts", force=True)
    return DEMO_PASSWORD


@pytest.fixture
def sign_in(page, live_server, demo_accounts, axe):
    """sign_in(username) through the real login form; checks the login page with axe."""

    def _sign_in(username: str, next_path: str = "/") -> None:
        page.goto(f"{live_server.url}/accounts/login/?next={next_path}")
        axe(page)
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(demo_accounts)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state("load")

    return _sign_in
