"""The real app as ``make run`` starts it: ``python -m streamlit run streamlit_app.py`` on a free port.

The server runs in its own process group (its worker processes with it) and is stopped at the end of the
module that asked for it; the scenario store is a fresh SQLite file. Its log must hold no traceback.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import suppress
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
START_SECONDS = 90.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def app_url(tmp_path_factory) -> Iterator[str]:
    """The URL of a running app; the server and its workers are stopped afterwards."""
    folder = tmp_path_factory.mktemp("app")
    log = folder / "streamlit.log"
    port = free_port()
    # The file watcher is for development: it unloads modules whose files change, and in a shared working copy
    # someone's edit during the test would unload engine modules under the sessions' running scripts.
    env = {**os.environ, "ROADMAP_DB": f"sqlite:///{folder / 'store.sqlite'}", "PYTHONPATH": str(ROOT),
           "STREAMLIT_SERVER_FILE_WATCHER_TYPE": "none"}
    with log.open("wb") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "streamlit_app.py", "--server.port", str(port),
             "--server.headless", "true", "--browser.gatherUsageStats", "false"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://localhost:{port}"
    try:
        deadline = time.monotonic() + START_SECONDS
        while True:
            with suppress(OSError), urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                if answer.read().strip() == b"ok":
                    break
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the app did not start (exit {server.poll()}):\n{log.read_text()[-3000:]}")
            time.sleep(0.3)
        yield url
    finally:
        with suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGTERM)  # the server and the worker processes it started
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=20)
        errors = [line for line in log.read_text(errors="replace").splitlines() if "Traceback" in line]
        assert not errors, log.read_text()[-5000:]
