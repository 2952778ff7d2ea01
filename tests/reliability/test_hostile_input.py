"""Hostile input in every string, id, number, filter and cursor: never a 5xx, never an error
masked as unexpected, and the graph is the same afterwards (counts and property checksum).

Reads: every String/ID/Int argument position of every root query field (found from the
schema, inside filters and lists too) gets Cypher-injection strings, Lucene operators, invalid
and unnormalised Unicode, control characters, a body just under and just over the 1 MB limit,
invalid cursors and ids, and out-of-range numbers, as an anonymous caller and as an
administrator. Writes: every ID field of every mutation's input gets the injection strings
(nothing exists under such an id, so nothing may be written), and the text fields of a profile
edit and a registration are stored exactly as normalised, or refused, and nothing else moves.
"""

from __future__ import annotations

import base64
import json
import logging
import unicodedata
from typing import Any

import pytest
from graphql import GraphQLInputObjectType, GraphQLSchema, get_named_type
from starlette.testclient import TestClient

from api.schema import schema as app_schema
from registry.db import Database
from registry.settings import Settings
from tests.api.support import codes
from tests.reliability import hostile
from tests.reliability.conftest import Callers
from tests.reliability.support import fingerprint, make_world, post, problem

SCHEMA: GraphQLSchema = app_schema._schema


