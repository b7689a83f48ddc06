"""Robustness of plans: sample the uncertain assumptions, evaluate candidate plans under every draw, choose.

**Draws.** Every scalar parameter of rules/directions.yaml with a range (low < high), or a chosen subset, is
sampled over its low-high range by a Latin hypercube (:class:`scipy.stats.qmc.LatinHypercube`, seeded):
each parameter's range is cut into N equal strata and each stratum is used once. Integer parameters (lags,
years of population history) are rounded by the model, as a scenario's override would be.

**Evaluation** (:func:`evaluate_draw`, a pure function of the setup and one draw): the baseline and the
response model are rebuilt under the draw's assumptions; each candidate plan is simulated exactly
(:func:`engine.model.simulate.simulate_plan`; money a draw's lower absorption capacity cannot take is left
unspent and counted); the draw's *best plan* is the optimizer's solve under the draw's assumptions
(:func:`engine.allocation.solve_plan`, both stages). Outcomes at the horizon's last year: the scenario's
objective metric, the max/min ratio and whether it falls against the base year and against the draw's
no-policy baseline, the number of problem regions, and the **regret** = how much worse the plan's metric is
than the best plan's under the same draw (metric(plan) - metric(best) for a metric to minimise, the reverse
for one to maximise).

**Choice.** Among the candidates (the optimizer's plans under the central, all-low and all-high
assumptions, the formula baselines, and any plans given), the plan of least worst-case regret (minimax
regret), the plan best in expectation (mean metric) and the plan best in the worst case (worst metric).

**What changes the plan.** Each parameter's Spearman rank correlation with the reference plan's metric,
with its regret, and with the *plan shift* (the share of the budget the draw's best plan puts elsewhere
than the central plan: sum |best - central| / 2 / total), ranked by absolute size (a tornado in numbers).

**Back ends** share one contract (:class:`Evaluator`: ``map(tasks, progress)``): in sequence, on local
processes (default: every core; the setup is sent to each worker once), or on a Dask cluster
(``dask.distributed.Client(address)``; the setup is scattered to the workers once). ``progress(done,
total)`` is called as outcomes arrive.
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
import pandas as pd

from engine.core.context import Context
from engine.core.errors import EngineError, ScenarioError, problem
from engine.core.i18n import Text
from engine.core.jsonio import json_safe
from engine.core.parameters import DirectionRules
from engine.model.study import Study

Progress = Callable[[int, int], None]
REFERENCE = "optimizer_central"


@dataclass(frozen=True)
class UncertainParameter:
    id: str
    low: float
    high: float
    central: float
    basis: str


def uncertain_parameters(direction_rules: DirectionRules,
                         subset: Iterable[str] | None = None) -> list[UncertainParameter]:
    """The scalar parameters of rules/directions.yaml with a range (low < high), in file order, or ``subset``.

    Raises
    ------
    ScenarioError
        Naming a parameter of ``subset`` that is unknown or has no range.
    """
    ranged = {pid: p for pid, p in direction_rules.parameters.items()
              if not isinstance(p.central, tuple) and p.low is not None and p.high is not None and p.high > p.low}
    chosen = list(ranged) if subset is None else list(subset)
    bad = [pid for pid in chosen if pid not in ranged]
    if bad:
        raise ScenarioError([problem("sweep", "pr_not_range_parameter", None, "parameters", pid) for pid in bad])
    return [UncertainParameter(pid, float(ranged[pid].low), float(ranged[pid].high),  # type: ignore[arg-type]
                               float(ranged[pid].central), ranged[pid].basis) for pid in chosen]  # type: ignore[arg-type]


def sample_draws(parameters: Sequence[UncertainParameter], n: int, seed: int = 0) -> list[dict[str, float]]:
    """``n`` Latin-hypercube draws over the parameters' low-high ranges (module text), seeded.

    >>> p = [UncertainParameter("a", 0.0, 1.0, 0.5, "assumption")]
    >>> sorted(int(d["a"] * 4) for d in sample_draws(p, 4, seed=1))  # one draw in each quarter
    [0, 1, 2, 3]
    """
    from scipy.stats import qmc

    if n < 1:
        raise ValueError("at least one draw")
    if not parameters:
        return [{} for _ in range(n)]
    unit = qmc.LatinHypercube(d=len(parameters), seed=np.random.default_rng(seed)).random(n)
    low = np.array([p.low for p in parameters])
    high = np.array([p.high for p in parameters])
    values = low + unit * (high - low)
    return [{p.id: float(v) for p, v in zip(parameters, row, strict=True)} for row in values]


# ---------------------------------------------------------------------------------------------------
# The setup every draw shares, and one draw's evaluation
# ---------------------------------------------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class SweepSetup:
    """What every draw needs: the study (data, rules, scenario), the candidate plans, and the roadmap parts."""

    study: Study
    parameters: tuple[UncertainParameter, ...]
    candidates: Mapping[str, pd.DataFrame]
    parts: Any
    solver: str = "highs"
    central_plan: pd.DataFrame | None = None


@dataclass(frozen=True)
class PlanOutcome:
    metric: float
    max_min_ratio: float
    ratio_falls_vs_base: bool
    ratio_falls_vs_baseline: bool
    problem_regions: int
    unspent_bn: float


@dataclass(frozen=True)
class DrawOutcome:
    """One draw: its assumptions, every candidate's outcome, and the best plan's."""

    index: int
    overrides: dict[str, float]
    status: str
    best_metric: float | None
    plan_shift: float | None
    baseline_ratio: float
    plans: dict[str, PlanOutcome]
    seconds: float
    message: str = ""
    no_policy_metric: float | None = None  # the metric with no new policy under this draw


def scored_metric(prep: Any, plan: Any, spending: Any, anchors: Any = None) -> float:
    """The scenario's metric of a simulated plan on the basis the optimizer scores it: with ``score: lasting``
    GRP per capita at the last year leaves out that year's demand impulse (engine.allocation.forms, 'What
    lasts'; the impulse per bn of :func:`engine.allocation.forms.last_year_impulse` times the plan's spending,
    over the plan's population); national growth and the other metrics are as simulated."""
    from engine.allocation.forms import last_year_impulse
    from engine.allocation.objectives import METRICS, Anchors
    from engine.allocation.outcomes import shortfall, simulated_metric

    scenario, model = prep.scenario, prep.model
    metric = METRICS[scenario.objective][0]
    if not prep.forms.lasting or metric not in ("max_min_ratio", "min_grp_per_capita", "shortfall"):
        return simulated_metric(metric, prep.ctx, scenario, plan, prep.no_policy, anchors or Anchors())
    last = scenario.last_year
    impulse = last_year_impulse(model) * np.asarray(spending, dtype=float)
    by_unit = pd.Series(np.bincount(model.lever_unit, weights=impulse, minlength=len(model.units)),
                        index=list(model.units))
    p = plan.population[last]
    y = plan.grp_per_capita[last] - by_unit.reindex(p.index).fillna(0.0) * 1e6 / p
    if metric == "max_min_ratio":
        return float(y.max() / y.min())
    if metric == "min_grp_per_capita":
        return float(y.min())
    return shortfall(y.to_dict(), p.to_dict(), scenario.shortfall_threshold)


