"""Policy rules from ``rules/*.yaml`` as frozen dataclasses, checked on load.

Every file is read with the strict YAML loader (no aliases, no duplicate keys); unknown keys, unknown
kinds and unknown unit ids are errors that name the file and the key, gathered before raising once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from engine.core.errors import Problem, RuleValidationError, problem
from engine.core.i18n import read_local_text
from engine.core.paths import RULES_DIR
from engine.core.yamlio import YamlProblem, read_yaml

BASES = ("sourced", "assumed")


# ---------------------------------------------------------------------------------------------------
# Helpers shared by every rules file
# ---------------------------------------------------------------------------------------------------

def check_keys(mapping: Any, where: str, file: str, problems: list[Problem], *, required: Iterable[str] = (),
               optional: Iterable[str] = ()) -> bool:
    """Check that ``mapping`` is a mapping with the required keys and no unknown ones.

    Returns whether the mapping can be read further (a mapping with every required key).
    """
    if not isinstance(mapping, Mapping):
        problems.append(problem(file, "pr_keys_values", None, where, type(mapping).__name__))
        return False
    required, optional = list(required), list(optional)
    ok = True
    for key in required:
        if key not in mapping:
            problems.append(problem(file, "pr_missing_key", None, f"{where}.{key}" if where else key))
            ok = False
    allowed = set(required) | set(optional)
    for key in mapping:
        if key not in allowed:
            hint = f"; allowed: {', '.join(sorted(allowed))}"
            problems.append(problem(file, "pr_unknown_key", None, f"{where}.{key}" if where else str(key), hint=hint))
    # Unknown keys are reported but do not stop the check of the rest, so every problem is found at once.
    return ok


def load_rules_file(name: str, rules_dir: Path | None = None) -> tuple[Any, str]:
    path = (rules_dir or RULES_DIR) / name
    label = f"rules/{name}" if rules_dir is None else str(path)
    try:
        return read_yaml(path), label
    except YamlProblem as exc:
        raise RuleValidationError([exc.problem(label)]) from None


def name_list(value: Any, allowed: Mapping[str, Any] | tuple[str, ...] | set[str], where: str, file: str,
              problems: list[Problem]) -> tuple[str, ...]:
    """A rules file's non-empty list of names, each one of ``allowed`` and none twice; the known ones kept."""
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        problems.append(problem(file, "pr_list_of_names", None, where, value))
        return ()
    for item in value:
        if item not in allowed:
            problems.append(problem(file, "pr_unknown_name", None, where, item, allowed=', '.join(sorted(allowed))))
    if len(set(value)) != len(value):
        problems.append(problem(file, "pr_name_twice", None, where, ", ".join(value)))
    return tuple(v for v in value if v in allowed)


def text_field(value: Any, where: str, file: str, problems: list[Problem]) -> str:
    """A text of the rules: a string, or the same text in every language (``{en: ..., kk: ..., ru: ...}``)."""
    text = read_local_text(value)
    if text is None:
        problems.append(problem(file, "pr_text_or_three", None, where, value))
        return ""
    return text


_text = text_field


def _number(value: Any, where: str, file: str, problems: list[Problem], *, low: float | None = None,
            high: float | None = None) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        problems.append(problem(file, "pr_must_be_number", None, where, value))
        return float("nan")
    if (low is not None and value < low) or (high is not None and value > high):
        problems.append(problem(file, "pr_between", None, where, value, low=low, high=high))
    return float(value)


# ---------------------------------------------------------------------------------------------------
# Typology: groupings of units and the agglomeration hubs
# ---------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Membership:
    group: str
    basis: str  # "sourced" or "assumed"
    note: str


@dataclass(frozen=True)
class Grouping:
    id: str
    rationale: str
    source: str
    groups: tuple[str, ...]
    members: Mapping[str, Membership]

    def group_of(self, unit_id: str) -> str | None:
        member = self.members.get(unit_id)
        return member.group if member else None


@dataclass(frozen=True)
class Hub:
    unit_id: str
    basis: str
    source: str


@dataclass(frozen=True)
class Typology:
    groupings: Mapping[str, Grouping]
    hubs: tuple[Hub, ...]
    file: str

    @property
    def hub_ids(self) -> tuple[str, ...]:
        return tuple(h.unit_id for h in self.hubs)


