"""The roadmap rules of ``rules/roadmap.yaml``: unit classes, and which part each class x direction goes to.

Every key is checked on load the way :mod:`engine.core.rules` checks its files: unknown keys, kinds, classes,
directions, parts, instruments, actors and priorities are errors naming the file and the key, gathered
before raising once. The classes are tried in the order written (the first whose test a unit meets wins).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from engine.core.context import Context
from engine.core.diagnose import problem_regions_in_year
from engine.core.errors import DataValidationError, Problem, RuleValidationError, problem
from engine.core.message_ids import N_
from engine.core.parameters import DIRECTIONS, DirectionRules
from engine.core.rules import RULES_DIR, check_keys, load_rules_file, name_list, text_field

PARTS = ("equity", "efficiency")
ACTORS = ("government", "business", "population")
PRIORITIES = ("agglomerations", "competitive_advantages", "economic_distance", "living_standards",
              "territorial_justice")
#: class kind -> (required parameters, meaning)
CLASS_KINDS: dict[str, tuple[tuple[str, ...], str]] = {
    "typology_hub": ((), "an agglomeration hub of rules/typology.yaml"),
    "problem_region": ((), "a problem region in the base year under rules/problem_regions.yaml"),
    "below_national_mean": (("indicator", "share"),
                            "indicator below share x the national population-weighted mean in the base year"),
    "otherwise": ((), "every unit no earlier class took"),
}
FILE_NAME = "roadmap.yaml"


@dataclass(frozen=True)
class UnitClass:
    id: str
    kind: str
    rationale: str
    source: str
    indicator: str = ""
    share: float = 1.0


@dataclass(frozen=True)
class DescribedRule:
    """A part or a priority of the roadmap: what it stands for and where that comes from."""

    id: str
    rationale: str
    source: str


PartRule = DescribedRule
PriorityRule = DescribedRule


@dataclass(frozen=True)
class Assignment:
    """One cell of the class x direction table: the roadmap rule behind a measure."""

    id: str
    unit_class: str
    direction: str
    part: str
    instruments: tuple[str, ...]
    actors: tuple[str, ...]
    priorities: tuple[str, ...]
    rationale: str
    source: str


@dataclass(frozen=True)
class RoadmapRules:
    source: str
    parts: Mapping[str, PartRule]
    classes: tuple[UnitClass, ...]
    priorities: Mapping[str, PriorityRule]
    assignments: tuple[Assignment, ...]
    file: str

    def assignment(self, unit_class: str, direction: str) -> Assignment:
        """The rule for ``unit_class`` x ``direction`` (every pair has one; checked on load)."""
        for a in self.assignments:
            if a.unit_class == unit_class and a.direction == direction:
                return a
        raise KeyError(f"{self.file}: no assignment for class {unit_class!r} and direction {direction!r}")

    def part_of(self, unit_class: str, direction: str) -> str:
        return self.assignment(unit_class, direction).part

    @property
    def class_ids(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.classes)


def load_roadmap_rules(rules_dir: Path | None = None, direction_rules: DirectionRules | None = None) -> RoadmapRules:
    """Load and check ``rules/roadmap.yaml``.

    With ``levers`` (from ``rules/directions.yaml``) each instrument is checked against its direction's.

    Raises
    ------
    RuleValidationError
        Listing every problem found, each naming the file and the key.
    """
    doc, file = load_rules_file(FILE_NAME, rules_dir)
    problems: list[Problem] = []
    parts: dict[str, PartRule] = {}
    classes: list[UnitClass] = []
    priorities: dict[str, PriorityRule] = {}
    assignments: list[Assignment] = []
    source = ""
    if check_keys(doc, "", file, problems,
                  required=("version", "source", "parts", "classes", "priorities", "assignments")):
        source = _text(doc["source"], "source", file, problems)
        parts = _described(doc["parts"], "parts", PARTS, file, problems)
        classes = _classes(doc["classes"], file, problems)
        priorities = _described(doc["priorities"], "priorities", PRIORITIES, file, problems)
        assignments = _assignments(doc["assignments"], {c.id for c in classes}, direction_rules, file, problems)
    if problems:
        raise RuleValidationError(problems)
    return RoadmapRules(source, parts, tuple(classes), priorities, tuple(assignments), file)


@lru_cache(maxsize=8)
def _cached_default(mtime_ns: int) -> RoadmapRules:
    return load_roadmap_rules()


def default_roadmap_rules() -> RoadmapRules:
    """``rules/roadmap.yaml`` of the repository, read again only when the file changes."""
    path = RULES_DIR / FILE_NAME
    return _cached_default(path.stat().st_mtime_ns if path.exists() else 0)


def part_of(unit_class: str, direction: str, rules: RoadmapRules | None = None) -> str:
    """The roadmap part (``equity`` or ``efficiency``) of spending on ``direction`` in a unit of ``unit_class``.

    >>> part_of("problem", "agglomeration"), part_of("hub", "agglomeration")
    ('equity', 'efficiency')
    """
    return (rules or default_roadmap_rules()).part_of(unit_class, direction)


def classify_units(ctx: Context, base_year: int, rules: RoadmapRules | None = None,
                   units: list[str] | None = None) -> dict[str, str]:
    """The class of every unit existing in ``base_year`` (or of ``units``): the first class whose test it meets.

    ``below_national_mean``: value < share x sum(value_i pop_i) / sum(pop_i) over the units that have both
    (the population-weighted national level, as the problem-region rules compute it).

    Raises
    ------
    DataValidationError
        When a ``below_national_mean`` class needs an indicator the base year lacks for some unit.
    """
    rules = rules or default_roadmap_rules()
    units = units if units is not None else ctx.dataset.units_in_year(base_year)
    hubs = set(ctx.typology.hub_ids)
    problem_units: set[str] | None = None
    out: dict[str, str] = {}
    problems: list[Problem] = []
    tests: list[tuple[UnitClass, set[str] | None]] = []
    for unit_class in rules.classes:
        if unit_class.kind == "typology_hub":
            tests.append((unit_class, hubs))
        elif unit_class.kind == "problem_region":
            if problem_units is None:
                reasons = problem_regions_in_year(ctx, base_year)
                problem_units = {u for u, r in reasons.items() if r}
            tests.append((unit_class, problem_units))
        elif unit_class.kind == "below_national_mean":
            values = ctx.dataset.values(unit_class.indicator, base_year)
            population = ctx.dataset.values("population", base_year)
            missing = [u for u in units if u not in values.index or u not in population.index]
            if missing:
                problems.append(problem("dataset", "pr_class_needs", None, "unit_id", ", ".join(missing),
                                        class_id=unit_class.id,
                                        indicator=unit_class.indicator,
                                        base_year=base_year))
                continue
            v, p = values.loc[units], population.loc[units]
            national = float((v * p).sum() / p.sum())
            tests.append((unit_class, {u for u in units if float(v[u]) < unit_class.share * national}))
        else:
            tests.append((unit_class, None))
    if problems:
        raise DataValidationError(problems)
    for unit in units:
        for unit_class, members in tests:
            if members is None or unit in members:
                out[unit] = unit_class.id
                break
    return out


# ---------------------------------------------------------------------------------------------------
# Checks
# ---------------------------------------------------------------------------------------------------

def _text(value: Any, where: str, file: str, problems: list[Problem]) -> str:
    return text_field(value, where, file, problems)


def _rationale_source(spec: Mapping[str, Any], where: str, file: str, problems: list[Problem]) -> tuple[str, str]:
    return (_text(spec["rationale"], f"{where}.rationale", file, problems),
            _text(spec["source"], f"{where}.source", file, problems))


def _described(value: Any, section: str, ids: tuple[str, ...], file: str, problems: list[Problem],
               ) -> dict[str, DescribedRule]:
    """``parts`` or ``priorities``: exactly ``ids``, each with its rationale and source."""
    out: dict[str, DescribedRule] = {}
    if not check_keys(value, section, file, problems, required=ids):
        return out
    for rid in ids:
        spec = value[rid]
        where = f"{section}.{rid}"
        if check_keys(spec, where, file, problems, required=("rationale", "source")):
            out[rid] = DescribedRule(rid, *_rationale_source(spec, where, file, problems))
    return out


def _rule_id(spec: Mapping[str, Any], where: str, seen: set[str], duplicate: str, file: str,
             problems: list[Problem]) -> str | None:
    """The ``id`` of a class or an assignment, None when it is not a name; a repeated id is a problem too."""
    rid = spec["id"]
    if not isinstance(rid, str) or not rid.isidentifier():
        problems.append(problem(file, "pr_name_form", None, f"{where}.id", rid))
        return None
    if rid in seen:
        problems.append(problem(file, duplicate, None, f"{where}.id", rid))
    seen.add(rid)
    return rid


def _classes(value: Any, file: str, problems: list[Problem]) -> list[UnitClass]:
    out: list[UnitClass] = []
    if not isinstance(value, list) or not value:
        problems.append(problem(file, "pr_list_of_classes", None, "classes"))
        return out
    seen: set[str] = set()
    for index, spec in enumerate(value):
        where = f"classes[{index}]"
        kind = spec.get("kind") if isinstance(spec, Mapping) else None
        if kind not in CLASS_KINDS:
            problems.append(problem(file, "pr_unknown_kind", None, f"{where}.kind", kind,
                                    allowed=', '.join(CLASS_KINDS)))
            continue
        params = CLASS_KINDS[kind][0]
        if not check_keys(spec, where, file, problems, required=("id", "kind", "rationale", "source", *params)):
            continue
        cid = _rule_id(spec, where, seen, N_("pr_duplicate_class"), file, problems)
        if cid is None:
            continue
        share = 1.0
        if "share" in params:
            raw = spec["share"]
            if isinstance(raw, bool) or not isinstance(raw, int | float) or not 0 < raw <= 5:
                problems.append(problem(file, "pr_number_0_5", None, f"{where}.share", raw))
            else:
                share = float(raw)
        indicator = _text(spec["indicator"], f"{where}.indicator", file, problems) if "indicator" in params else ""
        out.append(UnitClass(cid, kind, *_rationale_source(spec, where, file, problems), indicator, share))
    catch_all = [i for i, c in enumerate(out) if c.kind == "otherwise"]
    if out and (len(catch_all) != 1 or catch_all[0] != len(out) - 1):
        problems.append(problem(file, "pr_otherwise_last", None, "classes"))
    return out


def _assignments(value: Any, class_ids: set[str], direction_rules: DirectionRules | None, file: str,
                 problems: list[Problem],
                 ) -> list[Assignment]:
    out: list[Assignment] = []
    if not isinstance(value, list) or not value:
        problems.append(problem(file, "pr_list_of_assignments", None, "assignments"))
        return out
    seen_ids: set[str] = set()
    cells: dict[tuple[str, str], str] = {}
    required = ("id", "class", "direction", "part", "instruments", "actors", "priorities", "rationale", "source")
    for index, spec in enumerate(value):
        where = f"assignments[{index}]"
        if not check_keys(spec, where, file, problems, required=required):
            continue
        aid = _rule_id(spec, where, seen_ids, N_("pr_duplicate_rule"), file, problems)
        if aid is None:
            continue
        ok = True
        if spec["class"] not in class_ids:
            problems.append(problem(file, "pr_unknown_class", None, f"{where}.class", spec["class"],
                                    defined=', '.join(sorted(class_ids))))
            ok = False
        direction = spec["direction"]
        if direction not in DIRECTIONS:
            problems.append(problem(file, "pr_unknown_direction", None, f"{where}.direction", direction,
                                    allowed=', '.join(DIRECTIONS)))
            ok = False
        if spec["part"] not in PARTS:
            problems.append(problem(file, "pr_unknown_part", None, f"{where}.part", spec["part"],
                                    allowed=', '.join(PARTS)))
            ok = False
        known_instruments: set[str] | None = None
        if direction_rules is not None and direction in direction_rules.directions:
            known_instruments = {i.id for i in direction_rules.directions[direction].instruments}
        if known_instruments is not None:
            instruments = name_list(spec["instruments"], known_instruments, f"{where}.instruments", file, problems)
        else:
            raw = spec["instruments"]
            instruments = tuple(raw) if isinstance(raw, list) and all(isinstance(i, str) for i in raw) else ()
            if not instruments:
                problems.append(problem(file, "pr_list_of_names", None, f"{where}.instruments", raw))
        actors = name_list(spec["actors"], ACTORS, f"{where}.actors", file, problems)
        priorities = name_list(spec["priorities"], PRIORITIES, f"{where}.priorities", file, problems)
        if not ok:
            continue
        cell = (spec["class"], direction)
        if cell in cells:
            problems.append(problem(file, "pr_cell_assigned", None, f"{where}", f"{cell[0]} x {cell[1]}",
                                    rule=cells[cell]))
            continue
        cells[cell] = aid
        out.append(Assignment(aid, spec["class"], direction, spec["part"], instruments, actors, priorities,
                              *_rationale_source(spec, where, file, problems)))
    for class_id in sorted(class_ids):
        for direction in DIRECTIONS:
            if (class_id, direction) not in cells:
                problems.append(problem(file, "pr_no_assignment", None, "assignments", f"{class_id} x {direction}"))
    return out
