"""A real browser: Debian's chromium driven by Playwright (no browser download)."""

from __future__ import annotations

import shutil
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

import pytest

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
CHROMIUM_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


@contextmanager
def chromium() -> Iterator[Any]:
    """Headless chromium (a Playwright Browser), or a clear skip where it cannot be installed.

    While it runs, Playwright's sync API owns the thread's event loop (`asyncio.run` fails), so
    no browser outlives the tests that need it: tests/web shares one, and a module elsewhere
    opens its own for one test or for the module."""
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        pytest.skip("chromium is not installed (Debian: apt-get install chromium); "
                    "scripts/install_chromium.sh installs it when run as root")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True,
                                             args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture(scope="package")
def browser():
    """Headless chromium for the tests of tests/web, closed when the run leaves the package (a
    test elsewhere that runs after it, in the same process, can call `asyncio.run`)."""
    with chromium() as running:
        yield running


@pytest.fixture
def page(browser):
    """A fresh browser context (own storage) with a desktop-sized page."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.dialogs = []
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    yield page
    context.close()


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    """Where screenshots are saved (git-ignored)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