def fit_allocation(model: Any, allocation: pd.DataFrame) -> tuple[np.ndarray, float]:
    """Spending per lever when each cell of ``allocation`` is cut to what the model can absorb (cells the
    model does not have are dropped): segments filled in order as :func:`engine.model.simulate.fill_segments`
    does; and the bn left unspent."""
    from engine.model.simulate import _segment_layout

    layout = _segment_layout(model)
    per_cell = np.zeros(len(layout.total))
    unspent = 0.0
    for unit, direction, year, amount in allocation[["unit_id", "direction", "year", "bn_kzt"]].itertuples(
            index=False, name=None):
        cid = layout.index.get((str(unit), str(direction), int(year)))
        if cid is None:
            unspent += float(amount)
        else:
            per_cell[cid] += float(amount)
    take = np.minimum(per_cell, layout.total)
    unspent += float((per_cell - take).sum())
    spending = np.clip(take[layout.cell_of] - layout.before, 0.0, model.lever_capacity)
    return spending, unspent


def held_values(ctx: Context, year: int, units: Sequence[str]) -> dict[str, pd.Series]:
    """Values of the indicators of the problem-region rules other than GRP per capita, as
    :func:`engine.core.diagnose.metrics_for_values` holds them for ``year`` (a plan's unemployment is then
    projected from its GRP, :mod:`engine.model.labour`)."""
    from engine.core.diagnose import latest_values, within

    out = {}
    for rule in ctx.problem_rules.rules:
        if rule.indicator != "grp_per_capita" and rule.indicator not in out:
            values = latest_values(ctx.dataset, rule.indicator, year)
            out[rule.indicator] = values[within(values.index, list(units))]
    return out


