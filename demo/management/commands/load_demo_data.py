"""Load demonstration data so a newcomer sees a living portal (DEBUG only)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from demo import loading as demo


class Command(BaseCommand):
    help = "Add a year of plausible, clearly marked demonstration data (only with DEBUG on)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--force", action="store_true", help="Load even with DEBUG off (tests).")

    def handle(self, *args: Any, force: bool = False, **options: Any) -> None:
        if not settings.DEBUG and not force:
            raise CommandError("Demonstration data is only loaded with DEBUG on, never in production.")
        with transaction.atomic():
            summary = demo.load_all()
            # Some demo records are inserted in bulk, without the signals that keep the search index.
            from search.services import index_rebuild

            summary.append(f"Search: {index_rebuild()} index entries.")
        for line in summary:
            self.stdout.write(line)
