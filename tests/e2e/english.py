"""What an untranslated text looks like to a Kazakh or Russian planner: a raw message id, or English sentences.

Shared by the browser walk and the check of the documents. A raw id is a snake_case token of catalog ids or
indicator ids (``ratio_only_warning``, ``grp_per_capita``) standing in the text; an English sentence is a run
of four or more ASCII words that are not citations (a source's title keeps its language), proper names or
technical names a planner types (file names, commands, parameter ids in backticks).
"""

from __future__ import annotations

import re

from engine.core.i18n import all_keys

WORD = re.compile(r"[A-Za-z][A-Za-z'\-]*")
TOKEN = re.compile(r"\S+")
#: a snake_case token: two or more lower-case parts joined by underscores
SNAKE = re.compile(r"(?<![\w./\-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w/\-])")

#: words that stay as they are in every language: names of sources, programs, units and formats
ALLOWED = {
    "kzt", "grp", "gdp", "lp", "milp", "xlsx", "docx", "pdf", "csv", "json", "yaml", "md", "utf", "cvar", "okun",
    "theil", "williamson", "atkinson", "gini", "charnes", "cooper", "highs", "cbc", "scipy", "pulp", "pandas",
    "streamlit", "kazakhstan", "astana", "almaty", "shymkent", "roadmap", "target", "frontier", "sweep", "solve",
    "bns", "stat", "gov", "kz", "oecd", "imf", "eu", "un", "adb", "worldbank", "who", "et", "al", "ed", "pp", "vol",
    "no", "doi", "http", "https", "www", "org", "com", "iso", "osm", "openstreetmap", "geoboundaries", "natural",
    "earth", "qgis", "plotly", "babel", "windows", "excel", "api",
}


#: what marks a sentence as a citation: an author and a year, a year in brackets, a volume(issue), a URL or a
#: web site, a working paper
CITATION = re.compile(r"\(\d{4}[a-z]?\)|\b[A-Z][\w'\-]+,? (?:\d{4}|et al)\b|\bet al\.|\d+\(\d+\)|https?://|www\.|doi|"
                      r"\b[\w\-]+\.(?:kz|com|org|gov|net|int|kg|ru)\b|\bWP\b|[Ww]orking [Pp]aper")
SENTENCE = re.compile(r"(?<=[.;!?])\s+(?=\S)")


def english_runs(text: str, allowed: set[str] = frozenset(), min_words: int = 4) -> list[str]:
    """Runs of ``min_words`` or more English words in ``text``, sentence by sentence, leaving out sentences that
    cite (the title of a source keeps its language), names in backticks, file names and ``allowed`` words."""
    runs: list[str] = []
    for line in text.splitlines():
        line = re.sub(r"`[^`]*`|\S+\.(?:csv|yaml|md|json|xlsx|py|geojson)\b", " ", line)
        for sentence in SENTENCE.split(line):
            if CITATION.search(sentence):
                continue
            current: list[str] = []
            for token in TOKEN.findall(sentence) + [""]:
                word = token.strip(".,;:!?()[]{}«»\"“”—–-")
                english = bool(word) and WORD.fullmatch(word) is not None and "_" not in word \
                    and word.lower() not in ALLOWED | allowed
                if english:
                    current.append(word)
                    continue
                if len(current) >= min_words:
                    runs.append(" ".join(current))
                current = []
    return runs


#: the columns a planner's upload must have: named as the file names them, in every language
COLUMNS = {"unit_id", "bn_kzt", "valid_from", "valid_to", "parent_id"}


def raw_ids(text: str) -> list[str]:
    """Message ids or snake_case ids standing in ``text`` (a label that was never translated)."""
    keys = {k for k in all_keys() if re.fullmatch(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)+", k)} - COLUMNS
    text = re.sub(r"`[^`]*`", " ", text)  # a name in backticks is a file or column named on purpose
    return [m.group(0) for m in SNAKE.finditer(text)
            if m.group(0) in keys or (m.group(0).endswith("_per_capita") and m.group(0) not in COLUMNS)]


def english_share(text: str) -> float:
    """The share of the words of ``text`` that are written in Latin letters (English, in a kk or ru text)."""
    words = re.findall(r"[^\W\d_]+", text)
    latin = [w for w in words if re.fullmatch(r"[A-Za-z]+", w)]
    return len(latin) / len(words) if words else 0.0
