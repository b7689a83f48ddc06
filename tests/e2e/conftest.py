"""The real app as ``make run`` starts it: ``python -m streamlit run streamlit_app.py`` on a free port.

The server runs in its own process group (its worker processes with it) and is stopped at the end of the
module that asked for it; the scenario store is a fresh SQLite file. Its log must hold no traceback.
"""

from __future__ import annotations

from collections.abc import Iterator

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