def load_typology(known_units: Iterable[str], rules_dir: Path | None = None) -> Typology:
    """Load ``rules/typology.yaml``; unit ids must be among ``known_units``."""
    doc, file = load_rules_file("typology.yaml", rules_dir)
    known = set(known_units)
    problems: list[Problem] = []
    groupings: dict[str, Grouping] = {}
    hubs: list[Hub] = []
    if check_keys(doc, "", file, problems, required=("version", "groupings", "hubs")):
        for gid, spec in (doc["groupings"] or {}).items():
            where = f"groupings.{gid}"
            if not check_keys(spec, where, file, problems, required=("rationale", "source", "groups", "members")):
                continue
            groups = spec["groups"]
            if not isinstance(groups, list) or not all(isinstance(g, str) for g in groups):
                problems.append(problem(file, "pr_list_of_groups", None, f"{where}.groups"))
                continue
            members: dict[str, Membership] = {}
            for unit_id, m in (spec["members"] or {}).items():
                mwhere = f"{where}.members.{unit_id}"
                if unit_id not in known:
                    problems.append(problem(file, "pr_unknown_unit_id", None, mwhere, unit_id))
                    continue
                if not check_keys(m, mwhere, file, problems, required=("group", "basis"), optional=("note",)):
                    continue
                if m["group"] not in groups:
                    problems.append(problem(file, "pr_group_one_of", None, f"{mwhere}.group", m["group"],
                                            allowed=', '.join(groups)))
                if m["basis"] not in BASES:
                    problems.append(problem(file, "pr_basis_sourced_assumed", None, f"{mwhere}.basis", m["basis"]))
                if m["basis"] == "assumed" and not m.get("note"):
                    problems.append(problem(file, "pr_membership_note", None, f"{mwhere}.note"))
                members[unit_id] = Membership(m["group"], m["basis"], str(m.get("note", "")))
            groupings[gid] = Grouping(gid, _text(spec["rationale"], f"{where}.rationale", file, problems),
                                      _text(spec["source"], f"{where}.source", file, problems),
                                      tuple(groups), members)
        for index, h in enumerate(doc["hubs"] or []):
            where = f"hubs[{index}]"
            if not check_keys(h, where, file, problems, required=("unit_id", "basis", "source")):
                continue
            if h["unit_id"] not in known:
                problems.append(problem(file, "pr_unknown_unit_id", None, f"{where}.unit_id", h["unit_id"]))
                continue
            hubs.append(Hub(h["unit_id"], h["basis"], _text(h["source"], f"{where}.source", file, problems)))
    if problems:
        raise RuleValidationError(problems)
    return Typology(groupings, tuple(hubs), file)


# ---------------------------------------------------------------------------------------------------
# Problem regions
# ---------------------------------------------------------------------------------------------------

#: kind -> (comparison, meaning of threshold)
PROBLEM_RULE_KINDS = {
    "below_share_of_national": "value < threshold x national population-weighted mean",
    "above_multiple_of_national": "value > threshold x national population-weighted mean",
    "below_value": "value < threshold",
    "above_value": "value > threshold",
}
COMBINE_MODES = ("any", "all", "at_least")


@dataclass(frozen=True)
class ProblemRule:
    id: str
    kind: str
    indicator: str
    threshold: float
    rationale: str
    source: str
    basis: str
    # Use the nearest earlier year's value when the indicator is missing in the year analysed.
    carry_back_years: int = 0

    def describe(self) -> str:
        return PROBLEM_RULE_KINDS[self.kind].replace("threshold", f"{self.threshold:g}").replace(
            "value", self.indicator, 1)


@dataclass(frozen=True)
class ProblemRuleSet:
    rules: tuple[ProblemRule, ...]
    combine_mode: str
    combine_count: int
    file: str

    def rule(self, rule_id: str) -> ProblemRule:
        return next(r for r in self.rules if r.id == rule_id)


def load_problem_rules(rules_dir: Path | None = None) -> ProblemRuleSet:
    """Load ``rules/problem_regions.yaml``."""
    doc, file = load_rules_file("problem_regions.yaml", rules_dir)
    problems: list[Problem] = []
    rules: list[ProblemRule] = []
    mode, count = "any", 1
    if check_keys(doc, "", file, problems, required=("version", "combine", "rules")):
        combine = doc["combine"]
        if check_keys(combine, "combine", file, problems, required=("mode",), optional=("count", "rationale")):
            mode = combine["mode"]
            if mode not in COMBINE_MODES:
                problems.append(problem(file, "pr_one_of", None, "combine.mode", mode,
                                        allowed=', '.join(COMBINE_MODES)))
            count = int(_number(combine.get("count", 1), "combine.count", file, problems, low=1, high=20))
        seen: set[str] = set()
        for index, r in enumerate(doc["rules"] or []):
            where = f"rules[{index}]"
            if not check_keys(r, where, file, problems,
                              required=("id", "kind", "indicator", "threshold", "rationale", "source", "basis"),
                              optional=("carry_back_years",)):
                continue
            rid = str(r["id"])
            if rid in seen:
                problems.append(problem(file, "pr_duplicate_rule", None, f"{where}.id", rid))
            seen.add(rid)
            if r["kind"] not in PROBLEM_RULE_KINDS:
                problems.append(problem(file, "pr_unknown_kind", None, f"{where}.kind", r["kind"],
                                        allowed=', '.join(PROBLEM_RULE_KINDS)))
                continue
            if r["basis"] not in BASES:
                problems.append(problem(file, "pr_basis_sourced_assumed", None, f"{where}.basis", r["basis"]))
            rules.append(ProblemRule(
                rid, r["kind"], _text(r["indicator"], f"{where}.indicator", file, problems),
                _number(r["threshold"], f"{where}.threshold", file, problems, low=0),
                _text(r["rationale"], f"{where}.rationale", file, problems),
                _text(r["source"], f"{where}.source", file, problems), r["basis"],
                int(_number(r.get("carry_back_years", 0), f"{where}.carry_back_years", file, problems,
                            low=0, high=10))))
        if not rules and not problems:
            problems.append(problem(file, "pr_one_rule", None, "rules"))
    if problems:
        raise RuleValidationError(problems)
    return ProblemRuleSet(tuple(rules), mode, count, file)
