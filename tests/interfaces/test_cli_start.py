"""The command line starts light: building its parser imports no numerics, solver, exporter or store code; a
command imports what it uses when it runs. Structural checks in fresh processes, not timings (those are in
``bench/cli_start.py``)."""

from __future__ import annotations

import argparse
import importlib
import json
import subprocess
import sys

import pytest

from engine.interfaces.cli import COMMAND_MODULES, COMMANDS, _Parser

HEAVY = ("pandas", "numpy", "matplotlib", "pulp", "highspy", "scipy", "sqlalchemy", "openpyxl", "docx", "yaml")
EXPORTERS = ("engine.roadmap", "engine.allocation", "engine.model", "engine.store", "engine.analysis")


def loaded_after(code: str) -> list[str]:
    """The heavy libraries and engine packages (of :data:`EXPORTERS`) loaded after running ``code`` afresh."""
    probe = (f"import sys\n{code}\nimport json\n"
             f"print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r} and '.' not in m"
             f" or m.startswith({EXPORTERS!r}))))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_importing_the_command_line_loads_nothing_heavy():
    assert loaded_after("import engine.interfaces.cli") == []


def test_building_every_parser_loads_nothing_heavy():
    assert loaded_after("from engine.interfaces.cli import build_parser\nbuild_parser()") == []


def test_help_loads_nothing_heavy():
    code = ("from engine.interfaces.cli import main\nimport contextlib, io\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            "    try:\n        main(['--help'])\n    except SystemExit:\n        pass")
    assert loaded_after(code) == []


def test_validate_checks_the_default_data_without_frames():
    code = ("from engine.core.paths import DEFAULT_DATA_DIR\nfrom engine.interfaces.cli import main\n"
            "assert main(['validate', str(DEFAULT_DATA_DIR)]) == 0")
    assert loaded_after(code) == []


def test_the_table_of_commands_names_the_module_of_each():
    registered: dict[str, str] = {}
    for name in COMMAND_MODULES:
        sub = _Parser(prog="roadmap").add_subparsers(dest="command")
        importlib.import_module(name).register(sub)
        registered.update(dict.fromkeys(sub.choices, name.rsplit(".", 1)[1]))
    assert registered == COMMANDS


@pytest.mark.parametrize("argv", [["validate", "--help"], ["scenario", "save", "--help"], ["simulate", "--help"]])
def test_a_command_alone_has_the_help_it_has_among_all(capsys, argv):
    from engine.interfaces.cli import build_parser

    def help_of(parser: argparse.ArgumentParser) -> str:
        with pytest.raises(SystemExit):
            parser.parse_args(argv)
        return capsys.readouterr().out

    assert help_of(build_parser(argv)) == help_of(build_parser())


def test_the_parsers_copies_of_the_engines_names_agree():
    from engine.allocation.solve import SOLVERS
    from engine.analysis.workshop import ROLES
    from engine.core.parameters import DIRECTIONS
    from engine.interfaces.commands import choices
    from engine.roadmap.export import EXPORT_FORMATS

    assert (choices.SOLVERS, choices.EXPORT_FORMATS, choices.ROLES, choices.DIRECTIONS) == (
        SOLVERS, EXPORT_FORMATS, ROLES, DIRECTIONS)
