from __future__ import annotations

from performance.suppression import is_small, suppress, suppress_one


def shown(result):
    return {key: cell.display for key, cell in result.components.items()}


def test_counts_from_one_to_seven_are_starred_and_zero_and_eight_are_not():
    assert [suppress_one(v).display for v in (0, 1, 7, 8, 120)] == ["0", "*", "*", "8", "120"]
    assert not is_small(None)


def test_one_small_area_also_hides_the_next_smallest_so_the_total_cannot_reveal_it():
    result = suppress({"Hampshire": 40, "Isle of Wight": 3, "Portsmouth": 12, "Southampton": 15}, 70)
    assert shown(result) == {"Hampshire": "40", "Isle of Wight": "*", "Portsmouth": "*", "Southampton": "15"}
    assert result.components["Portsmouth"].reason == "secondary"
    assert result.total is not None and result.total.display == "70"


def test_two_small_areas_need_no_secondary_suppression():
    result = suppress({"Hampshire": 40, "Isle of Wight": 3, "Portsmouth": 5, "Southampton": 15}, 63)
    assert shown(result) == {"Hampshire": "40", "Isle of Wight": "*", "Portsmouth": "*", "Southampton": "15"}
    assert {c.reason for c in result.components.values() if c.suppressed} == {"primary"}


def test_with_no_other_area_to_hide_the_total_is_suppressed_instead():
    result = suppress({"Isle of Wight": 2}, 2 + 0, has_total=True)
    assert result.total is not None and result.total.suppressed
    result = suppress({"Hampshire": 2, "Isle of Wight": None}, 30)
    assert result.total is not None and result.total.display == "*" and result.total.reason == "secondary"


def test_a_small_total_is_itself_suppressed():
    result = suppress({"Hampshire": 4, "Isle of Wight": 0, "Portsmouth": 0, "Southampton": 0}, 4)
    assert result.total is not None and result.total.display == "*"
    assert shown(result)["Isle of Wight"] == "0"


def test_without_a_total_only_primary_suppression_applies():
    result = suppress({"Hampshire": 40, "Isle of Wight": 3}, None)
    assert shown(result) == {"Hampshire": "40", "Isle of Wight": "*"}
    assert result.total is None
