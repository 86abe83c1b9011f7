"""Fuzzing every form, every upload and every API operation as each role, with hostile values.

The crawl (``test_crawl.py``) finds every page, form and API operation as each role; here each form is
sent again with what a hostile or careless user sends: control characters, 10,000 characters, formula
prefixes, non-ASCII digits, huge numbers, impossible dates; every file field gets a ZIP bomb, a
million-row workbook, a disguised file and a PDF that runs a script; every API operation gets JSON
nested 100,000 deep. Asserted: no server error anywhere, no upload (accepted or refused) adds more
than 64 MB to the process, and afterwards no export holds a formula cell, though hostile text was saved.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import tracemalloc
from urllib.parse import urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from demo import hostile_files as generated
from demo.accounts import DEMO_ACCOUNTS
from demo.hostile_files import PDF_HEAD, PDF_TAIL
from governance.models import Action, Meeting, Organisation, Person
from governance.resources import MembershipResource, OrganisationResource, PersonResource
from tests.exports import csv_formula_cells, xlsx_formula_cells, zip_formula_cells

from .pages import every_page
from .test_crawl import START, TEXT_TYPES, Crawl, Form

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://evil.example/6","X6")'
HOSTILE = [
    "Line\r\nBcc: everyone@example.org\x00\x07",
    "y" * 10_000,
    FORMULA,
    "+SUM(1,2)",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(A1)",
    "²٣",
    "9" * 400,
    "-1e309",
    "2026-02-30",
    "31/02/2026",
]
# Fields a person types prose into: hostile on their own, the rest of the form left valid, so hostile
# text is saved where a form allows it (and then reaches the exports).
PROSE = re.compile(r"(title|description|name|text|note|reason|location|summary|comment|decision|update)")
MEMORY_LIMIT = 64 * 1024 * 1024
EXPORTS = [
    "/actions/export.csv",
    "/actions/export.xlsx",
    "/membership/export.csv",
    "/membership/export.xlsx",
    "/crest/export.csv",
    "/crest/export.xlsx",
    "/performance/export.csv",
]


@pytest.fixture(scope="module")
def hostile_files() -> list[tuple[str, bytes]]:
    return [
        ("bomb.xlsx", generated.bomb()),
        ("rows.xlsx", generated.million_rows()),
        ("disguised.docx", PDF_HEAD + PDF_TAIL),
        ("script.pdf", generated.script_pdf()),
        ("rows.csv", b"measure,period,area,age_band,value\n" + b"1.1.1.b,2026/27 Q1,hips,all,1\n" * 200_000),
    ]


class Fuzz(Crawl):
    uploads: list[tuple[str, int]]
    hostile_files: list[tuple[str, bytes]]

    def fields(self, form: Form, hostile: str, prose_only: bool) -> dict[str, str]:
        data: dict[str, str] = {}
        for kind, name, value in form.fields:
            typed = kind in TEXT_TYPES or kind == "textarea"
            if typed and (not prose_only or PROSE.search(name)):
                data[name] = hostile
            elif typed:
                data[name] = value or _plausible(name)
            elif kind == "select":
                data[name] = (form.chosen if prose_only else form.options).get(name, "")
            elif kind in {"hidden", "checkbox", "radio", "submit"}:
                data[name] = value
        return data

    def attack(self, action: str, form: Form) -> None:
        files = [name for kind, name, _ in form.fields if kind == "file"]
        if files and form.method == "post":
            for filename, content in self.hostile_files:
                data: dict[str, object] = {
                    **self.fields(form, "Hostile file", prose_only=True),
                    **{name: SimpleUploadedFile(filename, content) for name in files},
                }
                tracemalloc.start()
                tracemalloc.reset_peak()
                before = tracemalloc.get_traced_memory()[0]
                try:
                    response = self.client.post(action, data)
                finally:
                    peak = tracemalloc.get_traced_memory()[1] - before
                    tracemalloc.stop()
                self.uploads.append((f"{action} {filename}", peak))
                self.check(f"POST {action} with {filename}", response)
                if peak > MEMORY_LIMIT:
                    self.problems.append(f"POST {action} with {filename}: {peak / 2**20:.0f} MB")
        if not any(kind in TEXT_TYPES or kind == "textarea" for kind, _, _ in form.fields):
            return
        for hostile in HOSTILE:
            for prose_only in (False, True):
                typed = self.fields(form, hostile, prose_only)
                if form.method == "post":
                    response = self.client.post(action, typed)
                else:
                    response = self.client.get(action, typed)
                self.check(f"{form.method.upper()} {action} with {hostile[:30]!r}", response)

    def attack_the_api(self) -> None:
        schema = json.loads(self.client.get("/api/schema/").content)
        deep = "[" * 100_000 + "]" * 100_000
        for path, item in schema["paths"].items():
            if "{" in path or "post" not in item:
                continue
            for body in (deep, json.dumps({"figures": [{"value": "9" * 400, "measure": FORMULA}]})):
                answer = self.client.post(path, body, content_type="application/json")
                self.check(f"POST {path} with {body[:20]!r}", answer)
                if "json" not in answer.get("Content-Type", ""):
                    self.problems.append(f"POST {path}: the API answered {answer['Content-Type']}, not JSON")


def _plausible(name: str) -> str:
    """A valid value for a field the fuzz leaves alone, by its name."""
    today = dt.date.today()
    past = name.rsplit("_", 1)[0].endswith("_on")  # a day something happened (raised on, approved on)
    if name.endswith(("-day", "_day", "_0")):
        return str(today.day) if past else "15"
    if name.endswith(("-month", "_month", "_1")):
        return str(today.month) if past else "6"
    if name.endswith(("-year", "_year", "_2")):
        return str(today.year) if past else "2027"
    if "time" in name:
        return "12:00" if "end" in name else "10:00"
    if "email" in name:
        return "someone@example.org"
    if "link" in name or "url" in name or "website" in name:
        return "https://example.org/"
    return "1"


def fuzz_as(username: str, settings, hostile_files) -> Fuzz:
    client = Client(raise_request_exception=False)
    response = client.post("/accounts/login/", {"username": username, "password": settings.DEMO_PASSWORD})
    assert response.status_code == 302, f"{username} could not sign in"
    fuzz = Fuzz(client=client, anonymous=False, admin=username == "admin")
    fuzz.hostile_files = hostile_files
    fuzz.uploads = []
    fuzz.run([*START, *every_page().values()])
    fuzz.attack_the_api()
    return fuzz


@pytest.mark.parametrize("username", [account[0] for account in DEMO_ACCOUNTS])
def test_fuzzing_every_form_upload_and_api_operation_finds_no_server_error(portal, username, hostile_files):
    fuzz = fuzz_as(username, portal, hostile_files)
    assert fuzz.forms, "the fuzz found no form to send"
    assert not fuzz.problems, "\n".join(fuzz.problems[:40])
    if username == "vru.staff":
        # Staff add papers and evidence: the hostile files were really sent, and each was measured.
        assert {urlsplit(label.split()[0]).path.split("/")[1] for label, _ in fuzz.uploads} >= {"meetings"}


def test_after_the_fuzz_hostile_text_was_saved_and_no_export_holds_a_formula(portal, hostile_files):
    fuzz_as("vru.staff", portal, hostile_files)
    saved = [
        model.__name__
        for model, field in (
            (Action, "description"),
            (Meeting, "title"),
            (Person, "full_name"),
            (Organisation, "name"),
        )
        if model.objects.filter(**{f"{field}__in": HOSTILE[2:6]}).exists()
    ]
    # Actions and meetings are the forms staff fill most: hostile text must have reached both.
    assert {"Action", "Meeting"} <= set(saved), f"hostile text saved only in {saved}: the check proves little"
    client = Client()
    client.post("/accounts/login/", {"username": "vru.staff", "password": portal.DEMO_PASSWORD})
    problems = []
    for address in EXPORTS:
        data = client.get(address).getvalue()
        cells = csv_formula_cells(data) if address.endswith(".csv") else xlsx_formula_cells(data)
        problems += [f"{address}: {cell}" for cell in cells]
    from core.admin_files import SafeCSV, SafeXLSX

    for resource in (OrganisationResource, PersonResource, MembershipResource):
        dataset = resource().export()
        problems += csv_formula_cells(SafeCSV().export_data(dataset))
        problems += xlsx_formula_cells(SafeXLSX().export_data(dataset))
    from performance.models import Report, ReportFile
    from performance.reporting import generate_draft

    report = Report.objects.order_by("-year", "-quarter").first()
    assert report is not None, "the demo data has a report to generate again"
    version = generate_draft(report.year, report.quarter)  # now with what the fuzz saved
    for report_file in ReportFile.objects.filter(version=version, kind__in=["xlsx", "zip"]):
        content = report_file.file.open("rb").read()
        problems += xlsx_formula_cells(content) if report_file.kind == "xlsx" else zip_formula_cells(content)
    assert not problems, "\n".join(problems[:40])
