"""The ASGI application: GraphQL at ``/graphql``, liveness at ``/healthz``, readiness at
``/readyz``. ``python server.py`` serves it with uvicorn on ``settings.host:settings.port``.

One ``Database`` (one driver and its connection pool) serves the whole process: it is made
when the app starts, the migrations are applied then, and it is closed when the app stops
(``api.runtime.Runtime``). ``/healthz`` says the process is up; ``/readyz`` says Neo4j answers
(503 while it does not; the app recovers by itself when it is back).
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator
from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from api.http import GraphQLView
from api.runtime import Runtime
from api.schema import build_schema
from registry.db import Database
from registry.settings import Settings, get_settings

__all__ = ["create_app", "main"]

# The web pages (static files that use /graphql); mounted last so the routes above win.
WEB_DIR = Path(__file__).resolve().parent / "web"


def create_app(settings: Settings | None = None, *, database: Database | None = None
               ) -> Starlette:
    """The application. A ``database`` given (tests) is used as it is and left open; without
    one the app connects at start-up, migrates, and disconnects at shutdown."""
    settings = settings or get_settings()
    runtime = Runtime(settings, database)

    async def healthz(request: Request) -> JSONResponse:
        return JSONResponse({"status": "ok"})

    async def readyz(request: Request) -> JSONResponse:
        if await runtime.ready():
            return JSONResponse({"status": "ready"})
        return JSONResponse({"status": "unavailable",
                             "detail": "the graph database cannot be reached"},
                            status_code=503, headers={"Retry-After": "5"})

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await runtime.start()
        try:
            yield
        finally:
            await runtime.stop()

    graphql = GraphQLView(build_schema(settings), runtime=runtime)
    app = Starlette(routes=[
        Route("/graphql", graphql),
        Route("/healthz", healthz, methods=["GET"]),
        Route("/readyz", readyz, methods=["GET"]),
        Mount("/", app=StaticFiles(directory=WEB_DIR, html=True), name="web"),
    ], lifespan=lifespan)
    app.state.runtime = runtime
    return app


def main() -> None:
    import uvicorn

    settings = get_settings()
    logging.basicConfig(level=logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("neo4j").setLevel(logging.ERROR)
    uvicorn.run(create_app(settings), host=settings.host, port=settings.port)


if __name__ == "__main__":
    main()
