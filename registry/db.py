"""Access to Neo4j: one driver, managed transactions, and driver errors turned into domain errors.

Every Cypher statement in the project goes through :func:`run`, which takes the query as a
constant string and user values only as ``$parameters``, and counts statements per context so
tests can prove that a request's query count does not grow with its page size.
"""

from __future__ import annotations

import contextvars
import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import neo4j
from neo4j import GraphDatabase, ManagedTransaction
from neo4j import exceptions as nx

from registry.errors import (
    Code,
    DatabaseUnavailable,
    FieldError,
    RegistryError,
    ValidationError,
)
from registry.rows import as_dict
from registry.settings import Settings, get_settings

__all__ = ["Database", "run", "run_single", "count_queries", "local_server_for"]

log = logging.getLogger(__name__)
T = TypeVar("T")

_ENTITY_NOT_FOUND = "Neo.ClientError.Statement.EntityNotFound"
_STALE_READ_RETRIES = 3

_query_counter: contextvars.ContextVar[list[int] | None] = contextvars.ContextVar(
    "chuyengia_query_counter", default=None
)


def run(tx: ManagedTransaction, query: str, /, **params: Any) -> list[dict[str, Any]]:
    """Run one statement inside a managed transaction and return its rows as dicts."""
    counter = _query_counter.get()
    if counter is not None:
        counter[0] += 1
    return [as_dict(record) for record in tx.run(query, params)]


def run_single(tx: ManagedTransaction, query: str, /, **params: Any) -> dict[str, Any] | None:
    rows = run(tx, query, **params)
    return rows[0] if rows else None


@contextmanager
def count_queries() -> Iterator[list[int]]:
    """Count the statements run in this context: ``with count_queries() as n: ...; n[0]``."""
    box = [0]
    token = _query_counter.set(box)
    try:
        yield box
    finally:
        _query_counter.reset(token)


def local_server_for(settings: Settings):
    from registry.localdb import LocalNeo4j

    return LocalNeo4j(
        settings.data_dir, settings.local_port, settings.local_heap, settings.local_pagecache
    )


def _translate(exc: Exception) -> RegistryError:
    if isinstance(exc, nx.ConstraintError) and "already exists" in (exc.message or ""):
        msg = exc.message or ""
        prop = "id"
        for key in ("orcid", "email", "code", "tokenHash", "slug"):
            if f"`{key}`" in msg or f"'{key}'" in msg:
                prop = key
        return ValidationError([FieldError(prop, Code.ALREADY_EXISTS, "a record with this value already exists")])
    if isinstance(exc, nx.AuthError):
        return DatabaseUnavailable("the graph database refused our credentials")
    if isinstance(exc, (nx.ServiceUnavailable, nx.SessionExpired, nx.DriverError, OSError)):
        return DatabaseUnavailable("the graph database cannot be reached")
    if isinstance(exc, nx.TransientError):
        return DatabaseUnavailable("the graph database is busy; try again")
    raise exc


# How long ``Database.close`` waits for transactions still running in other threads.
CLOSE_WAIT_SECONDS = 15.0


class Database:
    """A driver plus the database name, with managed read and write transactions.

    ``close`` waits for the transactions that other threads are running (a server's worker
    threads, one a cancelled request left behind) before it closes the driver: closing it
    under them tears their connections down mid-read.
    """

    def __init__(self, driver: neo4j.Driver, database: str, uri: str):
        self.driver = driver
        self.database = database
        self.uri = uri
        self._running = 0
        self._idle = threading.Condition()

    @classmethod
    def connect(cls, settings: Settings | None = None, *, start_local: bool = True) -> Database:
        settings = settings or get_settings()
        if settings.uses_local_server:
            server = local_server_for(settings)
            if start_local:
                server.start(settings.start_timeout)
            uri, password = server.uri, server.password()
        else:
            uri, password = settings.neo4j_uri, settings.neo4j_password
        driver = GraphDatabase.driver(
            uri,
            auth=(settings.neo4j_user, password),
            connection_timeout=1.5,
            connection_acquisition_timeout=5.0,
            max_transaction_retry_time=settings.db_retry_seconds,
            max_connection_pool_size=settings.db_pool_size,
            liveness_check_timeout=30.0,
            notifications_min_severity="OFF",
        )
        return cls(driver, settings.neo4j_database, uri)

    def close(self, *, wait: float = CLOSE_WAIT_SECONDS) -> None:
        """Close the driver once no transaction is running (after ``wait`` seconds at most)."""
        with self._idle:
            if not self._idle.wait_for(lambda: self._running == 0, timeout=wait):
                log.warning("closing the database with %d transactions still running after "
                            "%.0f s", self._running, wait)
        self.driver.close()

    @contextmanager
    def _session(self) -> Iterator[neo4j.Session]:
        with self._idle:
            self._running += 1
        try:
            with self.driver.session(database=self.database) as session:
                yield session
        finally:
            with self._idle:
                self._running -= 1
                self._idle.notify_all()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def read(self, work: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
        try:
            with self._session() as session:
                return session.execute_read(work, *args, **kwargs)
        except RegistryError:
            raise
        except (nx.Neo4jError, nx.DriverError, OSError) as exc:
            raise _translate(exc) from exc

    def write(self, work: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
        """Run ``work`` in a managed write transaction. Besides the transient errors the
        driver retries, a node that a concurrent transaction deleted after this one found it
        (``EntityNotFound``: a shared work merged while its last author dropped it) makes the
        whole transaction run again, where it no longer finds the node."""
        for attempt in range(_STALE_READ_RETRIES + 1):
            try:
                with self._session() as session:
                    return session.execute_write(work, *args, **kwargs)
            except RegistryError:
                raise
            except nx.ClientError as exc:
                if exc.code == _ENTITY_NOT_FOUND and attempt < _STALE_READ_RETRIES:
                    log.info("write saw a node deleted concurrently; running it again")
                    continue
                raise _translate(exc) from exc
            except (nx.Neo4jError, nx.DriverError, OSError) as exc:
                raise _translate(exc) from exc
        raise AssertionError("unreachable")  # the loop returns or raises

    def query(self, cypher: str, /, **params: Any) -> list[dict[str, Any]]:
        """A single read-only statement (constant Cypher, values as parameters)."""
        return self.read(lambda tx: run(tx, cypher, **params))

    def execute(self, cypher: str, /, **params: Any) -> list[dict[str, Any]]:
        """A single write statement (constant Cypher, values as parameters)."""
        return self.write(lambda tx: run(tx, cypher, **params))

    def ping(self) -> bool:
        try:
            self.query("RETURN 1 AS ok")
            return True
        except RegistryError:
            return False
