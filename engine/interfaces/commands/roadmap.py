"""``roadmap roadmap``: the two-part roadmap of a scenario, written as XLSX, DOCX, PDF, Markdown, JSON and CSV."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from engine.core.errors import ExitCode
from engine.core.i18n import LANGUAGES
from engine.interfaces.commands.choices import EXPORT_FORMATS
from engine.interfaces.commands.common import add_study_arguments

DEFAULT_FORMATS = "xlsx,docx,pdf,md,json"


def register(sub: argparse._SubParsersAction) -> None:
    cmd = sub.add_parser("roadmap", help="write the two-part roadmap of a scenario (xlsx, docx, pdf, md, json, csv)",
                         description="Build the two-part roadmap (Part I equity, Part II efficiency) of a scenario "
                                     "and write it in the chosen formats and language.")
    add_study_arguments(cmd)
    cmd.add_argument("--allocation", type=Path, default=None,
                     help="allocation to use (CSV/XLSX with unit_id, direction, year, bn_kzt, or the JSON of "
                          "'roadmap solve --json'); default: the optimizer's plan")
    cmd.add_argument("--formula", action="store_true",
                     help="use the formula allocation (equal per head within each part) instead of the optimizer")
    cmd.add_argument("--out", type=Path, required=True, help="folder to write the files to (created if missing)")
    cmd.add_argument("--format", default=DEFAULT_FORMATS,
                     help=f"comma-separated formats out of {','.join(EXPORT_FORMATS)} (default: {DEFAULT_FORMATS})")
    cmd.add_argument("--lang", choices=LANGUAGES, default="en", help="language of the documents (default: en)")
    cmd.add_argument("--no-reach", action="store_true",
                     help="skip what the budget does to each criterion against what any budget could (a few solves)")
    cmd.set_defaults(handler=run_roadmap)


REACH_METRICS = ("max_min_ratio", "problem_regions")  # the roadmap's two criteria


def with_reach(inputs):  # noqa: ANN001, ANN201 - RoadmapInputs, imported when a command runs
    """``inputs`` with what its budget does to each criterion against what any budget could (region level only:
    below it the solves take seconds each)."""
    from dataclasses import replace

    from engine.analysis.target import plan_value, reach
    from engine.model.response import planning_level

    study = inputs.study
    if planning_level(study.ctx.dataset) != "region":
        return inputs
    found = tuple(reach(study, metric, plan_value(study, inputs.plan, metric)) for metric in REACH_METRICS)
    return replace(inputs, reach=found)


def run_roadmap(args: argparse.Namespace) -> int:
    from engine.allocation import optimize
    from engine.interfaces.commands.common import study_from_args
    from engine.roadmap.allocation import load_allocation
    from engine.roadmap.export import parse_formats, write_exports
    from engine.roadmap.pipeline import formula_inputs, inputs_from_allocation, inputs_from_result, roadmap_from_inputs

    formats = parse_formats(args.format)
    study = study_from_args(args)  # the units the dataset plans with: regions, districts or settlements
    if args.allocation is not None:
        inputs = inputs_from_allocation(study, load_allocation(args.allocation), "file", args.allocation.name)
    elif args.formula:
        print("Note: the allocation follows a formula, not the optimizer: each year's budget is split between "
              "the parts by the scenario's equity_share, then equally per head of population within a part "
              "and equally over a region's eligible directions, up to what each can absorb "
              "(engine/allocation/baselines.py).", file=sys.stderr)
        inputs = formula_inputs(study)
    else:
        result = optimize(study)
        if not result.status.solved:
            print(f"roadmap: the scenario has no plan (status {result.status.value}). {result.message}".strip(),
                  file=sys.stderr)
            for conflict in result.conflicts:
                print(f"  {', '.join(conflict.rules)}: {conflict.message}", file=sys.stderr)
            print("Run 'roadmap solve' for the full explanation, or pass --formula or --allocation.", file=sys.stderr)
            return ExitCode.INFEASIBLE
        inputs = inputs_from_result(study, result)
    if not args.no_reach:
        inputs = with_reach(inputs)
    roadmap = roadmap_from_inputs(inputs, args.lang)
    for path in write_exports(roadmap, args.out, formats):
        print(path)
    for warning in roadmap.warnings:
        print(f"Warning: {warning}", file=sys.stderr)
    return ExitCode.OK
