"""The schema as a contract: ``schema.graphql`` matches the code, and every root field has a
test."""

from __future__ import annotations

import importlib
from pathlib import Path

from api.schema import schema, sdl
from tests.api import support

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent


def test_schema_file_matches_the_code():
    exported = (ROOT / "schema.graphql").read_text(encoding="utf-8")
    assert exported == sdl(schema), (
        "schema.graphql differs from the schema the code builds; re-export it with "
        "`python -m api.schema schema.graphql` and review the difference")


def test_every_root_query_field_has_a_test():
    for path in sorted(HERE.glob("test_*.py")):
        importlib.import_module(f"tests.api.{path.stem}")  # runs their @covers marks
    query_type = schema._schema.query_type
    assert query_type is not None
    untested = sorted(set(query_type.fields) - support.COVERED)
    assert not untested, f"root Query fields without a test (mark it @covers): {untested}"
    unknown = sorted(support.COVERED - set(query_type.fields))
    assert not unknown, f"@covers names fields the schema does not have: {unknown}"


def test_mutations_over_the_typed_errors_are_part_of_the_schema():
    # The expected-failure types exist for mutation unions even before any mutation does.
    for name in ("UserError", "ValidationFailed", "NotFound", "VersionConflict", "NotAllowed",
                 "FieldError"):
        assert schema.get_type_by_name(name) is not None, name
