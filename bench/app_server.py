"""The real app as ``make run`` starts it (``python -m streamlit run streamlit_app.py``) on a free port, for the
browser test and the What-if benchmark: the server runs in its own process group, with its worker processes,
and is stopped when the block ends; the scenario store is a fresh SQLite file in ``folder``.
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
from contextlib import contextmanager, suppress
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
START_SECONDS = 90.0


class AppDidNotStart(RuntimeError):
    pass


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def running_app(folder: Path) -> Iterator[tuple[str, Path]]:
    """The URL of a running app and its log file; the server and its workers are stopped afterwards."""
    folder.mkdir(parents=True, exist_ok=True)
    log = folder / "streamlit.log"
    port = free_port()
    # The file watcher is for development: it unloads modules whose files change, and in a shared working copy
    # someone's edit during a run would unload engine modules under the sessions' running scripts.
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
                raise AppDidNotStart(f"the app did not start (exit {server.poll()}):\n{log.read_text()[-3000:]}")
            time.sleep(0.3)
        yield url, log
    finally:
        with suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGTERM)  # the server and the worker processes it started
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=20)
