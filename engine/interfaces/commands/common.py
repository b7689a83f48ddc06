"""What several commands share: the study arguments, a solve's exit code, and a progress bar on standard error.

Light at import (argparse, pathlib and the error types): every command's parser is built from here.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from engine.core.errors import ExitCode, ScenarioError, problem

if TYPE_CHECKING:
    from engine.model.study import Study


def add_study_arguments(parser: argparse.ArgumentParser) -> None:
    """``--scenario`` and ``--data``: what :func:`study_from_args` opens."""
    parser.add_argument("--scenario", type=Path, required=True, help="scenario file (YAML)")
    parser.add_argument("--data", type=Path, default=None,
                        help="dataset folder (default: the scenario's 'data' key, else data/kazakhstan)")


def study_from_args(args: argparse.Namespace) -> Study:
    """The study of ``--scenario`` on ``--data`` (default: the scenario's own, else data/kazakhstan), with
    ``--time-limit`` checked when the command has one."""
    from engine.model.study import open_study

    time_limit = getattr(args, "time_limit", None)
    if time_limit is not None and not time_limit > 0:
        raise ScenarioError([problem("--time-limit", "pr_positive_seconds", None, None, time_limit)])
    return open_study(args.scenario, args.data)


def exit_code(status: Any) -> int:
    """A solve's exit code: 0 with a plan, 3 for an infeasible scenario, 1 for a solve that stopped without one."""
    if status.solved:
        return ExitCode.OK
    return ExitCode.INFEASIBLE if status.value == "infeasible" else ExitCode.FAILURE


class ProgressBar:
    """A one-line progress bar on standard error."""

    def __init__(self, label: str, enabled: bool = True, width: int = 30) -> None:
        self.label, self.enabled, self.width = label, enabled, width
        self.started = time.perf_counter()

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled:
            return
        step = max(1, total // 10)
        if not sys.stderr.isatty() and done % step and done < total:  # a log file gets every tenth only
            return
        filled = int(self.width * done / max(total, 1))
        elapsed = time.perf_counter() - self.started
        eta = elapsed / done * (total - done) if done else 0.0
        start = "\r" if sys.stderr.isatty() else ""
        sys.stderr.write(f"{start}{self.label} [{'#' * filled}{'.' * (self.width - filled)}] {done}/{total} "
                         f"{elapsed:5.1f}s (left ~{eta:4.0f}s)")
        if done >= total or not sys.stderr.isatty():
            sys.stderr.write("\n")
        sys.stderr.flush()


__all__ = ["ProgressBar", "add_study_arguments", "exit_code", "study_from_args"]
