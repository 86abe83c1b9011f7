"""Print, as JSON, what the benchmark drives: the key pages, their SQL query counts, and what a page
costs when its cached fragments must be rendered afresh (after any change to the content).

Both are measured in this process with Django's test client signed in as the benchmark board member;
the load itself is driven from another process (bench/run.py, wrk).
"""

from __future__ import annotations

import json
import statistics
import time
from typing import Any

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from core import gc_freeze
from demo.benchmark import key_pages

# The floor: a page of the portal's shell alone (the layout, the session, the signed-in user).
FLOOR = "/accessibility/"
# Cold renders timed per page, each with the floor's: the median decides.
SAMPLES = 11


class Command(BaseCommand):
    help = "Print the benchmark's pages and query counts as JSON."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--scale", type=float, default=None)

    def handle(self, *args: Any, scale: float | None, **options: Any) -> None:
        # As a serving process does (svrp/wsgi.py): its start-up objects set aside from the collector
        # after its first request.
        gc_freeze.after_first_request()
        client = Client(SERVER_NAME="127.0.0.1")
        client.force_login(get_user_model().objects.get(username="bench.board"))

        def count(path: str) -> int:
            client.get(path)  # warm caches the server would also have warm
            with CaptureQueriesContext(connection) as queries:
                response = client.get(path)
            if response.status_code != 200:
                raise SystemExit(f"{path} answered {response.status_code} to the benchmark board member.")
            return len(queries)

        def timed(path: str) -> float:
            cache.clear()
            start = time.perf_counter()
            client.get(path)
            return (time.perf_counter() - start) * 1000

        def fresh(path: str) -> dict[str, Any]:
            """The first request after a content change: every fragment of the page rendered again.
            Each time is taken right after the floor's, the floor rendered the same way, so that both see
            the same machine (a shared machine's speed drifts from one second to the next) and the page's
            ratio to the floor is the ratio of those two medians. Timed without recording its queries
            (recording costs a little a query, which would weigh on the pages of many queries against
            the floor's few); counted in a request of its own."""
            floor_times, times = [], []
            for _ in range(SAMPLES):
                floor_times.append(timed(FLOOR))
                times.append(timed(path))
            cache.clear()
            with CaptureQueriesContext(connection) as queries:
                client.get(path)
            cache.clear()
            return {
                "fresh_ms": round(statistics.median(times), 1),
                "fresh_queries": len(queries),
                "floor_fresh_ms": round(statistics.median(floor_times), 2),
            }

        spec = {
            "scale": scale,
            "floor_queries": count(FLOOR),
            "floor_fresh": fresh(FLOOR),
            "pages": [{"path": path, "queries": count(path), **fresh(path)} for path in key_pages()],
        }
        self.stdout.write(json.dumps(spec))
