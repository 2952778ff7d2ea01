"""The project's own Neo4j Community server: build (Maven), start, stop, status."""

from registry.localdb.server import LocalNeo4j, LocalNeo4jError

__all__ = ["LocalNeo4j", "LocalNeo4jError"]
