"""The XLSX's sheet names read whole: none is cut at Excel's 31 characters."""

from __future__ import annotations

import pytest

from performance.reporting.sections import SHEET_NAME_LIMIT, Section


def test_a_sheet_name_too_long_for_excel_is_refused_not_cut():
    with pytest.raises(ValueError, match="longer than 31"):
        _ = Section(3, "framework", "Framework, last eight quarters", []).sheet_title


def test_a_long_title_uses_its_short_sheet_name():
    section = Section(
        3, "framework", "Framework, last eight quarters", [], sheet_name="Framework, 8 quarters"
    )
    assert section.sheet_title == "3 Framework, 8 quarters"
    assert len(section.sheet_title) <= SHEET_NAME_LIMIT
