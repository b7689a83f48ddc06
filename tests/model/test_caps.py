"""The absorption caps and the concavity of the response are parameters a sweep can draw."""

from __future__ import annotations

import numpy as np
import pytest

from engine.analysis.sweep import uncertain_parameters
from engine.core.paths import DEFAULT_SCENARIO
from engine.model.study import open_study


@pytest.fixture(scope="module")
def study():
    return open_study(DEFAULT_SCENARIO)


def capacity(study) -> float:
    return float(sum(lever.capacity for lever in study.model.levers))


def test_the_cap_scale_scales_every_segment(study):
    doubled = study.with_assumptions({"absorption_cap_scale": "high"})
    # doubled where the share of GRP caps a direction; mobility's people-based capacity does not move
    assert 1.9 * capacity(study) < capacity(doubled) <= 2.0 * capacity(study) + 1e-6


def test_the_decline_scale_changes_the_later_segments_only(study):
    steeper = study.with_assumptions({"segment_decline_scale": "high"})
    first = [k for k, lever in enumerate(study.model.levers) if lever.segment == 0]
    later = [k for k, lever in enumerate(study.model.levers) if lever.segment > 0]
    scale, scale_steep = np.asarray(study.model.lever_scale), np.asarray(steeper.model.lever_scale)
    assert np.allclose(scale[first], scale_steep[first])
    assert (scale_steep[later] < scale[later]).all()


def test_sweeps_draw_the_caps_and_the_shape(study):
    swept = {p.id for p in uncertain_parameters(study.direction_rules)}
    assert {"absorption_cap_scale", "segment_decline_scale", "okun_coefficient"} <= swept
