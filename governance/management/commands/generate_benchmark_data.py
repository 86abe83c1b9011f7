"""Build the benchmark data set: ``--scale 1`` small, ``--scale 10`` large. Deterministic."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from governance import benchmark


class Command(BaseCommand):
    help = "Generate a large partnership's data for the benchmark (seeded, bulk inserts)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--scale", type=int, default=1, choices=range(1, 11), metavar="N")
        parser.add_argument("--password", default="bench-password-not-for-production")
        parser.add_argument("--seed", type=int, default=2022)

    def handle(self, *args: Any, scale: int, password: str, seed: int, **options: Any) -> None:
        with transaction.atomic():
            for line in benchmark.generate_all(scale=scale, password=password, seed=seed):
                self.stdout.write(line)
