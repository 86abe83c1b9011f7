"""UK financial-year quarters: the year starts on 1 April, so Q1 is April to June.

``FinancialQuarter(2025, 1)`` is "2025/26 Q1", 1 April to 30 June 2025.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_LABEL = re.compile(r"^(?P<start>\d{4})(?:/|-)(?P<end>\d{2})[ -]?[qQ](?P<q>[1-4])$")


@dataclass(frozen=True, order=True)
class FinancialQuarter:
    year: int  # the calendar year in which the financial year starts
    quarter: int  # 1..4

    def __post_init__(self) -> None:
        if self.quarter not in (1, 2, 3, 4):
            raise ValueError(f"A financial quarter is 1 to 4, not {self.quarter}.")

    @classmethod
    def of(cls, day: dt.date) -> FinancialQuarter:
        if day.month >= 4:
            return cls(day.year, (day.month - 4) // 3 + 1)
        return cls(day.year - 1, 4)

    @classmethod
    def parse(cls, text: str) -> FinancialQuarter:
        """Read "2025/26 Q1", "2025-26-q1" or "2025-26 Q1"."""
        match = _LABEL.match(text.strip())
        if not match or (int(match["start"]) + 1) % 100 != int(match["end"]):
            raise ValueError(f"{text!r} is not a financial quarter like 2025/26 Q1.")
        return cls(int(match["start"]), int(match["q"]))

    @property
    def start(self) -> dt.date:
        month = 3 * (self.quarter - 1) + 4
        return dt.date(self.year + (month > 12), (month - 1) % 12 + 1, 1)

    @property
    def end(self) -> dt.date:
        return self.next().start - dt.timedelta(days=1)

    @property
    def financial_year(self) -> str:
        return f"{self.year}/{(self.year + 1) % 100:02d}"

    @property
    def label(self) -> str:
        return f"{self.financial_year} Q{self.quarter}"

    @property
    def slug(self) -> str:
        """The form used in addresses: ``2025-26-q1``."""
        return f"{self.year}-{(self.year + 1) % 100:02d}-q{self.quarter}"

    def next(self) -> FinancialQuarter:
        return FinancialQuarter(self.year + (self.quarter == 4), self.quarter % 4 + 1)

    def previous(self) -> FinancialQuarter:
        return FinancialQuarter(self.year - (self.quarter == 1), (self.quarter - 2) % 4 + 1)

    def minus(self, quarters: int) -> FinancialQuarter:
        index = self.year * 4 + (self.quarter - 1) - quarters
        return FinancialQuarter(index // 4, index % 4 + 1)

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def __str__(self) -> str:
        return self.label