def count_problem_regions(ctx: Context, values: pd.Series, population: pd.Series, held: Mapping[str, pd.Series],
                          ) -> int:
    """The number of problem regions for projected GRP per capita (as :func:`metrics_for_values` counts them)."""
    from engine.core.diagnose import evaluate_problem_regions

    reasons = evaluate_problem_regions({"grp_per_capita": values, **held}, population.loc[values.index],
                                       ctx.problem_rules)
    return sum(1 for r in reasons.values() if r)


def _metric_sense(objective: str) -> tuple[str, int]:
    from engine.allocation.objectives import METRICS

    metric, sense, _, _ = METRICS[objective]
    return metric, 1 if sense == "min" else -1


def _plan_vector(allocation: pd.DataFrame) -> dict[tuple[str, str, int], float]:
    return {(str(u), str(d), int(y)): float(v) for u, d, y, v in allocation[["unit_id", "direction", "year",
                                                                            "bn_kzt"]].itertuples(index=False)}


def plan_shift(best: pd.DataFrame, central: pd.DataFrame, total: float) -> float:
    """Share of the budget a plan puts elsewhere than another: sum of |differences| by cell / 2 / total.

    >>> a = pd.DataFrame([("x", "mobility", 2025, 10.0)], columns=["unit_id", "direction", "year", "bn_kzt"])
    >>> b = pd.DataFrame([("y", "mobility", 2025, 10.0)], columns=["unit_id", "direction", "year", "bn_kzt"])
    >>> plan_shift(a, b, 10.0), plan_shift(a, a, 10.0)
    (1.0, 0.0)
    """
    va, vb = _plan_vector(best), _plan_vector(central)
    diff = sum(abs(va.get(k, 0.0) - vb.get(k, 0.0)) for k in set(va) | set(vb))
    return diff / 2.0 / total if total > 0 else 0.0


def evaluate_draw(setup: SweepSetup, index: int, overrides: Mapping[str, float]) -> DrawOutcome:
    """Evaluate every candidate and the draw's best plan under one draw (module text); never raises on a
    draw that has no feasible plan (its status says so)."""
    from engine.allocation.prepared import prepare
    from engine.allocation.run import solve_plan
    from engine.model.labour import projected_indicators
    from engine.model.simulate import simulate_spending

    started = time.perf_counter()
    prep = prepare(setup.study.with_assumptions({**dict(setup.study.scenario.assumptions), **dict(overrides)}),
                   setup.parts)
    scenario = prep.scenario
    last, base_year = scenario.last_year, scenario.base_year
    metric, _ = _metric_sense(scenario.objective)
    best = solve_plan(prep, setup.solver)
    anchors = best.anchors
    if anchors is None:
        from engine.allocation.objectives import Anchors

        anchors = Anchors()
    no_policy = prep.no_policy
    y0 = no_policy.grp_per_capita[base_year]
    base_ratio = float(y0.max() / y0.min())
    baseline_ratio = float(no_policy.grp_per_capita[last].max() / no_policy.grp_per_capita[last].min())

    held = held_values(setup.study.ctx, last, prep.model.units)

    def outcome(allocation: pd.DataFrame) -> PlanOutcome:
        spending, unspent = fit_allocation(prep.model, allocation)
        plan = simulate_spending(prep.model, spending)
        y, p = plan.grp_per_capita[last], plan.population[last]
        ratio = float(y.max() / y.min())
        value = scored_metric(prep, plan, spending, anchors)
        moved = projected_indicators(setup.study.ctx, prep.assumptions, plan, no_policy, last) or {}
        problems = count_problem_regions(setup.study.ctx, y, p, {**held, **moved})
        return PlanOutcome(float(value), ratio, ratio < base_ratio, ratio < baseline_ratio, problems, unspent)

    plans = {name: outcome(allocation) for name, allocation in setup.candidates.items()}
    none_metric = scored_metric(prep, no_policy, np.zeros(prep.model.n_levers), anchors)
    best_metric = shift = None
    message = ""
    if best.status.value in ("optimal", "time_limit_feasible"):
        best_metric = outcome(best.allocation).metric
        if setup.central_plan is not None:
            shift = plan_shift(best.allocation, setup.central_plan, scenario.total_budget)
    else:
        message = f"no plan under this draw ({best.status.value})"
    return DrawOutcome(index, dict(overrides), best.status.value, best_metric, shift, baseline_ratio, plans,
                       time.perf_counter() - started, message, none_metric)


