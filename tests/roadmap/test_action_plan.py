"""The action plan: the government form's columns in every language and format, every cell filled, actions
numbered within each part, executors from rules/executors.yaml, money adding up to the roadmap's."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import docx
import openpyxl
import pytest
from pypdf import PdfReader

from engine.core.errors import RuleValidationError
from engine.core.executors import default_executors, load_executors
from engine.core.i18n import LANGUAGES, t
from engine.core.parameters import load_direction_rules
from engine.roadmap.action_plan import build_action_plan, columns

RUSSIAN_COLUMNS = ("№ п/п", "Наименование мероприятия", "Форма завершения", "Срок исполнения",
                   "Ответственные исполнители", "Предполагаемые расходы", "Источник финансирования")
ROOT = Path(__file__).resolve().parents[2]


def test_russian_columns_are_the_government_forms():
    assert columns("ru") == RUSSIAN_COLUMNS


@pytest.mark.parametrize("lang", LANGUAGES)
def test_columns_in_every_language_are_seven_and_distinct(lang):
    names = columns(lang)
    assert len(names) == 7 and len(set(names)) == 7
    assert all(name and not name.startswith("ap_") for name in names)
    if lang != "ru":
        assert names != RUSSIAN_COLUMNS


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_action_has_every_cell_filled_and_is_numbered_within_its_part(roadmaps, lang):
    plan = build_action_plan(roadmaps[lang])
    assert plan.actions
    for part_id, _, actions in plan.parts:
        numeral = {"equity": "I", "efficiency": "II"}[part_id]
        assert [a.number for a in actions] == [f"{numeral}.{i}" for i in range(1, len(actions) + 1)]
        for a in actions:
            cells = (a.number, a.name, a.form, a.deadline, a.executors_text, a.cost_bn, a.financing_text)
            assert all(c not in ("", None) for c in cells), cells
            assert a.cost_bn > 0
            assert a.executors[0] == default_executors().akimat_name(a.region, lang)
            assert len(a.executors) >= 2  # the akimat and at least one ministry
            assert set(a.kpi_targets) == set(plan.years)


def test_actions_are_named_by_instruments_and_add_up_to_the_measures(roadmaps):
    roadmap = roadmaps["en"]
    plan = build_action_plan(roadmap)
    for m in roadmap.measures:
        own = [a for a in plan.actions if a.measure_id == m.id]
        assert [a.instrument for a in own] == list(m.instruments)
        assert sum(a.cost_bn for a in own) == pytest.approx(m.total_bn)
        for a, name in zip(own, m.instrument_names, strict=True):
            assert name in a.name and m.region in a.name
    assert sum(a.cost_bn for a in plan.actions) == pytest.approx(roadmap.total_bn)


def test_mobility_is_led_by_the_labour_ministry_and_interaction_has_its_private_share(roadmaps):
    plan = build_action_plan(roadmaps["ru"])
    mobility = next(a for a in plan.actions if a.direction == "mobility")
    assert mobility.executors[1] == "МТСЗН"
    assert "Министерство труда и социальной защиты населения Республики Казахстан" in dict(plan.abbreviations).values()
    interaction = next(a for a in plan.actions if a.direction == "interaction")
    ratio = plan.co_financing_ratio
    assert ratio == pytest.approx(0.17)  # rules/directions.yaml co_financing_ratio central value
    assert interaction.private_bn == pytest.approx(ratio * interaction.cost_bn)
    assert "частное софинансирование" in interaction.financing_text
    agglomeration = next(a for a in plan.actions if a.direction == "agglomeration")
    assert agglomeration.private_bn == 0.0
    assert agglomeration.deadline == "IV квартал 2027 года" or "квартал" in agglomeration.deadline


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_workbook_has_the_action_plan_sheet_with_every_cell_filled(roadmaps, exports, lang):
    book = openpyxl.load_workbook(io.BytesIO(exports[lang]["xlsx"][2]))
    sheet = book[t("ap_title", lang)]
    rows = list(sheet.iter_rows(values_only=True))
    head = next(i for i, r in enumerate(rows) if r[0] == columns(lang)[0])
    assert tuple(rows[head][:7]) == columns(lang)
    plan = build_action_plan(roadmaps[lang])
    body = rows[head + 1:head + 1 + len(plan.actions)]
    assert [r[0] for r in body] == [a.number for a in plan.actions]
    width = len(rows[head])
    for r in body:
        assert all(c is not None and c != "" for c in r[:width]), r
    assert sum(r[5] for r in body) == pytest.approx(roadmaps[lang].total_bn)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_docx_has_one_action_plan_table_per_part(roadmaps, exports, lang):
    document = docx.Document(io.BytesIO(exports[lang]["docx"][2]))
    tables = [tb for tb in document.tables if tuple(c.text for c in tb.rows[0].cells) == columns(lang)]
    plan = build_action_plan(roadmaps[lang])
    assert len(tables) == sum(1 for _, _, actions in plan.parts if actions)
    numbers = [row.cells[0].text for tb in tables for row in tb.rows[1:]]
    assert numbers == [a.number for a in plan.actions]
    for tb in tables:
        for row in tb.rows[1:]:
            assert all(c.text.strip() for c in row.cells)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_pdf_and_markdown_show_the_action_plan(roadmaps, exports, lang):
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(exports[lang]["pdf"][2])).pages)
    flat = re.sub(r"\s+", " ", text)
    assert t("ap_title", lang) in flat
    for name in columns(lang)[1:3]:
        assert name.split()[0] in flat
    markdown = exports[lang]["md"][2].decode("utf-8")
    assert "| " + " | ".join(columns(lang)) + " |" in markdown.replace("№ п/п", "№ п/п")


def test_json_carries_the_action_plan(exports):
    doc = json.loads(exports["ru"]["json"][2])
    plan = doc["action_plan"]
    assert plan["columns"] == list(RUSSIAN_COLUMNS)
    first = plan["actions"][0]
    assert {"number", "name", "form_of_completion", "deadline", "executors", "cost_bn_kzt", "financing_text",
            "kpi"} <= set(first)
    assert first["deadline"]["quarter"] == 4


def test_executors_rules_name_every_direction_and_instrument():
    rules = load_executors(direction_rules=load_direction_rules())
    for direction, spec in load_direction_rules().directions.items():
        assert rules.directions[direction].ministries
        assert rules.directions[direction].source
        for ins in spec.instruments:
            assert ins.id in rules.instruments


def test_bad_executors_rules_are_refused_with_every_problem(tmp_path):
    text = (ROOT / "rules" / "executors.yaml").read_text(encoding="utf-8")
    text = text.replace("ministries: [labour_social_protection, national_economy]",
                        "ministries: [labour_ministry]")
    text = text.replace("deadline_quarter: 4", "deadline_quarter: 5")
    text = text.replace("  ppp: ppp_agreement\n", "  ppp: contract\n")
    (tmp_path / "executors.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(RuleValidationError) as caught:
        load_executors(tmp_path, direction_rules=load_direction_rules())
    message = str(caught.value)
    assert "directions.mobility.ministries: unknown name" in message and "labour_ministry" in message
    assert "deadline_quarter: must be a quarter" in message
    assert "instruments.ppp: unknown form" in message
    assert "rules" in message.splitlines()[0]
