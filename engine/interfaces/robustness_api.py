"""Robustness sweeps and robust plans for the app, in pieces a worker process can run and report back on.

The app splits a sweep into chunks of draws (:func:`sweep_chunk`) so that it can show progress as chunks
come back, then turns all draws into the summary (:func:`sweep_report`). Each worker prepares a scenario's
sweep (its candidate plans: the optimizer's under central, all-low and all-high assumptions, the formula
baselines and any plans given, such as a robust plan) once and keeps it. The draws are the same Latin
hypercube as ``roadmap sweep`` with the same seed, so the app and the command line give the same answer.

A robust plan (:func:`robust_plan`, ``roadmap solve --robust``) is judged on fresh draws by the same sweep
with the plan given as ``robust`` (``roadmap sweep --plan robust=PLAN.json``); :func:`comparison_verdicts`
says where it loses and why. An adopted robust plan becomes a roadmap (:func:`build_plan_roadmap`) and a
workshop template with its direction and part mix (:func:`workshop_template`).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
import time
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from engine.analysis.sweep import DrawOutcome, SweepResult, SweepSetup, evaluate_draw, prepare_sweep, sample_draws
from engine.interfaces import studies

#: a plan given as a list of allocation rows (unit_id, direction, year, bn_kzt[, part]), picklable and hashable
Plans = Mapping[str, Sequence[Mapping[str, Any]]]
ALLOCATION_COLUMNS = ["unit_id", "direction", "year", "bn_kzt", "part"]
#: a loss smaller than this share of the rival's mean is within the first-order model's error in one draw
SMALL_LOSS = 1e-3


def _digest(plans: Plans | None) -> str:
    if not plans:
        return ""
    text = json.dumps({name: list(rows) for name, rows in sorted(plans.items())}, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _frame(rows: Sequence[Mapping[str, Any]]) -> pd.DataFrame:
    return pd.DataFrame([{k: r[k] for k in ALLOCATION_COLUMNS[:4]} for r in rows], columns=ALLOCATION_COLUMNS[:4])


def _setup(yaml_text: str, parameters: tuple[str, ...] | None, indicators: pd.DataFrame | None,
           plans: Plans | None = None) -> SweepSetup:
    ctx, data_key = studies.uploaded(indicators)

    def build() -> SweepSetup:
        prep = studies.prepared(studies.scenario_of(yaml_text, ctx), ctx, data_key)
        return prepare_sweep(prep.study, parameters, {n: _frame(rows) for n, rows in (plans or {}).items()})

    return studies.remember("sweep", (data_key, yaml_text, parameters, _digest(plans)), build)


def sweep_chunk(yaml_text: str, draws: int, seed: int, start: int, stop: int,
                parameters: tuple[str, ...] | None = None, indicators: pd.DataFrame | None = None,
                plans: Plans | None = None) -> list[DrawOutcome]:
    """Evaluate draws ``start`` to ``stop - 1`` of the ``draws``-draw sample
    (:func:`engine.analysis.sweep.evaluate_draw`); ``plans`` are candidates besides the sweep's own."""
    setup = _setup(yaml_text, parameters, indicators, plans)
    samples = sample_draws(setup.parameters, draws, seed)
    return [evaluate_draw(setup, index, samples[index]) for index in range(start, min(stop, draws))]


def sweep_report(yaml_text: str, seed: int, outcomes: list[DrawOutcome], seconds: float,
                 parameters: tuple[str, ...] | None = None, indicators: pd.DataFrame | None = None,
                 plans: Plans | None = None) -> dict[str, Any]:
    """The summary of ``roadmap sweep --json`` (without the per-draw detail) for the draws evaluated, and
    ``distribution``: per plan, its metric, effect (plan minus that draw's no policy) and regret in each draw."""
    setup = _setup(yaml_text, parameters, indicators, plans)
    started = time.perf_counter()
    result = SweepResult(setup, sorted(outcomes, key=lambda o: o.index), seed, "app worker processes", seconds)
    out = result.to_json()
    out.pop("by_draw", None)
    frame = result.frame()
    out["distribution"] = {str(name): {key: [None if math.isnan(v) else float(v) for v in group[key]]
                                       for key in ("metric", "effect", "regret")}
                           for name, group in frame.groupby("plan", sort=False)}
    out["report_seconds"] = round(time.perf_counter() - started, 3)
    return out


# ---------------------------------------------------------------------------------------------------
# Robust plans
# ---------------------------------------------------------------------------------------------------

class _QueueProgress:
    """``progress(done, total)`` of the engine put on a queue another process reads (a manager's queue)."""

    def __init__(self, queue: Any) -> None:
        self.queue = queue

    def __call__(self, done: int, total: int) -> None:
        if self.queue is None:
            return
        try:
            self.queue.put_nowait((int(done), int(total)))
        except Exception:  # noqa: BLE001 - a reader that went away must not stop the solve
            self.queue = None


def robust_plan(yaml_text: str, draws: int, seed: int, risk: str = "expected",
                indicators: pd.DataFrame | None = None, progress: Any = None) -> dict[str, Any]:
    """The robust plan of a scenario over ``draws`` Latin-hypercube draws (:func:`engine.analysis.robust.
    solve_robust`), as ``roadmap solve --robust --json`` without the per-draw detail; ``progress`` is a queue
    that receives ``(draws built, draws)``. Solved once per worker process and inputs.

    Raises
    ------
    ScenarioError
        For an objective without a robust form, or bad ``draws`` or ``risk``.
    """
    from engine.analysis.robust import parse_risk, solve_robust

    parsed = parse_risk(risk)
    ctx, data_key = studies.uploaded(indicators)

    def solve() -> dict[str, Any]:
        prep = studies.prepared(studies.scenario_of(yaml_text, ctx), ctx, data_key)
        # the central plan is judged beside the robust one on fresh draws, so the in-sample comparison is skipped
        result = solve_robust(prep.study, int(draws), int(seed), parsed, draw_set=None, compare_central=False,
                              progress=_QueueProgress(progress) if progress is not None else None)
        out = result.to_json()
        out.pop("by_draw", None)
        out["draws"].pop("values", None)
        return out

    return studies.remember("robust", (data_key, yaml_text, int(draws), int(seed), parsed.label), solve)