# ---------------------------------------------------------------------------------------------------
# Back ends
# ---------------------------------------------------------------------------------------------------

Task = tuple[int, dict[str, float]]


class Evaluator(Protocol):
    """Runs :func:`evaluate_draw` over tasks; ``progress(done, total)`` as outcomes arrive."""

    name: str

    def map(self, setup: SweepSetup, tasks: Sequence[Task], progress: Progress | None = None,
            ) -> list[DrawOutcome]: ...


@dataclass
class SequentialEvaluator:
    name: str = "sequential"

    def map(self, setup: SweepSetup, tasks: Sequence[Task], progress: Progress | None = None) -> list[DrawOutcome]:
        out = []
        for done, (index, overrides) in enumerate(tasks, start=1):
            out.append(evaluate_draw(setup, index, overrides))
            if progress:
                progress(done, len(tasks))
        return out


_WORKER_SETUP: SweepSetup | None = None


def _init_worker(setup: SweepSetup) -> None:
    global _WORKER_SETUP
    _WORKER_SETUP = setup


def _evaluate_in_worker(task: Task) -> DrawOutcome:
    assert _WORKER_SETUP is not None
    return evaluate_draw(_WORKER_SETUP, task[0], task[1])


@dataclass
class ProcessEvaluator:
    """Local processes (``workers``, default every core); the setup goes to each worker once."""

    workers: int | None = None
    name: str = "processes"

    def map(self, setup: SweepSetup, tasks: Sequence[Task], progress: Progress | None = None) -> list[DrawOutcome]:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor, as_completed

        workers = max(1, min(self.workers or os.cpu_count() or 1, len(tasks)))
        if workers == 1:
            return SequentialEvaluator().map(setup, tasks, progress)
        # fork shares the loaded data without pickling it again; HiGHS runs one thread per solve
        context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else None)
        out: list[DrawOutcome] = []
        with ProcessPoolExecutor(workers, mp_context=context, initializer=_init_worker, initargs=(setup,)) as pool:
            futures = [pool.submit(_evaluate_in_worker, task) for task in tasks]
            for done, future in enumerate(as_completed(futures), start=1):
                out.append(future.result())
                if progress:
                    progress(done, len(tasks))
        return sorted(out, key=lambda o: o.index)


def _evaluate_on_dask(setup: SweepSetup, task: Task) -> DrawOutcome:
    return evaluate_draw(setup, task[0], task[1])


@dataclass
class DaskEvaluator:
    """An existing Dask cluster: ``address`` of its scheduler, or a ``client`` already connected."""

    address: str | None = None
    client: Any = None
    name: str = "dask"
    timeout: str = "30s"

    def map(self, setup: SweepSetup, tasks: Sequence[Task], progress: Progress | None = None) -> list[DrawOutcome]:
        from dask.distributed import Client, as_completed

        try:
            client = self.client or Client(self.address, timeout=self.timeout)
        except (OSError, TimeoutError, ValueError) as exc:
            raise SweepClusterError(f"cannot reach the Dask scheduler at {self.address}: {exc}") from None
        try:
            # a key of its own (hash=False): two sweeps of the same setup must not share data that either may release
            shared = client.scatter(setup, broadcast=True, hash=False)
            futures = [client.submit(_evaluate_on_dask, shared, task, pure=False) for task in tasks]
            out = []
            for done, future in enumerate(as_completed(futures), start=1):
                out.append(future.result())
                if progress:
                    progress(done, len(tasks))
            return sorted(out, key=lambda o: o.index)
        except EngineError:
            raise
        except Exception as exc:  # a cluster whose scheduler or workers cannot import the engine, or lost workers
            raise SweepClusterError(
                f"the Dask cluster could not run the sweep ({type(exc).__name__}: {str(exc).splitlines()[0]}). The "
                "scheduler and the workers need this engine installed (pip install -e .) with the same versions "
                "of its dependencies") from None
        finally:
            if self.client is None:
                client.close()


class SweepClusterError(EngineError):
    """A Dask cluster that cannot be reached or cannot run the sweep (printed by the command line, exit 2)."""


# ---------------------------------------------------------------------------------------------------
# The sweep
# ---------------------------------------------------------------------------------------------------

