from __future__ import annotations

from django.apps import AppConfig


class PerformanceConfig(AppConfig):
    name = "performance"
    verbose_name = "Performance framework"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # governance must never import performance: performance adds itself to governance's
        # loader lists (the framework after the registers; demo figures after the demo meetings).
        from governance import demo, pack, reference

        from .reference import load_framework

        if load_framework not in reference.LOADERS:
            reference.LOADERS.append(load_framework)
        if "performance.demo.load_demo_data" not in demo.DEMO_LOADERS:
            demo.DEMO_LOADERS.append("performance.demo.load_demo_data")
        # The demo report reads everything above, so it comes after every other loader.
        if "performance.reporting.demo.load_demo_report" not in demo.DEMO_LOADERS:
            demo.DEMO_LOADERS.append("performance.reporting.demo.load_demo_report")
        if "performance.pack.performance_summary" not in pack.PACK_SECTIONS:
            pack.PACK_SECTIONS.append("performance.pack.performance_summary")
