"""A roadmap below the region level is the optimizer's plan at that level, in every format."""

from __future__ import annotations

from collections import defaultdict

import pytest
import yaml

from engine.allocation import optimize
from engine.core.context import Context
from engine.core.paths import DEFAULT_SCENARIO
from engine.core.rules import load_problem_rules, load_typology
from engine.model.study import open_study
from engine.roadmap import EXPORT_FORMATS, export_bytes, inputs_from_result, roadmap_from_inputs


def _by_unit(rows) -> dict[str, float]:
    out: dict[str, float] = defaultdict(float)
    for unit, amount in rows:
        out[unit] += amount
    return dict(out)


@pytest.fixture(scope="module")
def settlement_study(small_settlements):
    ds = small_settlements
    ctx = Context(ds, load_typology(ds.units.index), load_problem_rules())
    fields = yaml.safe_load(DEFAULT_SCENARIO.read_text(encoding="utf-8"))
    fields["budget_bn_kzt"] = 8.0  # two regions' settlements absorb a few bn a year, not the country's 500
    return open_study(fields, ctx, data_key="small settlements")


def test_a_settlement_roadmap_is_the_settlement_plan(settlement_study):
    study = settlement_study
    assert study.level == "settlement"
    result = optimize(study, with_baselines=False)
    assert result.status.solved
    roadmap = roadmap_from_inputs(inputs_from_result(study, result), "ru")

    planned = _by_unit((r.unit_id, r.bn_kzt) for r in result.allocation)
    written = _by_unit(roadmap.allocation[["unit_id", "bn_kzt"]].itertuples(index=False))
    assert set(written) == set(planned) and len(planned) > 20  # settlements, not the two regions
    assert all(written[u] == pytest.approx(planned[u], abs=1e-9) for u in planned)
    for fmt in EXPORT_FORMATS:
        name, _, data = export_bytes(roadmap, fmt, charts=[])
        assert name.endswith(f"_ru.{fmt}") and len(data) > 100