def prepare_sweep(study: Study, parameters: Iterable[str] | None = None,
                  plans: Mapping[str, pd.DataFrame] | None = None, solver: str = "highs") -> SweepSetup:
    """The candidates: the optimizer's plans under the central, all-low and all-high values of the swept
    parameters, the formula baselines, and ``plans`` (name -> allocation).

    Raises
    ------
    ScenarioError
        When a parameter is unknown, or the scenario has no plan under its own assumptions.
    """
    from engine.allocation.baselines import FORMULAS, formula_allocation
    from engine.allocation.prepared import prepare
    from engine.allocation.run import solve_plan

    scenario = study.scenario
    chosen = tuple(uncertain_parameters(study.direction_rules, parameters))
    central = prepare(study)
    parts = central.forms.parts
    candidates: dict[str, pd.DataFrame] = {}
    central_plan = solve_plan(central, solver)
    if central_plan.status.value not in ("optimal", "time_limit_feasible"):
        raise ScenarioError([problem("scenario", "pr_no_central_plan", None, "objective", scenario.objective,
                                     status=central_plan.status.value)])
    candidates[REFERENCE] = central_plan.allocation
    for end in ("low", "high"):
        overrides = {**dict(scenario.assumptions), **{p.id: getattr(p, end) for p in chosen}}
        solved = solve_plan(prepare(study.with_assumptions(overrides), parts), solver)
        if solved.status.value in ("optimal", "time_limit_feasible"):
            candidates[f"optimizer_{end}"] = solved.allocation
    for formula in (f for f in FORMULAS if f.applies(central.forms.units)):
        candidates[f"formula_{formula.name}"] = formula_allocation(central.forms, scenario, formula)
    for name, allocation in (plans or {}).items():
        candidates[name] = allocation
    return SweepSetup(study, chosen, candidates, parts, solver, central_plan.allocation)


