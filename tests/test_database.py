"""The real Neo4j: local server management and migrations."""

from __future__ import annotations

import shutil
import socket
import threading

import pytest
from neo4j import GraphDatabase

from registry.db import Database, run
from registry.localdb import LocalNeo4j, LocalNeo4jError
from registry.migrations import MIGRATIONS, applied, migrate


def test_migrations_are_recorded_and_idempotent(db: Database):
    assert applied(db) == sorted(m.id for m in MIGRATIONS)
    assert migrate(db) == []  # nothing left to apply
    # Running every statement again is harmless too.
    for m in MIGRATIONS:
        for statement in m.statements:
            db.execute(statement)
    names = {r["name"] for r in db.query("SHOW INDEXES YIELD name RETURN name")}
    assert {"expert_text", "publication_text", "expert_id_unique"} <= names


def test_fulltext_indexes_fold_vietnamese(db: Database):
    rows = db.query(
        "SHOW INDEXES YIELD name, options WHERE name = 'expert_text' "
        "RETURN options.indexConfig['fulltext.analyzer'] AS analyzer"
    )
    assert rows == [{"analyzer": "standard-folding"}]


def test_uniqueness_constraint_becomes_validation_error(db: Database):
    from registry.errors import ValidationError

    # Skills survive the suite's wipe (reference data): this one is removed here.
    db.execute("MATCH (s:Skill {id: 'test-uniqueness'}) DELETE s")
    db.execute("CREATE (:Skill {id: 'test-uniqueness'})")
    try:
        with pytest.raises(ValidationError) as err:
            db.execute("CREATE (:Skill {id: 'test-uniqueness'})")
        assert err.value.errors[0].path == "id"
        assert err.value.errors[0].code == "ALREADY_EXISTS"
    finally:
        db.execute("MATCH (s:Skill {id: 'test-uniqueness'}) DELETE s")


def test_close_lets_a_running_transaction_finish(database: Database, settings):
    # A server stopping while a worker thread is inside a transaction: the driver is closed
    # after that transaction, not under it (which tore its connection down mid-read).
    own = Database.connect(settings)
    inside, release = threading.Event(), threading.Event()
    outcome: list = []

    def work(tx):
        first = run(tx, "RETURN 1 AS n")
        inside.set()
        release.wait(30)
        return first + run(tx, "RETURN 2 AS n")

    def worker():
        try:
            outcome.append(own.read(work))
        except Exception as exc:  # noqa: BLE001  (the assertion below shows it)
            outcome.append(exc)

    reader = threading.Thread(target=worker)
    reader.start()
    assert inside.wait(30)
    closer = threading.Thread(target=own.close)
    closer.start()
    release.set()
    reader.join(60)
    closer.join(60)
    assert outcome == [[{"n": 1}, {"n": 2}]]
    assert not closer.is_alive()


def test_authentication_is_on(database: Database, settings):
    from neo4j.exceptions import AuthError

    if not settings.uses_local_server:
        pytest.skip("external test server: its auth is not ours to check")
    with GraphDatabase.driver(database.uri, auth=("neo4j", "neo4j")) as driver:
        with pytest.raises(AuthError):
            driver.verify_connectivity()


def test_password_is_generated_and_private(database: Database, settings):
    server = LocalNeo4j(settings.data_dir, settings.local_port)
    mode = server.password_file.stat().st_mode & 0o777
    assert mode == 0o600
    assert len(server.password()) >= 24


def test_start_refuses_a_taken_port(tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        server = LocalNeo4j(tmp_path / "other", port)
        with pytest.raises(LocalNeo4jError, match=f"port {port} .* taken"):
            server.start(timeout=10)


def test_missing_java_is_reported(monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(LocalNeo4jError, match="Java is not installed"):
        LocalNeo4j.check_java()


def test_status_of_a_stopped_server(tmp_path):
    st = LocalNeo4j(tmp_path / "never", 7999).status()
    assert not st.running and st.pid is None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _count_nodes(server: LocalNeo4j) -> int:
    with GraphDatabase.driver(server.uri, auth=("neo4j", server.password())) as driver:
        records, _, _ = driver.execute_query("MATCH (n:Probe) RETURN count(n) AS n")
        return records[0]["n"]


def test_a_first_start_that_never_finished_is_made_again(tmp_path):
    # What a first start killed before the default database existed leaves behind: the
    # system store without its transaction logs, which Neo4j refuses on every later start.
    server = LocalNeo4j(tmp_path / "interrupted", _free_port(), heap="512m", pagecache="128m")
    try:
        server.start()
        server.stop()
        data = server.home / "data"
        shutil.rmtree(data / "transactions")
        shutil.rmtree(data / "databases" / "neo4j")
        assert (data / "databases" / "system").is_dir()
        assert server.start().running
        assert _count_nodes(server) == 0  # the password kept in the folder still opens it
        assert (data / "databases" / "neo4j").is_dir()
    finally:
        server.stop()


def test_a_store_with_data_and_no_logs_is_left_alone_with_a_clear_error(tmp_path):
    server = LocalNeo4j(tmp_path / "damaged", _free_port(), heap="512m", pagecache="128m")
    try:
        server.start()
        with GraphDatabase.driver(server.uri, auth=("neo4j", server.password())) as driver:
            driver.execute_query("CREATE (:Probe {name: 'kept'})")
        server.stop()
        data = server.home / "data"
        shutil.rmtree(data / "transactions")
        stores = data / "databases"
        before = sorted(p.relative_to(stores) for p in stores.rglob("*"))
        with pytest.raises(LocalNeo4jError, match="transaction logs are missing.*Nothing was "
                                                  "changed"):
            server.start(timeout=120)
        assert server.status().running is False
        assert sorted(p.relative_to(stores) for p in stores.rglob("*")) == before
        assert (data / "databases" / "neo4j" / "neostore.nodestore.db").stat().st_size > 0
    finally:
        server.stop()
