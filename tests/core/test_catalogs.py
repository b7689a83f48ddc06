"""The gettext catalogs: every id in every language, nothing empty or fuzzy, and every id the code uses."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from engine.core.i18n import LANGUAGES, t, tn
from engine.core.i18n_catalog import KEYWORDS, catalog_path

ROOT = Path(__file__).resolve().parents[2]
# f-strings passed to t() are ids built at run time (declared in engine/core/message_ids.py): Babel's notice
# about each is expected
logging.getLogger("babel").setLevel(logging.ERROR)
FIELD = re.compile(r"\{(\w+)[^{}]*\}")


def entries(lang: str) -> dict[str, object]:
    with catalog_path(lang).open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    return {(m.id[0] if isinstance(m.id, tuple) else m.id): m for m in catalog if m.id}


def used_ids() -> dict[str, str]:
    """Message id -> where the code uses it (t, tn and N_ calls with a literal id)."""
    found = {}
    for folder, pattern in (("engine", "**.py"), ("ui", "**.py"), (".", "streamlit_app.py")):
        for file, line, message, _comments, _context in extract_from_dir(ROOT / folder, [(pattern, "python")],
                                                                        keywords=KEYWORDS):
            found[message[0] if isinstance(message, tuple) else message] = f"{folder}/{file}:{line}"
    return found


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_entry_is_missing_empty_or_fuzzy(lang):
    english = entries("en")
    here = entries(lang)
    assert sorted(set(english) ^ set(here)) == []
    empty = [key for key, m in here.items() if not (all(m.string) if isinstance(m.string, tuple) else m.string)]
    fuzzy = [key for key, m in here.items() if m.fuzzy]
    assert empty == [] and fuzzy == []


@pytest.mark.parametrize("lang", ("kk", "ru"))
def test_translations_keep_the_placeholders(lang):
    english = entries("en")
    wrong = []
    for key, m in entries(lang).items():
        theirs = m.string if isinstance(m.string, tuple) else (m.string,)
        ours = english[key].string if isinstance(english[key].string, tuple) else (english[key].string,)
        if any(set(FIELD.findall(text)) != set(FIELD.findall(ours[0])) for text in theirs):
            wrong.append(key)
    assert wrong == []


def test_every_id_the_code_uses_is_in_the_catalogs():
    known = set(entries("en"))
    missing = {key: where for key, where in used_ids().items() if key not in known}
    assert missing == {}


def test_no_id_hides_inside_an_f_string():
    """Extraction can miss an id inside an f-string's field (``f"{_css_string(t('x', lang))}"`` was missed, and
    the planner read the id): every literal id in a call must be in the catalogs, extracted or not."""
    known = set(entries("en"))
    # a whole literal id, not the head of one built by "+"
    call = re.compile(r"""\b(?:t|tn|N_|Text)\(\s*["']([A-Za-z_][A-Za-z0-9_]*)["']\s*[,)]""")
    files = [*(ROOT / "engine").rglob("*.py"), *(ROOT / "ui").rglob("*.py"), ROOT / "streamlit_app.py"]
    missing = {key: str(f.relative_to(ROOT)) for f in files for key in call.findall(f.read_text(encoding="utf-8"))
               if key not in known}
    assert missing == {}


def test_labels_are_read_from_the_catalogs():
    assert t("page_data", "kk") == "Деректер" and t("page_data", "ru") == "Данные"
    assert tn("problems_found", "problems_found", 1, "ru") == "Найдена 1 ошибка"
    assert tn("problems_found", "problems_found", 3, "ru") == "Найдено 3 ошибки"
    assert tn("problems_found", "problems_found", 11, "ru") == "Найдено 11 ошибок"
    assert tn("problems_found", "problems_found", 2, "en") == "2 problems found"


def test_numbers_in_messages_are_written_the_language_s_way():
    assert t("sweep_done", "ru", draws=3, seconds=1.5) == "3 прогонов выполнено за 1,5 с"
