"""Fixtures of the end-to-end tests of the web pages: headless Chromium driven by Playwright,
against the real server (``live_server`` of ``tests/conftest.py``).

Chromium is Debian's (``make browser`` installs it at /usr/bin/chromium); Playwright never
downloads a browser here. Each test gets a fresh browser profile (its own user-data folder),
so sessionStorage, localStorage and cookies never leak from one test to the next.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest


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
