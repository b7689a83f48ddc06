"""Scenario files: what a planner asks of the optimizer, as YAML.

Every key is checked; an unknown key (``budjet``), a bad value or an unsafe YAML document is refused
with a message naming the key. The app writes the same format with :meth:`Scenario.to_yaml`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from engine.core.errors import Problem, ScenarioError, problem
from engine.core.i18n import Text
from engine.core.message_ids import N_
from engine.core.parameters import DIRECTIONS, DirectionRules, check_override
from engine.core.progress import Progress, parse_progress
from engine.core.yamlio import YamlProblem, parse_yaml, read_yaml

OBJECTIVES = ("max_min_ratio", "maximin", "shortfall", "problem_regions", "share_below", "national_growth", "blend")
#: The indicators a scenario can plan on (``indicator``): GRP per capita, and the same less mining value added
#: (section B), the part of output regional policy can move. The response model writes its effects in either.
INDICATORS = ("grp_per_capita", "grp_per_capita_nonmining")
DEFAULT_INDICATOR = INDICATORS[0]
REQUIRED_KEYS = ("name", "base_year", "horizon", "budget_bn_kzt", "objective", "equity_share")
OPTIONAL_KEYS = ("description", "directions", "unit_caps_bn_kzt", "equity_weight", "allow_unspent", "assumptions",
                 "data", "shortfall_threshold", "indicator", "score", "name_kk", "name_ru", "description_kk",
                 "description_ru", "progress")
#: The languages a scenario may name and describe itself in besides ``name``/``description`` (``name_kk``...)
TEXT_LANGUAGES = ("kk", "ru")
#: How the metrics at the horizon's last year are scored: ``lasting`` leaves out the demand impulse of that
#: year's spending, which fades the year after (engine.allocation.forms, "What lasts"); ``last_year`` keeps it.
SCORES = ("lasting", "last_year")
MAX_HORIZON_YEARS = 15
MAX_YEARLY_BUDGET_BN = 100_000.0  # well above Kazakhstan's whole state budget; catches unit slips (tenge for bn)


@dataclass(frozen=True)
class DirectionBounds:
    min: float = 0.0
    max: float = 1.0


@dataclass(frozen=True)
class Scenario:
    name: str
    base_year: int
    horizon: tuple[int, int]
    budget_bn_kzt: Mapping[int, float]
    objective: str
    equity_share: float
    directions: Mapping[str, DirectionBounds] = field(default_factory=dict)
    unit_caps_bn_kzt: Mapping[str, float] = field(default_factory=dict)
    equity_weight: float = 0.5
    allow_unspent: bool = False
    assumptions: Mapping[str, float | str] = field(default_factory=dict)
    data: str | None = None
    shortfall_threshold: float = 0.75
    description: str = ""
    indicator: str = DEFAULT_INDICATOR
    score: str = "lasting"
    #: the name and description in other languages (``name_kk``, ``description_ru``...), by language
    names: Mapping[str, str] = field(default_factory=dict)
    descriptions: Mapping[str, str] = field(default_factory=dict)
    #: what was spent and observed up to a year (engine.core.progress): those years are held as they were
    progress: Progress | None = None

    def __post_init__(self) -> None:
        if self.progress is not None:
            # a year already spent has spent what it spent: its budget is that total, whatever else changes
            spent = self.progress.spent_by_year()
            budget = {int(y): (spent.get(int(y), 0.0) if int(y) <= self.progress.as_of else float(v))
                      for y, v in self.budget_bn_kzt.items()}
            object.__setattr__(self, "budget_bn_kzt", budget)

    def title(self, lang: str = "en") -> str:
        """The scenario's name in ``lang`` (its ``name`` when it has none in that language)."""
        return self.names.get(lang) or self.name

    def about(self, lang: str = "en") -> str:
        """The scenario's description in ``lang`` (its ``description`` when it has none in that language)."""
        return self.descriptions.get(lang) or self.description

    @property
    def first_year(self) -> int:
        """The first year of the horizon (the first year with spending)."""
        return self.horizon[0]

    @property
    def last_year(self) -> int:
        """The last year of the horizon: the year both criteria are judged in."""
        return self.horizon[1]

    @property
    def years(self) -> list[int]:
        return list(range(self.first_year, self.last_year + 1))

    @property
    def total_budget(self) -> float:
        return float(sum(self.budget_bn_kzt.values()))

    @property
    def open_years(self) -> list[int]:
        """The years a solve chooses: those after ``progress.as_of`` (the years before are held as spent)."""
        held = self.progress.as_of if self.progress is not None else self.first_year - 1
        return [y for y in self.years if y > held]

    @property
    def open_budget(self) -> float:
        """The budget of :attr:`open_years`: what direction shares and the equity share are shares of."""
        return float(sum(self.budget_bn_kzt[y] for y in self.open_years))

    def bounds(self, direction: str) -> DirectionBounds:
        return self.directions.get(direction, DirectionBounds())

    def replace(self, **changes: Any) -> Scenario:
        from dataclasses import replace

        return replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "name": self.name, "base_year": self.base_year, "horizon": list(self.horizon),
            "budget_bn_kzt": {int(y): float(v) for y, v in sorted(self.budget_bn_kzt.items())},
            "objective": self.objective, "equity_share": self.equity_share,
        }
        if self.description:
            out["description"] = self.description
        for lang in TEXT_LANGUAGES:
            if self.names.get(lang):
                out[f"name_{lang}"] = self.names[lang]
            if self.descriptions.get(lang):
                out[f"description_{lang}"] = self.descriptions[lang]
        if self.directions:
            out["directions"] = {d: {"min": b.min, "max": b.max} for d, b in self.directions.items()}
        if self.unit_caps_bn_kzt:
            out["unit_caps_bn_kzt"] = dict(self.unit_caps_bn_kzt)
        if self.objective == "blend" or self.equity_weight != 0.5:
            out["equity_weight"] = self.equity_weight
        if self.allow_unspent:
            out["allow_unspent"] = True
        if self.assumptions:
            out["assumptions"] = dict(self.assumptions)
        if self.data:
            out["data"] = self.data
        if self.shortfall_threshold != 0.75:
            out["shortfall_threshold"] = self.shortfall_threshold
        if self.indicator != DEFAULT_INDICATOR:
            out["indicator"] = self.indicator
        if self.score != "lasting":
            out["score"] = self.score
        if self.progress is not None:
            out["progress"] = self.progress.to_dict()
        return out

    def to_yaml(self) -> str:
        return yaml.safe_dump(self.to_dict(), allow_unicode=True, sort_keys=False)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _year(value: Any, key: str, name: str, problems: list[Problem]) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int) or not 1990 <= value <= 2100:
        problems.append(problem(name, "pr_year_1990_2100", None, key, value))
        return None
    return value


