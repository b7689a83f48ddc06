"""Every export opened with an independent reader and checked against the roadmap, in kk, ru and en."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import zipfile

import docx
import openpyxl
import pandas as pd
import pytest
from pypdf import PdfReader
from roadmap_fixtures import ALLOCATION, EVIL_NAME, KAZAKH_NAME, make_scenario

from engine.core.errors import ScenarioError
from engine.core.i18n import LANGUAGES, format_number, t
from engine.model.study import build_study
from engine.roadmap.export import EXPORT_FORMATS, MIME_TYPES, export_bytes, roadmap_to_json
from engine.roadmap.pipeline import inputs_from_allocation, roadmap_from_inputs
from engine.roadmap.result import CRITERIA

KAZAKH_LETTERS = "әғқңөұүһі"


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def squash(text: str) -> str:
    """Text without any white space, so words wrapped across lines or cells still compare."""
    return "".join(text.split())


# --- names, types, determinism ----------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGUAGES)
def test_file_names_and_types(exports, lang):
    for fmt, (name, mime, data) in exports[lang].items():
        assert name == f"roadmap_HYPERLINK(_http_evil.example_x_,_Click_)_{lang}.{fmt}"
        assert mime == MIME_TYPES[fmt] and data


def test_exports_are_deterministic(roadmaps, exports):
    for fmt in EXPORT_FORMATS:
        assert export_bytes(roadmaps["kk"], fmt)[2] == exports["kk"][fmt][2], fmt


def test_unknown_format_is_refused(roadmaps):
    with pytest.raises(ScenarioError, match="unknown export format"):
        export_bytes(roadmaps["en"], "exe")


# --- XLSX -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGUAGES)
def test_xlsx_sheets_hold_the_roadmap(roadmaps, exports, lang):
    roadmap = roadmaps[lang]
    book = openpyxl.load_workbook(io.BytesIO(exports[lang]["xlsx"][2]))
    names = book.sheetnames
    for key in ("summary", "equity", "efficiency", "kpi", "priorities", "allocation", "assumptions", "sources"):
        assert t(key, lang)[:31] in names
    for part in roadmap.parts:
        ws = book[t(part.id, lang)[:31]]
        rows = [r for r in ws.iter_rows(values_only=True)]
        assert rows[0][0] == part.title
        header = rows[3]
        by_id = {r[0]: dict(zip(header, r, strict=True)) for r in rows[4:] if r[0]}
        assert set(by_id) == {m.id for m in part.measures}
        for m in part.measures:
            row = by_id[m.id]
            assert row[t("region", lang)] == m.region
            assert row[t("instrument", lang)] == "; ".join(m.instrument_names)
            for year, amount in m.budget_by_year.items():
                assert row[f"{t('budget', lang)} {year}"] == pytest.approx(amount)
            assert row[t("population_change", lang)] == pytest.approx(m.effect.population_change)
            assert row[t("rule", lang)] == m.rule_id
    kpi = list(book[t("kpi", lang)[:31]].iter_rows(values_only=True))
    for row, expected in zip(kpi[1:], roadmap.criteria, strict=False):
        assert row[0] == expected.year
        values = [getattr(expected, v)[k] for k in CRITERIA for v in ("baseline", "plan")]
        assert list(row[1:9]) == pytest.approx(values)
    allocation = list(book[t("allocation", lang)[:31]].iter_rows(values_only=True))
    assert sum(r[6] for r in allocation[1:]) == pytest.approx(ALLOCATION["bn_kzt"].sum())
    params = {r[0]: r for r in book[t("assumptions", lang)[:31]].iter_rows(values_only=True)}
    assert params["capital_return"][1] == pytest.approx(0.24)
    sources = [r[0] for r in book[t("sources", lang)[:31]].iter_rows(values_only=True)]
    assert any(str(s).startswith("Smagulova") for s in sources)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_xlsx_keeps_a_formula_name_as_text_and_negative_numbers_numeric(exports, lang):
    data = exports[lang]["xlsx"][2]
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheets = [archive.read(n).decode("utf-8") for n in archive.namelist() if n.startswith("xl/worksheets/")]
    assert not any("<f>" in s or "<f " in s for s in sheets)  # no formula anywhere
    book = openpyxl.load_workbook(io.BytesIO(data))
    summary = book[t("summary", lang)[:31]]
    assert summary["B1"].value == "'" + EVIL_NAME and summary["B1"].data_type == "s"
    part = book[t("equity", lang)[:31]]
    negatives = [c for row in part.iter_rows() for c in row if isinstance(c.value, float) and c.value < 0]
    assert negatives and all(c.data_type == "n" for c in negatives)  # Turkistan's population falls: still a number


# --- CSV --------------------------------------------------------------------------------------------

def test_csv_is_the_allocation_and_neutralises_text(roadmaps, exports):
    rows = list(csv.DictReader(io.StringIO(exports["ru"]["csv"][2].decode("utf-8-sig"))))
    frame = roadmaps["ru"].allocation
    assert len(rows) == len(frame)
    assert sum(float(r["bn_kzt"]) for r in rows) == pytest.approx(frame["bn_kzt"].sum())
    assert {r["region"] for r in rows} >= {"Туркестанская область", "город Астана"}
    evil = frame.copy()
    evil.loc[0, "region"] = "=cmd|' /C calc'!A0"
    evil.loc[1, "region"] = "@SUM(1+1)"
    evil.loc[2, "bn_kzt"] = -1.5  # a number, even negative, is left as it is
    tampered = dataclasses.replace(roadmaps["ru"], allocation=evil)
    rows = list(csv.DictReader(io.StringIO(export_bytes(tampered, "csv")[2].decode("utf-8-sig"))))
    assert rows[0]["region"] == "'=cmd|' /C calc'!A0"
    assert rows[1]["region"] == "'@SUM(1+1)"
    assert rows[2]["bn_kzt"] == "-1.5"


# --- JSON -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGUAGES)
def test_json_parts_shape_and_values(roadmaps, exports, lang):
    roadmap = roadmaps[lang]
    doc = json.loads(exports[lang]["json"][2])
    assert doc == json.loads(json.dumps(roadmap_to_json(roadmap)))
    assert doc["scenario"] == EVIL_NAME and doc["lang"] == lang
    assert [p["id"] for p in doc["parts"]] == ["equity", "efficiency"]
    for part_doc, part in zip(doc["parts"], roadmap.parts, strict=True):
        assert part_doc["title"] == part.title
        assert [m["id"] for m in part_doc["measures"]] == [m.id for m in part.measures]
        for m_doc, m in zip(part_doc["measures"], part.measures, strict=True):
            assert m_doc["region"] == m.region and m_doc["part"] == part.id
            assert m_doc["budget_bn_kzt"] == {str(y): v for y, v in m.budget_by_year.items()}
            assert set(m_doc) >= {"direction", "instrument_names", "actors", "start_year", "end_year",
                                  "expected_effect", "kpi_targets", "basis"}
            assert m_doc["basis"]["rule_id"] == m.rule_id
    assert [c["year"] for c in doc["criteria"]] == [r.year for r in roadmap.criteria]
    assert [p["id"] for p in doc["priorities"]] == [p.id for p in roadmap.priorities]


# --- Markdown ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGUAGES)
def test_markdown_has_every_section_and_escapes_user_text(roadmaps, exports, lang):
    roadmap = roadmaps[lang]
    text = exports[lang]["md"][2].decode("utf-8")
    for part in roadmap.parts:
        assert f"## {part.title}" in text
    for key in ("summary", "kpi", "assumptions", "sources"):
        assert f"## {t(key, lang)}" in text
    assert f"## {t('priorities_title', lang)}" in text
    for m in roadmap.measures:
        assert m.region in text and m.rule_id.replace("_", "\\_") in text
    assert "HYPERLINK(" in text and '\\=' not in text  # the name is shown, as plain text
    horizon = roadmap.criteria[-1]
    assert format_number(horizon.plan["max_min_ratio"], lang, 3) in text


# --- DOCX -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGUAGES)
def test_docx_is_a_circulable_document(roadmaps, exports, lang):
    roadmap = roadmaps[lang]
    document = docx.Document(io.BytesIO(exports[lang]["docx"][2]))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    assert headings[0] == f"{t('app_title', lang)}: {EVIL_NAME}"
    for expected in (t("summary", lang), roadmap.parts[0].title, roadmap.parts[1].title, t("kpi", lang),
                     t("priorities_title", lang), t("assumptions", lang), t("sources", lang)):
        assert expected in headings
    assert f"{t('diagnosis', lang)} ({roadmap.base_year})" in headings
    cells = {cell.text for table in document.tables for row in table.rows for cell in row.cells}
    for m in roadmap.measures:
        assert m.region in cells and m.rule_id in cells and "; ".join(m.instrument_names) in cells
        assert format_number(m.total_bn, lang) in cells
    for row in roadmap.criteria:
        assert format_number(row.plan["williamson"], lang, 4) in cells
    assert len(document.inline_shapes) == 3  # the three charts
    assert document.core_properties.language.startswith(lang)


# --- PDF --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", LANGUAGES)
def test_pdf_text_matches_the_roadmap(roadmaps, exports, lang):
    roadmap = roadmaps[lang]
    reader = PdfReader(io.BytesIO(exports[lang]["pdf"][2]))
    text = squash("\n".join(page.extract_text() for page in reader.pages))
    for expected in (t("app_title", lang), roadmap.parts[0].title, roadmap.parts[1].title, t("kpi", lang),
                     t("priorities_title", lang), t("assumptions", lang), roadmap.diagnosis.max_region,
                     *(p.name for p in roadmap.priorities), *(m.region for m in roadmap.measures)):
        assert squash(expected) in text, expected
    for m in roadmap.measures:
        assert squash(format_number(m.total_bn, lang)) in text
    assert squash(EVIL_NAME) in text
    assert sum(len(page.images) for page in reader.pages) == 3


def test_pdf_shows_every_kazakh_letter(ctx, direction_rules):
    scenario = make_scenario(KAZAKH_NAME, direction_rules)
    study = build_study(ctx, scenario, direction_rules=direction_rules)
    roadmap = roadmap_from_inputs(inputs_from_allocation(study, ALLOCATION), "kk")
    name, _, data = export_bytes(roadmap, "pdf", charts=[])
    text = pdf_text(data)
    assert KAZAKH_NAME in text.replace("\n", " ") or squash(KAZAKH_NAME) in squash(text)
    for letter in KAZAKH_LETTERS:
        assert letter in text and letter.upper() in text.upper()
    assert "Өңірлік даму жол картасы" in text
    assert name.startswith("roadmap_Тұрақты_даму_жаһандық_сын-қатерлер") and len(name) <= 100


def test_documents_differ_by_language_only_in_words(exports):
    texts = {lang: pdf_text(exports[lang]["pdf"][2]) for lang in LANGUAGES}
    assert "Теңестіру" in texts["kk"] and "Выравнивание" in texts["ru"] and "Equity" in texts["en"]
    assert "Теңестіру" not in texts["ru"] and "Выравнивание" not in texts["en"]


def test_empty_part_is_written_with_a_note(ctx, direction_rules, scenario):
    only_equity = ALLOCATION[ALLOCATION["unit_id"].isin(["turkistan",
                                                         "zhambyl"])]
    study = build_study(ctx, scenario, direction_rules=direction_rules)
    roadmap = roadmap_from_inputs(inputs_from_allocation(study, only_equity), "en")
    assert roadmap.parts[1].measures == ()
    text = export_bytes(roadmap, "md")[2].decode("utf-8")
    assert t("no_measures", "en") in text
    book = openpyxl.load_workbook(io.BytesIO(export_bytes(roadmap, "xlsx")[2]))
    assert any(t("no_measures", "en") == c for row in book[t("efficiency", "en")].iter_rows(values_only=True)
               for c in row)
    assert pd.DataFrame(json.loads(export_bytes(roadmap, "json")[2])["parts"][1]["measures"]).empty
