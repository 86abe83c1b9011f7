"""The two load scenarios of ``make bench``, as a locustfile: run by bench/run_scenarios.py with
``locust -f bench/scenarios.py`` in a process of its own (locust monkey-patches the standard library with
gevent, so nothing else imports this module).

``SCENARIO=meeting``, the meeting in progress: one VRU staff member (signed in with two-factor login)
records an attendance row, a decision or an action every 2 s while 20 board members reload the meeting
page and its pack every 5–10 s.

``SCENARIO=deadline``, the quarter's deadline day: 25 data providers each submit figures for the
collection quarter (the web form, an XLSX upload or the API's bulk endpoint, in turn) while 20 board
members read the dashboard and a measure's page every 5–10 s.

Reads ``BENCH_SCENARIO_FILE`` (``manage.py bench_scenarios setup``'s JSON), ``BENCH_PASSWORD``,
``BENCH_STAFF_CODE``, and appends every submission the portal accepted to ``BENCH_SUBMISSIONS_LOG``,
one JSON object a line, for ``manage.py bench_scenarios check`` to count the lost ones.
Only 127.0.0.1 is ever a target.
"""

from __future__ import annotations

import io
import itertools
import json
import os
import random
import re
import urllib.parse
from typing import Any

from locust import HttpUser, between, constant, events, task
from openpyxl import Workbook

SCENARIO = os.environ.get("SCENARIO", "meeting")
SPEC: dict[str, Any] = json.loads(open(os.environ["BENCH_SCENARIO_FILE"]).read())  # noqa: SIM115, PTH123
PASSWORD = os.environ["BENCH_PASSWORD"]
STAFF_CODE = os.environ.get("BENCH_STAFF_CODE", "")
LOG = os.environ.get("BENCH_SUBMISSIONS_LOG", "")
MEASURE_PAGE = os.environ.get("BENCH_MEASURE_PAGE", "/performance/measures/1.1.1.b/")
_providers = itertools.count()
_values = itertools.count(1)


@events.init.add_listener
def _only_loopback(environment: Any, **kwargs: Any) -> None:
    if urllib.parse.urlsplit(environment.host or "").hostname != "127.0.0.1":
        raise SystemExit("The benchmark only targets 127.0.0.1.")


def _log(entry: dict[str, Any]) -> None:
    if LOG:
        with open(LOG, "a") as log:  # noqa: PTH123
            log.write(json.dumps(entry) + "\n")


def _record(cell: dict[str, Any], value: str) -> None:
    _log(
        {
            "kind": "figure",
            "measure": cell["measure"],
            "area": cell["area"],
            "period": SPEC["period"]["id"],
            "value": value,
        }
    )


class Portal(HttpUser):
    abstract = True
    username = "bench.board"

    def sign_in(self, username: str, code: str = "") -> None:
        page = self.client.get("/accounts/login/", name="sign in: page")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        response = self.client.post(
            "/accounts/login/",
            {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token[1] if token else ""},
            name="sign in",
        )
        if "two-factor" in response.url and code:
            form = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.text)
            response = self.client.post(
                response.url,
                {"code": code, "csrfmiddlewaretoken": form[1] if form else ""},
                name="sign in: two-factor",
            )
        if "/accounts/" in response.url:
            raise SystemExit(f"Signing in as {username} failed ({response.url}).")

    def post_form(self, path: str, data: dict[str, Any], name: str, **kwargs: Any) -> bool:
        """A form post as the browser makes it; a redirect is success, anything else a failure."""
        headers = {"X-CSRFToken": self.client.cookies.get("csrftoken", ""), "Referer": f"{self.host}{path}"}
        with self.client.post(
            path, data, headers=headers, name=name, allow_redirects=False, catch_response=True, **kwargs
        ) as response:
            if response.status_code == 302:
                response.success()
                return True
            response.failure(f"{response.status_code}: not saved")
            return False


class BoardMember(Portal):
    """Reads the pages the board has open at the busy moment."""

    fixed_count = 20
    wait_time = between(5, 10)

    def on_start(self) -> None:
        self.sign_in("bench.board")

    @task
    def read(self) -> None:
        if SCENARIO == "meeting":
            meeting = SPEC["meeting"]
            self.client.get(f"/meetings/{meeting}/", name="/meetings/<id>/")
            self.client.get(f"/meetings/{meeting}/pack/", name="/meetings/<id>/pack/")
        else:
            self.client.get("/performance/", name="/performance/")
            self.client.get(MEASURE_PAGE, name=MEASURE_PAGE)


