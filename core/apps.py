from __future__ import annotations

from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Cross-cutting parts: sign-in audit, two-factor login, the task outbox, uploads and backups."""

    name = "core"
    verbose_name = "Security and operations"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import audit, twofactor

        audit.connect()
        twofactor.connect()
