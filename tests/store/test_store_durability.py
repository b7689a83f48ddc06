"""No data lost: concurrent writers, processes killed after and during a save, concurrent conflicting edits.

Each runs against an SQLite file and a real PostgreSQL database (skipped, with the reason, when no server
can be started).
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import sqlalchemy as sa
import store_workers

from engine.store import get_scenario, list_scenarios, open_store, save_scenario, schema

REPO = Path(__file__).resolve().parents[2]
PROCESSES, SAVES_EACH = 8, 25


def _counts(url: str) -> tuple[list[str], int, list[int]]:
    with open_store(url) as store:
        names = [s.name for s in list_scenarios(store)]
        with store.engine.connect() as conn:
            results = conn.execute(sa.select(sa.func.count()).select_from(schema.results)).scalar_one()
            orphans = conn.execute(sa.select(schema.scenarios.c.id).where(~sa.exists().where(
                schema.results.c.scenario_id == schema.scenarios.c.id))).scalars().all()
    return names, int(results), list(orphans)


def test_eight_processes_saving_at_once_lose_nothing(db_url):
    # the store is not created beforehand: the workers also race to create its schema
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(PROCESSES) as pool:
        jobs = pool.starmap_async(store_workers.save_many,
                                  [(db_url, f"worker{w}", SAVES_EACH) for w in range(PROCESSES)])
        acknowledged = [name for names in jobs.get(timeout=300) for name in names]
    assert len(acknowledged) == PROCESSES * SAVES_EACH
    names, results, orphans = _counts(db_url)
    assert len(names) == PROCESSES * SAVES_EACH
    assert set(names) == set(acknowledged)
    assert results == PROCESSES * SAVES_EACH and orphans == []


def test_concurrent_edits_of_one_scenario_give_one_winner_and_conflicts(db_url, scenario_text):
    with open_store(db_url) as store:
        saved = save_scenario(store, scenario_text, saved_by="planner")
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(PROCESSES) as pool:
        outcomes = pool.starmap_async(store_workers.update_from_version,
                                      [(db_url, saved.id, saved.version, f"editor{w}") for w in range(PROCESSES)]
                                      ).get(timeout=300)
    assert sorted(outcomes) == ["conflict"] * (PROCESSES - 1) + ["ok"]
    with open_store(db_url) as store:
        final = get_scenario(store, saved.id)
    assert final.version == 2  # exactly one update went through; none was silently overwritten
    winner = final.updated_by
    assert f"edited by {winner}" in final.yaml


def _script(*args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen([sys.executable, str(Path(__file__).with_name("store_workers.py")), *args], cwd=REPO,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_every_acknowledged_save_survives_sigkill(db_url):
    with open_store(db_url):
        pass  # created before, so the child's saves start at once
    child = _script("save-loop", db_url, "killed", "100000")
    acknowledged = []
    try:
        for line in child.stdout:
            acknowledged.append(line.split()[1])
            if len(acknowledged) == 40:
                child.send_signal(signal.SIGKILL)
                break
    finally:
        child.kill()
        child.wait(timeout=30)
        child.stdout.close()
        child.stderr.close()
    assert child.returncode == -signal.SIGKILL
    assert len(acknowledged) == 40
    names, results, orphans = _counts(db_url)  # "restart": a new process state, a new connection
    assert set(acknowledged) <= set(names)
    assert results == len(names) and orphans == []  # no scenario without its result


def test_a_save_killed_midway_leaves_nothing(db_url):
    with open_store(db_url):
        pass
    child = _script("hang-in-save", db_url, "half-written")
    try:
        assert child.stdout.readline().strip() == "inside", child.stderr.read()
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        child.kill()
        child.stdout.close()
        child.stderr.close()
    names, results, _ = _counts(db_url)
    assert "half-written" not in names and names == [] and results == 0
    with open_store(db_url) as store:  # the database is usable and the name free
        again = save_scenario(store, store_workers.SCENARIO.format(name="half-written"), result={"ok": True})
        assert again.version == 1
        if store.dialect == "sqlite":
            with store.engine.connect() as conn:
                assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"


def test_one_store_shared_by_threads_loses_nothing(store):
    # the app keeps one open store for all its sessions, each served by a thread
    errors: list[str] = []

    def work(worker: int) -> None:
        try:
            for i in range(10):
                save_scenario(store, store_workers.SCENARIO.format(name=f"thread{worker}-{i}"), result={"i": i})
                list_scenarios(store)
        except Exception as exc:  # collected and reported below
            errors.append(repr(exc))

    threads = [threading.Thread(target=work, args=(w,)) for w in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    assert len(list_scenarios(store)) == 80
