"""``roadmap roadmap``: the two-part roadmap of a scenario, written as XLSX, DOCX, PDF, Markdown, JSON and CSV."""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import sys
from pathlib import Path

import pandas as pd

from engine.core.diagnose import load_context
from engine.core.i18n import LANGUAGES
from engine.core.parameters import load_direction_rules
from engine.core.scenario import Scenario, load_scenario
from engine.roadmap.allocation import load_allocation
from engine.roadmap.export import EXPORT_FORMATS, parse_formats, write_exports
from engine.roadmap.pipeline import prepare_inputs, roadmap_from_inputs

EXIT_INFEASIBLE = 3
DEFAULT_FORMATS = "xlsx,docx,pdf,md,json"


def register(sub: argparse._SubParsersAction) -> None:
    cmd = sub.add_parser("roadmap", help="write the two-part roadmap of a scenario (xlsx, docx, pdf, md, json, csv)",
                         description="Build the two-part roadmap (Part I equity, Part II efficiency) of a scenario "
                                     "and write it in the chosen formats and language.")
    cmd.add_argument("--scenario", type=Path, required=True, help="scenario file (YAML)")
    cmd.add_argument("--data", type=Path, default=None,
                     help="dataset folder (default: the scenario's 'data' key, else data/kazakhstan)")
    cmd.add_argument("--allocation", type=Path, default=None,
                     help="allocation to use (CSV/XLSX with unit_id, direction, year, bn_kzt, or the JSON of "
                          "'roadmap solve --json'); default: the optimizer's plan")
    cmd.add_argument("--formula", action="store_true",
                     help="use the formula allocation (equal per head within each part) instead of the optimizer")
    cmd.add_argument("--out", type=Path, required=True, help="folder to write the files to (created if missing)")
    cmd.add_argument("--format", default=DEFAULT_FORMATS,
                     help=f"comma-separated formats out of {','.join(EXPORT_FORMATS)} (default: {DEFAULT_FORMATS})")
    cmd.add_argument("--lang", choices=LANGUAGES, default="en", help="language of the documents (default: en)")
    cmd.set_defaults(handler=run_roadmap)


def run_roadmap(args: argparse.Namespace) -> int:
    formats = parse_formats(args.format)
    direction_rules = load_direction_rules()
    scenario = load_scenario(args.scenario, direction_rules)
    ctx = load_context(args.data or scenario.data)
    known = set(ctx.dataset.units.index)
    scenario = load_scenario(args.scenario, load_direction_rules(known_units=known), known)  # unit caps checked too
    if args.allocation is not None:
        allocation = load_allocation(args.allocation)
        inputs = prepare_inputs(ctx, scenario, allocation, direction_rules=direction_rules, allocation_kind="file",
                                allocation_label=args.allocation.name)
    else:
        allocation, kind, exit_code = _optimized_allocation(ctx, scenario, args.formula)
        if exit_code:
            return exit_code
        if allocation is None:
            print("Note: the allocation follows a formula, not the optimizer: each year's budget is split between "
                  "the parts by the scenario's equity_share, then equally per head of population within a part "
                  "and equally over a region's eligible directions, up to what each can absorb "
                  "(engine/roadmap/formula.py).", file=sys.stderr)
        inputs = prepare_inputs(ctx, scenario, allocation, direction_rules=direction_rules, allocation_kind=kind)
    roadmap = roadmap_from_inputs(ctx, scenario, inputs, args.lang)
    for path in write_exports(roadmap, args.out, formats):
        print(path)
    for warning in roadmap.warnings:
        print(f"Warning: {warning}", file=sys.stderr)
    return 0


def _optimized_allocation(ctx, scenario: Scenario, formula: bool) -> tuple[pd.DataFrame | None, str, int]:  # noqa: ANN001
    """The optimizer's allocation when it is installed and not declined: (frame or None, kind, exit code)."""
    if formula or importlib.util.find_spec("engine.allocation") is None:
        return None, "formula", 0
    optimizer = importlib.import_module("engine.allocation")
    result = optimizer.optimize(ctx, scenario)
    if not result.status.solved:
        print(f"roadmap: the scenario has no plan (status {result.status.value}). {result.message}".strip(),
              file=sys.stderr)
        for conflict in getattr(result, "conflicts", ()):
            rules = ", ".join(getattr(conflict, "rules", ()))
            print(f"  {rules}: {getattr(conflict, 'message', conflict)}", file=sys.stderr)
        print("Run 'roadmap solve' for the full explanation, or pass --formula or --allocation.", file=sys.stderr)
        return None, "optimizer", EXIT_INFEASIBLE
    return result.allocation_frame(), "optimizer", 0
