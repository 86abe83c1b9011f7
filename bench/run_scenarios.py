"""Run make bench's two load scenarios against a running portal and add them to bench/results.json and
bench/README.md.

For each scenario: each page's p95 alone (sequential requests, nothing else running), then the scenario
under locust (bench/scenarios.py, in a process of its own) for ``DURATION`` seconds (180 by default), then
the database is checked for every submission the portal accepted (``manage.py bench_scenarios check``).
Reports per page the requests, errors, median, p95 and the ratio of p95 under load to the page's own p95
alone, and the peak resident memory of each server process (``BENCH_SERVER_PIDS``, their children
included) and of locust. Only 127.0.0.1 is ever a target.

    BENCH_URL=http://127.0.0.1:8111 BENCH_PASSWORD=… BENCH_TARGET=postgresql BENCH_SERVER_PIDS="123 456" \
        .venv/bin/python bench/run_scenarios.py
"""

from __future__ import annotations

import csv
import datetime as dt
import http.cookiejar
import json
import os
import re
import resource
import secrets
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BASE = os.environ.get("BENCH_URL", "http://127.0.0.1:8111")
if urllib.parse.urlsplit(BASE).hostname != "127.0.0.1":
    sys.exit("The benchmark only targets 127.0.0.1.")
PASSWORD = os.environ["BENCH_PASSWORD"]
DURATION = int(os.environ.get("DURATION", "180"))
TARGET = os.environ.get("BENCH_TARGET", "postgresql")
IDLE_REQUESTS = int(os.environ.get("BENCH_IDLE_REQUESTS", "40"))
MAX_P95_RATIO = 3.0
PY = str(ROOT / ".venv" / "bin" / "python")
LOCUST = str(ROOT / ".venv" / "bin" / "locust")
MEASURE_PAGE = "/performance/measures/1.1.1.b/"


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))] if ordered else 0.0


def _opener() -> urllib.request.OpenerDirector:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{BASE}/accounts/login/", timeout=30).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    data = urllib.parse.urlencode(
        {"username": "bench.board", "password": PASSWORD, "csrfmiddlewaretoken": token[1] if token else ""}
    )
    final = opener.open(
        urllib.request.Request(
            f"{BASE}/accounts/login/", data=data.encode(), headers={"Referer": f"{BASE}/accounts/login/"}
        ),
        timeout=30,
    )
    if "/accounts/login/" in final.geturl():
        sys.exit("Signing in as bench.board failed.")
    return opener


def idle_p95(paths: dict[str, str]) -> dict[str, float]:
    """Each page's p95 alone: sequential requests as the board member, after two to warm it."""
    opener = _opener()
    found = {}
    for name, path in paths.items():
        times = []
        for n in range(IDLE_REQUESTS + 2):
            start = time.perf_counter()
            opener.open(f"{BASE}{path}", timeout=60).read()
            if n >= 2:
                times.append((time.perf_counter() - start) * 1000)
        found[name] = round(_percentile(times, 0.95), 1)
    return found


def _manage(*args: str) -> str:
    return subprocess.run(
        [PY, "manage.py", *args], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout


def _tree(pid: int) -> list[int]:
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return [pid]
    return [pid, *(p for child in children for p in _tree(int(child)))]


def peak_memory() -> dict[str, float]:
    """The peak resident memory (VmHWM, MB) of each server process and its children, by name and pid."""
    peaks = {}
    for root in (int(p) for p in os.environ.get("BENCH_SERVER_PIDS", "").split()):
        for pid in _tree(root):
            try:
                status = Path(f"/proc/{pid}/status").read_text()
                command = Path(f"/proc/{pid}/cmdline").read_text().replace("\0", " ")
            except OSError:
                continue
            found = re.search(r"VmHWM:\s+(\d+) kB", status)
            if found:
                role = next((w for w in ("gunicorn", "celery", "runserver") if w in command), "server")
                peaks[f"{role} {pid}"] = round(int(found[1]) / 1024, 1)
    return peaks


def run(scenario: str, pages: dict[str, str], spec_file: Path, staff_code: str) -> dict[str, Any]:
    idle = idle_p95(pages)
    with tempfile.TemporaryDirectory(prefix="svrp-locust-") as work:
        log = Path(work) / "submissions.jsonl"
        prefix = str(Path(work) / "stats")
        env = {
            **os.environ,
            "SCENARIO": scenario,
            "BENCH_SCENARIO_FILE": str(spec_file),
            "BENCH_STAFF_CODE": staff_code,
            "BENCH_SUBMISSIONS_LOG": str(log),
            "BENCH_MEASURE_PAGE": MEASURE_PAGE,
        }
        users = 21 if scenario == "meeting" else 45
        # People arrive over the first seconds, two a second, as they join a meeting or start their
        # submissions, not all in the same second: 21 or 45 password sign-ins (PBKDF2, a quarter of a
        # second of a worker's time each) at once would hold every worker for seconds.
        arrivals = 2
        load_before = round(os.getloadavg()[0], 2)
        subprocess.run(
            [
                LOCUST, "-f", str(HERE / "scenarios.py"), "--headless", "--only-summary",
                "-u", str(users), "-r", str(arrivals), "-t", f"{DURATION}s", "--stop-timeout", "10",
                "--host", BASE, "--csv", prefix, "--loglevel", "WARNING",
            ],
            cwd=ROOT, env=env, check=False, capture_output=True, text=True,
        )  # fmt: skip
        load_after = round(os.getloadavg()[0], 2)
        rows = list(csv.DictReader(open(f"{prefix}_stats.csv")))  # noqa: SIM115, PTH123
        checked = json.loads(_manage("bench_scenarios", "check", str(log)))
    locust_mb = round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1)
    results = []
    for row in rows:
        if row["Name"] == "Aggregated":
            continue
        p95 = float(row["95%"] or 0)
        page: dict[str, Any] = {
            "path": row["Name"],
            "requests": int(row["Request Count"]),
            "errors": int(row["Failure Count"]),
            "median_ms": float(row["Median Response Time"] or 0),
            "p95_ms": p95,
        }
        if row["Name"] in idle:
            page["idle_p95_ms"] = idle[row["Name"]]
            page["p95_ratio_to_idle"] = round(p95 / idle[row["Name"]], 2) if idle[row["Name"]] else None
        results.append(page)
    errors = sum(p["errors"] for p in results)
    return {
        "name": "meeting in progress" if scenario == "meeting" else "deadline day",
        "target": TARGET,
        "scale": float(os.environ.get("SCALE", "10")),
        "duration_s": DURATION,
        "users": users,
        "arrivals_per_s": arrivals,
        "pages": results,
        "errors": errors,
        "accepted_submissions": checked["accepted_submissions"],
        "lost_submissions": checked["lost_submissions"],
        "peak_memory_mb": {**peak_memory(), "locust (peak of the runs so far)": locust_mb},
        "load_average": {"before": load_before, "after": load_after},
        "meets_targets": bool(
            errors == 0
            and checked["lost_submissions"] == 0
            and (
                TARGET != "postgresql"
                or all(
                    (p.get("p95_ratio_to_idle") or 0) <= MAX_P95_RATIO for p in results if "idle_p95_ms" in p
                )
            )
        ),
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }


