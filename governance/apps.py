from __future__ import annotations

from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = "Governance"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from . import representation

        # After every migrate (and a test database's flush): the triggers that keep Representation.
        post_migrate.connect(representation.on_post_migrate, sender=self)
