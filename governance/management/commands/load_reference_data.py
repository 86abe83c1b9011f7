"""Load the partnership's reference data from its Terms of Reference. Idempotent."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from governance import reference


class Command(BaseCommand):
    help = "Load the registers, Theory of Change and framework from the Terms of Reference (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            summary = reference.load_all()
        for line in summary:
            self.stdout.write(line)
