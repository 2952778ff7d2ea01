"""Fixtures of the end-to-end tests of the web pages: the real server (uvicorn in a thread,
on a free 127.0.0.1 port, against the test Neo4j) and headless Chromium driven by Playwright.

Chromium is Debian's (``make browser`` installs it at /usr/bin/chromium); Playwright never
downloads a browser here. Each test gets a fresh browser profile (its own user-data folder),
so sessionStorage, localStorage and cookies never leak from one test to the next.
"""

from __future__ import annotations

import os
import shutil
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from registry.db import Database
from registry.settings import Settings

playwright_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright")

CHROMIUM = os.environ.get("CHUYENGIA_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 860}
PHONE = {"width": 390, "height": 844}


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def live_server(database: Database, settings: Settings) -> Iterator[str]:
    """The app of ``server.create_app`` served by uvicorn on 127.0.0.1; yields its base URL."""
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
    thread = threading.Thread(target=server.run, name="web-test-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test web server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def playwright():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium not found at {CHROMIUM}; run `make browser`")
    with playwright_api.sync_playwright() as p:
        yield p


@pytest.fixture
def browser(playwright) -> Iterator:
    """A Chromium with a fresh profile folder, removed afterwards."""
    profile = tempfile.mkdtemp(prefix="chuyengia-chromium-")
    context = playwright.chromium.launch_persistent_context(
        profile,
        executable_path=CHROMIUM,
        headless=True,
        args=CHROMIUM_ARGS,
        viewport=DESKTOP,
        locale="vi-VN",
        timezone_id="Asia/Ho_Chi_Minh",
        service_workers="block",
    )
    context.set_default_timeout(15_000)
    try:
        yield context
    finally:
        context.close()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def page(browser, live_server: str):
    """A tab on the app; fails the test when the page throws an uncaught JavaScript error."""
    from tests.web.support import WebPage

    tab = browser.pages[0] if browser.pages else browser.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    yield WebPage(tab, live_server)
    assert not errors, f"JavaScript errors on the page: {errors}"