def _share(value: Any, key: str, name: str, problems: list[Problem]) -> float:
    if not _is_number(value) or not 0.0 <= float(value) <= 1.0:
        problems.append(problem(name, "pr_share_0_1", None, key, value))
        return 0.0
    return float(value)


def parse_scenario(doc: Any, name: str, direction_rules: DirectionRules | None = None,
                   known_units: set[str] | None = None,
                   base_dir: Path | None = None) -> Scenario:
    """Check a parsed scenario document and build a :class:`Scenario`.

    ``levers`` (to check assumption overrides) and ``known_units`` (to check unit caps) are optional;
    without them those keys are checked for shape only.
    """
    problems: list[Problem] = []
    if not isinstance(doc, Mapping):
        raise ScenarioError([problem(name, "pr_scenario_mapping", None, None, type(doc).__name__)])
    for key in doc:
        if key not in REQUIRED_KEYS + OPTIONAL_KEYS:
            close = [k for k in REQUIRED_KEYS + OPTIONAL_KEYS if _similar(str(key), k)]
            hint = Text("pr_did_you_mean", {"name": close[0]}) if close else ""
            problems.append(problem(name, "pr_unknown_key", None, str(key), hint=hint))
    for key in REQUIRED_KEYS:
        if key not in doc:
            problems.append(problem(name, "pr_missing_key", None, key))
    if problems:
        raise ScenarioError(problems)

    title = doc["name"]
    if not isinstance(title, str) or not title.strip() or len(title) > 200:
        problems.append(problem(name, "pr_name_text", None, "name", title))
    base_year = _year(doc["base_year"], "base_year", name, problems)
    horizon_raw = doc["horizon"]
    horizon: tuple[int, int] | None = None
    if (not isinstance(horizon_raw, list) or len(horizon_raw) != 2):
        problems.append(problem(name, "pr_horizon_form", None, "horizon", horizon_raw))
    else:
        first = _year(horizon_raw[0], "horizon[0]", name, problems)
        last = _year(horizon_raw[1], "horizon[1]", name, problems)
        if first is not None and last is not None:
            if last < first:
                problems.append(problem(name, "pr_horizon_order", None, "horizon", horizon_raw))
            elif last - first + 1 > MAX_HORIZON_YEARS:
                problems.append(problem(name, "pr_at_most_years", None, "horizon", horizon_raw, most=MAX_HORIZON_YEARS))
            elif base_year is not None and first <= base_year:
                problems.append(problem(name, "pr_horizon_after_base", None, "horizon", horizon_raw))
            else:
                horizon = (first, last)
    budget = _budget(doc["budget_bn_kzt"], horizon, name, problems)
    objective = doc["objective"]
    if objective not in OBJECTIVES:
        problems.append(problem(name, "pr_one_of", None, "objective", objective, allowed=", ".join(OBJECTIVES)))
    equity_share = _share(doc["equity_share"], "equity_share", name, problems)
    directions = _directions(doc.get("directions") or {}, name, problems)
    caps = _caps(doc.get("unit_caps_bn_kzt") or {}, name, problems, known_units)
    equity_weight = _share(doc.get("equity_weight", 0.5), "equity_weight", name, problems)
    allow_unspent = doc.get("allow_unspent", False)
    if not isinstance(allow_unspent, bool):
        problems.append(problem(name, "pr_true_false", None, "allow_unspent", allow_unspent))
    assumptions = _assumptions(doc.get("assumptions") or {}, name, problems, direction_rules)
    data = doc.get("data")
    if data is not None:
        if not isinstance(data, str) or not data.strip():
            problems.append(problem(name, "pr_dataset_path", None, "data", data))
        else:
            folder = Path(data) if Path(data).is_absolute() or base_dir is None else base_dir / data
            if not folder.is_dir():
                problems.append(problem(name, "pr_dataset_not_found", None, "data", data))
            data = str(folder)
    threshold = doc.get("shortfall_threshold", 0.75)
    if not _is_number(threshold) or not 0.0 < float(threshold) <= 2.0:
        problems.append(problem(name, "pr_number_0_2", None, "shortfall_threshold", threshold))
    indicator = doc.get("indicator", DEFAULT_INDICATOR)
    if indicator not in INDICATORS:
        problems.append(problem(name, "pr_one_of", None, "indicator", indicator, allowed=", ".join(INDICATORS)))
    score = doc.get("score", "lasting")
    if score not in SCORES:
        problems.append(problem(name, "pr_one_of", None, "score", score, allowed=", ".join(SCORES)))
    description = doc.get("description", "")
    if not isinstance(description, str):
        problems.append(problem(name, "pr_must_be_text", None, "description", description))
    texts: dict[str, dict[str, str]] = {"name": {}, "description": {}}
    for key, lang in ((k, lang) for k in texts for lang in TEXT_LANGUAGES):
        value = doc.get(f"{key}_{lang}")
        if value is None:
            continue
        if not isinstance(value, str) or (key == "name" and not value.strip()):
            problems.append(problem(name, "pr_must_be_text", None, f"{key}_{lang}", value))
        else:
            texts[key][lang] = value.strip()
    progress = parse_progress(doc.get("progress"), name, problems, horizon, base_year, known_units)
    if problems:
        raise ScenarioError(problems)
    assert base_year is not None and horizon is not None
    return Scenario(title.strip(), base_year, horizon, budget, objective, equity_share, directions, caps,
                    equity_weight, allow_unspent, assumptions, data, float(threshold), description, indicator,
                    score, texts["name"], texts["description"], progress)


