"""Fixtures of the analyses' tests: the default scenario's study and its optimized plan, built once per module."""

from __future__ import annotations

import pytest

from engine.core.paths import DEFAULT_SCENARIO


@pytest.fixture(scope="module")
def study():
    from engine.model.study import open_study

    return open_study(DEFAULT_SCENARIO)


@pytest.fixture(scope="module")
def plan(study):
    from engine.allocation import optimize

    return optimize(study).allocation_frame()
