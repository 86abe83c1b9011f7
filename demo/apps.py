from __future__ import annotations

from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demonstration data for `make run` and the benchmark's large data set (never production data)."""

    name = "demo"
    verbose_name = "Demonstration and benchmark data"
