"""Where the repository's own folders are: the rules, the default dataset and the shipped scenarios."""

from __future__ import annotations

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
RULES_DIR = REPO_ROOT / "rules"
DATA_DIR = REPO_ROOT / "data"
DEFAULT_DATA_DIR = DATA_DIR / "kazakhstan"
SCENARIO_DIR = DATA_DIR / "scenarios"
DEFAULT_SCENARIO = SCENARIO_DIR / "concept_2025_2030.yaml"
