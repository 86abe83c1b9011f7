"""The portal's form inputs as a person fills them: what the browser posts, and filling them in a browser."""

from __future__ import annotations

import datetime as dt
from typing import Any


def date_input(name: str, day: dt.date | str) -> dict[str, str]:
    """The three boxes of a GOV.UK date input (``core.forms.DateField``) filled with ``day``.

    ``day`` is a date or what a person typed as "day/month/year" ("31/02/2026" and "" included).
    """
    if isinstance(day, dt.date):
        parts = [str(day.day), str(day.month), str(day.year)]
    else:
        parts = (day.split("/") + ["", "", ""])[:3] if day else ["", "", ""]
    return {f"{name}_{index}": part for index, part in enumerate(parts)}


def fill_date_input(page: Any, legend: str, day: dt.date) -> None:
    """Type ``day`` into the GOV.UK date input whose fieldset's legend is ``legend`` (Playwright)."""
    group = page.get_by_role("group", name=legend, exact=True)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))
