"""What the application holds while it runs: one ``Database`` for the process, whether the
migrations are applied, and the reachability probe used to fail fast (``api.availability``).

Made by ``server.create_app``; started and stopped by the app's lifespan. If Neo4j is down at
start the app still starts: migrations are retried by the next readiness check that finds the
database reachable, so the service recovers without a restart.
"""

from __future__ import annotations

import logging

import anyio.to_thread

from api.availability import Reachability, guarded_call
from registry import search_index
from registry.db import Database
from registry.errors import RegistryError
from registry.migrations import migrate
from registry.settings import Settings

__all__ = ["Runtime"]

log = logging.getLogger("chuyengia.server")


class Runtime:
    def __init__(self, settings: Settings, database: Database | None = None):
        self.settings = settings
        self.db = database
        self.owns_db = database is None
        self.migrated = database is not None  # a database handed in is migrated by its owner
        self.reachability = Reachability(database.uri) if database is not None else None

    async def start(self) -> None:
        if self.db is None:
            self.db = await anyio.to_thread.run_sync(Database.connect, self.settings)
            self.reachability = Reachability(self.db.uri)
            if await self.ensure_migrated():
                search_index.warm(self.db)

    async def stop(self) -> None:
        if self.owns_db and self.db is not None:
            await anyio.to_thread.run_sync(self.db.close)
            self.db = None

    async def ensure_migrated(self) -> bool:
        if not self.migrated and self.db is not None:
            try:
                await guarded_call(self.reachability, migrate, self.db)
                self.migrated = True
            except RegistryError as exc:
                log.warning("migrations not applied yet (%s); retrying at the next /readyz", exc)
        return self.migrated

    async def ready(self) -> bool:
        """The database answers a query and the schema is migrated."""
        if self.db is None:
            return False
        try:
            reachable = await guarded_call(self.reachability, self.db.ping)
        except RegistryError:
            return False
        return reachable and await self.ensure_migrated()
