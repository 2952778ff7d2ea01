"""Rows read from the real server are exactly what the driver's ``Record.data()`` makes."""

from __future__ import annotations

from typing import Any

from neo4j import ManagedTransaction

from registry.db import Database, run
from registry.rows import as_dict

# Every kind of value a statement can return, alone and nested in lists and maps.
_EVERYTHING = """
CREATE p = (a:RowsProbe {name: 'Nguyễn', tags: ['x', 'y'], n: 1})
           -[r:ROWS_PROBE {since: 2020}]->(b:RowsProbe {name: 'Đặng', born: date('1980-02-03')})
RETURN 'văn bản' AS text, 42 AS int, 1.5 AS float, true AS bool, null AS nothing,
       [] AS empty, {} AS no_keys, [1, 'a', null, 2.5, false] AS mixed,
       ['a', 'b'] AS strings, [[1, 2], [], ['c']] AS nested,
       {a: 1, b: [1, 2], c: {d: 'x', e: [date('2026-01-02')]}} AS map,
       date('2026-01-02') AS date, datetime('2026-01-02T03:04:05Z') AS datetime,
       localdatetime('2026-01-02T03:04:05') AS local_datetime, time('03:04:05+07:00') AS time,
       localtime('03:04:05') AS local_time, duration('P1DT2H') AS duration,
       point({x: 1.0, y: 2.0}) AS point, [point({latitude: 21.0, longitude: 105.8})] AS points,
       a AS node, r AS relationship, p AS path, [a, b] AS nodes,
       {node: a, rels: [r], deep: [{path: p}]} AS graph_map,
       [x IN [a, b] | {id: x.name, node: x}] AS rows,
       $bytes AS bytes, [$bytes] AS byte_list
"""


def test_every_kind_of_value_comes_out_as_record_data_makes_it(db: Database):
    def read(tx: ManagedTransaction) -> list[Any]:
        return list(tx.run(_EVERYTHING, bytes=b"\x00\x01\xff"))

    records = db.write(read)
    assert len(records) == 1
    ours, theirs = as_dict(records[0]), records[0].data()
    assert list(ours) == list(theirs)
    for key in theirs:
        assert ours[key] == theirs[key], key
        assert repr(ours[key]) == repr(theirs[key]), key  # same types all the way down
    # Nodes came out as their properties, relationships as (start, type, end), as data() does.
    assert ours["node"] == {"name": "Nguyễn", "tags": ["x", "y"], "n": 1}
    assert ours["relationship"][1] == "ROWS_PROBE"
    assert ours["graph_map"]["rels"][0][0]["name"] == "Nguyễn"


def test_a_list_read_back_is_a_copy_not_the_records_own(db: Database):
    rows = db.read(lambda tx: list(tx.run("RETURN ['a', 'b'] AS xs")))
    out = as_dict(rows[0])
    out["xs"].append("c")
    assert rows[0]["xs"] == ["a", "b"]


def test_run_returns_plain_rows(db: Database):
    rows = db.read(lambda tx: run(tx, "UNWIND range(1, 3) AS i RETURN i, [i, toString(i)] AS v"))
    assert rows == [{"i": 1, "v": [1, "1"]}, {"i": 2, "v": [2, "2"]}, {"i": 3, "v": [3, "3"]}]
