"""Managed peripheral compression per settlement: services in place against assisted relocation, within quotas.

For each rural settlement i (a ``village`` of a settlement dataset, :mod:`engine.core.scale`) with P_i residents
and its receiving centre r(i) (the district's town or centre, :func:`engine.model.response.receiving_units`):

* **cost of services in place** per resident per year: c(P) = (infrastructure + per-pupil cost x pupils per
  resident) x (1 + premium(P)), premium(P) = premium_small x clip(ln(P_free / P) / ln(P_free / P_small), 0,
  1): the full premium at or below ``small_settlement_size`` residents, none from ``premium_free_size`` on,
  linear in log size between (rules/compression.yaml, whose sources give the references: Auyl - El Besigi
  12,940 tenge per resident a year, 400 thousand tenge per pupil, 1.66x per-pupil cost in under-filled
  schools, +39% rural premium);
* **value of relocating one person** (mn tenge): v_i = A x [(c(P_i) - c(P_r(i))) / 1e6 + g x y_i / 1e3] - R,
  with A the present value of one tenge a year over ``appraisal_years`` at ``discount_rate``, g x y_i the
  yearly output gain of a mover (``compression_productivity_gain`` x the settlement's GRP per capita in
  thousand tenge, the direction's own response, an assumption) and R the support per person
  (``relocation_cost_per_person_mn_kzt``); both from rules/directions.yaml. With ``services_only`` the gain
  is left out: the comparison is then services in place against the support alone;
* **choice**: relocate x_i persons to maximise sum_i v_i x_i subject to x_i <= ``willing_share`` x P_i,
  sum over the settlements of each centre r of x_i <= ``receiving_capacity_share`` x P_r, and sum_i x_i <=
  the national ``relocation_quota_persons``.

**The greedy rule is optimal.** Every person uses one unit of her settlement's, her centre's and the
national capacity, and these capacities are nested (a settlement belongs to one centre, every centre to the
country): the sets of persons that fit form a laminar matroid. For any matroid, taking elements in order of
decreasing weight while they fit and their weight is positive gives a maximum-weight feasible set (Rado
1957, Edmonds 1971). Persons of one settlement have one weight, so :func:`choose_relocations` takes
settlements by decreasing v_i, each as many persons as all three capacities still allow. The LP of the same
problem (:func:`choose_relocations_lp`, HiGHS) reaches the same value (tests check it on random
instances). The marginal value of one more place: nationally, the value of the best settlement left
waiting whose centre has room; in a full centre, the value of its best settlement left waiting, less (when
the quota is used up) the value of the last person the quota let through, whom it displaces.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from engine.core.data import Dataset
from engine.core.errors import DataValidationError, Problem, RuleValidationError, problem
from engine.core.parameters import PARAMETER_BASES, Parameter, ParameterValues, load_direction_rules, parameter_value
from engine.core.rules import check_keys, load_rules_file
from engine.model.response import VILLAGE, receiving_units

PARAMETERS = ("service_cost_base_tenge", "per_pupil_cost_tenge", "pupils_per_resident", "service_cost_premium_small",
              "small_settlement_size", "premium_free_size",
              "appraisal_years", "discount_rate", "willing_share", "receiving_capacity_share",
              "relocation_quota_persons")
RELOCATION_COST = "relocation_cost_per_person_mn_kzt"  # rules/directions.yaml
OUTPUT_GAIN = "compression_productivity_gain"  # rules/directions.yaml
RATES = ("willing_share", "receiving_capacity_share", "discount_rate")  # shares and rates: below 1


@dataclass(frozen=True)
class CompressionRules:
    """The parameters of rules/compression.yaml, each with its range, basis and source."""

    parameters: Mapping[str, Parameter]
    file: str

    def value(self, parameter_id: str, overrides: Mapping[str, float | str] | None = None) -> float:
        return parameter_value(self.parameters[parameter_id], (overrides or {}).get(parameter_id))


def load_compression_rules(rules_dir: Path | None = None) -> CompressionRules:
    """Load and check ``rules/compression.yaml`` (every problem gathered before raising once).

    Raises
    ------
    RuleValidationError
        Naming the key of a missing, unknown or bad parameter.
    """
    doc, file = load_rules_file("compression.yaml", rules_dir)
    problems: list[Problem] = []
    parameters: dict[str, Parameter] = {}
    if check_keys(doc, "", file, problems, required=("version", "parameters")):
        specs = doc["parameters"] if isinstance(doc["parameters"], Mapping) else {}
        for pid in PARAMETERS:
            if pid not in specs:
                problems.append(problem(file, "pr_missing_parameter", None, f"parameters.{pid}"))
        for pid, spec in specs.items():
            where = f"parameters.{pid}"
            if pid not in PARAMETERS:
                problems.append(problem(file, "pr_unknown_parameter", None, where, allowed=', '.join(PARAMETERS)))
                continue
            if not check_keys(spec, where, file, problems, required=("central", "low", "high", "unit", "basis",
                                                                      "source"), optional=("note",)):
                continue
            values = {}
            for key in ("central", "low", "high"):
                value = spec[key]
                if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
                    problems.append(problem(file, "pr_must_be_number", None, f"{where}.{key}", value))
                values[key] = float(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0.0
            if not values["low"] <= values["central"] <= values["high"]:
                problems.append(problem(file, "pr_low_central_high", None, where,
                                        f"{values['low']:g} / {values['central']:g} / {values['high']:g}"))
            if values["low"] < 0:
                problems.append(problem(file, "pr_not_negative", None, f"{where}.low", values["low"]))
            if spec["basis"] not in PARAMETER_BASES:
                problems.append(problem(file, "pr_basis_one_of", None, f"{where}.basis", spec["basis"],
                                        allowed=', '.join(PARAMETER_BASES)))
            parameters[pid] = Parameter(pid, values["central"], values["low"], values["high"], str(spec["unit"]),
                                        str(spec["basis"]), str(spec["source"]), str(spec.get("note", "")))
    for shares in RATES:
        p = parameters.get(shares)
        if p is not None and p.high is not None and p.high >= 1:
            problems.append(problem(file, "pr_share_below_1", None, f"parameters.{shares}.high", p.high))
    sizes = (parameters.get("small_settlement_size"), parameters.get("premium_free_size"))
    if all(sizes) and sizes[0].high >= sizes[1].low:  # type: ignore[union-attr]
        problems.append(problem(file, "pr_small_below_premium", None, "parameters.small_settlement_size.high",
                                sizes[0].high))  # type: ignore
    if problems:
        raise RuleValidationError(problems)
    return CompressionRules(parameters, file)


@dataclass(frozen=True)
class CompressionParameters:
    """Parameter values in force (central unless overridden) and the relocation support per person."""

    values: Mapping[str, float]

    @classmethod
    def from_rules(cls, rules: CompressionRules, assumptions: ParameterValues | None = None,
                   overrides: Mapping[str, float | str] | None = None) -> CompressionParameters:
        assumptions = assumptions or ParameterValues(load_direction_rules())
        values = {pid: rules.value(pid, overrides) for pid in PARAMETERS}
        values[RELOCATION_COST] = assumptions.value(RELOCATION_COST)
        values[OUTPUT_GAIN] = assumptions.value(OUTPUT_GAIN)
        return cls(values)

    def __getitem__(self, key: str) -> float:
        return self.values[key]

    @property
    def annuity(self) -> float:
        """Present value of one tenge a year for ``appraisal_years`` at ``discount_rate`` (paid at year ends).

        >>> round(CompressionParameters({"appraisal_years": 20, "discount_rate": 0.05}).annuity, 4)
        12.4622
        """
        years, rate = self["appraisal_years"], self["discount_rate"]
        return years if rate == 0 else (1 - (1 + rate) ** -years) / rate


def service_cost(population: np.ndarray | float, params: CompressionParameters) -> np.ndarray:
    """Cost of basic services per resident per year (tenge) in a settlement of ``population`` (module text).

    >>> p = CompressionParameters({"service_cost_base_tenge": 60.0, "per_pupil_cost_tenge": 200.0,
    ...                            "pupils_per_resident": 0.2, "service_cost_premium_small": 0.5,
    ...                            "small_settlement_size": 10.0, "premium_free_size": 1000.0})
    >>> service_cost(np.array([5.0, 100.0, 5000.0]), p).round(2).tolist()
    [150.0, 125.0, 100.0]
    """
    size = np.maximum(np.asarray(population, dtype=float), 1.0)
    small, free = params["small_settlement_size"], params["premium_free_size"]
    position = np.clip(np.log(free / size) / math.log(free / small), 0.0, 1.0)
    base = params["service_cost_base_tenge"] + params["per_pupil_cost_tenge"] * params["pupils_per_resident"]
    return base * (1.0 + params["service_cost_premium_small"] * position)


@dataclass(frozen=True)
class Relocations:
    """A choice of relocations and why it stops where it does."""

    persons: np.ndarray
    value: float
    quota_left: float
    centre_left: np.ndarray
    marginal_quota: float  # mn tenge of value one more national place would add
    marginal_centre: np.ndarray  # per centre, the same for one more place there
    limited_by: list[str]  # per settlement: willing, centre, quota, no_value or ""


def choose_relocations(value: np.ndarray, willing: np.ndarray, centre: np.ndarray, centre_capacity: np.ndarray,
                       quota: float) -> Relocations:
    """The optimal relocations by the greedy rule of the module text.

    ``value`` per person and ``willing`` per settlement; ``centre`` the index of each settlement's receiving
    centre in ``centre_capacity``. Ties go to the settlement listed first.

    >>> r = choose_relocations(np.array([3.0, 2.0, 1.0, -1.0]), np.array([5.0, 5.0, 5.0, 5.0]),
    ...                        np.array([0, 0, 1, 1]), np.array([6.0, 10.0]), quota=8.0)
    >>> r.persons.tolist(), r.value, r.marginal_quota
    ([5.0, 1.0, 2.0, 0.0], 19.0, 1.0)
    """
    n = len(value)
    value = np.asarray(value, dtype=float)
    persons = np.zeros(n)
    left = np.asarray(centre_capacity, dtype=float).copy()
    quota_left = float(quota)
    limited = ["no_value"] * n
    last_taken = None  # the value of the last person the quota let through
    for i in np.argsort(-value, kind="stable"):
        if value[i] <= 0:
            break
        c = centre[i]
        room_centre, room_quota = left[c], quota_left
        take = min(willing[i], room_centre, room_quota)
        persons[i] = take
        left[c] -= take
        quota_left -= take
        if take > 0:
            last_taken = float(value[i])
        limited[i] = "willing" if take >= willing[i] else ("quota" if room_quota <= room_centre else "centre")
    eps = 1e-9
    unserved = (value > 0) & (persons < np.asarray(willing) - eps)
    exhausted = quota_left <= eps
    # one more national place goes to the best unserved settlement whose centre still has room
    open_centre = unserved & (left[centre] > eps)
    marginal_quota = float(value[open_centre].max()) if exhausted and open_centre.any() else 0.0
    # one more place in a full centre goes to its best unserved settlement, displacing (when the quota is used
    # up) the last person the quota let through
    marginal_centre = np.zeros(len(left))
    for c in np.flatnonzero(left <= eps):
        waiting = unserved & (centre == c)
        if waiting.any():
            best = float(value[waiting].max())
            if not exhausted:
                marginal_centre[c] = best
            elif last_taken is not None:
                marginal_centre[c] = max(0.0, best - last_taken)
    return Relocations(persons, float(np.dot(value, persons)), quota_left, left, marginal_quota, marginal_centre,
                       limited)


def choose_relocations_lp(value: np.ndarray, willing: np.ndarray, centre: np.ndarray, centre_capacity: np.ndarray,
                          quota: float) -> tuple[np.ndarray, float]:
    """The same choice as an LP solved by HiGHS (for checking the greedy rule): persons and the optimum."""
    import scipy.sparse as sp

    from engine.allocation.program import LE, MAX, LinearProgram, RowInfo
    from engine.allocation.solve import solve_program

    n = len(value)
    lp = LinearProgram("compression", MAX)
    lp.add_variables([f"x{i}" for i in range(n)], 0.0, [float(w) for w in willing])
    m = len(centre_capacity)
    matrix = sp.csr_matrix((np.ones(n), (centre, np.arange(n))), shape=(m, n))
    lp.add_rows([f"centre{c}" for c in range(m)], matrix, LE, centre_capacity, RowInfo("centre"))
    lp.add_rows(["quota"], sp.csr_matrix(np.ones((1, n))), LE, quota, RowInfo("quota"))
    lp.objective = {f"x{i}": float(v) for i, v in enumerate(value) if v}
    solution = solve_program(lp)
    return lp.vector(solution.values), float(solution.objective or 0.0)


@dataclass(frozen=True, eq=False)
class CompressionPlan:
    """Per settlement: costs, the value of relocating a person, and the persons relocated; totals and why."""

    year: int
    settlements: pd.DataFrame
    parameters: Mapping[str, float]
    totals: dict[str, float]
    binding: list[dict[str, Any]]
    sources: dict[str, str] = field(default_factory=dict)

    def to_json(self, top: int = 20) -> dict[str, Any]:
        moved = self.settlements[self.settlements["relocated"] > 0].sort_values("value_per_person_mn", ascending=False)
        return {"year": self.year, "method": __doc__.strip().split("\n\n")[1:4] if __doc__ else [],
                "parameters": dict(self.parameters), "sources": self.sources, "totals": self.totals,
                "binding": self.binding,
                "settlements_relocating": int((self.settlements["relocated"] > 0).sum()),
                "top": moved.head(top).round(4).to_dict(orient="records"),
                "by_limit": self.settlements["limited_by"].value_counts().to_dict()}


def plan_compression(dataset: Dataset, year: int | None = None, rules: CompressionRules | None = None,
                     assumptions: ParameterValues | None = None, overrides: Mapping[str, float | str] | None = None,
                     services_only: bool = False) -> CompressionPlan:
    """Compare services in place with assisted relocation for every village of a settlement dataset, and
    choose within the quota and the receiving centres' capacity (module text).

    Raises
    ------
    DataValidationError
        When the dataset has no villages with a receiving centre (not a settlement dataset), or no
        population in ``year``.
    """
    rules = rules or load_compression_rules()
    params = CompressionParameters.from_rules(rules, assumptions, overrides)
    if year is None:
        rows = dataset.indicators[dataset.indicators["indicator"] == "population"]
        settlements = dataset.units.index[dataset.units["level"] == "settlement"]
        years = rows.loc[rows["unit_id"].isin(settlements), "year"]
        year = int(years.max()) if len(years) else 0
    units = dataset.units_in_year(year, "settlement")
    population = dataset.values("population", year, "settlement")
    missing = sorted(set(units) - set(population.index))
    if not units or missing:
        raise DataValidationError([problem("dataset", "pr_compression_needs_settlements", None, "population",
                                           ", ".join(missing[:5]) or "no settlements",
                                           year=year)])
    receiving = receiving_units(dataset, units, population)
    kind = dataset.units["kind"].reindex(units)
    senders = [u for u in units if kind[u] == VILLAGE and receiving[u] != u]
    if not senders:
        raise DataValidationError([problem("dataset", "pr_no_receiving_centre", None, "kind", "village")])
    centres = sorted({receiving[u] for u in senders})
    centre_index = {c: i for i, c in enumerate(centres)}
    p = population.loc[senders].to_numpy(dtype=float)
    p_centre = population.loc[centres].to_numpy(dtype=float)
    cost_here = service_cost(p, params)
    cost_centre = service_cost(p_centre, params)
    centre_of = np.array([centre_index[receiving[u]] for u in senders])
    income = dataset.values("grp_per_capita", year, "settlement").reindex(senders).fillna(0.0).to_numpy(dtype=float)
    saving_pv = params.annuity * (cost_here - cost_centre[centre_of]) / 1e6
    gain_pv = np.zeros(len(senders)) if services_only else params.annuity * params[OUTPUT_GAIN] * income / 1e3
    value = saving_pv + gain_pv - params[RELOCATION_COST]
    willing = np.floor(params["willing_share"] * p)
    capacity = np.floor(params["receiving_capacity_share"] * p_centre)
    quota = math.floor(params["relocation_quota_persons"])
    choice = choose_relocations(value, willing, centre_of, capacity, quota)
    table = pd.DataFrame({"unit_id": senders, "population": p, "receiving": [receiving[u] for u in senders],
                          "cost_in_place_tenge": cost_here, "cost_at_centre_tenge": cost_centre[centre_of],
                          "service_saving_pv_mn": saving_pv, "output_gain_pv_mn": gain_pv,
                          "value_per_person_mn": value, "willing": willing, "relocated": choice.persons,
                          "limited_by": choice.limited_by})
    moved = choice.persons
    saving = float(np.dot(moved, cost_here - cost_centre[centre_of]) / 1e9)
    totals = {"villages": len(senders), "receiving_centres": len(centres), "persons_relocated": float(moved.sum()),
              "quota": float(quota), "support_bn_kzt": float(moved.sum() * params[RELOCATION_COST] / 1e3),
              "yearly_service_saving_bn_kzt": saving, "net_value_bn_kzt": choice.value / 1e3,
              "villages_with_positive_value": int((value > 0).sum()),
              "villages_worth_it_on_services_alone": int((saving_pv > params[RELOCATION_COST]).sum()),
              "service_cost_of_those_who_stay_bn_kzt": float(np.dot(p - moved, cost_here) / 1e9)}
    binding = []
    if choice.quota_left <= 1e-9:
        binding.append({"constraint": "relocation_quota_persons", "limit": float(quota),
                        "marginal_value_mn_kzt": choice.marginal_quota,
                        "text": f"The national quota of {quota:,} persons is used up; one more place would add "
                                f"{choice.marginal_quota:.3f} mn tenge of value."})
    for c in np.flatnonzero(choice.centre_left <= 1e-9):
        if capacity[c] > 0 and choice.marginal_centre[c] > 0:
            binding.append({"constraint": "receiving_capacity", "unit_id": centres[c], "limit": float(capacity[c]),
                            "marginal_value_mn_kzt": float(choice.marginal_centre[c]),
                            "text": f"{centres[c]} can house {capacity[c]:,.0f} newcomers this year and is full."})
    sources = {pid: rules.parameters[pid].source.strip() for pid in PARAMETERS}
    sources[RELOCATION_COST] = "rules/directions.yaml: " + RELOCATION_COST
    sources[OUTPUT_GAIN] = "rules/directions.yaml: " + OUTPUT_GAIN + (" (left out: services_only)" if services_only
                                                                        else "")
    return CompressionPlan(year, table, dict(params.values), totals, binding, sources)
