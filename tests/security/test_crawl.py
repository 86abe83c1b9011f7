"""A crawl of the portal as each role and as an anonymous visitor, growing with the portal.

From a few starting pages it follows every same-site link (bounded), and submits every form it finds
with hostile input in every text field. It asserts: no server error anywhere; an anonymous visitor
reads nothing outside the public pages; and the script it types in never comes back unescaped.
"""

from __future__ import annotations

import json
import re
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.test import Client
from django.urls import Resolver404, resolve

from demo.accounts import DEMO_ACCOUNTS

from .pages import every_page

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
HOSTILE = ["x" * 5000, SCRIPT, "' OR 1=1 --", "2026-02-30", "-1"]
START = ["/", "/accounts/login/", "/published/", "/published/membership/", "/accessibility/", "/healthz"]
PUBLIC = ("/published/", "/accessibility/", "/accounts/", "/healthz", "/static/")
DOWNLOADS = (".ics", ".csv", ".xlsx", ".pdf", ".docx", ".pptx", ".zip", ".json")
NEVER = ("/accounts/logout/",)
MAX_PAGES = 400  # every route (see pages.py) plus the links found from them
MAX_FORMS = 150
TEXT_TYPES = {"text", "search", "email", "url", "tel", "number", "date", "password", "datetime-local", "time"}


@dataclass
class Form:
    action: str
    method: str
    fields: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, name, value)
    options: dict[str, str] = field(default_factory=dict)  # first option of each select
    chosen: dict[str, str] = field(default_factory=dict)  # first option with a value ("" is "Choose…")


class PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form":
            self._form = Form(action=a.get("action", ""), method=a.get("method", "get").lower())
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input" and a.get("name"):
            kind = a.get("type", "text").lower()
            if kind in {"checkbox", "radio"} and "checked" not in a:
                if kind == "radio" and a["name"] not in {n for _, n, _ in self._form.fields}:
                    self._form.fields.append((kind, a["name"], a.get("value", "on")))
                return
            self._form.fields.append((kind, a["name"], a.get("value", "")))
        elif tag == "textarea" and a.get("name"):
            self._form.fields.append(("textarea", a["name"], ""))
        elif tag == "select" and a.get("name"):
            self._select = a["name"]
            self._form.fields.append(("select", a["name"], ""))
        elif tag == "option" and self._select:
            self._form.options.setdefault(self._select, a.get("value", ""))
            if a.get("value"):
                self._form.chosen.setdefault(self._select, a["value"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


@dataclass
class Crawl:
    client: Client
    anonymous: bool
    admin: bool
    problems: list[str] = field(default_factory=list)
    seen: set[str] = field(default_factory=set)
    forms_seen: set[tuple] = field(default_factory=set)
    forms: list[tuple[str, Form]] = field(default_factory=list)
    routes: set[str] = field(default_factory=set)
    pages: int = 0

    def check(self, label: str, response) -> None:
        if response.status_code >= 500:
            self.problems.append(f"{label}: server error {response.status_code}")
        is_html = "html" in response.get("Content-Type", "") and not getattr(response, "streaming", False)
        if is_html and SCRIPT in response.content.decode("utf-8", "replace"):
            self.problems.append(f"{label}: the typed-in script came back unescaped")

    def check_anonymous(self, label: str, response, method: str = "GET") -> None:
        """Outside the public pages an anonymous visitor is sent to sign in (or, in the API, told 401)."""
        if not self.anonymous or urlsplit(label).path.startswith(PUBLIC):
            return
        if response.status_code < 300:
            self.problems.append(
                f"{method} {label}: an anonymous visitor was answered {response.status_code}"
            )
        elif response.status_code in {301, 302} and "/accounts/login/" not in response["Location"]:
            self.problems.append(
                f"{method} {label}: anonymous redirect to {response['Location']}, not sign-in"
            )

    def wanted(self, url: str) -> str | None:
        parts = urlsplit(url)
        if parts.scheme not in {"", "http", "https"} or parts.netloc not in {"", "testserver"}:
            return None
        path = parts.path
        if not path.startswith("/") or path.startswith(NEVER):
            return None
        if path.startswith("/admin/") and not self.admin:
            return None
        return path + (f"?{parts.query}" if parts.query else "")

    def visit(self, url: str) -> None:
        self.pages += 1
        self.routes.add(route_of(url))
        response = self.client.get(url)
        self.check(f"GET {url}", response)
        path = urlsplit(url).path
        self.check_anonymous(url, response)
        if response.status_code in {301, 302}:
            self.queue(urljoin(url, response["Location"]))
            return
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            return
        if path.endswith(DOWNLOADS):
            return
        parser = PageParser()
        parser.feed(response.content.decode("utf-8", "replace"))
        for href in parser.links:
            self.queue(urljoin(url, href))
        for form in parser.forms:
            action = self.wanted(urljoin(url, form.action or url))
            if action is None or (action.startswith("/admin/") and url.startswith("/admin/")):
                continue  # Django's own admin forms are Django's to test; links there are still crawled
            # One form of a kind per route: the register's rows differ only by their prefix (row12-…).
            names = sorted({re.sub(r"\d+", "N", n) for _, n, _ in form.fields})
            key = (form.method, route_of(action), tuple(names))
            if key not in self.forms_seen and len(self.forms) < MAX_FORMS:
                self.forms_seen.add(key)
                self.forms.append((action, form))

    def queue(self, url: str) -> None:
        wanted = self.wanted(url)
        if wanted is None or wanted in self.seen:
            return
        self.seen.add(wanted)
        self.todo.append(wanted)

    def run(self, start: list[str]) -> None:
        self.todo: deque[str] = deque()
        for url in start:
            self.queue(url)
        while self.todo and self.pages < MAX_PAGES:
            url = self.todo.popleft()
            if urlsplit(url).path.endswith(DOWNLOADS):
                self.pages += 1
                self.routes.add(route_of(url))
                response = self.client.get(url)
                self.check(f"GET {url}", response)
                self.check_anonymous(url, response)
                continue
            self.visit(url)
        for action, form in self.forms:
            self.attack(action, form)

    def attack(self, action: str, form: Form) -> None:
        texts = [n for kind, n, _ in form.fields if kind in TEXT_TYPES or kind == "textarea"]
        if not texts:
            return  # nothing to type into (e.g. a confirmation button)
        for hostile in HOSTILE:
            data: dict[str, str] = {}
            for kind, name, value in form.fields:
                if kind in TEXT_TYPES or kind == "textarea":
                    data[name] = hostile
                elif kind == "select":
                    data[name] = form.options.get(name, "")
                elif kind in {"hidden", "checkbox", "radio", "submit"}:
                    data[name] = value
            if form.method == "post":
                response = self.client.post(action, data)
            else:
                response = self.client.get(action, data)
            self.check(f"{form.method.upper()} {action} with {hostile[:30]!r}", response)


def route_of(url: str) -> str:
    try:
        match = resolve(urlsplit(url).path)
    except Resolver404:
        return urlsplit(url).path
    return f"{match.namespace}:{match.url_name}" if match.namespace else str(match.url_name)


def attack_every_page_anonymously(crawl: Crawl, pages: dict[str, str]) -> None:
    """Not only GET: hostile POSTs to every page, public ones aside, get an anonymous visitor nowhere."""
    for url in pages.values():
        if urlsplit(url).path.startswith(PUBLIC):
            continue
        for hostile in (SCRIPT, "' OR 1=1 --"):
            data = dict.fromkeys(("title", "text", "reason", "value", "code", "name", "date"), hostile)
            response = crawl.client.post(url, data)
            crawl.check(f"POST {url}", response)
            crawl.check_anonymous(url, response, method="POST")


def _body(schema: dict, components: dict, hostile: str, depth: int = 0) -> object:
    """A request body shaped as the schema says, with the hostile text in every leaf."""
    if "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[-1]]
    if schema.get("type") == "object" or "properties" in schema:
        return {
            name: _body(sub, components, hostile, depth + 1) for name, sub in schema["properties"].items()
        }
    if schema.get("type") == "array" and depth < 3:
        return [_body(schema["items"], components, hostile, depth + 1)]
    return hostile


def attack_the_api(crawl: Crawl) -> None:
    """Every API operation (from the live schema) with hostile text in every query parameter and body
    field, through the session a person signed in to the portal has. JSON answers, so no page to inject
    into: the checks are no server error and nothing sent back as HTML."""
    response = crawl.client.get("/api/schema/")
    assert response.status_code == 200, "the signed-in crawl could not read the API schema"
    schema = json.loads(response.content)
    components = schema["components"]["schemas"]
    for path, item in schema["paths"].items():
        if "{" in path:
            continue
        for method, operation in item.items():
            crawl.routes.add(route_of(path))
            for hostile in HOSTILE:
                if method == "get":
                    query = {
                        p["name"]: hostile for p in operation.get("parameters", []) if p["in"] == "query"
                    }
                    answer = crawl.client.get(path, query)
                elif method == "post":
                    content = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
                    body = _body(content.get("schema", {}), components, hostile)
                    answer = crawl.client.post(path, json.dumps(body), content_type="application/json")
                else:
                    continue
                crawl.check(f"{method.upper()} {path} with {hostile[:30]!r}", answer)
                if answer.status_code < 500 and "html" in answer.get("Content-Type", ""):
                    crawl.problems.append(f"{method.upper()} {path}: the API answered with HTML")


def crawl_as(username: str | None, settings) -> Crawl:
    client = Client(raise_request_exception=False)
    if username is not None:
        response = client.post("/accounts/login/", {"username": username, "password": settings.DEMO_PASSWORD})
        assert response.status_code == 302, f"{username} could not sign in"
    crawl = Crawl(client=client, anonymous=username is None, admin=username == "admin")
    pages = every_page()
    # From the usual starting pages and, so nothing is missed, from every page of the portal.
    crawl.run([*START, *pages.values()])
    missed = set(pages) - crawl.routes
    assert not missed, f"the crawl never reached: {sorted(missed)}"
    assert len(crawl.forms) < MAX_FORMS, "more forms than the crawl attacks: raise MAX_FORMS"
    if crawl.anonymous:
        attack_every_page_anonymously(crawl, pages)
    else:
        attack_the_api(crawl)
    return crawl


@pytest.mark.parametrize("username", [None, *(account[0] for account in DEMO_ACCOUNTS)])
def test_crawling_every_page_and_form_finds_no_error_no_leak_and_no_injected_script(portal, username):
    crawl = crawl_as(username, portal)
    assert crawl.pages >= 3, "the crawl found almost nothing: are the starting pages gone?"
    assert not crawl.problems, "\n".join(crawl.problems[:40])


def test_the_crawl_would_notice_a_page_that_echoes_input_unescaped(portal):
    from django.http import HttpResponse

    crawl = Crawl(client=Client(), anonymous=True, admin=False)
    crawl.check("GET /echo", HttpResponse(f"<p>{SCRIPT}</p>"))
    crawl.check("GET /boom", HttpResponse(status=500))
    assert len(crawl.problems) == 2
