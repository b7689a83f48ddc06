"""The default scenario's roadmap in Kazakh and Russian, DOCX and PDF read back: no raw message id and no
untranslated English sentence (citations and proper names allowed), as the browser walk checks the pages."""

from __future__ import annotations

import io

import docx
import pytest
from pypdf import PdfReader

from engine.allocation import optimize
from engine.core.paths import DEFAULT_SCENARIO
from engine.interfaces.commands.roadmap import with_reach
from engine.model.study import open_study
from engine.roadmap.export import export_bytes
from engine.roadmap.pipeline import inputs_from_result, roadmap_from_inputs
from tests.e2e.english import english_runs, english_share, raw_ids


def docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    lines = [p.text for p in document.paragraphs]
    lines += [" | ".join(cell.text for cell in row.cells) for table in document.tables for row in table.rows]
    return "\n".join(lines)


def pdf_text(data: bytes) -> str:
    """The PDF's text with its lines joined: a sentence (and a citation) wraps across lines and pages."""
    text = " ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)
    return " ".join(text.split())


@pytest.fixture(scope="module")
def documents() -> dict[tuple[str, str], str]:
    """The text of the default scenario's roadmap as the command line writes it: (lang, fmt) -> text."""
    study = open_study(DEFAULT_SCENARIO)
    inputs = with_reach(inputs_from_result(study, optimize(study)))
    out = {}
    for lang in ("kk", "ru"):
        roadmap = roadmap_from_inputs(inputs, lang)
        out[(lang, "docx")] = docx_text(export_bytes(roadmap, "docx")[2])
        out[(lang, "pdf")] = pdf_text(export_bytes(roadmap, "pdf")[2])
    return out


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_the_roadmap_speaks_the_language(documents, lang, fmt):
    text = documents[(lang, fmt)]
    print(f"{lang} {fmt}: {english_share(text):.1%} of the words in Latin letters")
    assert sorted(set(raw_ids(text))) == []
    assert english_runs(text) == []
