"""Publication-safe figures: small counts are shown as "*" outside the board.

The rule, used by every published or exported output (the dashboards for those not allowed to see
small numbers, the publication CSV, and the Home Office report):

- **Primary**: a count from 1 to 7 is suppressed. Zero is shown (it identifies nobody).
- **Secondary**: where components add up to a shown total (the four areas and the HIPS total), a
  single suppressed component could be worked out by subtraction. So when exactly one component is
  suppressed, the next smallest component is suppressed too; if there is no other component to hide,
  the total is suppressed instead. Two or more suppressed components are safe: only their sum is known.

Only counts are suppressed; percentages and rates are shown as they are.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Generic, TypeVar

SUPPRESSED = "*"
SMALL_MIN = 1
SMALL_MAX = 7

K = TypeVar("K", bound=Hashable)
Number = Decimal | int | float


@dataclass(frozen=True)
class Cell:
    value: Number | None
    suppressed: bool = False
    reason: str = ""  # "primary" or "secondary" when suppressed

    @property
    def display(self) -> str:
        if self.suppressed:
            return SUPPRESSED
        if self.value is None:
            return ""
        return format_number(self.value)


@dataclass(frozen=True)
class SuppressedSet(Generic[K]):
    components: dict[K, Cell]
    total: Cell | None


def format_number(value: Number) -> str:
    number = Decimal(str(value))
    if number == number.to_integral_value():
        return f"{int(number):,}"
    return f"{number:,.1f}"


def is_small(value: Number | None) -> bool:
    return value is not None and SMALL_MIN <= value <= SMALL_MAX


def suppress(
    components: Mapping[K, Number | None], total: Number | None = None, *, has_total: bool | None = None
) -> SuppressedSet[K]:
    """Apply primary and secondary suppression to a set of counts adding up to ``total``.

    ``has_total`` says whether a total is published with the components (defaults to ``total`` given).
    """
    with_total = total is not None if has_total is None else has_total
    cells: dict[K, Cell] = {
        key: Cell(value, True, "primary") if is_small(value) else Cell(value)
        for key, value in components.items()
    }
    total_cell = None
    if with_total:
        total_cell = Cell(total, True, "primary") if is_small(total) else Cell(total)
        primary = [key for key, cell in cells.items() if cell.suppressed]
        if len(primary) == 1 and not total_cell.suppressed:
            others = [key for key, cell in cells.items() if not cell.suppressed and cell.value is not None]
            if others:
                nearest = min(others, key=lambda key: (cells[key].value, str(key)))
                cells[nearest] = Cell(cells[nearest].value, True, "secondary")
            else:
                total_cell = Cell(total, True, "secondary")
    return SuppressedSet(cells, total_cell)


def suppress_one(value: Number | None) -> Cell:
    """A count shown on its own (no total beside it): primary suppression only."""
    return Cell(value, True, "primary") if is_small(value) else Cell(value)
