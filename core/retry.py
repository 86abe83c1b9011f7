"""How every app's Celery tasks retry, and which day a scheduled task works for."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import DatabaseError
from django.utils import timezone

# Mail servers (OSError, smtplib's errors included) and databases fail for a while, then answer:
# retry with growing, jittered delays. Anything else is a bug, and retrying would not mend it.
RETRY: dict[str, Any] = {
    "autoretry_for": (OSError, DatabaseError),
    "retry_backoff": 30,
    "retry_backoff_max": 30 * 60,
    "retry_jitter": True,
    "max_retries": 6,
}


def day_of(today: str | None) -> dt.date:
    """The day a task works for: given (ISO date) or today in the portal's time zone."""
    return dt.date.fromisoformat(today) if today else timezone.localdate()
