"""Workshop rules: participants' priorities, their published aggregate, and the vote on candidates.

Pure functions only; the store (``engine.store``) keeps who submitted what, and the app solves the
scenarios built here with the optimizer.

**Priorities.** A participant states a weight for each of the four directions (agglomeration, peripheral
compression, mobility, interaction) and an equity share (the least share of the budget for Part I, the
equity part of the roadmap). Weights may be given on any scale; they are normalised to shares,
``w_d = raw_d / sum_k raw_k``.

**Aggregate (the published rule): the median.** For each direction ``d`` take the median of the
participants' shares, ``m_d = median_i w_{i,d}``, then renormalise, ``W_d = m_d / sum_k m_k`` (medians of
shares need not sum to 1); when every median is 0 (each participant put everything on a different direction)
the mean shares are used instead. The equity share is the plain median of the participants' equity shares.
Every submission counts once, whatever the role; medians by role are reported beside it for information. The
median is chosen because one participant with an extreme view cannot move it far (for one direction at a
time it is the choice no participant can pull towards themselves by exaggerating, when preferences are
single-peaked); the renormalisation step can move each share by the same factor only.

**From priorities to a scenario.** The weights fix each direction's share of the budget to within
``DIRECTION_TOLERANCE`` (5 percentage points) either way: ``min_d = max(0, s_d - 0.05)``,
``max_d = min(1, s_d + 0.05)`` (rounded to 6 decimals, never past ``s_d`` itself) with ``s_d = W_d``; the equity
share replaces the template's; everything else (budget, horizon, objective, assumptions) stays the template's.
A weight is a statement of priority, not an accounting figure: the band leaves the optimizer room to place money
where it works, while each direction's share stays recognisably the one asked for. Since the shares sum to 1,
the bounds always admit them (``sum min_d <= 1 <= sum max_d``), so they never conflict among themselves.

**Fitting to what the directions can absorb** (optional, when the app passes each direction's absorption
capacity over the horizon, ``cap_d`` bn, as the optimizer's levers give it). A direction cannot usefully take
more than ``c_d = cap_d / B`` of the total budget ``B``; on the default data mobility absorbs about 10% of a
500 bn-a-year budget. Then ``s_d = min(c_d, lambda W_d)`` with ``lambda`` chosen so that ``sum_d s_d = 1``
(water-filling: what a capped direction cannot take goes to the others in proportion to their weights; if
the weighted directions together cannot take it all, the rest goes to directions weighted 0 in proportion
to their capacity). If all directions together absorb less than the budget, ``s_d = c_d`` and the
optimizer reports the scenario infeasible unless it allows unspent money. Example: ``W`` = (2/7, 2/7, 2/7,
1/7) for agglomeration, compression, mobility, interaction with ``c`` = (1, 0.186, 0.104, 1) gives
``s`` = (0.4733, 0.186, 0.104, 0.2367): compression and mobility at capacity, the remaining 0.71 split 2:1.

**Ranking candidates: the Borda count.** Each participant ranks some or all of the ``n`` candidates, best
first. The candidate in position ``k`` (``k = 0`` first) of a ballot earns ``n - 1 - k`` points; a candidate
left off a ballot earns 0 from it. Candidates are ordered by total points; equal points share a rank and
are listed by number of first places, then in the order they were added.

Worked example (three participants)::

    shares          agglomeration  compression  mobility  interaction  equity share
    government          0.5            0.1        0.1        0.3           0.3
    business            0.2            0.5        0.2        0.1           0.6
    population          0.1            0.2        0.6        0.1           0.8
    median m_d          0.2            0.2        0.2        0.1           0.6
    W_d = m_d / 0.7     0.2857         0.2857     0.2857     0.1429

    >>> agg = aggregate_priorities([
    ...     Priorities.of({"agglomeration": 5, "peripheral_compression": 1, "mobility": 1, "interaction": 3}, 0.3),
    ...     Priorities.of({"agglomeration": 2, "peripheral_compression": 5, "mobility": 2, "interaction": 1}, 0.6),
    ...     Priorities.of({"agglomeration": 1, "peripheral_compression": 2, "mobility": 6, "interaction": 1}, 0.8),
    ... ])
    >>> {d: round(w, 4) for d, w in agg.priorities.weights.items()}
    {'agglomeration': 0.2857, 'peripheral_compression': 0.2857, 'mobility': 0.2857, 'interaction': 0.1429}
    >>> agg.priorities.equity_share, agg.count
    (0.6, 3)
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from engine.core.errors import Problem, ProblemsError, problem
from engine.core.parameters import DIRECTIONS
from engine.core.scenario import DirectionBounds, Scenario

ROLES = ("government", "business", "population", "expert")
DIRECTION_TOLERANCE = 0.05
MAX_ALLOCATION_CHANGES = 1000


class PrioritiesError(ProblemsError):
    """Weights, an equity share, allocation changes or a ballot that cannot be accepted."""

    kind = "priorities"


@dataclass(frozen=True)
class Priorities:
    """One set of priorities: direction weights as shares summing to 1, and the equity share."""

    weights: Mapping[str, float]
    equity_share: float

    @classmethod
    def of(cls, weights: Mapping[str, Any], equity_share: Any, where: str = "priorities") -> Priorities:
        """Check raw weights (any non-negative scale) and an equity share, and normalise the weights.

        >>> Priorities.of({"agglomeration": 2, "peripheral_compression": 1, "mobility": 1, "interaction": 0},
        ...               0.5).weights["agglomeration"]
        0.5
        """
        problems: list[Problem] = []
        shares = _check_weights(weights, where, problems)
        if not _is_number(equity_share) or not 0.0 <= float(equity_share) <= 1.0:
            problems.append(problem(where, "pr_share_0_1", None, "equity_share", equity_share))
        if problems:
            raise PrioritiesError(problems)
        return cls(shares, float(equity_share))

    def to_dict(self) -> dict[str, Any]:
        return {"weights": dict(self.weights), "equity_share": self.equity_share}


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _check_weights(weights: Any, where: str, problems: list[Problem]) -> dict[str, float]:
    if not isinstance(weights, Mapping):
        problems.append(problem(where, "pr_weights_mapping", None, "weights", type(weights).__name__))
        return {}
    raw: dict[str, float] = {}
    for key in weights:
        if key not in DIRECTIONS:
            problems.append(problem(where, "pr_unknown_direction", None, f"weights.{key}",
                                    allowed=', '.join(DIRECTIONS)))
    for direction in DIRECTIONS:
        value = weights.get(direction)
        if value is None:
            problems.append(problem(where, "pr_missing_weight", None, f"weights.{direction}"))
        elif not _is_number(value) or value < 0:
            problems.append(problem(where, "pr_number_0_or_more", None, f"weights.{direction}", value))
        else:
            raw[direction] = float(value)
    if len(raw) == len(DIRECTIONS) and not problems:
        total = sum(raw.values())
        if total <= 0:
            problems.append(problem(where, "pr_weight_above_0", None, "weights"))
        else:
            return {d: raw[d] / total for d in DIRECTIONS}
    return {}


@dataclass(frozen=True)
class Aggregate:
    """The median aggregate of ``count`` submissions (see the module docstring for the rule)."""

    priorities: Priorities
    count: int
    raw_medians: Mapping[str, float]
    by_role: Mapping[str, Priorities] = field(default_factory=dict)
    rule: str = ("median of each direction's share, renormalised to sum to 1 (mean shares if every median is 0); "
                 "median equity share")

    def to_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "count": self.count, **self.priorities.to_dict(),
                "raw_medians": dict(self.raw_medians),
                "by_role": {role: p.to_dict() for role, p in self.by_role.items()}}


def aggregate_priorities(submissions: Sequence[Priorities], roles: Sequence[str] | None = None) -> Aggregate:
    """Aggregate submissions by the published median rule.

    ``W_d = m_d / sum_k m_k`` with ``m_d = median_i w_{i,d}``; equity share ``median_i e_i``. When
    ``roles`` (one per submission) is given, the same rule is also applied within each role.

    >>> one = Priorities.of({"agglomeration": 1, "peripheral_compression": 0, "mobility": 0, "interaction": 0}, 1)
    >>> aggregate_priorities([one]).priorities == one
    True
    """
    if not submissions:
        raise PrioritiesError([problem("aggregate", "pr_no_submissions")])
    if roles is not None and len(roles) != len(submissions):
        raise ValueError("one role per submission is needed")
    medians = {d: float(statistics.median(p.weights[d] for p in submissions)) for d in DIRECTIONS}
    total = sum(medians.values())
    if total > 0:
        weights = {d: medians[d] / total for d in DIRECTIONS}
    else:  # each participant put everything on a different direction: no median is above 0
        weights = {d: float(statistics.fmean(p.weights[d] for p in submissions)) for d in DIRECTIONS}
    equity = float(statistics.median(p.equity_share for p in submissions))
    by_role: dict[str, Priorities] = {}
    if roles is not None:
        for role in dict.fromkeys(roles):
            group = [p for p, r in zip(submissions, roles, strict=True) if r == role]
            by_role[role] = aggregate_priorities(group).priorities
    return Aggregate(Priorities(weights, equity), len(submissions), medians, by_role)


def fit_to_capacity(weights: Mapping[str, float], capacity_share: Mapping[str, float]) -> dict[str, float]:
    """Shares ``s_d = min(c_d, lambda W_d)`` summing to 1 (water-filling; see the module text).

    ``weights`` are shares summing to 1; ``capacity_share`` is each direction's absorption capacity as a
    share of the budget (a direction left out has no limit).

    >>> s = fit_to_capacity({"agglomeration": 2/7, "peripheral_compression": 2/7, "mobility": 2/7,
    ...                      "interaction": 1/7}, {"peripheral_compression": 0.186, "mobility": 0.104})
    >>> {d: round(v, 4) for d, v in s.items()}
    {'agglomeration': 0.4733, 'peripheral_compression': 0.186, 'mobility': 0.104, 'interaction': 0.2367}
    """
    cap = {d: max(0.0, float(capacity_share.get(d, math.inf))) for d in weights}
    shares = dict.fromkeys(weights, 0.0)
    remaining = 1.0
    # first the weighted directions by their weights, then the others by their capacity
    for pool in ({d: w for d, w in weights.items() if w > 0},
                 {d: min(cap[d], 1.0) for d, w in weights.items() if w <= 0}):
        free = {d: w for d, w in pool.items() if w > 0}
        while free and remaining > 1e-12:
            total = sum(free.values())
            # remaining x (w / total), not (remaining / total) x w, which overflows for tiny weights
            offer = {d: remaining * (w / total) for d, w in free.items()}
            capped = [d for d in free if offer[d] >= cap[d]]
            if not capped:
                shares.update(offer)
                remaining = 0.0
                break
            for d in capped:
                shares[d] = cap[d]
                remaining -= cap[d]
                del free[d]
    return shares


def compute_direction_capacity(forms: Any, years: Iterable[int]) -> dict[str, float]:
    """Each direction's absorption capacity (bn tenge) over ``years``: its levers' capacities summed.

    ``forms`` is the optimizer's linear forms (``engine.allocation.run.prepare(ctx, scenario).forms``), whose
    levers carry ``directions_of``, ``years_of`` and ``capacity`` (the top of each concave segment, from
    ``rules/directions.yaml``). Pass the result as ``capacity_bn_kzt``.
    """
    wanted = set(years)
    out = dict.fromkeys(DIRECTIONS, 0.0)
    for k in range(len(forms.names)):
        if forms.years_of[k] in wanted:
            out[forms.directions_of[k]] += float(forms.capacity[k])
    return out


def scenario_for_priorities(template: Scenario, weights: Mapping[str, float], equity_share: float,
                            tolerance: float = DIRECTION_TOLERANCE, name: str | None = None,
                            capacity_bn_kzt: Mapping[str, float] | None = None) -> Scenario:
    """The template scenario with direction bounds and equity share set from priorities.

    ``min_d = max(0, s_d - tolerance)``, ``max_d = min(1, s_d + tolerance)`` with ``s`` the normalised
    weights, or, when ``capacity_bn_kzt`` (each direction's absorption capacity over the horizon, bn) is
    given, the weights fitted to it by :func:`fit_to_capacity`. ``equity_share`` replaces the template's.
    Budget, horizon, objective and assumptions are kept.

    >>> from engine.core.scenario import scenario_from_text
    >>> template = scenario_from_text(
    ...     "{name: T, base_year: 2024, horizon: [2025, 2030], budget_bn_kzt: 500, objective: maximin, "
    ...     "equity_share: 0.5}")
    >>> s = scenario_for_priorities(template, {"agglomeration": 0.5, "peripheral_compression": 0.2,
    ...                             "mobility": 0.3, "interaction": 0.0}, 0.7)
    >>> s.bounds("agglomeration"), s.bounds("interaction").max, s.equity_share
    (DirectionBounds(min=0.45, max=0.55), 0.05, 0.7)
    >>> fitted = scenario_for_priorities(template, {"agglomeration": 0.5, "peripheral_compression": 0.2,
    ...                                  "mobility": 0.3, "interaction": 0.0}, 0.7, capacity_bn_kzt={"mobility": 300})
    >>> fitted.bounds("mobility").max, fitted.bounds("agglomeration").max
    (0.15, 0.692857)
    """
    if not 0.0 <= tolerance <= 1.0:
        raise ValueError("tolerance must be a share between 0 and 1")
    priorities = Priorities.of(weights, equity_share)
    shares = dict(priorities.weights)
    fitted = ""
    # shares of the years still open: a revised plan's spent years are held (engine.core.progress)
    if capacity_bn_kzt is not None and template.open_budget > 0:
        shares = fit_to_capacity(shares, {d: float(c) / template.open_budget for d, c in capacity_bn_kzt.items()})
        moved = [d for d in DIRECTIONS if abs(shares[d] - priorities.weights[d]) > 5e-4]
        if moved:
            fitted = (" Fitted to what the directions can absorb: "
                      + ", ".join(f"{d} {shares[d]:.0%}" for d in moved) + ".")
    # rounded to 6 decimals for readable files, but never so far that the share itself is excluded
    bounds = {d: DirectionBounds(min(w, round(max(0.0, w - tolerance), 6)), max(w, round(min(1.0, w + tolerance), 6)))
              for d, w in shares.items()}
    shown = ", ".join(f"{d} {w:.0%}" for d, w in priorities.weights.items())
    note = (f"Direction shares from priorities ({shown}; each within ±{tolerance:.0%}), "
            f"equity share {priorities.equity_share:.0%}.{fitted}")
    description = f"{template.description}\n{note}".strip() if template.description else note
    return template.replace(name=(name or template.name)[:200], directions=bounds,
                            equity_share=priorities.equity_share, description=description)


def apply_budget(template: Scenario, yearly_budget_bn_kzt: float | None) -> Scenario:
    """The template with the same budget (bn tenge) in every horizon year, or unchanged when None."""
    if yearly_budget_bn_kzt is None:
        return template
    return template.replace(budget_bn_kzt=dict.fromkeys(template.years, float(yearly_budget_bn_kzt)))


H = TypeVar("H", bound=Hashable)


@dataclass(frozen=True)
class BordaRow(Generic[H]):
    candidate: H
    points: int
    first_places: int
    rank: int
    tied: bool


def borda_count(ballots: Iterable[Sequence[H]], candidates: Sequence[H]) -> list[BordaRow[H]]:
    """Rank ``candidates`` by the Borda count of ``ballots`` (each a ranking, best first).

    Position ``k`` on a ballot earns ``n - 1 - k`` points (``n`` candidates); unranked candidates earn 0.
    Equal points share a rank and are listed by first places, then in the given candidate order.

    Worked example: candidates A, B, C; two ballots A>B>C, two B>C>A, one C>B>A. Points: A = 2 + 2 = 4,
    B = 1 + 1 + 2 + 2 + 1 = 7, C = 1 + 1 + 2 = 4; B wins, A and C share rank 2 (A has more first places).

    >>> rows = borda_count([["A", "B", "C"]] * 2 + [["B", "C", "A"]] * 2 + [["C", "B", "A"]], ["A", "B", "C"])
    >>> [(r.candidate, r.points, r.rank, r.tied) for r in rows]
    [('B', 7, 1, False), ('A', 4, 2, True), ('C', 4, 2, True)]
    """
    order = {c: i for i, c in enumerate(candidates)}
    if len(order) != len(candidates):
        raise ValueError("candidates must be distinct")
    n = len(candidates)
    points = dict.fromkeys(candidates, 0)
    firsts = dict.fromkeys(candidates, 0)
    for number, ballot in enumerate(ballots, start=1):
        check_ballot(ballot, candidates, f"ballot {number}")
        for k, candidate in enumerate(ballot):
            points[candidate] += n - 1 - k
        if ballot:
            firsts[ballot[0]] += 1
    listed = sorted(candidates, key=lambda c: (-points[c], -firsts[c], order[c]))
    counts: dict[int, int] = {}
    for c in candidates:
        counts[points[c]] = counts.get(points[c], 0) + 1
    rows = []
    for c in listed:
        rank = 1 + sum(1 for other in candidates if points[other] > points[c])
        rows.append(BordaRow(c, points[c], firsts[c], rank, counts[points[c]] > 1))
    return rows


def check_ballot(ballot: Sequence[Hashable], candidates: Sequence[Hashable], where: str = "ballot") -> None:
    """Refuse a ballot that is empty, repeats a candidate or names an unknown one."""
    problems: list[Problem] = []
    known = set(candidates)
    if not ballot:
        problems.append(problem(where, "pr_rank_one"))
    seen: set[Hashable] = set()
    for position, candidate in enumerate(ballot, start=1):
        if candidate not in known:
            problems.append(problem(where, "pr_unknown_candidate", position, None, candidate))
        elif candidate in seen:
            problems.append(problem(where, "pr_ranked_twice", position, None, candidate))
        seen.add(candidate)
    if problems:
        raise PrioritiesError(problems)


ALLOCATION_CHANGE_KEYS = ("unit_id", "direction", "year", "change_bn_kzt", "note")


def check_allocation_changes(changes: Any, where: str = "allocation_changes") -> list[dict[str, Any]]:
    """Check a participant's optional changes to the allocation and return them in a canonical form.

    Each change is ``{unit_id, direction, change_bn_kzt, year?, note?}``: add (or, when negative, take
    away) ``change_bn_kzt`` billion tenge for that unit and direction, in ``year`` or in every horizon
    year when no year is given. The app applies them to the participant's plan; here they are checked.
    """
    if changes is None:
        return []
    problems: list[Problem] = []
    if not isinstance(changes, Sequence) or isinstance(changes, str | bytes):
        raise PrioritiesError([problem(where, "pr_list_of_changes", None, None, type(changes).__name__)])
    if len(changes) > MAX_ALLOCATION_CHANGES:
        raise PrioritiesError([problem(where, "pr_at_most_changes", None, None, len(changes),
                                       most=MAX_ALLOCATION_CHANGES)])
    out = []
    for row, change in enumerate(changes, start=1):
        if not isinstance(change, Mapping):
            problems.append(problem(where, "pr_must_be_mapping", row, None, type(change).__name__))
            continue
        for key in change:
            if key not in ALLOCATION_CHANGE_KEYS:
                problems.append(problem(where, "pr_unknown_key_plain", row, str(key)))
        unit: Any = change.get("unit_id")
        direction: Any = change.get("direction")
        year: Any = change.get("year")
        amount: Any = change.get("change_bn_kzt")
        note: Any = change.get("note", "")
        if not isinstance(unit, str) or not unit.strip() or len(unit) > 100:
            problems.append(problem(where, "pr_must_be_unit_id", row, "unit_id", unit))
        if direction not in DIRECTIONS:
            problems.append(problem(where, "pr_one_of", row, "direction", direction, allowed=', '.join(DIRECTIONS)))
        if year is not None and (isinstance(year, bool) or not isinstance(year, int) or not 1990 <= year <= 2100):
            problems.append(problem(where, "pr_year_1990_2100", row, "year", year))
        if not _is_number(amount) or abs(amount) > 100_000:
            problems.append(problem(where, "pr_change_bn", row, "change_bn_kzt", amount))
        if not isinstance(note, str) or len(note) > 500:
            problems.append(problem(where, "pr_text_500", row, "note"))
        clean = {"unit_id": unit, "direction": direction, "year": year, "change_bn_kzt": amount}
        if note:
            clean["note"] = note
        out.append(clean)
    if problems:
        raise PrioritiesError(problems)
    return [{**c, "change_bn_kzt": float(c["change_bn_kzt"])} for c in out]