def _similar(a: str, b: str) -> bool:
    """Rough similarity for a 'did you mean' hint: same first letter and few differing letters."""
    if not a or a[0] != b[0]:
        return False
    import difflib

    return difflib.SequenceMatcher(None, a, b).ratio() >= 0.7


def _budget(value: Any, horizon: tuple[int, int] | None, name: str, problems: list[Problem]) -> dict[int, float]:
    if horizon is None:
        return {}
    years = list(range(horizon[0], horizon[1] + 1))
    if _is_number(value):
        amounts = dict.fromkeys(years, float(value))
    elif isinstance(value, Mapping):
        amounts = {}
        for year, amount in value.items():
            if not isinstance(year, int) or isinstance(year, bool) or year not in years:
                problems.append(problem(name, "pr_budget_year_outside", None, f"budget_bn_kzt.{year}", year,
                                        first=horizon[0], last=horizon[1]))
                continue
            if not _is_number(amount):
                problems.append(problem(name, "pr_bn_number", None, f"budget_bn_kzt.{year}", amount))
                continue
            amounts[year] = float(amount)
        for year in years:
            if year not in value:
                problems.append(problem(name, "pr_no_budget_year", None, f"budget_bn_kzt.{year}"))
    else:
        problems.append(problem(name, "pr_budget_form", None, "budget_bn_kzt", value))
        return {}
    for year, amount in amounts.items():
        if amount != amount or amount < 0 or amount > MAX_YEARLY_BUDGET_BN:
            problems.append(problem(name, "pr_budget_range", None, f"budget_bn_kzt.{year}", amount,
                                    most=f"{MAX_YEARLY_BUDGET_BN:,.0f}"))
    return amounts