@dataclass(frozen=True, eq=False)
class SweepResult:
    """Every draw's outcomes and their summary (:meth:`to_json`)."""

    setup: SweepSetup
    draws: list[DrawOutcome]
    seed: int
    backend: str
    seconds: float

    @property
    def notes(self) -> list[str]:
        """What a reader of the summary should know about these draws (read from the draws themselves)."""
        return [str(n) for n in self.note_texts]

    @property
    def note_texts(self) -> list[Text]:
        """:attr:`notes` with their message ids and values, to write them in any language."""
        notes = []
        failed = sum(1 for o in self.draws if o.best_metric is None)
        if failed:
            notes.append(Text("sw_note_failed", {"count": failed}))
        _, sense = _metric_sense(self.setup.study.scenario.objective)
        if any(o.best_metric is not None and sense * (p.metric - o.best_metric) < 0 for o in self.draws
               for p in o.plans.values()):
            notes.append(Text("sw_note_negative_regret"))
        unspent = sum(1 for o in self.draws for p in o.plans.values() if p.unspent_bn > 1e-6)
        if unspent:
            notes.append(Text("sw_note_unspent", {"count": unspent}))
        return notes

    def frame(self) -> pd.DataFrame:
        """One row per draw and candidate: draw, plan, metric, regret and the other outcomes."""
        _, sense = _metric_sense(self.setup.study.scenario.objective)
        rows = []
        for d in self.draws:
            for name, o in d.plans.items():
                regret = sense * (o.metric - d.best_metric) if d.best_metric is not None else math.nan
                effect = o.metric - d.no_policy_metric if d.no_policy_metric is not None else math.nan
                rows.append({"draw": d.index, "plan": name, "metric": o.metric, "regret": regret, "effect": effect,
                             "max_min_ratio": o.max_min_ratio, "ratio_falls_vs_base": o.ratio_falls_vs_base,
                             "ratio_falls_vs_baseline": o.ratio_falls_vs_baseline,
                             "problem_regions": o.problem_regions, "unspent_bn": o.unspent_bn})
        return pd.DataFrame(rows)

    def summary(self) -> dict[str, dict[str, float]]:
        frame = self.frame()
        out = {}
        for name, group in frame.groupby("plan", sort=False):
            regret = group["regret"].dropna()
            problems = group["problem_regions"]
            out[str(name)] = {
                "metric_mean": float(group["metric"].mean()), "metric_p05": float(group["metric"].quantile(0.05)),
                "metric_p95": float(group["metric"].quantile(0.95)),
                "p_ratio_falls_vs_base": float(group["ratio_falls_vs_base"].mean()),
                "p_ratio_falls_vs_baseline": float(group["ratio_falls_vs_baseline"].mean()),
                "problem_regions_mean": float(problems.mean()), "problem_regions_std": float(problems.std(ddof=0)),
                "problem_regions_min": int(problems.min()), "problem_regions_max": int(problems.max()),
                "regret_mean": float(regret.mean()) if len(regret) else math.nan,
                "regret_p95": float(regret.quantile(0.95)) if len(regret) else math.nan,
                "regret_max": float(regret.max()) if len(regret) else math.nan,
                "unspent_bn_mean": float(group["unspent_bn"].mean()),
                "effect_mean": float(group["effect"].mean()), "effect_p05": float(group["effect"].quantile(0.05)),
                "effect_p95": float(group["effect"].quantile(0.95))}
        return out

    def pairwise(self) -> dict[str, dict[str, float]]:
        """P(plan a does strictly better than plan b in a draw), for every pair of candidates."""
        _, sense = _metric_sense(self.setup.study.scenario.objective)
        wide = self.frame().pivot(index="draw", columns="plan", values="metric")
        names = list(self.setup.candidates)
        return {a: {b: float((sense * (wide[a] - wide[b]) < -1e-12).mean()) for b in names if b != a} for a in names}

    def verdicts(self) -> list[dict[str, Any]]:
        """Each plan given to the sweep against the central plan and every formula: mean and the bad tail (the
        95th percentile of a metric to minimise, the 5th of one to maximise), no worse or not, and by how much."""
        _, sense = _metric_sense(self.setup.study.scenario.objective)
        summary = self.summary()
        tail = "metric_p95" if sense == 1 else "metric_p05"
        given = [n for n in self.setup.candidates if not n.startswith(("optimizer_", "formula_"))]
        rivals = [n for n in self.setup.candidates if n == REFERENCE or n.startswith("formula_")]
        beats = self.pairwise()
        out = []
        for plan in given:
            for rival in rivals:
                mean_diff = sense * (summary[plan]["metric_mean"] - summary[rival]["metric_mean"])
                tail_diff = sense * (summary[plan][tail] - summary[rival][tail])
                ok = mean_diff <= 1e-12 and tail_diff <= 1e-12
                worse = [w for w, d in (("mean", mean_diff), ("tail", tail_diff)) if d > 1e-12]
                out.append({"plan": plan, "against": rival, "mean_no_worse": mean_diff <= 1e-12,
                            "tail_no_worse": tail_diff <= 1e-12, "mean_worse_by": mean_diff, "tail_worse_by": tail_diff,
                            "p_beats": beats[plan][rival], "p_beaten": beats[rival][plan],
                            "text": (f"{plan} is no worse than {rival} in mean and tail" if ok else
                                     f"{plan} LOSES to {rival} on the {' and '.join(worse)} (by "
                                     f"{max(mean_diff, tail_diff):.4g}); it beats it in {beats[plan][rival]:.0%} "
                                     "of draws" + _why(max(mean_diff, tail_diff), summary[rival]["metric_mean"]))})
        return out

    def robust_choice(self) -> dict[str, Any]:
        """The candidate of least worst-case regret, best mean metric and best worst-case metric."""
        _, sense = _metric_sense(self.setup.study.scenario.objective)
        summary = self.summary()
        frame = self.frame()
        worst = frame.groupby("plan", sort=False)["metric"].max() if sense == 1 else \
            frame.groupby("plan", sort=False)["metric"].min()
        finite = {n: s for n, s in summary.items() if not math.isnan(s["regret_max"])}
        minimax = min(finite, key=lambda n: (finite[n]["regret_max"], n)) if finite else None
        expected = min(summary, key=lambda n: (sense * summary[n]["metric_mean"], n))
        worst_case = min(worst.index, key=lambda n: (sense * float(worst[n]), n))
        return {"minimax_regret": minimax, "best_expected": expected, "best_worst_case": str(worst_case),
                "worst_case_metric": {str(n): float(v) for n, v in worst.items()}}

    def sensitivity(self) -> list[dict[str, Any]]:
        """Spearman rank correlation of each parameter with the reference plan's metric and regret and with
        the plan shift, ranked by the largest absolute correlation."""
        from scipy.stats import spearmanr

        _, sense = _metric_sense(self.setup.study.scenario.objective)
        draws = [d for d in self.draws if REFERENCE in d.plans]
        rows = []
        outcomes = {
            "metric": np.array([d.plans[REFERENCE].metric for d in draws]),
            "regret": np.array([sense * (d.plans[REFERENCE].metric - d.best_metric) if d.best_metric is not None
                                else math.nan for d in draws]),
            "plan_shift": np.array([d.plan_shift if d.plan_shift is not None else math.nan for d in draws])}
        for p in self.setup.parameters:
            x = np.array([d.overrides.get(p.id, p.central) for d in draws])
            row: dict[str, Any] = {"parameter": p.id, "low": p.low, "high": p.high, "basis": p.basis}
            for key, y in outcomes.items():
                keep = ~np.isnan(y)
                if keep.sum() >= 3 and np.ptp(x[keep]) > 0 and np.ptp(y[keep]) > 0:
                    row[f"rho_{key}"] = float(spearmanr(x[keep], y[keep]).statistic)
                else:
                    row[f"rho_{key}"] = None
            row["rank_by"] = max((abs(row[k]) for k in ("rho_metric", "rho_regret", "rho_plan_shift")
                                  if row[k] is not None), default=0.0)
            rows.append(row)
        return sorted(rows, key=lambda r: -r["rank_by"])

    def to_json(self) -> dict[str, Any]:
        """The JSON of ``roadmap sweep --json``."""
        metric, sense = _metric_sense(self.setup.study.scenario.objective)
        statuses = pd.Series([d.status for d in self.draws]).value_counts().to_dict()
        return json_safe({
            "scenario": self.setup.study.scenario.name, "objective": self.setup.study.scenario.objective,
            "metric": metric,
            "sense": "min" if sense == 1 else "max", "draws": len(self.draws), "seed": self.seed,
            "sampling": "Latin hypercube (scipy.stats.qmc.LatinHypercube) over each parameter's low-high range",
            "backend": self.backend, "seconds": round(self.seconds, 3),
            "parameters": [p.__dict__ for p in self.setup.parameters],
            "candidates": list(self.setup.candidates), "best_plan_status": statuses,
            "summary": self.summary(), "robust_choice": self.robust_choice(), "sensitivity": self.sensitivity(),
            "pairwise_p_better": self.pairwise(), "verdicts": self.verdicts(),
            "score_basis": self.setup.study.scenario.score,
            "method": __doc__.strip().split("\n\n")[1:5] if __doc__ else [], "notes": self.notes,
            "note_messages": [n.to_json() for n in self.note_texts],
            "by_draw": [{"draw": d.index, "overrides": d.overrides, "status": d.status, "best_metric": d.best_metric,
                         "plan_shift": d.plan_shift, "baseline_ratio": d.baseline_ratio,
                         "no_policy_metric": d.no_policy_metric,
                         "plans": {n: o.__dict__ for n, o in d.plans.items()}, "seconds": round(d.seconds, 4)}
                        for d in self.draws]})


