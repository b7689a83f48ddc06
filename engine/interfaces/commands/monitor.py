"""``roadmap monitor``: a plan against what was spent and observed, and the optimizer's plan for the years left."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from engine.core.errors import ExitCode
from engine.core.i18n import LANGUAGES
from engine.interfaces.commands.choices import SOLVERS
from engine.interfaces.commands.common import add_study_arguments


def register(sub: argparse._SubParsersAction) -> None:
    cmd = sub.add_parser("monitor", help="compare a plan with what was spent, and replan the remaining years",
                         description="Compare a plan with the spending reported up to --as-of (and observed "
                                     "indicators), and re-run the optimizer for the years after it with the spent "
                                     "years fixed as given and exactly the scenario's budgets for the rest. Exit 0 "
                                     "with a replan, 3 when the replan is infeasible (the JSON is still written), 2 "
                                     "for invalid input.")
    add_study_arguments(cmd)
    cmd.add_argument("--plan", type=Path, required=True,
                     help="the plan monitored: JSON of 'roadmap solve --json' or of the roadmap, or a CSV/XLSX "
                          "with unit_id, direction, year, bn_kzt")
    cmd.add_argument("--actuals", type=Path, required=True,
                     help="spending reported: CSV/XLSX with unit_id, direction, year, bn_kzt (years up to --as-of)")
    cmd.add_argument("--as-of", dest="as_of", type=int, required=True, help="the last year reported")
    cmd.add_argument("--indicators", type=Path, default=None,
                     help="observed indicator values (the indicators table format: unit_id, year, indicator, value)")
    cmd.add_argument("--carry-over", dest="carry_over", action="store_true",
                     help="add the money left unspent to the remaining years, in proportion to their budgets")
    cmd.add_argument("--json", dest="json_out", required=True, help="write the result as JSON ('-' for stdout)")
    cmd.add_argument("--out", type=Path, default=None, help="folder for the monitoring report (md and docx)")
    cmd.add_argument("--lang", choices=LANGUAGES, default="en", help="language of the report (default: en)")
    cmd.add_argument("--solver", choices=SOLVERS, default="highs", help="solver (default: highs)")
    cmd.set_defaults(handler=run_monitor)


def run_monitor(args: argparse.Namespace) -> int:
    from engine.analysis.monitor import check_as_of, monitor, read_actuals
    from engine.analysis.monitor_report import REPORT_FORMATS, report_bytes
    from engine.core.jsonio import write_json
    from engine.core.validation import check_dataset, check_indicator_file
    from engine.interfaces.commands.common import study_from_args
    from engine.roadmap.allocation import load_allocation

    study = study_from_args(args)
    as_of = check_as_of(study, args.as_of)
    plan = load_allocation(args.plan)
    actuals = read_actuals(study, as_of, args.actuals)
    indicators = None
    if args.indicators is not None:
        root = study.ctx.dataset.root
        indicators = check_indicator_file(args.indicators, units=check_dataset(root).units if root else None)
    found = monitor(study, plan, actuals, as_of, indicators=indicators, carry_over=args.carry_over,
                    solver=args.solver)
    write_json(args.json_out, found.to_json())
    if args.out is not None:
        args.out.mkdir(parents=True, exist_ok=True)
        for fmt in REPORT_FORMATS:
            name, data = report_bytes(found, fmt, args.lang)
            (args.out / name).write_bytes(data)
            print(args.out / name)
    if args.json_out != "-":
        for year, row in found.by_year().items():
            print(f"{year}: planned {row['planned_bn']:,.1f} bn, spent {row['spent_bn']:,.1f} bn")
        if found.replan is not None:
            print(f"Replan {found.remaining_years[0]}-{found.remaining_years[-1]}: {found.replan.status.value}")
    for note in found.notes:
        print(f"Note: {note}", file=sys.stderr)
    if found.replan is not None and not found.replan.status.solved:
        return ExitCode.INFEASIBLE if found.replan.status.value == "infeasible" else ExitCode.FAILURE
    return ExitCode.OK
