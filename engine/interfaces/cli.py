"""The ``roadmap`` command line (also ``python -m engine``).

Each group of sub-commands lives in a module of ``engine.interfaces.commands`` exposing ``register(subparsers)``.
Exit codes: 0 done, 2 invalid input, 3 infeasible scenario, 1 an unexpected failure. No traceback ever
reaches the user; ``ROADMAP_DEBUG=1`` shows one for a bug report.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from engine.core.errors import EngineError, ExitCode

COMMAND_MODULES = (
    "engine.interfaces.commands.data",
    "engine.interfaces.commands.monitor",
    "engine.interfaces.commands.optimize",
    "engine.interfaces.commands.roadmap",
    "engine.interfaces.commands.scale",
    "engine.interfaces.commands.simulate",
    "engine.interfaces.commands.store",
)
#: The module that registers each command: a call builds the parser of its own command only, and imports no
#: other command's module (tests/interfaces/test_cli_start.py checks this against the modules).
COMMANDS = {
    "validate": "data", "diagnose": "data",
    "solve": "optimize", "frontier": "optimize", "target": "optimize",
    "roadmap": "roadmap", "monitor": "monitor",
    "synth": "scale", "sweep": "scale", "compression": "scale",
    "simulate": "simulate", "backtest": "simulate", "migration": "simulate",
    "scenario": "store", "workshop": "store",
}


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse exits 2 on usage errors, which suits us
        self.print_usage(sys.stderr)
        print(f"roadmap: error: {message}", file=sys.stderr)
        raise SystemExit(ExitCode.INVALID)


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser of every command, or, given the arguments of a call that names a command first, of that
    command's module only (its help, usage and errors are the same either way)."""
    parser = _Parser(prog="roadmap", description="Regional roadmap decision support for Kazakhstan.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    own = COMMANDS.get(argv[0]) if argv else None  # an option first (--help) wants the whole list
    for name in COMMAND_MODULES if own is None else (f"engine.interfaces.commands.{own}",):
        importlib.import_module(name).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(argv)
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args) or 0)
    except EngineError as exc:
        print(str(exc), file=sys.stderr)
        return ExitCode.INVALID
    except KeyboardInterrupt:
        print("roadmap: interrupted", file=sys.stderr)
        return ExitCode.INTERRUPTED
    except BrokenPipeError:
        return ExitCode.OK
    except Exception as exc:  # a bug: say so plainly, without a traceback
        if os.environ.get("ROADMAP_DEBUG"):
            raise
        print(f"roadmap: internal error ({type(exc).__name__}: {exc}). "
              "Run again with ROADMAP_DEBUG=1 for details to report.", file=sys.stderr)
        return ExitCode.FAILURE


if __name__ == "__main__":
    sys.exit(main())