def _items(value: Any, column: str, message: str, name: str, problems: list[Problem]) -> list[tuple[Any, Any]]:
    """The entries of a section that must be a mapping; none, and the message id ``message`` as a problem, when
    it is not."""
    if not isinstance(value, Mapping):
        problems.append(problem(name, message, None, column))
        return []
    return list(value.items())


def _directions(value: Any, name: str, problems: list[Problem]) -> dict[str, DirectionBounds]:
    out = {}
    for direction, bounds in _items(value, "directions", N_("pr_map_directions"), name, problems):
        key = f"directions.{direction}"
        if direction not in DIRECTIONS:
            problems.append(problem(name, "pr_unknown_direction", None, key, allowed=", ".join(DIRECTIONS)))
            continue
        if not isinstance(bounds, Mapping) or set(bounds) - {"min", "max"}:
            problems.append(problem(name, "pr_bounds_form", None, key, bounds, form="{min: share, max: share}"))
            continue
        low = _share(bounds.get("min", 0.0), f"{key}.min", name, problems)
        high = _share(bounds.get("max", 1.0), f"{key}.max", name, problems)
        if low > high:
            problems.append(problem(name, "pr_min_above_max", None, key, f"{low} > {high}"))
        out[direction] = DirectionBounds(low, high)
    return out


def _caps(value: Any, name: str, problems: list[Problem], known_units: set[str] | None) -> dict[str, float]:
    out = {}
    for unit_id, cap in _items(value, "unit_caps_bn_kzt", N_("pr_map_unit_caps"), name,
                               problems):
        key = f"unit_caps_bn_kzt.{unit_id}"
        if known_units is not None and unit_id not in known_units:
            problems.append(problem(name, "pr_unknown_unit_id", None, key, unit_id))
            continue
        if not _is_number(cap) or cap < 0:
            problems.append(problem(name, "pr_bn_non_negative", None, key, cap))
            continue
        out[str(unit_id)] = float(cap)
    return out


def _assumptions(value: Any, name: str, problems: list[Problem], direction_rules: DirectionRules | None,
                 ) -> dict[str, float | str]:
    out: dict[str, float | str] = {}
    for key, override in _items(value, "assumptions", N_("pr_map_assumptions"), name, problems):
        if direction_rules is not None:
            reason = check_override(direction_rules, str(key), override)
            if reason:
                problems.append(problem(name, reason.key, None, f"assumptions.{key}", override, **reason.values))
                continue
        out[str(key)] = override if isinstance(override, str) else float(override)
    return out


def load_scenario(path: Path | str, direction_rules: DirectionRules | None = None,
                  known_units: set[str] | None = None) -> Scenario:
    """Read and check a scenario file."""
    path = Path(path)
    try:
        doc = read_yaml(path)
    except YamlProblem as exc:
        raise ScenarioError([exc.problem(str(path))]) from None
    return parse_scenario(doc, str(path), direction_rules, known_units, base_dir=path.parent)


def scenario_from_text(text: str, name: str = "scenario", direction_rules: DirectionRules | None = None,
                       known_units: set[str] | None = None) -> Scenario:
    try:
        doc = parse_yaml(text, name)
    except YamlProblem as exc:
        raise ScenarioError([exc.problem(name)]) from None
    return parse_scenario(doc, name, direction_rules, known_units)
