"""Citations in the shipped code, rules and data point at primary sources or at files of the repository.

The design notes and the compiled parameter tables the project started from live outside the repository;
a citation of them ("parameters.md topic 4", "DESIGN section 10") cannot be followed by a reader of the
repository, so each must name the publication itself (or a document under ``docs/``).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from engine.core.paths import REPO_ROOT

SCANNED = ("engine", "rules", "data")
SUFFIXES = {".py", ".yaml", ".yml", ".md", ".csv", ".txt"}

#: a citation of a document outside the repository
OUTSIDE = re.compile(r"parameters\.md|DESIGN(?:\.md|\s+section|\s*§)", re.IGNORECASE)
#: a repository path under docs/ (not part of a URL such as https://adilet.zan.kz/rus/docs/...)
DOCS_PATH = re.compile(r"(?<![\w/.-])docs/[\w./-]*\w")


def scanned_files() -> list[Path]:
    files = []
    for folder in SCANNED:
        for path in sorted((REPO_ROOT / folder).rglob("*")):
            if path.is_file() and path.suffix in SUFFIXES and "__pycache__" not in path.parts:
                files.append(path)
    return files


def lines_matching(pattern: re.Pattern[str]) -> list[tuple[str, int, str]]:
    hits = []
    for path in scanned_files():
        text = path.read_text(encoding="utf-8", errors="replace")
        for number, line in enumerate(text.splitlines(), start=1):
            for match in pattern.finditer(line):
                hits.append((path.relative_to(REPO_ROOT).as_posix(), number, match.group(0)))
    return hits


def test_the_scan_covers_code_rules_and_data():
    names = {p.relative_to(REPO_ROOT).as_posix() for p in scanned_files()}
    assert {"rules/directions.yaml", "engine/core/metrics.py", "data/kazakhstan/SOURCES.md"} <= names


def test_no_citation_of_documents_outside_the_repository():
    hits = lines_matching(OUTSIDE)
    assert not hits, "cite the primary source instead of: " + "; ".join(f"{f}:{n}: {m}" for f, n, m in hits)


def test_cited_docs_exist():
    hits = lines_matching(DOCS_PATH)
    missing = [(f, n, m) for f, n, m in hits if not (REPO_ROOT / m).is_file()]
    assert not missing, "no such file: " + "; ".join(f"{f}:{n}: {m}" for f, n, m in missing)


@pytest.mark.parametrize(
    ("text", "outside"),
    [
        ("(parameters.md topic 4)", True),
        ("see shared reference-data/parameters.md", True),
        ("DESIGN section 10", True),
        ("(DESIGN.md section 5)", True),
        ("DESIGN §4", True),
        ("Smagulova & Sermagambet (2022), direction 3", False),
        ("the design of the programme", False),
    ],
)
def test_outside_pattern(text, outside):
    assert bool(OUTSIDE.search(text)) is outside


@pytest.mark.parametrize(
    ("text", "paths"),
    [
        ("references in docs/sources.md.", ["docs/sources.md"]),
        ("https://adilet.zan.kz/rus/docs/P1900000990", []),
        ("(`docs/notes/a-b.md`)", ["docs/notes/a-b.md"]),
    ],
)
def test_docs_path_pattern(text, paths):
    assert DOCS_PATH.findall(text) == paths
