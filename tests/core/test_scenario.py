from pathlib import Path

import pytest

from engine.core.errors import ScenarioError
from engine.core.scenario import load_scenario, scenario_from_text

GOOD = """
name: Concept 2025-2030
base_year: 2024
horizon: [2025, 2030]
budget_bn_kzt: 500
objective: max_min_ratio
equity_share: 0.6
directions:
  mobility: {min: 0.02, max: 0.2}
unit_caps_bn_kzt: {atyrau: 10}
assumptions: {capital_return: high, spillover_share: 0.1}
"""


def problems(text: str, direction_rules=None, units=None) -> list[str]:
    with pytest.raises(ScenarioError) as info:
        scenario_from_text(text, "s.yaml", direction_rules, units)
    return [str(p) for p in info.value.problems]


def test_good_scenario_round_trips(direction_rules):
    scenario = scenario_from_text(GOOD, "s.yaml", direction_rules, {"atyrau"})
    assert scenario.years == [2025, 2026, 2027, 2028, 2029, 2030]
    assert scenario.total_budget == 3000
    assert scenario.bounds("mobility").max == 0.2
    assert scenario.bounds("agglomeration").min == 0.0
    again = scenario_from_text(scenario.to_yaml(), "again.yaml", direction_rules, {"atyrau"})
    assert again == scenario


def test_budget_as_mapping_must_cover_the_horizon():
    text = GOOD.replace("budget_bn_kzt: 500", "budget_bn_kzt: {2025: 100, 2026: 1e2, 2040: 5}")
    found = problems(text)
    assert "s.yaml: budget_bn_kzt.2040: budget year outside the horizon 2025-2030 (2040)" in found
    assert "s.yaml: budget_bn_kzt.2027: no budget for this horizon year" in found


def test_misspelt_key_is_never_ignored():
    assert problems(GOOD.replace("budget_bn_kzt:", "budjet_bn_kzt:")) == [
        "s.yaml: budjet_bn_kzt: unknown key; did you mean 'budget_bn_kzt'?",
        "s.yaml: budget_bn_kzt: missing required key",
    ]


@pytest.mark.parametrize(("change", "expected"), [
    (("objective: max_min_ratio", "objective: fairness"), "objective: must be one of"),
    (("equity_share: 0.6", "equity_share: 1.5"), "equity_share: must be a share between 0 and 1 (1.5)"),
    (("horizon: [2025, 2030]", "horizon: [2030, 2025]"), "horizon: the last year is before the first"),
    (("horizon: [2025, 2030]", "horizon: [2024, 2030]"), "horizon: the horizon must start after the base year"),
    (("budget_bn_kzt: 500", "budget_bn_kzt: -5"), "budget_bn_kzt.2025: must be between 0 and"),
    (("budget_bn_kzt: 500", "budget_bn_kzt: lots"), "budget_bn_kzt: must be a number for every year"),
    (("mobility: {min: 0.02, max: 0.2}", "mobility: {min: 0.3, max: 0.2}"), "directions.mobility: min is above max"),
    (("mobility: {min", "teleport: {min"), "directions.teleport: unknown direction"),
    (("atyrau: 10", "atlantis: 10"), "unit_caps_bn_kzt.atlantis: unknown unit id"),
    (("capital_return: high", "capital_return: 9"), "assumptions.capital_return: must lie within"),
    (("capital_return: high", "magic: 1"), "assumptions.magic: unknown parameter"),
])
def test_bad_values_name_the_key(direction_rules, change, expected):
    found = problems(GOOD.replace(*change), direction_rules, {"atyrau"})
    assert any(expected in p for p in found), found


def test_unsafe_yaml_is_refused():
    bomb = 'a: &a ["x","x"]\nb: &b [*a,*a]\nc: &c [*b,*b]\n'
    assert problems(bomb) == ["s.yaml: YAML aliases and anchors (& and *) are not accepted"]
    assert problems("name: a\nname: b\n") == ["s.yaml: line 2: duplicate key 'name'"]
    assert problems("!!python/object:os.system {}")[0].startswith("s.yaml: line 1: not valid YAML")
    assert problems("- just\n- a list\n") == ["s.yaml: a scenario must be a mapping of keys to values ('list')"]


def test_file_loading(tmp_path: Path, direction_rules):
    path = tmp_path / "scenario.yaml"
    path.write_text(GOOD + "data: missing_folder\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match="data: dataset folder not found"):
        load_scenario(path, direction_rules)
    with pytest.raises(ScenarioError, match="file not found"):
        load_scenario(tmp_path / "nope.yaml")
