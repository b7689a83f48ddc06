"""Inputs shared by the roadmap tests: a scenario text, a hand-typed allocation, names that test safety."""

from __future__ import annotations

import pandas as pd

from engine.core.scenario import scenario_from_text

# A scenario whose name is a formula: every export must keep it as text.
EVIL_NAME = '=HYPERLINK("http://evil.example/x","Click")'
KAZAKH_NAME = "Тұрақты даму: жаһандық сын-қатерлер кезіндегі өңірлік әділеттілік үшін бағдарлама"

SCENARIO = """
name: {name}
base_year: 2024
horizon: [2025, 2027]
budget_bn_kzt: 80
objective: max_min_ratio
equity_share: 0.3
assumptions: {{capital_return: high}}
"""

# Classes in 2024 (rules/roadmap.yaml): turkistan and zhambyl are problem regions, kostanay lags the mean,
# astana is a hub, atyrau leads.
ALLOCATION = pd.DataFrame(
    [("turkistan", "agglomeration", 2025, 20.0), ("turkistan", "mobility", 2026, 5.0),
     ("astana", "agglomeration", 2025, 30.0), ("astana", "agglomeration", 2027, 10.0),
     ("atyrau", "interaction", 2026, 4.0), ("zhambyl", "peripheral_compression", 2025, 3.0),
     ("kostanay", "interaction", 2027, 2.5)],
    columns=["unit_id", "direction", "year", "bn_kzt"])


def make_scenario(name: str = "Concept test", direction_rules=None, **changes):
    quoted = "'" + name.replace("'", "''") + "'"  # a YAML single-quoted string keeps any text as it is
    scenario = scenario_from_text(SCENARIO.format(name=quoted), "test.yaml", direction_rules)
    return scenario.replace(**changes) if changes else scenario
