"""The roadmap names the indicator its figures are on, in every format and language (never the raw id)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from engine.allocation import optimize, prepare
from engine.core.i18n import LANGUAGES, t
from engine.model.study import open_study
from engine.roadmap import export_bytes, inputs_from_result, roadmap_from_inputs

SCENARIO = Path("data/scenarios/nonmining_share_below_2025_2030.yaml")


@pytest.fixture(scope="module")
def inputs():
    prep = prepare(open_study(SCENARIO))
    return inputs_from_result(prep.study, optimize(prep, with_baselines=False))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_format_names_the_indicator(inputs, lang):
    roadmap = roadmap_from_inputs(inputs, lang)
    name = t("grp_per_capita_nonmining", lang)
    assert roadmap.indicator == "grp_per_capita_nonmining" and roadmap.indicator_name == name != roadmap.indicator
    assert name in export_bytes(roadmap, "md")[2].decode("utf-8")
    doc = json.loads(export_bytes(roadmap, "json")[2])
    assert (doc["indicator"], doc["indicator_name"]) == ("grp_per_capita_nonmining", name)
    sheet = load_workbook(io.BytesIO(export_bytes(roadmap, "xlsx")[2])).worksheets[0]
    assert [t("indicator", lang), name] in [[c.value for c in row[:2]] for row in sheet.iter_rows()]
    assert export_bytes(roadmap, "pdf")[2].startswith(b"%PDF") and export_bytes(roadmap, "docx")[2][:2] == b"PK"


def test_the_diagnosis_table_is_on_the_indicator(inputs):
    roadmap = roadmap_from_inputs(inputs, "en")
    text = export_bytes(roadmap, "md")[2].decode("utf-8")
    assert "Non-mining GRP per capita, thousand tenge per person" in text
    atyrau = next(u for u in roadmap.diagnosis.units if u.region.startswith("Atyrau"))
    assert atyrau.grp_per_capita == pytest.approx(11924.2, abs=0.1)  # (GRP - mining) / population, 2024
