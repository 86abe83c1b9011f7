"""Measure how fast and in how little memory the portal refuses hostile uploads; print JSON.

Run by ``make bench``. Each file goes through the same checks a form runs (``core.uploads`` and
``core.spreadsheets``); the time is the wall clock, the memory the peak of Python's allocations while it
is read (tracemalloc), on top of the file itself. The targets: under 2 s and under 64 MB each.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand

from core.spreadsheets import SpreadsheetError, read_table
from core.uploads import validate_upload
from demo import hostile_files


def _paper(name: str, content: bytes) -> str:
    try:
        validate_upload(SimpleUploadedFile(name, content))
    except ValidationError as error:
        return f"refused ({error.code})"
    return "accepted"


def _figures(name: str, content: bytes) -> str:
    try:
        read_table(SimpleUploadedFile(name, content), max_rows=2000)
    except SpreadsheetError:
        return "refused"
    return "accepted"


class Command(BaseCommand):
    help = "Time and measure the refusal of generated hostile uploads; print JSON."

    def handle(self, *args: Any, **options: Any) -> None:
        bomb = hostile_files.bomb()
        cases = [
            ("ZIP bomb as a paper (300 MB once opened)", "bomb.xlsx", bomb, _paper),
            (
                "forged ZIP bomb as a paper",
                "forged.xlsx",
                hostile_files.forged(bomb, "[Content_Types].xml", 1000),
                _paper,
            ),
            ("1,000,000-row XLSX as figures", "rows.xlsx", hostile_files.million_rows(), _figures),
            ("PDF that runs a script as a paper", "script.pdf", hostile_files.script_pdf(), _paper),
        ]
        results = []
        for label, name, content, check in cases:
            outcome, seconds, peak = hostile_files.measured(lambda: check(name, content))  # noqa: B023
            results.append(
                {
                    "file": label,
                    "bytes": len(content),
                    "outcome": outcome,
                    "seconds": round(seconds, 3),
                    "peak_mb": round(peak / (1024 * 1024), 1),
                    "meets_targets": seconds < 2 and peak < 64 * 1024 * 1024 and outcome != "accepted",
                }
            )
        self.stdout.write(json.dumps(results))
