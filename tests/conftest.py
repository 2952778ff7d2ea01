"""Test fixtures: a real Neo4j of the tests' own (own port, own data folder).

The suite never touches demo or user data: it ignores ``NEO4J_URI`` and starts a local server
under ``var/test-neo4j`` on port 7688, unless ``CHUYENGIA_TEST_NEO4J_URI`` names a server that
is meant for tests (with ``CHUYENGIA_TEST_NEO4J_PASSWORD``).
"""

from __future__ import annotations

import fcntl
import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

_test_uri = os.environ.get("CHUYENGIA_TEST_NEO4J_URI")
for _key in ("NEO4J_URI", "NEO4J_PASSWORD", "NEO4J_USER", "NEO4J_DATABASE"):
    os.environ.pop(_key, None)
if _test_uri:
    os.environ["NEO4J_URI"] = _test_uri
    os.environ["NEO4J_PASSWORD"] = os.environ.get("CHUYENGIA_TEST_NEO4J_PASSWORD", "")
os.environ["CHUYENGIA_ENV"] = "test"
os.environ["CHUYENGIA_DATA_DIR"] = os.environ.get(
    "CHUYENGIA_TEST_DATA_DIR", str(ROOT / "var" / "test-neo4j")
)
os.environ["CHUYENGIA_NEO4J_PORT"] = os.environ.get("CHUYENGIA_TEST_NEO4J_PORT", "7688")
os.environ.setdefault("CHUYENGIA_NEO4J_HEAP", "1g")
os.environ.setdefault("CHUYENGIA_NEO4J_PAGECACHE", "512m")
os.environ["CHUYENGIA_MODEL_DIR"] = str(ROOT / "var" / "test-models")

# The project's modules are imported after the environment above is set.
from registry.db import Database, local_server_for
from registry.localdb import LocalNeo4j
from registry.migrations import migrate
from registry.settings import Settings


@pytest.fixture(scope="session")
def settings() -> Settings:
    return Settings()


@pytest.fixture(scope="session")
def _exclusive_test_database(settings: Settings):
    """Test runs sharing one test server take turns: each wipes the data between tests."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    with open(settings.data_dir / ".test-session.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


@pytest.fixture(scope="session")
def database(settings: Settings, _exclusive_test_database):
    """The test server, started once per run; stopped at the end if this run started it."""
    server = local_server_for(settings) if settings.uses_local_server else None
    was_running = bool(server and server.status().running)
    db = Database.connect(settings)
    migrate(db)
    yield db
    db.close()
    if server is not None and not was_running and not os.environ.get("CHUYENGIA_KEEP_TEST_DB"):
        server.stop()


@contextmanager
def own_server(settings: Settings, name: str, port_variable: str, port: int
               ) -> Iterator[LocalNeo4j]:
    """A Neo4j of a test module's own, for tests that stop, kill or swap its store: data in
    the test data folder's sibling ``<folder>-<name>``, port ``port`` or ``$port_variable``;
    one test run at a time uses it; stopped at the end."""
    data_dir = settings.data_dir.with_name(f"{settings.data_dir.name}-{name}")
    data_dir.mkdir(parents=True, exist_ok=True)
    with open(data_dir / ".test-session.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        server = LocalNeo4j(data_dir, int(os.environ.get(port_variable, str(port))),
                            heap="512m", pagecache="256m")
        server.start(300)
        try:
            yield server
        finally:
            server.stop()


@contextmanager
def own_database(server: LocalNeo4j) -> Iterator[Database]:
    """A migrated connection to a server of ``own_server``."""
    db = Database.connect(Settings(NEO4J_URI=server.uri, NEO4J_PASSWORD=server.password()))
    migrate(db)
    try:
        yield db
    finally:
        db.close()


_KEEP = (
    "n:SchemaMigration OR n:Skill OR n:TechArea OR n:TaxonomyVersion "
    "OR (n:Organization AND n.source = 'REFERENCE')"
)


def wipe(db: Database) -> None:
    """Remove every node but the schema records and the reference data (taxonomy, lists,
    reference organizations), which migrate() loads once per data version."""
    while db.execute(
        f"MATCH (n) WHERE NOT ({_KEEP}) WITH n LIMIT 20000 DETACH DELETE n RETURN count(*) AS n"
    )[0]["n"]:
        pass


@pytest.fixture
def db(database: Database) -> Database:
    """An empty registry (schema in place) for one test."""
    wipe(database)
    return database


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def live_server(database: Database, settings: Settings) -> Iterator[str]:
    """The app of ``server.create_app`` served by uvicorn in a thread on a free 127.0.0.1 port,
    against the test Neo4j; yields its base URL."""
    import uvicorn

    from server import create_app

    app_settings = settings.model_copy(update={"rate_limit_per_minute": 100_000, "graphiql": False})
    port = _free_port()
    config = uvicorn.Config(
        create_app(app_settings, database=database),
        host="127.0.0.1",
        port=port,
        log_level="warning",
        lifespan="on",
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="test-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)
