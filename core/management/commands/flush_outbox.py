from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from core.outbox import flush_outbox


class Command(BaseCommand):
    help = "Send the outbox's pending Celery tasks (those the broker did not take at the time)."

    def handle(self, *args: Any, **options: Any) -> None:
        result = flush_outbox()
        self.stdout.write(f"Outbox: {result['sent']} sent, {result['pending']} still pending.")