def _why(loss: float, scale: float) -> str:
    """Why a plan loses by ``loss`` when that is too small to mean anything."""
    if abs(scale) > 0 and loss / abs(scale) < 1e-3:
        return (f"; the difference is {loss / abs(scale):.3%} of the metric, below the first-order model's error in "
                "one draw (largest_linear_gap of roadmap solve --robust), and a plan chosen on its expected value "
                "is not chosen for its tail")
    return ""


def run_sweep(setup: SweepSetup, draws: int, seed: int = 0, evaluator: Evaluator | None = None,
              progress: Progress | None = None) -> SweepResult:
    """Sample ``draws`` draws (seeded) and evaluate them with ``evaluator`` (default: local processes)."""
    evaluator = evaluator or ProcessEvaluator()
    samples = sample_draws(setup.parameters, draws, seed)
    started = time.perf_counter()
    outcomes = evaluator.map(setup, list(enumerate(samples)), progress)
    return SweepResult(setup, outcomes, seed, evaluator.name, time.perf_counter() - started)


__all__ = ["DaskEvaluator", "DrawOutcome", "Evaluator", "PlanOutcome", "ProcessEvaluator", "SequentialEvaluator",
           "SweepResult", "SweepSetup", "UncertainParameter", "count_problem_regions", "evaluate_draw",
           "fit_allocation", "held_values", "plan_shift", "prepare_sweep", "run_sweep", "sample_draws",
           "uncertain_parameters"]
