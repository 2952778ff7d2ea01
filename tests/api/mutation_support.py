"""Helpers of the mutation tests: one call shape for every mutation.

Every mutation takes one ``input`` and answers a union; ``mutate`` builds the document from
the schema (the input's type and the union's members), so a test only names the mutation, the
input and what to select on the success type:

    result = mutate(client, "setVisibility", {"id": eid, "version": 1, "visibility": "PUBLIC"},
                    token=callers.owner, success="expert { visibility version }")
    assert result["__typename"] == "ProfileUpdated"

Every error member is selected with its fields (``fields { path code reason params }`` of
``ValidationFailed``, ``currentVersion`` of ``VersionConflict``, ...).
"""

from __future__ import annotations

from typing import Any

from graphql import get_named_type

from api.schema import schema
from registry import audit
from registry.db import Database
from tests.api.support import gql

__all__ = ["mutation_document", "mutate", "paths", "codes", "audit_actions"]

ERROR_FIELDS = {
    "ValidationFailed": "message fields { path code reason params }",
    "VersionConflict": "message kind id expectedVersion currentVersion",
    "NotFound": "message kind id",
    "NotAllowed": "message code reason",
}


def mutation_document(field: str, success: str = "") -> str:
    mutation_type = schema._schema.mutation_type
    assert mutation_type is not None and field in mutation_type.fields, field
    definition = mutation_type.fields[field]
    union = get_named_type(definition.type)
    parts = ["__typename"]
    for member in union.types:  # type: ignore[attr-defined]
        if member.name in ERROR_FIELDS:
            parts.append(f"... on {member.name} {{ {ERROR_FIELDS[member.name]} }}")
        elif success:
            parts.append(f"... on {member.name} {{ {success} }}")
    input_type = definition.args["input"].type
    return (f"mutation($input: {input_type}) {{ result: {field}(input: $input) "
            f"{{ {' '.join(parts)} }} }}")


def mutate(client: Any, field: str, input: dict[str, Any], *, token: str | None = None,
           success: str = "", expect_errors: bool = False) -> dict[str, Any]:
    """``data.<field>`` of the mutation; with ``expect_errors`` the whole response body."""
    body = gql(client, mutation_document(field, success), {"input": input}, token=token,
               expect_errors=expect_errors)
    return body if expect_errors else body["data"]["result"]


def paths(result: dict[str, Any]) -> dict[str, str]:
    """``{path: reason}`` of a ``ValidationFailed`` answer."""
    assert result["__typename"] == "ValidationFailed", result
    return {f["path"]: f["reason"] for f in result["fields"]}


def codes(result: dict[str, Any]) -> dict[str, tuple[str, dict[str, Any]]]:
    """``{path: (code, params)}`` of a ``ValidationFailed`` answer."""
    assert result["__typename"] == "ValidationFailed", result
    return {f["path"]: (f["code"], f["params"]) for f in result["fields"]}


def audit_actions(db: Database, subject_id: str) -> list[str]:
    return [e.action for e in audit.events(db, subject_id=subject_id)]
