from __future__ import annotations

from django.apps import AppConfig


class CrestConfig(AppConfig):
    name = "crest"
    verbose_name = "Crest Advisory recommendations"
    default_auto_field = "django.db.models.BigAutoField"