#: the risk measures the app offers for a robust solve, as ``roadmap solve --robust --risk`` takes them
RISKS = ("expected", "cvar:0.9", "worst")


def risk_name(risk: str, lang: str) -> str:
    """The name of a risk measure of :data:`RISKS` in ``lang``."""
    from engine.core.i18n import t

    names = {"expected": t("risk_expected", lang), "cvar:0.9": t("risk_cvar", lang), "worst": t("risk_worst", lang)}
    return names.get(risk, risk)


def comparison_verdicts(report: Mapping[str, Any], plan: str = "robust") -> list[dict[str, Any]]:
    """The sweep's verdicts on ``plan`` against the central plan and every formula, each with ``relative``
    (the larger loss as a share of the rival's mean metric) and ``small`` (below :data:`SMALL_LOSS`: within the
    first-order model's error in one draw, not a difference a planner should act on)."""
    summary = report.get("summary", {})
    out = []
    for row in report.get("verdicts", []):
        if row.get("plan") != plan:
            continue
        loss = max(float(row["mean_worse_by"]), float(row["tail_worse_by"]), 0.0)
        scale = abs(float(summary.get(row["against"], {}).get("metric_mean") or 0.0))
        relative = loss / scale if scale > 0 else math.inf if loss > 0 else 0.0
        out.append({**row, "relative": relative, "small": loss > 0 and relative < SMALL_LOSS})
    return out


# ---------------------------------------------------------------------------------------------------
# An adopted plan: its roadmap and a workshop template
# ---------------------------------------------------------------------------------------------------

def build_plan_roadmap(yaml_text: str, allocation: Sequence[Mapping[str, Any]], lang: str, note: str = "",
                       indicators: pd.DataFrame | None = None) -> Any:
    """The two-part roadmap of a given allocation of a scenario (an adopted robust plan), in ``lang``, with
    ``note`` as its allocation note; the plan is checked and simulated once per worker and allocation."""
    from engine.roadmap.pipeline import inputs_from_allocation, roadmap_from_inputs

    ctx, data_key = studies.uploaded(indicators)
    frame = _frame(allocation)

    def inputs() -> Any:
        prep = studies.prepared(studies.scenario_of(yaml_text, ctx), ctx, data_key)
        return inputs_from_allocation(prep.study, frame, "given")

    key = (data_key, yaml_text, "allocation", _digest({"plan": frame.to_dict(orient="records")}))
    built = studies.remember("roadmap", key, inputs)
    return roadmap_from_inputs(dataclasses.replace(built, allocation_label=note), lang)


def export_plan_roadmap(yaml_text: str, allocation: Sequence[Mapping[str, Any]], lang: str, fmt: str,
                        note: str = "", indicators: pd.DataFrame | None = None) -> tuple[str, str, bytes]:
    """The roadmap of :func:`build_plan_roadmap` exported as ``fmt``: ``(file name, MIME type, bytes)``."""
    from engine.roadmap import export_bytes

    return export_bytes(build_plan_roadmap(yaml_text, allocation, lang, note, indicators), fmt)


def plan_mix(allocation: Sequence[Mapping[str, Any]]) -> tuple[dict[str, float], float]:
    """Each direction's share of a plan's spending, and the share of its equity part.

    >>> plan_mix([{"direction": "mobility", "part": "equity", "bn_kzt": 30.0},
    ...           {"direction": "agglomeration", "part": "growth", "bn_kzt": 70.0}])
    ({'mobility': 0.3, 'agglomeration': 0.7}, 0.3)
    """
    total = sum(float(r["bn_kzt"]) for r in allocation)
    if total <= 0:
        return {}, 0.0
    shares: dict[str, float] = {}
    for r in allocation:
        shares[str(r["direction"])] = shares.get(str(r["direction"]), 0.0) + float(r["bn_kzt"]) / total
    equity = sum(float(r["bn_kzt"]) for r in allocation if r.get("part") == "equity") / total
    return shares, equity


MIX_TOLERANCE = 0.01  # each direction's bounds around the plan's share: exact bounds could leave no plan at all


def workshop_template(yaml_text: str, allocation: Sequence[Mapping[str, Any]], name: str) -> str:
    """A workshop template that starts from a plan: the scenario with each direction's share of the budget held
    within :data:`MIX_TOLERANCE` of the plan's and the equity share at the plan's (rounded down), named ``name``.
    The workshop optimizes its own plans, so it starts from the plan's mix, not from its cells."""
    from engine.core.parameters import DIRECTIONS
    from engine.core.scenario import DirectionBounds

    scenario = studies.scenario_of(yaml_text)
    shares, equity = plan_mix(allocation)
    bounds = {d: DirectionBounds(round(max(0.0, shares.get(d, 0.0) - MIX_TOLERANCE), 4),
                                 round(min(1.0, shares.get(d, 0.0) + MIX_TOLERANCE), 4)) for d in DIRECTIONS}
    # the scenario's own names and descriptions would describe another mix
    held = scenario.replace(name=name, directions=bounds, equity_share=math.floor(equity * 1000) / 1000,
                            names={}, descriptions={}, description="")
    return held.to_yaml()
