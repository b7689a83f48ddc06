"""``python -m bench [NAME ...] [--repeats N]``: run benchmarks and write ``bench/results/<name>.json``."""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from pathlib import Path

from bench import BENCHMARKS, environment

RESULTS = Path(__file__).resolve().parent / "results"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description="Run the engine's benchmarks.")
    parser.add_argument("names", nargs="*", help=f"benchmarks to run (default: all of {', '.join(BENCHMARKS)})")
    parser.add_argument("--repeats", type=int, default=None, help="repetitions of each timed step")
    args = parser.parse_args(argv)
    unknown = [n for n in args.names if n not in BENCHMARKS]
    if unknown:
        parser.error(f"unknown benchmark(s) {', '.join(unknown)}; choose from {', '.join(BENCHMARKS)}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    for name in args.names or list(BENCHMARKS):
        module = importlib.import_module(BENCHMARKS[name])
        figures = module.run(args.repeats) if args.repeats else module.run()
        figures = {"benchmark": name, "environment": environment(), **figures}
        path = RESULTS / f"{name}.json"
        path.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(module.summary(figures))
        print(f"-> {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
