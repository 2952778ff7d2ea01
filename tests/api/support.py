"""Helpers of the API tests: calling GraphQL, seeding experts, and the registry of root fields
that have a test (``covers``), which ``test_gql_schema`` checks against the schema."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from registry.db import Database
from registry.experts import write_profiles
from registry.profile import validate_profile
from tests.factories import profile

F = TypeVar("F", bound=Callable[..., Any])

COVERED: set[str] = set()


def covers(*fields: str) -> Callable[[F], F]:
    """Mark a test as the test of these root Query fields."""

    def mark(fn: F) -> F:
        COVERED.update(fields)
        return fn

    return mark


def person(n: int, **overrides: Any) -> dict[str, Any]:
    """A valid profile with a unique e-mail (hence id), otherwise the factory's."""
    return profile(**{"email": f"expert{n}@example.org", "orcid": None, **overrides})


def seed(db: Database, docs: Iterable[dict[str, Any]]) -> list[str]:
    """Write many profiles in one transaction (faster than one create_expert each)."""
    valid = [validate_profile(d) for d in docs]
    db.write(write_profiles, valid)
    return [d["id"] for d in valid]


def gql(client: Any, query: str, variables: dict[str, Any] | None = None, *,
        token: str | None = None, expect_errors: bool = False) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = client.post("/graphql", json={"query": query, "variables": variables or {}},
                           headers=headers)
    assert response.status_code == 200, response.text
    body = response.json()
    if not expect_errors:
        assert "errors" not in body, body["errors"]
    return body


def codes(body: dict[str, Any]) -> list[str]:
    return [e.get("extensions", {}).get("code") for e in body.get("errors", [])]
