"""Benchmark of the command line's start: ``roadmap --help`` and ``roadmap validate`` on the default data against a
bare ``python -c pass``, each a fresh process, median of repeats.

Run by ``python -m bench cli_start`` (``make bench``); the figures go to ``bench/results/cli_start.json``. Two
settings: with compiled bytecode cached (as an installed package runs; the cache is a temporary folder, so
the checkout is left alone) and with none written (``PYTHONDONTWRITEBYTECODE=1``, every module compiled at
each start). The goal is at most 10 times a bare start. ``python -X importtime`` gives the slowest imports.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from engine.core.paths import DEFAULT_DATA_DIR, REPO_ROOT

REPEATS = 10
GOAL_RATIO = 10.0
HEAVY = ("pandas", "numpy", "matplotlib", "pulp", "highspy", "scipy", "sqlalchemy", "openpyxl", "docx", "yaml")


def _roadmap() -> list[str]:
    script = Path(sys.executable).parent / "roadmap"
    return [str(script)] if script.exists() else [sys.executable, "-m", "engine"]


def _commands() -> dict[str, list[str]]:
    return {"python -c pass": [sys.executable, "-c", "pass"],
            "roadmap --help": [*_roadmap(), "--help"],
            "roadmap validate data/kazakhstan": [*_roadmap(), "validate", str(DEFAULT_DATA_DIR)]}


def _time(command: list[str], env: dict[str, str], repeats: int) -> dict[str, Any]:
    subprocess.run(command, env=env, cwd=REPO_ROOT, capture_output=True, check=True)  # warm: caches, bytecode
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        subprocess.run(command, env=env, cwd=REPO_ROOT, capture_output=True, check=True)
        times.append(time.perf_counter() - started)
    return {"median_s": round(statistics.median(times), 4), "min_s": round(min(times), 4),
            "max_s": round(max(times), 4), "runs": repeats}


def _setting(env: dict[str, str], repeats: int) -> dict[str, Any]:
    figures: dict[str, Any] = {name: _time(command, env, repeats) for name, command in _commands().items()}
    bare = figures["python -c pass"]["median_s"]
    for name in list(figures)[1:]:
        figures[name]["times_bare_start"] = round(figures[name]["median_s"] / bare, 2)
    return figures


def _imports(env: dict[str, str]) -> dict[str, Any]:
    """What ``roadmap --help`` imports: the slowest top-level imports (cumulative microseconds) and any heavy
    library among all it loads."""
    probe = ("import sys\nfrom engine.interfaces.cli import main\ntry:\n    main(['--help'])\nexcept SystemExit:\n"
             "    pass\nprint(','.join(sorted({m.split('.')[0] for m in sys.modules})))")
    done = subprocess.run([sys.executable, "-X", "importtime", "-c", probe], env=env, cwd=REPO_ROOT,
                          capture_output=True, text=True, check=True)
    loaded = set(done.stdout.strip().splitlines()[-1].split(","))
    top = []
    for line in done.stderr.splitlines():
        parts = line.removeprefix("import time:").split("|")
        if len(parts) == 3 and parts[1].strip().isdigit() and not parts[2].startswith("  "):
            top.append((int(parts[1]), parts[2].strip()))
    top.sort(reverse=True)
    return {"slowest_top_level_us": dict((name, us) for us, name in top[:10]),
            "heavy_loaded": sorted(loaded.intersection(HEAVY))}


SOLVE_GOAL_OVER_START_S = 0.300
SCENARIO = REPO_ROOT / "data" / "scenarios" / "concept_2025_2030.yaml"


def _solve(env: dict[str, str], repeats: int) -> dict[str, Any]:
    """``roadmap solve --json`` on the default scenario against ``roadmap --help`` (the CLI's own start), and
    what the libraries it needs cost to import in a fresh process, which no solve can avoid."""
    with tempfile.TemporaryDirectory() as out:
        solve = _time([*_roadmap(), "solve", "--scenario", str(SCENARIO), "--json", str(Path(out) / "plan.json")],
                      env, repeats)
    start = _time([*_roadmap(), "--help"], env, repeats)
    libraries = _time([sys.executable, "-c", "import numpy, pandas, scipy.sparse, networkx, highspy"], env, repeats)
    bare = _time([sys.executable, "-c", "pass"], env, repeats)
    return {"roadmap solve --json": solve, "roadmap --help": start,
            "import numpy, pandas, scipy.sparse, networkx, highspy": libraries,
            "over_cli_start_s": round(solve["median_s"] - start["median_s"], 4),
            "libraries_over_bare_start_s": round(libraries["median_s"] - bare["median_s"], 4),
            "goal_over_cli_start_s": SOLVE_GOAL_OVER_START_S,
            "goal_met": solve["median_s"] - start["median_s"] <= SOLVE_GOAL_OVER_START_S}


def run(repeats: int = REPEATS) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as cache:
        cached = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        cached["PYTHONPYCACHEPREFIX"] = cache
        uncached = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
        uncached.pop("PYTHONPYCACHEPREFIX", None)
        return {"repeats": repeats, "goal_times_bare_start": GOAL_RATIO,
                "bytecode_cached": _setting(cached, repeats), "no_bytecode": _setting(uncached, repeats),
                "imports_of_help": _imports(cached), "solve": _solve(cached, repeats)}


def summary(figures: dict[str, Any]) -> str:
    lines = [f"CLI start, median of {figures['repeats']} fresh processes (goal: at most "
             f"{figures['goal_times_bare_start']:g} times a bare start)"]
    for setting in ("bytecode_cached", "no_bytecode"):
        lines.append(f"  {setting.replace('_', ' ')}:")
        for name, f in figures[setting].items():
            ratio = f" ({f['times_bare_start']:.1f}x)" if "times_bare_start" in f else ""
            lines.append(f"    {name:<36} {f['median_s'] * 1000:8.0f} ms{ratio}")
    solve = figures["solve"]
    lines.append(f"  roadmap solve --json: {solve['roadmap solve --json']['median_s'] * 1000:.0f} ms, "
                 f"{solve['over_cli_start_s'] * 1000:.0f} ms over the CLI's start (goal "
                 f"{solve['goal_over_cli_start_s'] * 1000:.0f} ms); importing the libraries it needs alone takes "
                 f"{solve['libraries_over_bare_start_s'] * 1000:.0f} ms over a bare start")
    heavy = figures["imports_of_help"]["heavy_loaded"]
    lines.append(f"  roadmap --help loads {', '.join(heavy) if heavy else 'none of the heavy libraries'}")
    return "\n".join(lines)
