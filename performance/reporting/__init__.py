"""The quarterly Home Office report: sections from the portal's records, XLSX, PDF and CSV files.

``generate_draft(fy_start_year, quarter, *, user=None)`` is the entry point the quarterly cycle calls.
"""

from __future__ import annotations

from typing import Any


def generate_draft(fy_start_year: int, quarter: int, *, user: Any = None, reason: str = "") -> Any:
    """Create or regenerate the quarter's draft version (idempotent; never touches a submitted one)."""
    from .services import generate_draft as _generate

    return _generate(fy_start_year, quarter, user=user, reason=reason)


__all__ = ["generate_draft"]
