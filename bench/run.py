"""Drive the key pages of a running portal with wrk and write bench/results.json and bench/README.md.

Run by ``make bench`` (scripts/bench.sh), which builds the data, serves the portal with gunicorn and
then calls this script in its own process. Only 127.0.0.1 is ever a target.
"""

from __future__ import annotations

import datetime as dt
import http.cookiejar
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import urllib.parse
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
BASE = os.environ.get("BENCH_URL", "http://127.0.0.1:8111")
if urllib.parse.urlsplit(BASE).hostname != "127.0.0.1":
    sys.exit("The benchmark only targets 127.0.0.1.")
USERNAME = os.environ.get("BENCH_USERNAME", "bench.board")
PASSWORD = os.environ["BENCH_PASSWORD"]
THREADS = int(os.environ.get("BENCH_THREADS", "2"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "4"))
REQUESTS_PER_THREAD = int(os.environ.get("BENCH_REQUESTS_PER_THREAD", "150"))
TIME_LIMIT_S = int(os.environ.get("BENCH_TIME_LIMIT", "30"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))


def sign_in() -> str:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{BASE}/accounts/login/", timeout=30).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if not token:
        sys.exit("No CSRF token on the sign-in page.")
    data = urllib.parse.urlencode(
        {"username": USERNAME, "password": PASSWORD, "csrfmiddlewaretoken": token[1]}
    )
    request = urllib.request.Request(
        f"{BASE}/accounts/login/", data=data.encode(), headers={"Referer": f"{BASE}/accounts/login/"}
    )
    final = opener.open(request, timeout=30)
    if "/accounts/login/" in final.geturl():
        sys.exit(f"Signing in as {USERNAME} failed.")
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def drive(path: str, cookie: str) -> dict[str, float]:
    """One bounded wrk run: a fixed number of requests per thread, and a time limit."""
    env = {**os.environ, "BENCH_REQUESTS_PER_THREAD": str(REQUESTS_PER_THREAD)}
    command = [
        "wrk", f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{TIME_LIMIT_S}s", "--timeout", "10s",
        "-s", str(HERE / "report.lua"), "-H", f"Cookie: {cookie}", f"{BASE}{path}",
    ]  # fmt: skip
    out = subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=TIME_LIMIT_S + 30, check=True
    )
    line = next(line for line in out.stdout.splitlines() if line.startswith("{"))
    raw = json.loads(line)
    seconds = raw["duration_us"] / 1e6
    return {
        "median_ms": raw["p50_us"] / 1000,
        "p95_ms": raw["p95_us"] / 1000,
        "rps": raw["requests"] / seconds if seconds else 0.0,
        "requests": raw["requests"],
        "errors": raw["errors"] + raw["bad_status"],
    }


def best_of(path: str, cookie: str) -> dict[str, float]:
    """The median of several rounds, so one noisy round on a shared machine does not decide."""
    runs = [drive(path, cookie) for _ in range(ROUNDS)]
    merged = {key: statistics.median(run[key] for run in runs) for key in ("median_ms", "p95_ms", "rps")}
    merged["requests"] = sum(run["requests"] for run in runs)
    merged["errors"] = sum(run["errors"] for run in runs)
    return merged


def main() -> None:
    spec = json.loads(os.environ["BENCH_SPEC"])  # pages, queries and report figures from the Django side
    cookie = sign_in()
    drive("/accessibility/", cookie)  # warm up both gunicorn workers
    for page in spec["pages"]:
        drive(page["path"], cookie)
    floor = {
        "path": "/accessibility/",
        **best_of("/accessibility/", cookie),
        "queries": spec["floor_queries"],
    }
    floor["ratio_to_floor"] = 1.0
    pages = []
    for page in spec["pages"]:
        result = {"path": page["path"], **best_of(page["path"], cookie), "queries": page["queries"]}
        result["ratio_to_floor"] = (
            round(result["median_ms"] / floor["median_ms"], 2) if floor["median_ms"] else None
        )
        result["rps_ratio_to_floor"] = round(result["rps"] / floor["rps"], 2) if floor["rps"] else None
        pages.append(result)
    results = {
        "pages": pages,
        "floor": floor,
        "report": spec.get("report"),
        "scale": spec.get("scale"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "settings": {
            "threads": THREADS,
            "connections": CONNECTIONS,
            "requests_per_thread": REQUESTS_PER_THREAD,
            "time_limit_s": TIME_LIMIT_S,
            "rounds": ROUNDS,
            "gunicorn_workers": 2,
        },
    }
    (HERE / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    table = markdown(results)
    readme = HERE / "README.md"
    text = readme.read_text() if readme.exists() else ""
    start, end = "<!-- results:start -->", "<!-- results:end -->"
    if start in text and end in text:
        text = text[: text.index(start) + len(start)] + "\n" + table + text[text.index(end) :]
    else:
        text += f"\n{start}\n{table}{end}\n"
    readme.write_text(text)
    print(table)
    if any(page["errors"] for page in [floor, *pages]):
        sys.exit("Errors under load: see bench/results.json.")


def markdown(results: dict) -> str:
    rows = [
        "| page | median ms | p95 ms | req/s | ratio to floor (median) | throughput vs floor | SQL queries |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for page in [results["floor"], *results["pages"]]:
        label = f"{page['path']} (floor)" if page is results["floor"] else page["path"]
        rows.append(
            f"| `{label}` | {page['median_ms']:.1f} | {page['p95_ms']:.1f} | {page['rps']:.1f} | "
            f"{page['ratio_to_floor']:.2f} | {page.get('rps_ratio_to_floor', 1.0):.2f} | {page['queries']} |"
        )
    report = results.get("report") or {}
    if report:
        rows.append("")
        rows.append(
            f"Home Office report for {report.get('quarter')} (XLSX and PDF): {report['seconds']:.1f} s, "
            f"peak memory {report['peak_mb']:.0f} MB."
        )
    rows.append("")
    rows.append(f"Scale {results.get('scale')}; machine: {results['machine']}; date: {results['date']}.")
    return "\n".join(rows) + "\n"


if __name__ == "__main__":
    main()
