"""Calling the blocking registry from the event loop, and failing fast when Neo4j is down.

``guarded_call`` runs a registry function in a worker thread. While Neo4j is down the driver
keeps retrying for ``settings.db_retry_seconds`` after the last attempt *started*; with its
backoff (1 s, then 2 s, ...) a 1.5 s setting ends after about 3 s. A caller should hear sooner
that the database is unavailable, yet a slow but healthy query must not be cut short. So a call
that has not finished after ``FIRST_CHECK`` seconds asks ``Reachability`` whether the server
still accepts TCP connections (checked again every ``CHECK_EVERY`` while the call lasts); when
it does not, the call is abandoned (its thread ends on its own when the driver gives up) and
``DatabaseUnavailable`` is raised. Once the server is back, the next call simply succeeds: the
driver opens new connections by itself.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import urlparse

import anyio
import anyio.to_thread

from registry.errors import DatabaseUnavailable

__all__ = ["Reachability", "guarded_call", "FIRST_CHECK", "CHECK_EVERY"]

T = TypeVar("T")

FIRST_CHECK = 0.25
CHECK_EVERY = 0.5
_PROBE_TIMEOUT = 0.4
_REMEMBER = 0.5  # seconds a probe's answer is reused, so concurrent calls probe once


class Reachability:
    """Whether the database server accepts connections, by a plain TCP connect to it."""

    def __init__(self, uri: str):
        parsed = urlparse(uri)
        self.address = (parsed.hostname or "localhost", parsed.port or 7687)
        self._last: tuple[float, bool] | None = None

    async def _probe(self) -> bool:
        # On the event loop, not in a worker thread: while Neo4j is down the threads are
        # busy with the driver's retries, and the probe must not queue behind them.
        with anyio.move_on_after(_PROBE_TIMEOUT):
            try:
                stream = await anyio.connect_tcp(*self.address)
            except OSError:
                return False  # refused or unreachable: the database is down
            await stream.aclose()
            return True
        # No answer in time is no proof of an outage: a busy process (the GIL held by other
        # requests) can starve the event loop of even a local connect. The call goes on and
        # the driver's own timeouts decide.
        return True

    async def reachable(self) -> bool:
        now = time.monotonic()
        if self._last is not None and now - self._last[0] < _REMEMBER:
            return self._last[1]
        ok = await self._probe()
        self._last = (time.monotonic(), ok)
        return ok


async def guarded_call(reachability: Reachability | None, fn: Callable[..., T], /,
                       *args: Any, **kwargs: Any) -> T:
    """``fn(*args, **kwargs)`` in a worker thread; ``DatabaseUnavailable`` as soon as the
    database is seen to be down (see the module docstring)."""
    call = functools.partial(fn, *args, **kwargs)
    if reachability is None:
        return await anyio.to_thread.run_sync(call)
    outcome: dict[str, Any] = {}
    finished = anyio.Event()

    async def run() -> None:
        try:
            outcome["value"] = await anyio.to_thread.run_sync(call, abandon_on_cancel=True)
        except Exception as exc:  # handed to the caller below, unchanged
            outcome["error"] = exc
        finally:
            finished.set()

    down = False
    async with anyio.create_task_group() as tg:
        tg.start_soon(run)
        wait = FIRST_CHECK
        while not finished.is_set():
            with anyio.move_on_after(wait):
                await finished.wait()
            wait = CHECK_EVERY
            if not finished.is_set() and not await reachability.reachable() \
                    and not finished.is_set():
                down = True
                tg.cancel_scope.cancel()
                break
    if down:
        raise DatabaseUnavailable("the graph database cannot be reached")
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]
