"""What the Terms of Reference say, written out from its text for the tests to check the portal against
(never read from the portal's own loaders, so a loader's mistake cannot hide itself)."""

from __future__ import annotations

# The fifteen councils of Hampshire, the Isle of Wight, Portsmouth and Southampton.
COUNCILS = frozenset(
    {
        "Hampshire County Council",
        "Portsmouth City Council",
        "Southampton City Council",
        "Fareham Borough Council",
        "Gosport Borough Council",
        "Winchester City Council",
        "New Forest District Council",
        "Rushmoor Borough Council",
        "Hart District Council",
        "Test Valley Borough Council",
        "Havant Borough Council",
        "Eastleigh Borough Council",
        "East Hampshire District Council",
        "Basingstoke and Deane Borough Council",
        "Isle of Wight Council",
    }
)
