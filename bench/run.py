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
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
BASE = os.environ.get("BENCH_URL", "http://127.0.0.1:8111")
if urllib.parse.urlsplit(BASE).hostname != "127.0.0.1":
    sys.exit("The benchmark only targets 127.0.0.1.")
USERNAME = os.environ.get("BENCH_USERNAME", "bench.board")
PASSWORD = os.environ["BENCH_PASSWORD"]
THREADS = int(os.environ.get("BENCH_THREADS", "2"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "2"))
REQUESTS_PER_THREAD = int(os.environ.get("BENCH_REQUESTS_PER_THREAD", "100"))
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


def drive(path: str, cookie: str, requests_per_thread: int = REQUESTS_PER_THREAD) -> dict[str, float]:
    """One bounded wrk run: a fixed number of requests per thread, within a time limit."""
    with tempfile.TemporaryDirectory(prefix="svrp-bench-") as done_dir:
        env = {
            **os.environ,
            "BENCH_REQUESTS_PER_THREAD": str(requests_per_thread),
            "BENCH_DONE_DIR": done_dir,
        }
        command = [
            "wrk", f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{TIME_LIMIT_S}s", "--timeout", "10s",
            "-s", str(HERE / "report.lua"), "-H", f"Cookie: {cookie}", f"{BASE}{path}",
        ]  # fmt: skip
        process = subprocess.Popen(
            command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        # wrk sleeps out the whole -d even when every thread has stopped; SIGINT ends it early, and it
        # still prints its summary.
        deadline = time.monotonic() + TIME_LIMIT_S + 5
        while process.poll() is None and time.monotonic() < deadline:
            if len(os.listdir(done_dir)) >= THREADS:
                process.send_signal(signal.SIGINT)
                break
            time.sleep(0.05)
        out, err = process.communicate(timeout=TIME_LIMIT_S + 30)
    lines = [line for line in out.splitlines() if line.startswith("{")]
    if process.returncode not in (0, -signal.SIGINT) or not lines:
        sys.exit(f"wrk failed on {path}: {err or out}")
    raw = json.loads(lines[-1])
    seconds = raw["elapsed_us"] / 1e6
    return {
        "median_ms": raw["p50_us"] / 1000,
        "p95_ms": raw["p95_us"] / 1000,
        "rps": raw["responses"] / seconds if seconds else 0.0,
        "requests": raw["responses"],
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
    # How busy the machine was as the run began (1-minute load average): other work on the same cores
    # slows every page, the floor included, so the ratios are steadier than the times.
    load_average = round(os.getloadavg()[0], 2)
    cookie = sign_in()
    # Warm up the gunicorn workers on every page (imports, template and connection caches).
    for path in ["/accessibility/", *(page["path"] for page in spec["pages"])]:
        drive(path, cookie, requests_per_thread=10)
    floor = {
        "path": "/accessibility/",
        **best_of("/accessibility/", cookie),
        "queries": spec["floor_queries"],
        **spec.get("floor_fresh", {}),
    }
    floor["ratio_to_floor"] = 1.0
    floor["rps_ratio_to_floor"] = 1.0
    pages = []
    for page in spec["pages"]:
        result = {
            "path": page["path"],
            **best_of(page["path"], cookie),
            "queries": page["queries"],
            "fresh_ms": page.get("fresh_ms"),
            "fresh_queries": page.get("fresh_queries"),
        }
        result["ratio_to_floor"] = (
            round(result["median_ms"] / floor["median_ms"], 2) if floor["median_ms"] else None
        )
        result["rps_ratio_to_floor"] = round(result["rps"] / floor["rps"], 2) if floor["rps"] else None
        # The page with its fragments cold (rendered afresh), against the floor measured the same way.
        # Each page's cold times were taken alternately with the floor's (bench_spec), so the ratio is
        # to the floor timed alongside it, not minutes earlier.
        floor_fresh = page.get("floor_fresh_ms") or floor.get("fresh_ms")
        result["floor_fresh_ms"] = floor_fresh
        result["cold_ratio_to_floor"] = (
            round(result["fresh_ms"] / floor_fresh, 2)
            if result.get("fresh_ms") is not None and floor_fresh
            else None
        )
        result["meets_targets"] = bool(
            result["ratio_to_floor"] is not None
            and result["ratio_to_floor"] <= 2
            and (result["rps_ratio_to_floor"] or 0) >= 0.5
            and not result["errors"]
        )
        pages.append(result)
    generation_ms = os.environ.get("BENCH_GENERATION_MS")
    results = {
        "pages": pages,
        "floor": floor,
        "report": json.loads(os.environ.get("BENCH_REPORT") or "null"),
        "uploads": json.loads(os.environ.get("BENCH_UPLOADS") or "null"),
        "scale": spec.get("scale"),
        "generation_seconds": round(int(generation_ms) / 1000, 1) if generation_ms else None,
        "machine": (
            f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
            f"{platform.system()} {platform.release()}"
        ),
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "load_average": load_average,
        "settings": {
            "threads": THREADS,
            "connections": CONNECTIONS,
            "requests_per_thread": REQUESTS_PER_THREAD,
            "time_limit_s": TIME_LIMIT_S,
            "rounds": ROUNDS,
            "gunicorn_workers": int(os.environ.get("BENCH_WORKERS", "3")),
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


def _fresh(page: dict[str, Any]) -> str:
    if page.get("fresh_ms") is None:
        return "–"
    return f"{page['fresh_ms']:.1f} ({page['fresh_queries']})"


def _cold(page: dict[str, Any], is_floor: bool) -> str:
    ratio = 1.0 if is_floor else page.get("cold_ratio_to_floor")
    return "–" if ratio is None else f"{ratio:.2f}"


def markdown(results: dict[str, Any]) -> str:
    rows = [
        "| page | median ms | p95 ms | req/s | median vs floor (target ≤ 2) | req/s vs floor (target ≥ 0.5) "
        "| SQL queries | errors | targets | after a change: ms (queries) | cold vs floor (target ≤ 4) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: |",
    ]
    for page in [results["floor"], *results["pages"]]:
        is_floor = page is results["floor"]
        label = f"{page['path']} (floor)" if is_floor else page["path"]
        verdict = "" if is_floor else ("met" if page["meets_targets"] else "**not met**")
        rows.append(
            f"| `{label}` | {page['median_ms']:.1f} | {page['p95_ms']:.1f} | {page['rps']:.1f} | "
            f"{page['ratio_to_floor']:.2f} | {page['rps_ratio_to_floor']:.2f} | {page['queries']} | "
            f"{page['errors']} | {verdict} | {_fresh(page)} | {_cold(page, is_floor)} |"
        )
    rows.append("")
    rows.append(
        "After a change: the first request a worker serves after a change to what the page reads, when "
        "its cached fragments are rendered afresh (in process, median of 11, not under load; its queries "
        "counted in a request of their own); cold vs floor is that time over the floor's, rendered the "
        "same way and timed alternately with the page's (the floor's own line: timed alone)."
    )
    rows.append("")
    report = results.get("report")
    if report:
        rows.append(
            f"Home Office report for {report['quarter']} ({', '.join(report['formats']).upper()}): "
            f"{report['seconds']:.1f} s, peak memory of the process {report['peak_mb']:.0f} MB "
            "(target under 300 MB)."
        )
    else:
        rows.append("Home Office report: not measured (the report generator is not in this build).")
    rows.append("")
    uploads = results.get("uploads")
    if uploads:
        rows.append("| hostile upload | size | outcome | seconds (target < 2) | peak MB (target < 64) |")
        rows.append("| --- | ---: | --- | ---: | ---: |")
        for upload in uploads:
            rows.append(
                f"| {upload['file']} | {upload['bytes'] / 1024:.0f} KB | {upload['outcome']} | "
                f"{upload['seconds']:.2f} | {upload['peak_mb']:.1f} |"
            )
        rows.append("")
    settings = results["settings"]
    rows.append(
        f"Scale {results.get('scale')} (data generated in {results.get('generation_seconds')} s); "
        f"wrk {settings['threads']} threads, {settings['connections']} connections, "
        f"{settings['requests_per_thread']} requests per thread, {settings['time_limit_s']} s limit, "
        f"median of {settings['rounds']} rounds; gunicorn {settings['gunicorn_workers']} workers. "
        f"Machine: {results['machine']}, 1-minute load average {results.get('load_average', '?')} as the "
        f"run began; date: {results['date']}."
    )
    return "\n".join(rows) + "\n"


if __name__ == "__main__":
    main()
