"""Build the benchmark data set: ``--scale 1`` small, ``--scale 10`` large. Deterministic (seeded)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from demo import benchmark


def _scale(text: str) -> float:
    value = float(text)
    if not 0 < value <= 10:
        raise ValueError(text)
    return value


class Command(BaseCommand):
    help = (
        "Generate a large partnership's data for the benchmark (seeded, bulk inserts), in its own database."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--scale",
            type=_scale,
            default=1.0,
            metavar="N",
            help="1 is small, 10 the large set (0 < N ≤ 10).",
        )
        parser.add_argument("--password", required=True, help="The password of the benchmark's accounts.")
        parser.add_argument("--seed", type=int, default=2022)

    def handle(self, *args: Any, scale: float, password: str, seed: int, **options: Any) -> None:
        try:
            with transaction.atomic():
                lines = benchmark.generate_all(scale=scale, password=password, seed=seed)
        except benchmark.NotABenchmarkDatabase as exc:
            raise CommandError(str(exc)) from exc
        for line in lines:
            self.stdout.write(line)