def _b64(value: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode()


CURSORS = hostile.CURSORS + [_b64(["task", "x", "y"]), _b64(["task"]), _b64({"o": True})]


def _values(position: hostile.Position, *, anonymous: bool = False) -> list[Any]:
    if position.scalar == "Int":
        return list(hostile.NUMBERS)
    if anonymous:  # the same resolvers as for the administrator: the injections suffice
        return hostile.INJECTION + hostile.UNICODE[:2]
    values: list[Any] = hostile.STRINGS + hostile.LONG
    if position.path[-1] in hostile.TEXT_ARGUMENTS:
        values = values + hostile.LUCENE
    if position.path[-1] == "after":
        values = values + CURSORS
    return values


def _benign(position: hostile.Position) -> Any:
    if position.scalar == "Int":
        return 1
    return None if position.path[-1] == "after" else "machine-learning"


@pytest.mark.timeout(240)
def test_every_query_argument_survives_hostile_input(
        client: TestClient, db: Database, callers: Callers, caplog: pytest.LogCaptureFixture):
    world = make_world(db, lead_account_id=callers.lead_account_id,
                       hr_account_id=callers.hr_account_id, expert_id=callers.expert_id)
    required = {"r_id": callers.expert_id, "r_expertId": callers.expert_id,
                "r_from": callers.expert_id, "r_to": callers.other_expert_id,
                "r_taskId": world.open_task, "r_input": hostile.SAMPLES["TaskInput"]}
    positions = hostile.positions(SCHEMA)
    covered_fields = {p.field for p in positions}
    with_arguments = {n for n, f in SCHEMA.query_type.fields.items() if f.args}
    assert covered_fields == with_arguments
    before = fingerprint(db)
    failures: list[str] = []
    sent = 0
    with caplog.at_level(logging.ERROR):
        for position in positions:
            query, _ = hostile.document(SCHEMA, position)
            others = {k: v for k, v in required.items() if f"${k}:" in query}

            def variables(value: Any, position: hostile.Position = position,
                          others: dict[str, Any] = others) -> dict[str, Any]:
                return {"a": hostile.argument(SCHEMA, position, value), **others}

            # The document itself is valid: with a benign value it runs (any error is one
            # of execution, with a path, not of the document).
            status, body, text = post(client, query, variables(_benign(position)),
                                      token=callers.admin)
            assert status == 200 and all("path" in e for e in body.get("errors", ())), (
                str(position), text[:500])
            # Anonymous callers too, where they get past the sign-in check to the resolver.
            status, body, _ = post(client, query, variables(_benign(position)))
            anonymous_runs = "UNAUTHENTICATED" not in codes(body)
            for token in ((None, callers.admin) if anonymous_runs else (callers.admin,)):
                for value in _values(position, anonymous=token is None):
                    status, body, text = post(client, query, variables(value), token=token)
                    sent += 1
                    why = problem(status, body)
                    if why:
                        failures.append(f"{position} = {str(value)[:60]!r} "
                                        f"({'admin' if token else 'anonymous'}): {why}: "
                                        f"{text[:300]}")
    assert not failures, f"{len(failures)} of {sent} requests failed:\n" + "\n".join(
        failures[:15])
    assert fingerprint(db) == before
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert world.open_task  # the world was there to be found


def test_deep_nesting_many_aliases_and_big_numbers_are_refused_cleanly(
        client: TestClient, db: Database, callers: Callers, api_settings: Settings):
    before = fingerprint(db)
    deep = "query($id: ID!) { expert(id: $id) { " + "skills { skill { " * 40 + "id" + \
        " } }" * 40 + " } }"
    aliases = "{ " + " ".join(f"a{i}: techLists {{ id }}" for i in range(1000)) + " }"
    fragments = "fragment F on Query { me { account { id } } } { " + " ".join(
        f"b{i}: me {{ account {{ id }} }}" for i in range(200)) + " ...F }"
    cycle = "fragment A on Skill { broader { ...B } } fragment B on Skill { narrower { ...A } }" \
            " { skills { ...A } }"
    # (document, variables, whether it must be refused with an error)
    cases = [
        (deep, {"id": callers.expert_id}, True),
        (aliases, {}, True),
        (fragments, {}, True),
        (cycle, {}, True),
        ("{ experts(first: 9223372036854775808) { totalCount } }", {}, True),
        ("{ experts(first: 2147483648) { totalCount } }", {}, True),
        ("{ experts(first: 1e308) { totalCount } }", {}, True),
        ("{ experts(first: -1) { totalCount } }", {}, True),
        ("{ experts(first: 0) { totalCount } }", {}, False),
        ('{ collaborators(expertId: "x", depth: 2147483647) { distance } }', {}, True),
        ('{ collaborators(expertId: "x", depth: -1) { distance } }', {}, True),
        ("{ " + "{" * 5000 + " }", {}, True),
        ('{ experts(filter: {text: "' + "\\\\" * 100_000 + '"}) { totalCount } }', {},
         False),
    ]
    for query, variables, refused in cases:
        for token in (None, callers.admin):
            status, body, text = post(client, query, variables, token=token)
            assert problem(status, body) is None, (query[:80], text[:300])
            if refused:
                assert body.get("errors"), (query[:80], text[:300])
    # A body over the size limit is refused before it is read whole.
    over = {"filter": {"text": "a" * (api_settings.max_body_bytes + 1)}}
    status, body, text = post(client, "query($filter: ExpertFilter) { experts(filter: $filter)"
                                      " { totalCount } }", over)
    assert status == 413 and codes(body) == ["PAYLOAD_TOO_LARGE"], text[:300]
    # Bodies that are not GraphQL requests at all.
    for raw in (b'{"query": "{ me { account { id } } }", "variables": {"a": Infinity}}',
                b'{"query": "{ __typename }", "variables": {"a": NaN}}',
                b'{"query": 1e999}', b"[]", b'"{ __typename }"', b"\xff\xfe\x00",
                b'{"query": "{ __typename }", "variables": "not a map"}',
                b'{"query": "{ __typename }", "operationName": 7}',
                b'{"query": "{ __typename }", "extensions": []}',
                b'{"query": "\\ud800"}', b"{" * 100_000,
                b'{"query": "{ __typename }", "variables": {"a": ' + b"[" * 100_000
                + b"]" * 100_000 + b"}}"):
        status, body, text = post(client, "", raw=raw)
        assert status < 500 and problem(status, body or {}) is None, (raw[:60], text[:300])
    assert fingerprint(db) == before


# --- writes -----------------------------------------------------------------------------------


def _id_paths(type_, value: Any, path: tuple = ()):
    """Paths to the ID leaves of an input value (walking its GraphQL input type)."""
    named = get_named_type(type_)
    if isinstance(value, list):
        for i, item in enumerate(value):
            yield from _id_paths(type_, item, (*path, i))
    elif isinstance(named, GraphQLInputObjectType) and isinstance(value, dict):
        for key, item in value.items():
            if key in named.fields:
                yield from _id_paths(named.fields[key].type, item, (*path, key))
    elif named.name == "ID" and value is not None:
        yield path


def _replace(value: Any, path: tuple, new: Any) -> Any:
    if not path:
        return new
    copy = list(value) if isinstance(value, list) else dict(value)
    copy[path[0]] = _replace(value[path[0]], path[1:], new)
    return copy


@pytest.mark.timeout(240)
def test_hostile_ids_in_every_mutation_write_nothing(
        client: TestClient, db: Database, callers: Callers, caplog: pytest.LogCaptureFixture):
    from tests.api.mutation_support import mutation_document
    from tests.api.test_permission_matrix import TABLE, World

    world = World(db, callers)
    inputs = {name: build(world) for name, (_, build) in TABLE.items()}  # makes what they use
    mutation_type = SCHEMA.mutation_type
    before = fingerprint(db)
    failures, sent, refused = [], 0, 0
    with caplog.at_level(logging.ERROR):
        for name, valid in inputs.items():
            input_type = mutation_type.fields[name].args["input"].type
            query = mutation_document(name, "__typename")
            paths = list(_id_paths(input_type, valid))
            for path in paths:
                for value in hostile.INJECTION + ["", "\ud800", "a" * 10_000]:
                    status, body, text = post(client, query,
                                              {"input": _replace(valid, path, value)},
                                              token=callers.admin)
                    sent += 1
                    why = problem(status, body)
                    result = (body or {}).get("data") or {}
                    typename = (result.get("result") or {}).get("__typename")
                    if why is None and typename not in (None, "ValidationFailed", "NotFound",
                                                        "NotAllowed", "VersionConflict"):
                        why = f"accepted as {typename}"
                    if why:
                        failures.append(f"{name} {'.'.join(map(str, path))} = "
                                        f"{value[:40]!r}: {why}: {text[:300]}")
                    else:
                        refused += 1
    assert sent > 100
    assert not failures, f"{len(failures)} of {sent}:\n" + "\n".join(failures[:15])
    assert fingerprint(db) == before
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


UPDATE = """mutation($input: UpdateProfileInput!) { updateProfile(input: $input) {
  __typename ... on ProfileUpdated { expert { version fullName headline bio city } }
  ... on ValidationFailed { fields { path reason } } } }"""
TEXT_FIELDS = ("headline", "bio", "city", "fullName")


def _skeleton(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFC", text)
                   if not ch.isspace() and unicodedata.category(ch) not in ("Cc", "Cf"))


def _labels(db: Database) -> dict[str, int]:
    counts = fingerprint(db)["nodes"]
    counts.pop("AuditEvent", None)
    return counts


@pytest.mark.timeout(240)
def test_hostile_text_is_stored_as_given_or_refused(
        client: TestClient, db: Database, callers: Callers, caplog: pytest.LogCaptureFixture):
    labels = _labels(db)
    version = 1
    outcomes: dict[str, int] = {"ProfileUpdated": 0, "ValidationFailed": 0}
    with caplog.at_level(logging.ERROR):
        for field in TEXT_FIELDS:
            for value in hostile.STRINGS + hostile.LUCENE:
                status, body, text = post(client, UPDATE, {"input": {
                    "id": callers.expert_id, "version": version, field: value}},
                    token=callers.owner)
                assert problem(status, body) is None, (field, value[:40], text[:300])
                if status == 400:  # refused at the door (not valid Unicode)
                    assert codes(body) == ["BAD_REQUEST"], text[:300]
                    continue
                result = body["data"]["updateProfile"]
                outcomes[result["__typename"]] += 1
                if result["__typename"] == "ProfileUpdated":
                    version = result["expert"]["version"]
                    stored = result["expert"][field]
                    # Stored as given, up to normalisation (NFC; whitespace, control and
                    # invisible format characters dropped or collapsed); never a changed query.
                    if stored is None:  # nothing printable was left: the field is cleared
                        assert _skeleton(value) == "", (value, stored)
                        continue
                    assert stored == unicodedata.normalize("NFC", stored), (value, stored)
                    assert _skeleton(stored) == _skeleton(value), (value, stored)
                else:
                    assert result["__typename"] == "ValidationFailed", result
                    assert [f["path"] for f in result["fields"]] == [field], result
    assert outcomes["ProfileUpdated"] and outcomes["ValidationFailed"]
    assert _labels(db) == labels
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
