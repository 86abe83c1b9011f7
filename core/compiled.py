"""Reads of a fixed shape compiled to SQL once per process, run with new values each time.

Django builds and compiles a queryset afresh on every call: cloning it at each step, resolving every
field path, every column and every ordering. For a small read that is most of its cost (on the meeting
page, a third of the time of each of its register, actions and agenda reads at scale 10; issue 19). A
``CompiledRows`` builds its queryset once per database connection's vendor, with a stand-in value for
each of its slots (a meeting, a day), keeps the SQL and its parameters, and then runs that SQL with the
stand-ins replaced by the values given, the rows converted as Django's ``values_list`` converts them.
SQLAlchemy's compiled-statement cache does the same for every statement; the one Django package that
did it (django-prepared-queries) is no longer kept.

Only slots change between calls: a queryset whose shape depends on a value (a filter added or not)
is two ``CompiledRows``, or stays a queryset. Slots are integers or dates, compared as parameters.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet

# Stand-ins no query writes as a constant: integers far below any key, dates in the first year AD.
_INT_BASE = -(2**31) + 104_729
_DATE_BASE = dt.date(1, 1, 1)


@dataclass(frozen=True)
class _Compiled:
    sql: str
    # Each parameter: a constant of the query, or the name of the slot whose value goes there.
    params: tuple[tuple[bool, Any], ...]
    converters: dict[int, tuple[list[Any], Any]]


class CompiledRows:
    """``build(**slots)`` (a ``values_list`` queryset), compiled once, run as ``rows(**values)``."""

    def __init__(self, build: Callable[..., QuerySet[Any]], **slots: type) -> None:
        for name, kind in slots.items():
            if kind not in (int, dt.date):
                raise TypeError(f"Slot {name!r}: only int and date slots are supported, not {kind}.")
        self.build = build
        self.slots = slots
        self._compiled: dict[tuple[str, str], _Compiled] = {}
        self._lock = threading.Lock()

    def _stand_ins(self) -> dict[str, Any]:
        return {
            name: (_INT_BASE + n if kind is int else _DATE_BASE + dt.timedelta(days=n))
            for n, (name, kind) in enumerate(self.slots.items())
        }

    def _compile(self, using: str) -> _Compiled:
        connection = connections[using]
        stand_ins = self._stand_ins()
        # A date goes to the database as the backend adapts it (a string on SQLite).
        adapted: dict[tuple[type, Any], str] = {}
        for name, value in stand_ins.items():
            as_sent = connection.ops.adapt_datefield_value(value) if isinstance(value, dt.date) else value
            adapted[(type(as_sent), as_sent)] = name
        compiler = self.build(**stand_ins).query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        marked: list[tuple[bool, Any]] = []
        seen = set()
        for param in params:
            try:
                slot = adapted.get((type(param), param))
            except TypeError:  # an unhashable constant (a list): never a slot
                slot = None
            marked.append((True, slot) if slot is not None else (False, param))
            if slot is not None:
                seen.add(slot)
        if missing := set(self.slots) - seen:
            raise ValueError(f"Slots not among the query's parameters: {sorted(missing)}.")
        columns = [expression for expression, _sql, _alias in compiler.select[: compiler.col_count]]
        return _Compiled(sql, tuple(marked), compiler.get_converters(columns))

    def rows(self, using: str = DEFAULT_DB_ALIAS, **values: Any) -> list[tuple[Any, ...]]:
        """The query's rows (tuples, converted as ``values_list`` gives them) for these slot values."""
        if set(values) != set(self.slots):
            raise TypeError(f"Expected values for {sorted(self.slots)}, got {sorted(values)}.")
        connection = connections[using]
        key = (using, connection.vendor)
        compiled = self._compiled.get(key)
        if compiled is None:
            with self._lock:
                compiled = self._compiled.get(key) or self._compile(using)
                self._compiled[key] = compiled
        params = []
        for is_slot, value in compiled.params:
            if is_slot:
                value = values[value]
                if isinstance(value, dt.date):
                    value = connection.ops.adapt_datefield_value(value)
            params.append(value)
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            found = cursor.fetchall()
        if not compiled.converters:
            return [tuple(row) for row in found]
        converted = []
        for row in found:
            values_out = list(row)
            for position, (converters, expression) in compiled.converters.items():
                value = values_out[position]
                for converter in converters:
                    value = converter(value, expression, connection)
                values_out[position] = value
            converted.append(tuple(values_out))
        return converted
