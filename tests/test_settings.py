"""The settings object refuses combinations that cannot work."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from registry.settings import Settings


def test_external_neo4j_needs_a_password():
    with pytest.raises(ValidationError, match="NEO4J_PASSWORD is required"):
        Settings(NEO4J_URI="neo4j://db.example:7687", NEO4J_PASSWORD=None)


def test_uri_scheme_is_checked():
    with pytest.raises(ValidationError, match="NEO4J_URI must start with"):
        Settings(NEO4J_URI="http://localhost:7474", NEO4J_PASSWORD="x")


def test_import_limit_must_fit_in_a_request():
    with pytest.raises(ValidationError, match="MAX_IMPORT_BYTES must be smaller"):
        Settings(CHUYENGIA_MAX_BODY_BYTES=2_000_000, CHUYENGIA_MAX_IMPORT_BYTES=3_000_000)


def test_graphiql_only_in_development_by_default():
    assert Settings(CHUYENGIA_ENV="development").graphiql_enabled
    assert not Settings(CHUYENGIA_ENV="production").graphiql_enabled
    assert Settings(CHUYENGIA_ENV="production", CHUYENGIA_GRAPHIQL=True).graphiql_enabled