def main() -> None:
    staff_code = "".join(secrets.choice("0123456789") for _ in range(8))
    spec = json.loads(_manage("bench_scenarios", "setup", "--password", PASSWORD, "--staff-code", staff_code))
    meeting = spec["meeting"]
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(spec, handle)
        spec_file = Path(handle.name)
    try:
        scenarios = [
            run(
                "meeting",
                {
                    "/meetings/<id>/": f"/meetings/{meeting}/",
                    "/meetings/<id>/pack/": f"/meetings/{meeting}/pack/",
                },
                spec_file,
                staff_code,
            ),
            run(
                "deadline",
                {"/performance/": "/performance/", MEASURE_PAGE: MEASURE_PAGE},
                spec_file,
                staff_code,
            ),
        ]
    finally:
        spec_file.unlink()
    results_file = HERE / "results.json"
    results = json.loads(results_file.read_text()) if results_file.exists() else {}
    kept = [s for s in results.get("scenarios", []) if s.get("target") != TARGET]
    results["scenarios"] = [*kept, *scenarios]
    results_file.write_text(json.dumps(results, indent=2) + "\n")
    table = markdown(results["scenarios"])
    readme = HERE / "README.md"
    text = readme.read_text()
    start, end = "<!-- scenarios:start -->", "<!-- scenarios:end -->"
    if start in text and end in text:
        text = text[: text.index(start) + len(start)] + "\n" + table + text[text.index(end) :]
    else:
        text += f"\n{start}\n{table}{end}\n"
    readme.write_text(text)
    print(table)
    if any(s["errors"] or s["lost_submissions"] for s in scenarios):
        sys.exit("Errors or lost submissions under load: see bench/results.json.")


def markdown(scenarios: list[dict[str, Any]]) -> str:
    rows = [
        "| scenario | target | page or request | requests | errors | median ms | p95 ms | p95 alone ms "
        "| p95 vs alone (target ≤ 3 on PostgreSQL) |",
        "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for s in scenarios:
        for p in s["pages"]:
            ratio = p.get("p95_ratio_to_idle")
            rows.append(
                f"| {s['name']} | {s['target']} (scale {s['scale']:g}) | `{p['path']}` | {p['requests']} | "
                f"{p['errors']} | {p['median_ms']:.0f} | {p['p95_ms']:.0f} | {p.get('idle_p95_ms', '–')} | "
                f"{'–' if ratio is None else f'{ratio:.2f}'} |"
            )
    rows.append("")
    for s in scenarios:
        memory = ", ".join(f"{name} {mb:.0f} MB" for name, mb in s["peak_memory_mb"].items())
        rows.append(
            f"- {s['name']}, {s['target']}: {s['users']} users "
            f"(arriving {s.get('arrivals_per_s', s['users'])} a second) for {s['duration_s']} s; "
            f"{s['accepted_submissions']} submissions accepted, **{s['lost_submissions']} lost**; "
            f"{s['errors']} errors; targets {'met' if s['meets_targets'] else '**not met**'}. "
            f"Peak memory: {memory}. 1-minute load average {s['load_average']['before']} before, "
            f"{s['load_average']['after']} after; {s['date']}."
        )
    return "\n".join(rows) + "\n"


if __name__ == "__main__":
    main()
