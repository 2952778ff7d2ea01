"""Typed errors for mutations: registry errors raised in a resolver become union members."""

from __future__ import annotations

from typing import Annotated

import pytest
import strawberry

from api.errors import (
    EXCEPTION_HANDLERS, NotAllowed, NotFound, ValidationFailed, VersionConflict, typed_error,
)
from registry import errors as domain


@strawberry.type
class Done:
    ok: bool


Result = Annotated[Done | ValidationFailed | NotFound | VersionConflict | NotAllowed,
                   strawberry.union("Result")]
RAISES = {
    "invalid": domain.ValidationError([
        domain.FieldError("skills.2.level", domain.Code.OUT_OF_RANGE, "must be 1-5",
                          {"min": 1, "max": 5}),
        domain.FieldError("fullName", domain.Code.REQUIRED, "is required")]),
    "missing": domain.NotFound("Expert", "e-1"),
    "stale": domain.VersionConflict("Expert", "e-1", 3, 5),
    "refused": domain.NotAllowed(domain.NotAllowedCode.NOT_OWNER,
                                 "only the expert may change this"),
}


@strawberry.type
class Query:
    ok: bool = True


@strawberry.type
class Mutation:
    @strawberry.mutation
    def act(self, what: str) -> Result:
        if what in RAISES:
            raise RAISES[what]
        if what == "down":
            raise domain.DatabaseUnavailable()
        return Done(ok=True)


SCHEMA = strawberry.Schema(query=Query, mutation=Mutation,
                           exception_handlers=EXCEPTION_HANDLERS)
DOC = """mutation($w: String!) { act(what: $w) { __typename
  ... on Done { ok }
  ... on UserError { message }
  ... on ValidationFailed { fields { path code reason params } }
  ... on NotFound { kind id }
  ... on VersionConflict { expectedVersion currentVersion }
  ... on NotAllowed { code reason } } }"""


def _act(what: str) -> dict:
    result = SCHEMA.execute_sync(DOC, variable_values={"w": what})
    assert result.errors is None, result.errors
    return result.data["act"]


def test_registry_errors_become_typed_results():
    assert _act("ok") == {"__typename": "Done", "ok": True}
    invalid = _act("invalid")
    assert invalid["__typename"] == "ValidationFailed"
    assert invalid["fields"] == [
        {"path": "skills.2.level", "code": "OUT_OF_RANGE", "reason": "must be 1-5",
         "params": {"min": 1, "max": 5}},
        {"path": "fullName", "code": "REQUIRED", "reason": "is required", "params": {}}]
    assert "skills.2.level" in invalid["message"]
    assert _act("missing")["kind"] == "Expert"
    stale = _act("stale")
    assert (stale["expectedVersion"], stale["currentVersion"]) == (3, 5)
    assert _act("refused") == {"__typename": "NotAllowed", "code": "NOT_OWNER",
                               "reason": "only the expert may change this",
                               "message": "only the expert may change this"}


def test_database_down_is_not_a_user_error():
    result = SCHEMA.execute_sync(DOC, variable_values={"w": "down"})
    assert result.errors and result.data is None
    with pytest.raises(domain.DatabaseUnavailable):
        typed_error(domain.DatabaseUnavailable())
