"""Reading an allocation a planner (or ``roadmap solve --json``) wrote: CSV, XLSX or JSON.

Columns ``unit_id, direction, year, bn_kzt`` (and optionally ``part``). A JSON file is either a list of
such objects or an object with an ``allocation`` list (the shape ``roadmap solve --json`` writes). Every
bad row is reported with its line (CSV/XLSX) or index (JSON), before anything is built.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from engine.core.errors import DataValidationError, problem
from engine.core.tables import is_finite_number, normalise_header, parse_number, read_table

REQUIRED = ("unit_id", "direction", "year", "bn_kzt")
MAX_JSON_BYTES = 20 * 1024 * 1024


def load_allocation(path: Path | str) -> pd.DataFrame:
    """The allocation in ``path`` as a frame ``unit_id, direction, year, bn_kzt[, part]``.

    Raises
    ------
    DataValidationError
        Naming the file, row and column of every problem.
    """
    path = Path(path)
    name = str(path)
    if path.suffix.lower() == ".json":
        records = _json_records(path, name)
    else:
        table, problems = read_table(path, name)
        if table is None:
            raise DataValidationError(problems)
        header = [normalise_header(h) for h in table.header]
        missing = [c for c in REQUIRED if c not in header]
        if missing:
            raise DataValidationError([problem(name, "pr_missing_column_plain", None, c) for c in missing])
        records = [(line, dict(zip(header, values, strict=False))) for line, values in table.rows]
    problems = []
    rows = []
    for line, record in records:
        unit = str(record.get("unit_id", "") or "").strip()
        direction = str(record.get("direction", "") or "").strip()
        if not unit:
            problems.append(problem(name, "pr_empty_unit_id", line, "unit_id"))
        if not direction:
            problems.append(problem(name, "pr_empty_direction", line, "direction"))
        year = _number(record.get("year"))
        if year is None or year != int(year):
            problems.append(problem(name, "pr_must_be_year", line, "year", record.get("year")))
        amount = _number(record.get("bn_kzt"))
        if amount is None:
            problems.append(problem(name, "pr_bn_number", line, "bn_kzt", record.get("bn_kzt")))
        if unit and direction and year is not None and year == int(year) and amount is not None:
            row = {"unit_id": unit, "direction": direction, "year": int(year), "bn_kzt": amount}
            if record.get("part") not in (None, ""):
                row["part"] = str(record["part"]).strip()
            rows.append(row)
    if problems:
        raise DataValidationError(problems)
    frame = pd.DataFrame(rows, columns=[*REQUIRED, "part"])
    if frame["part"].isna().all():
        frame = frame.drop(columns="part")
    return frame


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    number = float(value) if isinstance(value, int | float) else parse_number(value)
    return number if is_finite_number(number) else None


def _json_records(path: Path, name: str) -> list[tuple[int, dict[str, Any]]]:
    if not path.is_file():
        raise DataValidationError([problem(name, "pr_file_not_found")])
    if path.stat().st_size > MAX_JSON_BYTES:
        raise DataValidationError([problem(name, "pr_larger_than_mb", mb=MAX_JSON_BYTES // (1024 * 1024))])
    try:
        doc = json.loads(path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DataValidationError([problem(name, "pr_bad_json", reason=str(exc))]) from None
    items = doc.get("allocation") if isinstance(doc, dict) else doc
    if not isinstance(items, list):
        raise DataValidationError([problem(name, "pr_allocation_rows", None, "allocation")])
    out = []
    problems = []
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            problems.append(problem(name, "pr_allocation_row", None, f"allocation[{index}]"))
            continue
        out.append((index + 1, {normalise_header(k): v for k, v in item.items()}))
    if problems:
        raise DataValidationError(problems)
    return out
