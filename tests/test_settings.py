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


def test_the_cli_names_the_database_it_could_not_reach(monkeypatch, capsys):
    import socket

    from registry import cli
    from registry.settings import get_settings

    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("NEO4J_URI", f"bolt://127.0.0.1:{port}")
    monkeypatch.setenv("NEO4J_PASSWORD", "secret-not-shown")
    monkeypatch.setenv("NEO4J_DATABASE", "registry")
    monkeypatch.setenv("CHUYENGIA_DB_RETRY_SECONDS", "0")
    get_settings.cache_clear()
    try:
        assert cli.main(["db", "migrate"]) == 2
    finally:
        get_settings.cache_clear()
    err = capsys.readouterr().err
    assert f"cannot be reached (NEO4J_URI=bolt://127.0.0.1:{port}, user 'neo4j', " \
           "database 'registry')" in err
    assert "secret-not-shown" not in err
