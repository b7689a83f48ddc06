"""A dataset with the rules that read it: what a diagnosis, a study and every plan start from."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from engine.core.data import Dataset, load_dataset
from engine.core.rules import ProblemRuleSet, Typology, load_problem_rules, load_typology


@dataclass(frozen=True)
class Context:
    """Everything a diagnosis (and later a scenario) needs: the data and the rules."""

    dataset: Dataset
    typology: Typology
    problem_rules: ProblemRuleSet


def load_context(data_dir: Path | str | None = None, rules_dir: Path | None = None) -> Context:
    """The dataset in ``data_dir`` (default: the Kazakhstan dataset) with the rules of ``rules_dir``."""
    dataset = load_dataset(data_dir)
    typology = load_typology(dataset.units.index, rules_dir)
    return Context(dataset, typology, load_problem_rules(rules_dir))
