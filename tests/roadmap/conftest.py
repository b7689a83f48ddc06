"""Shared roadmap fixtures: the Kazakhstan data, a hand-typed allocation, and its roadmap in kk, ru and en."""

from __future__ import annotations

import pytest
from roadmap_fixtures import ALLOCATION, EVIL_NAME, make_scenario

from engine.model.study import build_study
from engine.roadmap.pipeline import inputs_from_allocation, roadmap_from_inputs


@pytest.fixture(scope="session")
def scenario(direction_rules):
    return make_scenario(EVIL_NAME, direction_rules)


@pytest.fixture(scope="session")
def inputs(ctx, scenario, direction_rules):
    return inputs_from_allocation(build_study(ctx, scenario, direction_rules=direction_rules), ALLOCATION,
                                  label="hand-typed test allocation")


@pytest.fixture(scope="session")
def roadmaps(ctx, scenario, inputs):
    return {lang: roadmap_from_inputs(inputs, lang) for lang in ("kk", "ru", "en")}


@pytest.fixture(scope="session")
def exports(roadmaps):
    """Every format of every language's roadmap: ``exports[lang][fmt] = (file name, MIME type, bytes)``."""
    from engine.roadmap.charts import render_charts
    from engine.roadmap.export import EXPORT_FORMATS, export_bytes

    out = {}
    for lang, roadmap in roadmaps.items():
        charts = render_charts(roadmap)
        out[lang] = {fmt: export_bytes(roadmap, fmt, charts) for fmt in EXPORT_FORMATS}
    return out