class StaffRecorder(Portal):
    """Records the meeting as it happens: an attendance row, a decision or an action every 2 s."""

    fixed_count = 1 if SCENARIO == "meeting" else 0
    wait_time = constant(2)

    def on_start(self) -> None:
        self.sign_in("bench.staff", STAFF_CODE)
        self.client.get(f"/meetings/{SPEC['meeting']}/", name="/meetings/<id>/ (staff)")
        self.turn = itertools.cycle(["attendance", "decision", "action"])
        self.statuses = itertools.cycle(["present", "apologies", "absent", "present"])

    @task
    def record(self) -> None:
        meeting, what = SPEC["meeting"], next(self.turn)
        n = next(_values)
        if what == "attendance":
            row = random.choice(SPEC["attendance_rows"])
            status = next(self.statuses)
            saved = self.post_form(
                f"/meetings/{meeting}/attendance/{row}/",
                {f"row{row}-status": status, f"row{row}-deputy_name": "", f"row{row}-note": ""},
                name="record attendance",
            )
            if saved:
                _log({"kind": "attendance", "row": row, "status": status})
        elif what == "decision":
            text = f"Benchmark decision {n}"
            if self.post_form(
                f"/meetings/{meeting}/decisions/add/",
                {"agenda_item": "", "text": text},
                name="record a decision",
            ):
                _log({"kind": "decision", "text": text})
        else:
            text = f"Benchmark action {n}"
            day, month, year = SPEC["due_date"].split("/")
            # The due date is a GOV.UK date input: three boxes (core.forms.DateField).
            data = {
                "description": text,
                "owner": random.choice(SPEC["owners"]),
                "due_date_0": day,
                "due_date_1": month,
                "due_date_2": year,
            }
            if self.post_form(f"/meetings/{meeting}/actions/add/", data, name="record an action"):
                _log({"kind": "action", "text": text})


class DataProvider(Portal):
    """Submits the collection quarter's figures for its own cells: form, XLSX upload or API bulk."""

    fixed_count = len(SPEC["providers"]) if SCENARIO == "deadline" else 0
    wait_time = between(3, 6)

    def on_start(self) -> None:
        self.account = SPEC["providers"][next(_providers) % len(SPEC["providers"])]
        self.sign_in(self.account["username"])
        self.turn = itertools.cycle(["form", "xlsx", "api"])
        # An API token, made on the tokens page as a provider makes one: its key is shown once.
        page = self.client.get("/api/tokens/", name="sign in: API token page")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        made = self.client.post(
            "/api/tokens/",
            {"name": "bench scenarios", "csrfmiddlewaretoken": token[1] if token else ""},
            name="sign in: API token",
        )
        key = re.search(r"svrp_[A-Za-z0-9_-]{20,}", made.text)
        if key is None:
            raise SystemExit(f"{self.account['username']} could not make an API token ({made.status_code}).")
        self.token = key[0]

    def _value(self) -> str:
        return f"{next(_values) % 900 + 10}"

    @task
    def submit(self) -> None:
        how, cells, period = next(self.turn), self.account["cells"], SPEC["period"]
        if not cells:
            return
        if how == "form":
            cell, value = random.choice(cells), self._value()
            data = {
                "measure": cell["measure_id"],
                "period": period["id"],
                "area": cell["area_id"],
                "age_band": "all",
                "value": value,
                "action": "submit",
            }
            if self.post_form("/performance/submit/", data, name="submit: form"):
                _record(cell, value)
        elif how == "xlsx":
            chosen = random.sample(cells, min(3, len(cells)))
            values = [self._value() for _ in chosen]
            book = Workbook()
            sheet = book.active
            sheet.append(["measure", "period", "area", "age_band", "value"])  # type: ignore[union-attr]
            for cell, value in zip(chosen, values, strict=True):
                sheet.append([cell["measure"], period["label"], cell["area"], "all", int(value)])  # type: ignore[union-attr]
            content = io.BytesIO()
            book.save(content)
            files = {
                "file": (
                    "figures.xlsx",
                    content.getvalue(),
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                )
            }
            if self.post_form("/performance/submit/upload/", {}, name="submit: XLSX upload", files=files):
                for cell, value in zip(chosen, values, strict=True):
                    _record(cell, value)
        else:
            values = [self._value() for _ in cells]
            body = {
                "figures": [
                    {
                        "measure": cell["measure"],
                        "period": period["label"],
                        "area": cell["area"],
                        "age_band": "all",
                        "value": value,
                        "submit": True,
                    }
                    for cell, value in zip(cells, values, strict=True)
                ]
            }
            with self.client.post(
                "/api/figures/bulk/",
                json=body,
                headers={"Authorization": f"Bearer {self.token}"},
                name="submit: API bulk",
                catch_response=True,
            ) as response:
                if response.status_code == 200:
                    response.success()
                    for cell, value in zip(cells, values, strict=True):
                        _record(cell, value)
                else:
                    response.failure(f"{response.status_code}: {response.text[:200]}")
