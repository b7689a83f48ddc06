"""The workshop survives the app being killed: a real ``streamlit run`` server, a real browser, SIGKILL.

A workshop and a first submission are made through the store API; a second participant joins and submits
in the browser; once the page says the submission is saved, the server and its worker processes are killed
with SIGKILL (no shutdown, no chance to flush anything). The store still holds both submissions, and a
restarted server shows them to the facilitator, who opens the workshop with the key.

Needs Debian's chromium and the playwright package; skipped, saying so, without them.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import pytest

from engine.store import create_workshop, join_workshop, list_submissions, open_store, submit_priorities

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
TEMPLATE = (ROOT / "data" / "scenarios" / "concept_2025_2030.yaml").read_text(encoding="utf-8")
START_SECONDS = 90.0
PAGE_MS = 120_000

sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
if not Path(CHROMIUM).exists():
    pytest.skip(f"no chromium browser at {CHROMIUM} for the restart test", allow_module_level=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def running_app(db_url: str, log: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """``streamlit run streamlit_app.py`` on a free port in its own process group; killed at the end."""
    port = _free_port()
    env = {**os.environ, "ROADMAP_DB": db_url, "PYTHONPATH": str(ROOT)}
    with log.open("ab") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "streamlit_app.py", "--server.headless", "true",
             "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
             "--server.fileWatcherType", "none"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_SECONDS
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                    if answer.read().strip() == b"ok":
                        break
            except OSError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"the app did not start (exit {server.poll()}):\n{log.read_text()[-3000:]}")
            time.sleep(0.3)
        yield url, server
    finally:
        kill_app(server)


def kill_app(server: subprocess.Popen[bytes]) -> None:
    """SIGKILL the server and its worker processes (its whole process group)."""
    with suppress(ProcessLookupError):
        os.killpg(server.pid, signal.SIGKILL)
    server.wait(timeout=30)


def type_into(page, label: str, text: str) -> None:  # noqa: ANN001 - a playwright page
    """Type as a person would, press Enter (Streamlit commits the value), and wait for the rerun to end."""
    page.get_by_label(label, exact=True).click()
    page.keyboard.type(text)
    page.keyboard.press("Enter")
    settle(page)


def settle(page) -> None:  # noqa: ANN001 - a playwright page
    page.wait_for_timeout(300)
    page.locator("[data-testid='stStatusWidget']").wait_for(state="hidden")


def test_submissions_survive_sigkill_of_the_app_and_show_after_restart(tmp_path):
    db_url = f"sqlite:///{tmp_path / 'workshop.sqlite'}"
    log = tmp_path / "streamlit.log"
    with open_store(db_url) as store:
        created = create_workshop(store, "Restart test", TEMPLATE, budget_bn_kzt=400)
        first = join_workshop(store, created.join_code, "Aigerim", "government")
        submit_priorities(store, first.participant_token, {"agglomeration": 3, "peripheral_compression": 1,
                                                           "mobility": 1, "interaction": 1}, 0.6)

    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            with running_app(db_url, log) as (url, server):
                page = browser.new_page()
                page.set_default_timeout(PAGE_MS)
                page.goto(f"{url}/workshop_participant?lang=en")
                type_into(page, "Join code", created.join_code)
                type_into(page, "Name", "Daniyar")
                page.locator(".st-key-ws_join button").click()
                page.locator(".st-key-ws_submit button").click()
                page.get_by_text("Saved (version 1).").wait_for()
                kill_app(server)  # at once, after the page acknowledged the save

            with open_store(db_url) as store:
                saved = {s.display_name: s.version for s in list_submissions(store, created.facilitator_key)}
            assert saved == {"Aigerim": 1, "Daniyar": 1}

            with running_app(db_url, log) as (url, _):
                page = browser.new_page()  # a new browser session: nothing kept from before
                page.set_default_timeout(PAGE_MS)
                page.goto(f"{url}/workshop_facilitator?lang=en")
                type_into(page, "Facilitator key", created.facilitator_key)
                page.locator(".st-key-ws_fac_open button").click()
                page.get_by_text("Restart test").first.wait_for()
                page.get_by_text("Submissions", exact=True).wait_for()
                page.locator("[data-testid='stDataFrame'] td[role='gridcell']").first.wait_for(state="attached")
                # the tables' accessible cells: participants and submissions, as the restarted app read them
                cells = page.locator("[data-testid='stDataFrame'] td[role='gridcell']").all_inner_texts()
                assert cells.count("Aigerim") == 2 and cells.count("Daniyar") == 2
        finally:
            browser.close()
