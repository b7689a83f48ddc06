"""Work done in other processes by the store's durability tests (importable by spawned children).

As a script (run with the repository on PYTHONPATH):

* ``save-loop URL PREFIX COUNT``: save COUNT scenarios, each with a result, printing ``saved NAME`` only
  after ``save_scenario`` returned (the acknowledgement);
* ``hang-in-save URL NAME``: start saving NAME with a result, print ``inside`` after the scenario row is
  written but before the result row, then wait to be killed.
"""

from __future__ import annotations

import sys
import time

SCENARIO = """\
name: {name}
base_year: 2024
horizon: [2025, 2030]
budget_bn_kzt: 500
objective: max_min_ratio
equity_share: 0.6
"""


def save_many(url: str, prefix: str, count: int) -> list[str]:
    """Open the store (migrating it if new) and save ``count`` scenarios with results."""
    from engine.store import open_store, save_scenario

    names = []
    with open_store(url) as store:
        for i in range(count):
            name = f"{prefix}-{i:03d}"
            save_scenario(store, SCENARIO.format(name=name), result={"worker": prefix, "index": i})
            names.append(name)
    return names


def update_from_version(url: str, scenario_id: int, version: int, who: str) -> str:
    """Try to update a scenario from the version read; 'ok' or 'conflict'."""
    from engine.store import ConflictError, open_store, update_scenario

    with open_store(url) as store:
        try:
            update_scenario(store, scenario_id, SCENARIO.format(name=f"edited by {who}"),
                            expected_version=version, saved_by=who)
        except ConflictError:
            return "conflict"
    return "ok"


def _save_loop(url: str, prefix: str, count: int) -> None:
    from engine.store import open_store, save_scenario

    with open_store(url) as store:
        for i in range(count):
            name = f"{prefix}-{i:04d}"
            save_scenario(store, SCENARIO.format(name=name), result={"index": i})
            print(f"saved {name}", flush=True)


def _hang_in_save(url: str, name: str) -> None:
    import engine.store.scenarios as scenarios
    from engine.store import open_store, save_scenario

    def stop_here(*args: object, **kwargs: object) -> int:
        print("inside", flush=True)
        time.sleep(120)
        raise SystemExit(1)

    scenarios.insert_result = stop_here  # the scenario row is written; the result row is next
    with open_store(url) as store:
        save_scenario(store, SCENARIO.format(name=name), result={"never": "saved"})


if __name__ == "__main__":
    command, *rest = sys.argv[1:]
    if command == "save-loop":
        _save_loop(rest[0], rest[1], int(rest[2]))
    elif command == "hang-in-save":
        _hang_in_save(rest[0], rest[1])
    else:
        raise SystemExit(f"unknown command {command}")
