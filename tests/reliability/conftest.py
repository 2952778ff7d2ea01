"""Fixtures of the reliability tests: the API fixtures (app on the test database, one account
per role), shared with ``tests/api``."""

from __future__ import annotations

# Imported so that pytest finds them here too (they are defined once, for the API tests).
from tests.api.conftest import Callers, api_settings, callers, client  # noqa: F401
