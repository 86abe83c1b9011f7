from __future__ import annotations

from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Cross-cutting parts: sign-in audit, two-factor login, the task outbox, uploads and backups."""

    name = "core"
    verbose_name = "Security and operations"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from . import admin_access, audit, content_version, twofactor

        audit.connect()
        # The admin modules are imported by now (django.contrib.admin's ready() runs first).
        admin_access.restrict_to_superusers()
        twofactor.connect()
        # After every migrate, so a new content table gets its trigger without a migration of its own.
        post_migrate.connect(content_version.on_post_migrate, sender=self)
