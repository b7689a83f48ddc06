"""Managed peripheral compression: the greedy rule against the LP, marginal values, costs, rules and the CLI."""

import json
import shutil

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.analysis.compression import (
    CompressionParameters,
    choose_relocations,
    choose_relocations_lp,
    load_compression_rules,
    plan_compression,
    service_cost,
)
from engine.core.data import load_dataset
from engine.core.errors import DataValidationError, RuleValidationError
from engine.core.parameters import ParameterValues, load_direction_rules
from engine.core.rules import RULES_DIR
from engine.interfaces.cli import main


@st.composite
def instances(draw, integer: bool = False):
    n = draw(st.integers(1, 12))
    m = draw(st.integers(1, 4))
    number = st.integers(0, 20).map(float) if integer else st.floats(0, 20)
    value = np.array(draw(st.lists(st.floats(-5, 10) if not integer else st.integers(-5, 10).map(float),
                                   min_size=n, max_size=n)))
    willing = np.array(draw(st.lists(number, min_size=n, max_size=n)))
    centre = np.array(draw(st.lists(st.integers(0, m - 1), min_size=n, max_size=n)))
    capacity = np.array(draw(st.lists(number, min_size=m, max_size=m)))
    quota = draw(number)
    return value, willing, centre, capacity, quota


@settings(max_examples=80, deadline=None)
@given(instances())
def test_the_greedy_rule_reaches_the_lp_optimum(instance):
    value, willing, centre, capacity, quota = instance
    greedy = choose_relocations(value, willing, centre, capacity, quota)
    _, optimum = choose_relocations_lp(value, willing, centre, capacity, quota)
    # HiGHS satisfies rows to 1e-7 (its primal feasibility tolerance), so its optimum may exceed by that
    assert greedy.value == pytest.approx(optimum, rel=1e-7, abs=1e-6 * (1 + np.abs(value).sum()))
    assert np.all(greedy.persons <= willing + 1e-12) and greedy.persons.sum() <= quota + 1e-9
    for c in range(len(capacity)):
        assert greedy.persons[centre == c].sum() <= capacity[c] + 1e-9


@settings(max_examples=60, deadline=None)
@given(instances(integer=True))
def test_marginal_values_are_what_one_more_place_adds(instance):
    value, willing, centre, capacity, quota = instance
    base = choose_relocations(value, willing, centre, capacity, quota)
    more_quota = choose_relocations(value, willing, centre, capacity, quota + 1)
    assert more_quota.value - base.value == pytest.approx(base.marginal_quota)
    for c in range(len(capacity)):
        bigger = capacity.copy()
        bigger[c] += 1
        assert choose_relocations(value, willing, centre, bigger, quota).value - base.value == pytest.approx(
            base.marginal_centre[c])


def test_service_cost_falls_with_size_from_the_full_premium_to_none():
    params = CompressionParameters.from_rules(load_compression_rules())
    sizes = np.array([5.0, 50.0, 200.0, 1000.0, 50_000.0])
    cost = service_cost(sizes, params)
    base = params["service_cost_base_tenge"] + params["per_pupil_cost_tenge"] * params["pupils_per_resident"]
    assert cost[0] == pytest.approx(base * (1 + params["service_cost_premium_small"]))
    assert cost[1] == pytest.approx(cost[0]) and cost[-1] == pytest.approx(base) == cost[-2]
    assert np.all(np.diff(cost) <= 0)


def test_bad_compression_rules_are_named(tmp_path):
    shutil.copytree(RULES_DIR, tmp_path / "rules")
    path = tmp_path / "rules" / "compression.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("  appraisal_years:\n    central: 20\n    low: 10",
                        "  appraisal_years:\n    central: 5\n    low: 10")
    text = text.replace("  willing_share:\n    central: 0.2", "  willing_share:\n    colour: red\n    central: 0.2")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RuleValidationError) as err:
        load_compression_rules(tmp_path / "rules")
    message = str(err.value)
    assert "parameters.appraisal_years" in message and "low <= central <= high" in message
    assert "parameters.willing_share.colour" in message


def test_a_plan_stays_within_every_capacity_and_fills_the_quota_when_worth_it(small_settlements):
    cheap = ParameterValues(load_direction_rules(), {"relocation_cost_per_person_mn_kzt": "low"})
    plan = plan_compression(small_settlements, 2024, assumptions=cheap, overrides={"relocation_quota_persons": 300})
    table = plan.settlements
    assert plan.totals["persons_relocated"] == pytest.approx(300)
    assert (table["relocated"] <= table["willing"]).all() and (table["relocated"] >= 0).all()
    assert (table.loc[table["relocated"] > 0, "value_per_person_mn"] > 0).all()
    assert any(b["constraint"] == "relocation_quota_persons" for b in plan.binding)
    # the settlements relocated are the most valuable ones among those the capacities allow
    chosen = table[table["relocated"] > 0]["value_per_person_mn"].min()
    assert (table[(table["relocated"] == 0) & (table["limited_by"] == "no_value")]["value_per_person_mn"] <= 0).all()
    assert chosen > 0
    alone = plan_compression(small_settlements, 2024, services_only=True)
    assert (alone.settlements["output_gain_pv_mn"] == 0).all()
    assert alone.totals["villages_with_positive_value"] == alone.totals["villages_worth_it_on_services_alone"]


def test_compression_needs_settlements():
    with pytest.raises(DataValidationError, match="settlement dataset"):
        plan_compression(load_dataset(), 2024)


def test_the_compression_command(small_settlements, tmp_path, capsys):
    from engine.core.scale.writer import write_dataset

    write_dataset(small_settlements, tmp_path / "s", "test")
    out = tmp_path / "plan.json"
    assert main(["compression", "--data", str(tmp_path / "s"), "--assume", "relocation_cost_per_person_mn_kzt=low",
                 "--json", str(out)]) == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["year"] == 2024 and doc["totals"]["persons_relocated"] > 0 and doc["sources"]["willing_share"]
    assert main(["compression", "--data", str(tmp_path / "s"), "--assume", "willing_share=7"]) == 2
    assert "willing_share" in capsys.readouterr().err
