"""The real app as ``make run`` starts it: ``python -m streamlit run streamlit_app.py`` on a free port.

The server runs in its own process group (its worker processes with it) and is stopped at the end of the
module that asked for it; the scenario store is a fresh SQLite file. Its log must hold no traceback.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.app_server import AppDidNotStart, running_app


@pytest.fixture(scope="module")
def app_url(tmp_path_factory) -> Iterator[str]:
    """The URL of a running app (:func:`bench.app_server.running_app`); the server and its workers are stopped
    afterwards, and its log must hold no traceback."""
    folder = tmp_path_factory.mktemp("app")
    try:
        with running_app(folder) as (url, log):
            yield url
    except AppDidNotStart as exc:
        pytest.fail(str(exc))
    errors = [line for line in log.read_text(errors="replace").splitlines() if "Traceback" in line]
    assert not errors, log.read_text()[-5000:]


CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium, headless, driven by Playwright (no browser is downloaded); the test modules skip,
    saying why, where either is missing."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                              args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        yield chromium
        chromium.close()
