"""A graph written as the CSV files ``neo4j-admin database import full`` reads.

``CsvGraph`` takes nodes (an id space, a key unique in it, labels, properties) and
relationships (type, the two ends as (space, key), properties) one at a time and appends each
to a file of its kind: one file per id space, labels and typed property columns (or, for
relationships, type, end spaces and columns), so every column has one type and an absent
property is an empty cell. Keys are not stored as properties (``:ID(space)`` columns).

What a typed CSV cell cannot say exactly is not forced into one: an empty list, a list of mixed
or unsupported types, a list whose strings are empty or hold the array delimiter, a value of a
type without a CSV form (points, large integers), or a property name that is not a plain
identifier. Such properties are kept aside as *fix-ups* and the element carries a marker
(``FIXUP_LABEL`` and ``FIXUP_KEY`` on nodes, ``FIXUP_KEY`` on relationships) so they can be
set through Cypher, values as parameters, once the database runs (``apply_fixups``).

The cell syntax: strings always quoted (so ``""`` is an empty string, not a missing value),
arrays split on ``ARRAY_DELIMITER`` (also between labels), multi-line strings allowed.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import neo4j.time

from registry.db import Database, run

__all__ = ["ARRAY_DELIMITER", "FIXUP_KEY", "FIXUP_LABEL", "CsvGraph", "admin_import_options",
           "apply_fixups"]

ARRAY_DELIMITER = "\x1f"  # the ASCII unit separator: validation keeps control characters out
FIXUP_LABEL = "ChuyengiaBulkFixUp"
FIXUP_KEY = "chuyengiaBulkKey"

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_LONG = 2**63


def _scalar_type(value: Any) -> str | None:
    """The CSV column type of a scalar, or None when a cell cannot hold it exactly."""
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "long" if -_LONG <= value < _LONG else None
    if isinstance(value, float):
        return "double"
    if isinstance(value, str):
        return "string"
    if isinstance(value, neo4j.time.DateTime):
        return "datetime" if value.tzinfo is not None else "localdatetime"
    if isinstance(value, neo4j.time.Date):
        return "date"
    return None


def _column_type(value: Any) -> str | None:
    if not isinstance(value, list):
        return _scalar_type(value)
    types = {_scalar_type(v) for v in value}
    if len(types) != 1 or None in types:
        return None  # empty, mixed or unsupported
    (kind,) = types
    if kind not in ("boolean", "long", "double", "string"):
        return None
    if kind == "string" and any(v == "" or ARRAY_DELIMITER in v for v in value):
        return None
    return kind + "[]"


def _quote(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _float(value: float) -> str:
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    return repr(value)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _float(value)
    if isinstance(value, str):
        return _quote(value)
    if isinstance(value, list):
        if isinstance(value[0], str):
            return _quote(ARRAY_DELIMITER.join(value))
        return ARRAY_DELIMITER.join(_cell(v) for v in value)
    return value.iso_format()  # dates and times, checked by _column_type


@dataclass
class _File:
    path: Path
    handle: IO[str]
    columns: tuple[str, ...]
    rows: int = 0


@dataclass
class CsvGraph:
    """The files of one import, written under ``folder``; see the module docstring."""

    folder: Path
    node_fixups: dict[str, dict[str, Any]] = field(default_factory=dict)
    rel_fixups: dict[str, dict[str, Any]] = field(default_factory=dict)
    _nodes: dict[tuple[Any, ...], _File] = field(default_factory=dict)
    _rels: dict[tuple[Any, ...], _File] = field(default_factory=dict)
    _fixup_rels: int = 0

    def __post_init__(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)

    @staticmethod
    def _split(props: dict[str, Any]) -> tuple[list[tuple[str, str, Any]], dict[str, Any]]:
        """(name, type, value) of the properties a cell holds; the rest, as fix-ups."""
        typed: list[tuple[str, str, Any]] = []
        rest: dict[str, Any] = {}
        for name, value in props.items():
            if value is None:
                continue
            kind = _column_type(value) if _NAME.fullmatch(name) else None
            if kind is None:
                rest[name] = value
            else:
                typed.append((name, kind, value))
        typed.sort()
        return typed, rest

    def _file(self, files: dict[tuple[Any, ...], _File], key: tuple[Any, ...], prefix: str,
              header: list[str]) -> _File:
        out = files.get(key)
        if out is None:
            path = self.folder / f"{prefix}-{len(self._nodes) + len(self._rels):04d}.csv"
            # Open until ``close``: rows of one signature arrive over the whole import.
            handle = open(path, "w", encoding="utf-8", newline="")  # noqa: SIM115
            handle.write(",".join(header) + "\n")
            out = files[key] = _File(path, handle, tuple(header))
        return out

    def node(self, space: str, key: str, labels: Iterable[str], props: dict[str, Any]) -> None:
        typed, rest = self._split(props)
        names = sorted(labels)
        if rest:
            names.append(FIXUP_LABEL)
            fix_key = f"{space}\x00{key}"
            typed.append((FIXUP_KEY, "string", fix_key))
            self.node_fixups[fix_key] = rest
        signature = (space, tuple(names), tuple((n, t) for n, t, _ in typed))
        header = [f":ID({space})", ":LABEL", *(f"{n}:{t}" for n, t, _ in typed)]
        out = self._file(self._nodes, signature, "nodes", header)
        out.handle.write(",".join([_quote(key), _quote(ARRAY_DELIMITER.join(names)),
                                   *(_cell(v) for _, _, v in typed)]) + "\n")
        out.rows += 1

    def relationship(self, rel_type: str, start: tuple[str, str], end: tuple[str, str],
                     props: dict[str, Any]) -> None:
        typed, rest = self._split(props)
        if rest:
            self._fixup_rels += 1
            fix_key = str(self._fixup_rels)
            typed.append((FIXUP_KEY, "string", fix_key))
            self.rel_fixups[fix_key] = rest
        signature = (rel_type, start[0], end[0], tuple((n, t) for n, t, _ in typed))
        header = [f":START_ID({start[0]})", f":END_ID({end[0]})", ":TYPE",
                  *(f"{n}:{t}" for n, t, _ in typed)]
        out = self._file(self._rels, signature, "relationships", header)
        out.handle.write(",".join([_quote(start[1]), _quote(end[1]), _quote(rel_type),
                                   *(_cell(v) for _, _, v in typed)]) + "\n")
        out.rows += 1

    def close(self) -> None:
        """Close every file (again is harmless)."""
        for out in (*self._nodes.values(), *self._rels.values()):
            out.handle.close()

    def arguments(self) -> list[str]:
        """The file arguments of ``neo4j-admin database import full``."""
        return ([f"--nodes={f.path}" for f in self._nodes.values()]
                + [f"--relationships={f.path}" for f in self._rels.values()])


def admin_import_options() -> list[str]:
    """The options that read the files as ``CsvGraph`` writes them; a bad or duplicate entry
    fails the import instead of being skipped."""
    return ["--id-type=string", "--multiline-fields=true", "--array-delimiter=U+001F",
            "--quote=\"", "--delimiter=,", "--bad-tolerance=0", "--skip-bad-relationships=false",
            "--skip-duplicate-nodes=false", "--ignore-empty-strings=false"]


_NODE_FIXUPS = f"""
MATCH (n:{FIXUP_LABEL})
WITH n LIMIT $limit
SET n += $fixups[n.{FIXUP_KEY}]
REMOVE n:{FIXUP_LABEL}, n.{FIXUP_KEY}
RETURN count(n) AS n
"""

_REL_FIXUPS = f"""
MATCH ()-[r]->() WHERE r.{FIXUP_KEY} IS NOT NULL
WITH r LIMIT $limit
SET r += $fixups[r.{FIXUP_KEY}]
REMOVE r.{FIXUP_KEY}
RETURN count(r) AS n
"""


def apply_fixups(db: Database, graph: CsvGraph, *, batch: int = 20_000) -> int:
    """Set the properties the CSV files could not hold, once the imported database runs;
    returns how many elements were changed."""
    done = 0
    for statement, fixups in ((_NODE_FIXUPS, graph.node_fixups), (_REL_FIXUPS, graph.rel_fixups)):
        while fixups:
            n = db.write(lambda tx, s=statement, f=fixups: run(tx, s, fixups=f, limit=batch)
                         [0]["n"])
            done += n
            if n < batch:
                break
    return done
