"""``roadmap synth districts|settlements``, ``roadmap sweep`` and ``roadmap compression``."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from engine.core.errors import ExitCode, ScenarioError, problem
from engine.core.jsonio import write_json
from engine.interfaces.commands.common import add_study_arguments

MAX_RATE = 0.99  # the most a share or rate of rules/compression.yaml may be set to


def register(sub: argparse._SubParsersAction) -> None:
    synth = sub.add_parser("synth", help="write a district dataset, or a generated settlement dataset",
                           description="Datasets below the region level, in the dataset format "
                                       "(data/kazakhstan/schema).")
    kinds = synth.add_subparsers(dest="what", metavar="WHAT")
    kinds.required = True
    districts = kinds.add_parser("districts", help="the 227 districts from data/kazakhstan/districts, with "
                                                   "population estimates flagged")
    districts.add_argument("--out", type=Path, required=True, help="folder to write (created if missing)")
    districts.set_defaults(handler=run_synth_districts)
    settlements = kinds.add_parser("settlements", help="about 6,300 GENERATED rural settlements calibrated to the "
                                                       "regions (for benchmarks and training, not real places)")
    settlements.add_argument("--out", type=Path, required=True, help="folder to write (created if missing)")
    settlements.add_argument("--seed", type=int, default=0, help="random seed (default 0): same seed, same files")
    settlements.add_argument("--base-year", type=int, default=2024, help="last year generated (default 2024)")
    settlements.set_defaults(handler=run_synth_settlements)

    sweep = sub.add_parser("sweep", help="robustness of a scenario's plans over sampled assumptions",
                           description="Latin-hypercube draws of the assumptions' low-high ranges; every candidate "
                                       "plan evaluated under every draw; regret against each draw's best plan.")
    add_study_arguments(sweep)
    sweep.add_argument("--draws", type=int, required=True, help="number of draws")
    sweep.add_argument("--seed", type=int, default=0, help="random seed of the sampling (default 0)")
    sweep.add_argument("--parameters", default=None,
                       help="comma-separated parameter ids to sample (default: every parameter with a range)")
    sweep.add_argument("--plan", action="append", default=[], metavar="NAME=FILE",
                       help="another candidate plan: an allocation CSV/JSON (as roadmap simulate reads)")
    sweep.add_argument("--scheduler", default=None, metavar="ADDRESS",
                       help="Dask scheduler address (tcp://host:8786): run on that cluster")
    sweep.add_argument("--workers", type=int, default=None,
                       help="local processes (default: every core; 1 runs in this process)")
    sweep.add_argument("--json", dest="json_out", required=True, help="write the result as JSON ('-' for stdout)")
    sweep.add_argument("--no-progress", action="store_true", help="no progress bar")
    sweep.set_defaults(handler=run_sweep_command)

    compression = sub.add_parser("compression", help="services in place against assisted relocation, per "
                                                     "settlement, within the relocation quota")
    compression.add_argument("--data", type=Path, required=True, help="a settlement dataset folder")
    compression.add_argument("--year", type=int, default=None, help="year (default: the latest with population)")
    compression.add_argument("--services-only", action="store_true",
                             help="compare service costs with the support alone (leave out movers' output gain)")
    compression.add_argument("--assume", action="append", default=[], metavar="PARAMETER=VALUE",
                             help="override a parameter of rules/compression.yaml or rules/directions.yaml "
                                  "(a number, or low, central, high)")
    compression.add_argument("--json", dest="json_out", default=None, help="write the plan as JSON ('-' for stdout)")
    compression.set_defaults(handler=run_compression)


# ---------------------------------------------------------------------------------------------------


def _out_folder(path: Path) -> Path:
    if path.exists() and not path.is_dir():
        raise ScenarioError([problem(str(path), "pr_out_folder")])
    if path.exists() and any(path.iterdir()) and not (path / "units.csv").exists():
        raise ScenarioError([problem(str(path), "pr_out_not_empty")])
    return path


def run_synth_districts(args: argparse.Namespace) -> int:
    from engine.core.scale.districts import build_district_dataset, sources_text
    from engine.core.scale.writer import write_dataset

    folder = _out_folder(args.out)
    dataset, report = build_district_dataset()
    write_dataset(dataset, folder, sources_text(report))
    check = report["check"]
    print(f"Wrote {folder}: {report['districts']} districts ({report['published_population']} with a published "
          f"population, the others estimated and flagged), {len(dataset.indicators):,} indicator rows, "
          f"{report['adjacency_pairs']} neighbouring pairs.")
    if check.get("count"):
        print(f"Estimation check (leave one out, {check['count']} published districts): median error "
              f"{check['median_abs_pct_error']}%, mean {check['mean_abs_pct_error']}%.")
    return ExitCode.OK


def run_synth_settlements(args: argparse.Namespace) -> int:
    from engine.core.scale.settlements import sources_text, synthesize_settlements
    from engine.core.scale.writer import write_dataset

    folder = _out_folder(args.out)
    dataset, report = synthesize_settlements(seed=args.seed, base_year=args.base_year)
    write_dataset(dataset, folder, sources_text(report))
    kinds = ", ".join(f"{k} {v:,}" for k, v in sorted(report.by_kind.items()))
    print(f"Wrote {folder}: {sum(report.by_kind.values()):,} GENERATED settlements ({kinds}), seed {report.seed}, "
          f"years {report.years[0]}-{report.years[-1]}; {len(dataset.indicators):,} indicator rows. "
          "Generated for benchmarks and training: see SOURCES.md in the folder.")
    return ExitCode.OK


def run_sweep_command(args: argparse.Namespace) -> int:
    from engine.analysis.sweep import DaskEvaluator, ProcessEvaluator, SequentialEvaluator, prepare_sweep, run_sweep
    from engine.interfaces.commands.common import ProgressBar, study_from_args
    from engine.model.simulate import read_allocation

    if args.draws < 1:
        raise ScenarioError([problem("--draws", "pr_at_least_1", None, None, args.draws)])
    if args.workers is not None and args.workers < 1:
        raise ScenarioError([problem("--workers", "pr_at_least_1", None, None, args.workers)])
    study = study_from_args(args)
    plans = {}
    if args.plan:
        for spec in args.plan:
            name, _, path = spec.partition("=")
            if not name or not path:
                raise ScenarioError([problem("--plan", "pr_name_file", None, None, spec)])
            plans[name] = read_allocation(path, study.model, study.years)
    parameters = [p.strip() for p in args.parameters.split(",") if p.strip()] if args.parameters else None
    setup = prepare_sweep(study, parameters, plans)
    if args.scheduler:
        try:
            import dask.distributed  # noqa: F401
        except ImportError:
            raise ScenarioError([problem("--scheduler", "pr_no_dask", None, None, args.scheduler)]) from None
        evaluator: Any = DaskEvaluator(args.scheduler)
    elif args.workers == 1:
        evaluator = SequentialEvaluator()
    else:
        evaluator = ProcessEvaluator(args.workers)
    bar = ProgressBar(f"sweep ({evaluator.name})", not args.no_progress and args.json_out != "-")
    result = run_sweep(setup, args.draws, args.seed, evaluator, bar)
    payload = result.to_json()
    write_json(args.json_out, payload)
    if args.json_out != "-":
        print(render_sweep(payload))
    return ExitCode.OK


def render_sweep(payload: dict[str, Any]) -> str:
    """A short summary of a sweep for the terminal."""
    lines = [f"Sweep of {payload['scenario']}: {payload['draws']} draws of {len(payload['parameters'])} parameters "
             f"({payload['backend']}, {payload['seconds']:.1f} s); metric {payload['metric']} ({payload['sense']})"]
    for name, s in payload["summary"].items():
        regret = "n/a" if s["regret_max"] is None else f"{s['regret_mean']:.4g} mean, {s['regret_max']:.4g} worst"
        lines.append(f"  {name:<28} metric {s['metric_mean']:.5g} [{s['metric_p05']:.5g}, {s['metric_p95']:.5g}]  "
                     f"effect {s.get('effect_mean', float('nan')):+.4g}  "
                     f"P(ratio falls vs base) {s['p_ratio_falls_vs_base']:.0%}, vs baseline "
                     f"{s['p_ratio_falls_vs_baseline']:.0%}  problem regions {s['problem_regions_mean']:.2f} "
                     f"(sd {s['problem_regions_std']:.2f})  regret {regret}")
    choice = payload["robust_choice"]
    lines.append(f"Least worst-case regret: {choice['minimax_regret']}; best in expectation: "
                 f"{choice['best_expected']}; best in the worst case: {choice['best_worst_case']}")
    top = [s for s in payload["sensitivity"] if s["rank_by"]][:5]
    if top:
        lines.append("Parameters that matter most (Spearman rho with metric / regret / plan shift):")
        for s in top:
            rho = " / ".join("-" if s[k] is None else f"{s[k]:+.2f}" for k in ("rho_metric", "rho_regret",
                                                                                "rho_plan_shift"))
            lines.append(f"  {s['parameter']:<40} {rho}")
    for v in payload.get("verdicts", []):
        lines.append(f"Verdict: {v['text']}")
    lines += [f"Note: {n}" for n in payload.get("notes", [])]
    return "\n".join(lines)


def run_compression(args: argparse.Namespace) -> int:
    from engine.analysis.compression import RATES, load_compression_rules, plan_compression
    from engine.core.data import load_dataset
    from engine.core.i18n import Text
    from engine.core.parameters import ParameterValues, check_override, check_parameter_override, load_direction_rules

    dataset = load_dataset(args.data)
    rules = load_compression_rules()
    direction_rules = load_direction_rules()
    compression_overrides: dict[str, float | str] = {}
    lever_overrides: dict[str, float | str] = {}
    problems = []
    for spec in args.assume:
        key, _, text = spec.partition("=")
        value: float | str = text.strip()
        if value not in ("low", "central", "high"):
            try:
                value = float(text)
            except ValueError:
                problems.append(problem("--assume", "pr_assume_form", None, None, spec))
                continue
        key = key.strip()
        if key in rules.parameters:
            why = check_parameter_override(rules.parameters[key], value)
            if why is None and key in RATES and isinstance(value, float) and value > MAX_RATE:
                why = Text("pr_rate_below_1", {"most": f"{MAX_RATE:g}"})
            if why is not None:
                problems.append(problem("--assume", why.key, None, key, text, **why.values))
                continue
            compression_overrides[key] = value
        elif (why := check_override(direction_rules, key, value)) is None:
            lever_overrides[key] = value
        else:
            problems.append(problem("--assume", why.key, None, key, text, **why.values))
    if problems:
        raise ScenarioError(problems)
    plan = plan_compression(dataset, args.year, rules, ParameterValues(direction_rules, lever_overrides),
                            compression_overrides,
                            services_only=args.services_only)
    write_json(args.json_out, plan.to_json())
    if args.json_out != "-":
        t = plan.totals
        print(f"Compression {plan.year}: {t['villages']:,} villages, {t['receiving_centres']} receiving centres; "
              f"{t['persons_relocated']:,.0f} persons relocated of a {t['quota']:,.0f} quota, support "
              f"{t['support_bn_kzt']:.2f} bn, service saving {t['yearly_service_saving_bn_kzt']:.3f} bn a year, "
              f"net value {t['net_value_bn_kzt']:.2f} bn; {t['villages_with_positive_value']:,} villages where "
              f"relocation is worth its cost ({t['villages_worth_it_on_services_alone']:,} on services alone).")
        for b in plan.binding[:5]:
            print(f"  {b['text']}")
    return ExitCode.OK
