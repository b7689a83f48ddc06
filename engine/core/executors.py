"""The executors of the roadmap's action plan (``rules/executors.yaml``): who carries out each direction's
measures, the form each instrument is completed in, and the financing sources.

Checked on load like every rules file: unknown or missing keys, directions, ministries, forms, financing
sources and instruments are errors naming the file and the key, gathered before raising once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from engine.core.errors import Problem, RuleValidationError, problem
from engine.core.i18n import LANGUAGES
from engine.core.parameters import DIRECTIONS, DirectionRules
from engine.core.rules import RULES_DIR, check_keys, load_rules_file, name_list, text_field

FILE_NAME = "executors.yaml"
BASES = ("sourced", "assumption")
FINANCING = ("republican_budget", "local_budget", "private")


@dataclass(frozen=True)
class Ministry:
    id: str
    names: Mapping[str, str]
    short: Mapping[str, str]
    source: str


@dataclass(frozen=True)
class DirectionExecutors:
    direction: str
    ministries: tuple[str, ...]  # the first one leads
    financing: tuple[str, ...]
    basis: str
    source: str


@dataclass(frozen=True)
class Executors:
    akimat: Mapping[str, str]  # language -> pattern with {region}
    akimat_source: str
    ministries: Mapping[str, Ministry]
    forms: Mapping[str, Mapping[str, str]]
    financing: Mapping[str, Mapping[str, str]]
    deadline_quarter: int
    directions: Mapping[str, DirectionExecutors]
    instruments: Mapping[str, str]  # instrument id -> form id
    file: str

    def akimat_name(self, region: str, lang: str) -> str:
        return self.akimat[lang].replace("{region}", region)

    def form_name(self, instrument: str, lang: str) -> str:
        return self.forms[self.instruments[instrument]][lang]


def _languages(value: Any, where: str, file: str, problems: list[Problem]) -> dict[str, str]:
    """A text in each of kk, ru and en (every one non-empty)."""
    if not check_keys(value, where, file, problems, required=LANGUAGES):
        return {lang: "" for lang in LANGUAGES}
    out = {}
    for lang in LANGUAGES:
        text = value[lang]
        if not isinstance(text, str) or not text.strip():
            problems.append(problem(file, "pr_non_empty_text", None, f"{where}.{lang}", text))
        out[lang] = " ".join(str(text).split())
    return out


def _named(value: Any, section: str, file: str, problems: list[Problem]) -> dict[str, dict[str, str]]:
    if not isinstance(value, Mapping) or not value:
        problems.append(problem(file, "pr_texts_mapping", None, section))
        return {}
    return {str(k): _languages(v, f"{section}.{k}", file, problems) for k, v in value.items()}


def load_executors(rules_dir: Path | None = None, direction_rules: DirectionRules | None = None) -> Executors:
    """Load and check ``rules/executors.yaml``; with ``direction_rules`` every instrument of every direction
    must have its form of completion.

    Raises
    ------
    RuleValidationError
        Listing every problem found, each naming the file and the key.
    """
    doc, file = load_rules_file(FILE_NAME, rules_dir)
    problems: list[Problem] = []
    required = ("version", "akimat", "ministries", "forms", "financing", "deadline_quarter", "directions",
                "instruments")
    if not check_keys(doc, "", file, problems, required=required):
        raise RuleValidationError(problems)
    akimat, akimat_source = {lang: "" for lang in LANGUAGES}, ""
    if check_keys(doc["akimat"], "akimat", file, problems, required=("names", "source")):
        akimat = _languages(doc["akimat"]["names"], "akimat.names", file, problems)
        akimat_source = text_field(doc["akimat"]["source"], "akimat.source", file, problems)
        for lang, pattern in akimat.items():
            if pattern and "{region}" not in pattern:
                problems.append(problem(file, "pr_name_unit_as", None, f"akimat.names.{lang}", pattern,
                                        placeholder="{region}"))
    ministries: dict[str, Ministry] = {}
    if not isinstance(doc["ministries"], Mapping) or not doc["ministries"]:
        problems.append(problem(file, "pr_ministries_mapping", None, "ministries"))
    else:
        for mid, spec in doc["ministries"].items():
            where = f"ministries.{mid}"
            if check_keys(spec, where, file, problems, required=("names", "short", "source")):
                ministries[str(mid)] = Ministry(str(mid), _languages(spec["names"], f"{where}.names", file, problems),
                                                _languages(spec["short"], f"{where}.short", file, problems),
                                                text_field(spec["source"], f"{where}.source", file, problems))
    forms = _named(doc["forms"], "forms", file, problems)
    financing = _named(doc["financing"], "financing", file, problems)
    for fid in financing:
        if fid not in FINANCING:
            problems.append(problem(file, "pr_unknown_financing", None, f"financing.{fid}",
                                    allowed=', '.join(FINANCING)))
    quarter = doc["deadline_quarter"]
    if isinstance(quarter, bool) or quarter not in (1, 2, 3, 4):
        problems.append(problem(file, "pr_quarter", None, "deadline_quarter", quarter))
        quarter = 4
    directions: dict[str, DirectionExecutors] = {}
    if check_keys(doc["directions"], "directions", file, problems, required=DIRECTIONS):
        for direction in DIRECTIONS:
            spec = doc["directions"][direction]
            where = f"directions.{direction}"
            if not check_keys(spec, where, file, problems, required=("ministries", "financing", "basis", "source")):
                continue
            if spec["basis"] not in BASES:
                problems.append(problem(file, "pr_one_of", None, f"{where}.basis", spec["basis"],
                                        allowed=', '.join(BASES)))
            directions[direction] = DirectionExecutors(
                direction, name_list(spec["ministries"], ministries, f"{where}.ministries", file, problems),
                name_list(spec["financing"], financing, f"{where}.financing", file, problems), str(spec["basis"]),
                text_field(spec["source"], f"{where}.source", file, problems))
    instruments: dict[str, str] = {}
    if not isinstance(doc["instruments"], Mapping) or not doc["instruments"]:
        problems.append(problem(file, "pr_instruments_forms", None, "instruments"))
    else:
        for iid, form in doc["instruments"].items():
            if form not in forms:
                problems.append(problem(file, "pr_unknown_form", None, f"instruments.{iid}", form,
                                        allowed=', '.join(sorted(forms))))
            else:
                instruments[str(iid)] = str(form)
    if direction_rules is not None and isinstance(doc["instruments"], Mapping):
        for direction, spec in direction_rules.directions.items():
            for ins in spec.instruments:
                if ins.id not in doc["instruments"]:
                    problems.append(problem(file, "pr_instrument_no_form", None, f"instruments.{ins.id}",
                                            direction=direction))
    if problems:
        raise RuleValidationError(problems)
    return Executors(akimat, akimat_source, ministries, forms, financing, int(quarter), directions, instruments,
                     file)


@lru_cache(maxsize=4)
def _cached(mtime_ns: int) -> Executors:
    from engine.core.parameters import load_direction_rules

    return load_executors(direction_rules=load_direction_rules())


def default_executors() -> Executors:
    """``rules/executors.yaml`` of the repository, read again only when the file changes."""
    path = RULES_DIR / FILE_NAME
    return _cached(path.stat().st_mtime_ns if path.exists() else 0)
