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

from registry.db import Database, local_server_for  # noqa: E402  (env first)
from registry.migrations import migrate  # noqa: E402
from registry.settings import Settings  # noqa: E402


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
