"""The one strict parser for numbers in addresses and query strings.

Python's ``int()`` and ``str.isdigit()`` accept more than a person types: "²" passes ``isdigit()``
and then fails ``int()`` (a server error), "٣" and "1_000" pass ``int()``, and a 5,000-digit string
costs time before it fails. A parameter is a whole number here only when it is written in ASCII
digits (at most nine, unless the caller allows more), with an optional leading minus, and lies
within the bounds given.
"""

from __future__ import annotations

import re

_WHOLE = re.compile(r"-?[0-9]+")


def whole_number(
    raw: object, *, minimum: int | None = None, maximum: int | None = None, max_digits: int = 9
) -> int | None:
    """``raw`` as a whole number within ``[minimum, maximum]``, or None when it is anything else."""
    if not isinstance(raw, str) or len(raw.lstrip("-")) > max_digits or not _WHOLE.fullmatch(raw):
        return None
    value = int(raw)
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        return None
    return value
