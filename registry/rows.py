"""Result records as plain dicts: exactly what the driver's ``Record.data()`` makes, faster.

``Record.data()`` walks every value through a chain of ``isinstance`` checks against abstract
base classes (``Sequence``, ``Set``, ``Mapping``): about 3 µs per list element. A ranking's
full-text hits (thousands of ids and scores in two lists) spent more CPU there than in any of
its own work. Here the types Cypher values mostly arrive as (``str``, numbers, ``None``,
temporal values, ``list``, ``dict``) are recognised by their exact type; anything else
(nodes, relationships, paths, points, bytes) is handed to ``Record.data()`` itself, so the
output is the same in every case (``tests/test_rows.py`` compares the two on the real server).
"""

from __future__ import annotations

from typing import Any

import neo4j
from neo4j.time import Date, DateTime, Duration, Time

__all__ = ["as_dict"]

# Types that ``Record.data()`` returns as they are (spatial and graph types are not here).
_AS_IS = frozenset({str, int, float, bool, type(None), Date, DateTime, Time, Duration})


def _value(value: Any) -> Any:
    kind = type(value)
    if kind in _AS_IS:
        return value
    if kind is list:
        if set(map(type, value)) <= _AS_IS:  # one pass in C for a list of scalars
            return list(value)
        return [_value(v) for v in value]
    if kind is dict:
        return {k: _value(v) for k, v in value.items()}
    return neo4j.Record([("v", value)]).data()["v"]  # the driver's own export


def as_dict(record: neo4j.Record) -> dict[str, Any]:
    """``record.data()``, without its per-value type checks for plain values."""
    return {key: _value(value) for key, value in zip(record.keys(), record.values())}
