"""Time one quarter's Home Office report (XLSX, PDF and CSV) and report this process's peak memory.

Run by ``make bench`` in a process of its own, so the peak resident memory is the report's (on top of
Django's own start-up). Prints JSON, or ``null`` when the report generator is not in this build.
"""

from __future__ import annotations

import importlib
import json
import resource
import time
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from governance.quarters import FinancialQuarter


class Command(BaseCommand):
    help = "Time the last complete quarter's Home Office report and print its peak memory as JSON."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            services: Any = importlib.import_module("performance.reporting.services")
        except ImportError:
            self.stdout.write("null")
            return
        quarter = FinancialQuarter.of(timezone.localdate()).previous()
        start = time.perf_counter()
        version = services.generate_draft(quarter.year, quarter.quarter)
        seconds = time.perf_counter() - start
        peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kilobytes on Linux
        formats = sorted(str(f.kind) for f in version.files.all())
        self.stdout.write(
            json.dumps(
                {
                    "quarter": quarter.label,
                    "formats": formats,
                    "seconds": round(seconds, 2),
                    "peak_mb": round(peak_kb / 1024, 1),
                }
            )
        )
