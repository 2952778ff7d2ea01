"""A per-caller token bucket, in process: ``settings.rate_limit_per_minute`` requests a minute.

Each caller (an API token, by its hash; an anonymous client, by its IP address) has a bucket
of ``per_minute`` tokens refilled continuously; a request takes one. An empty bucket answers
how long until the next token, which the server sends as ``Retry-After``. State is per
process: behind several workers each enforces its own share, which is what a simple limiter
can promise; a shared limit belongs in the proxy in front.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable

__all__ = ["RateLimiter"]


class RateLimiter:
    """``take(key)`` returns 0.0 when the request may go ahead, else seconds to wait."""

    def __init__(self, per_minute: int, *, clock: Callable[[], float] = time.monotonic,
                 max_keys: int = 100_000):
        if per_minute < 1:
            raise ValueError("per_minute must be at least 1")
        self.capacity = float(per_minute)
        self.rate = per_minute / 60.0  # tokens per second
        self.clock = clock
        self.max_keys = max_keys
        self._buckets: dict[str, tuple[float, float]] = {}  # key -> (tokens, last refill)
        self._lock = threading.Lock()

    def take(self, key: str) -> float:
        now = self.clock()
        with self._lock:
            tokens, last = self._buckets.get(key, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - last) * self.rate)
            if tokens >= 1.0:
                self._buckets[key] = (tokens - 1.0, now)
                self._prune(now)
                return 0.0
            self._buckets[key] = (tokens, now)
            return (1.0 - tokens) / self.rate

    @staticmethod
    def retry_after(wait: float) -> str:
        return str(max(1, math.ceil(wait)))

    def _prune(self, now: float) -> None:
        # A bucket that has refilled completely is the same as no bucket: forget it, so
        # many one-off clients cannot grow the table without bound.
        if len(self._buckets) <= self.max_keys:
            return
        full_after = self.capacity / self.rate
        self._buckets = {k: v for k, v in self._buckets.items() if now - v[1] < full_after}
