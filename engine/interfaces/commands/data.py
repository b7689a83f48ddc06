"""``roadmap validate`` and ``roadmap diagnose``."""

from __future__ import annotations

import argparse
import contextlib
import io
from pathlib import Path
from typing import TYPE_CHECKING, Any

from engine.core.errors import DataValidationError
from engine.core.validation import DEFAULT_INDICATOR

if TYPE_CHECKING:
    from engine.core.diagnose import Diagnosis


def register(sub: argparse._SubParsersAction) -> None:
    validate = sub.add_parser("validate", help="check a dataset folder or an indicators table (CSV/XLSX)")
    validate.add_argument("path", type=Path, help="a dataset folder, or one indicators table")
    validate.add_argument("--data", type=Path, default=None,
                          help="dataset whose units a single table is checked against (default: Kazakhstan)")
    validate.add_argument("--year", type=int, default=None, help="year of a wide table without a year column")
    validate.add_argument("--json", action="store_true",
                          help="print one JSON object: ok and the problems (English text, message_id and values)")
    validate.set_defaults(handler=run_validate)

    diag = sub.add_parser("diagnose", help="disparity metrics, trend and problem regions")
    diag.add_argument("--data", type=Path, default=None, help="dataset folder (default: data/kazakhstan)")
    diag.add_argument("--year", type=int, default=None, help="year (default: latest complete year)")
    diag.add_argument("--indicator", default=DEFAULT_INDICATOR, help=f"indicator (default: {DEFAULT_INDICATOR})")
    diag.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    diag.set_defaults(handler=run_diagnose)


def run_validate(args: argparse.Namespace) -> int:
    if not args.json:
        return _validate(args)
    from engine.core.errors import ExitCode, problems_json
    from engine.core.jsonio import write_json

    try:
        with contextlib.redirect_stdout(io.StringIO()):  # the one JSON object is all that is printed
            _validate(args)
    except DataValidationError as exc:  # a client translates each problem from its message id and values
        write_json("-", {"ok": False, "problems": problems_json(exc.problems)})
        return ExitCode.INVALID
    write_json("-", {"ok": True, "problems": []})
    return ExitCode.OK


def _validate(args: argparse.Namespace) -> int:
    # the row-by-row checks need no frames: validating stays quick
    from engine.core.validation import check_dataset, check_indicator_file, summarise_records

    path: Path = args.path
    if path.is_dir():
        dataset = check_dataset(path)
        names = {row["indicator"] for row in dataset.indicators}
        print(f"OK: {path}: {len(dataset.units)} units, {len(dataset.indicators)} indicator rows, "
              f"{len(names)} indicators, {len(dataset.adjacency or [])} adjacency rows")
        return 0
    if not path.exists():
        raise DataValidationError([_missing(path)])
    base = check_dataset(args.data)
    rows = check_indicator_file(path, units=base.units, vocabulary=base.vocabulary, year=args.year)
    report = summarise_records(rows)
    years = f"{report.years[0]}-{report.years[-1]}" if report.years else "none"
    print(f"OK: {path}: {report.rows} values, {len(report.units)} units, indicators "
          f"{', '.join(report.indicators)}; years {years}")
    return 0


def _missing(path: Path) -> Any:
    from engine.core.errors import problem

    return problem(str(path), "pr_file_or_folder_not_found")


def run_diagnose(args: argparse.Namespace) -> int:
    from engine.core.context import load_context
    from engine.core.diagnose import diagnose
    from engine.core.jsonio import write_json

    ctx = load_context(args.data)
    result = diagnose(ctx, year=args.year, indicator=args.indicator)
    if args.json:
        write_json("-", result.to_json())
    else:
        print(render_diagnosis(result))
    return 0


METRIC_LABELS = {
    "max_min_ratio": "Max/min ratio (official indicator)",
    "cv": "Coefficient of variation",
    "williamson": "Williamson (population-weighted CV)",
    "gini": "Gini", "gini_weighted": "Gini, population-weighted",
    "theil_t": "Theil T", "theil_t_weighted": "Theil T, population-weighted",
    "theil_l": "Theil L", "theil_l_weighted": "Theil L, population-weighted",
    "theil_between": "  between economic types", "theil_within": "  within economic types",
    "atkinson_0_5": "Atkinson (e=0.5)", "atkinson_1": "Atkinson (e=1)", "atkinson_2": "Atkinson (e=2)",
    "share_pop_below_75pct": "Population share below 75% of national",
    "problem_regions": "Problem regions",
}


def render_diagnosis(d: Diagnosis) -> str:
    lines = [f"Diagnosis of {d.indicator} ({d.indicator_unit}) in {d.year}: {len(d.units)} units", ""]
    header = f"{'#':>2}  {'unit':<26} {'value':>12} {'population':>11}  {'type':<13} {'macro':<8} problem"
    lines += [header, "-" * len(header)]
    for rank, u in enumerate(d.units, start=1):
        lines.append(f"{rank:>2}  {u.name_en[:26]:<26} {u.value:>12,.1f} {u.population:>11,.0f}  "
                     f"{u.economic_type:<13} {u.macro_region[:8]:<8} {'yes' if u.problem else ''}")
    lines += ["", "Metrics:"]
    m = d.metrics
    for key, label in METRIC_LABELS.items():
        value = m[key]
        shown = f"{value:,.0f}" if key == "problem_regions" else f"{value:.4f}"
        if key == "max_min_ratio":
            shown += f"  ({m['max_unit']} / {m['min_unit']})"
        lines.append(f"  {label:<44} {shown}")
    problem_units = [u for u in d.units if u.problem]
    if problem_units:
        lines += ["", "Problem regions and why:"]
        for u in problem_units:
            lines.append(f"  {u.name_en}: " + "; ".join(u.problem_reasons))
    lines += ["", "Trend:", f"  {'year':<6}{'units':>6}{'max/min':>9}{'Williamson':>12}{'Theil T(w)':>12}"
              f"{'problem':>9}"]
    for year, t in sorted(d.trend.items()):
        lines.append(f"  {year:<6}{t['units']:>6}{t['max_min_ratio']:>9.2f}{t['williamson']:>12.4f}"
                     f"{t['theil_t_weighted']:>12.4f}{t['problem_regions']:>9}")
    for note in d.notes:
        lines.append(f"Note: {note}")
    return "\n".join(lines)
