"""Checking a dataset's files and planners' indicator tables row by row, without building frames.

Everything here is plain Python (no pandas), so that ``roadmap validate`` answers in a fraction of a second;
:mod:`engine.core.data` turns the checked rows into the frames the engine works with.

What a table may say is fixed by the dataset's schema: an indicator must be named in its catalogue
(``schema/indicator_catalogue.csv``; a folder without one uses the default dataset's), with the unit the
catalogue gives. A planner adds a new indicator by declaring it: its rows carry the flag ``new`` and its
unit. Years lie in :data:`FIRST_YEAR`-:data:`LAST_YEAR`, the years a scenario may name.
"""

from __future__ import annotations

import difflib
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from engine.core.errors import DataValidationError, Problem, problem
from engine.core.i18n import Text
from engine.core.paths import DEFAULT_DATA_DIR
from engine.core.tables import RawTable, is_finite_number, parse_number, read_table, read_table_bytes

BOUNDARY_SUFFIX = "_2022bnd"
BOUNDARY_YEAR = 2022
LEVELS = ("country", "region", "district", "settlement")
ECONOMIC_TYPES = ("oil", "industrial", "agricultural", "metropolitan", "mixed", "other", "")
POSITIVE_INDICATORS = ("population", "population_2022bnd")
DEFAULT_INDICATOR = "grp_per_capita"

#: The years data and scenarios may name (a scenario's base year and horizon are checked against the same).
FIRST_YEAR, LAST_YEAR = 1990, 2100
#: No indicator of the schema comes near this in absolute value (national GRP is about 1.3e8 million tenge).
MAX_ABS_VALUE = 1e15
#: The flag that declares a row's indicator new, with the unit on the same row.
NEW_FLAG = "new"
CATALOGUE = Path("schema") / "indicator_catalogue.csv"

UNIT_COLUMNS = ("unit_id", "name_kk", "name_ru", "name_en", "level", "kind", "parent_id", "economic_type",
                "centre", "lat", "lon", "area_km2", "valid_from", "valid_to", "notes")
INDICATOR_COLUMNS = ("unit_id", "year", "indicator", "value", "unit", "source", "note", "flag")
ADJACENCY_COLUMNS = ("unit_a", "unit_b", "valid_from", "valid_to", "source")

# Header names planners use for the unit column, in the order they are tried.
UNIT_HEADER_ALIASES = ("unit_id", "region_id", "region", "unit_name", "name", "регион", "область",
                       "аймақ", "облыс", "name_en", "name_ru", "name_kk")
YEAR_HEADER_ALIASES = ("year", "год", "жыл")
INDICATOR_HEADER_ALIASES = ("indicator", "показатель", "көрсеткіш")
VALUE_HEADER_ALIASES = ("value", "значение", "мән")

# Latin letters that look like Cyrillic ones: a name typed with a Latin "A" in "Атырау" still matches.
_LOOKALIKES = str.maketrans("AaBCcEeHKkMOoPpTXxYy", "АаВСсЕеНКкМОоРрТХхУу")
_KIND_WORDS = re.compile(
    r"\b(region|oblast|city|of|the|область|обл|облысы|город|г|қаласы|каласы|қ|районы|район|ауданы)\b\.?"
)

#: Checked units: unit id -> its record (the columns of :data:`UNIT_COLUMNS`, years as int or None).
Units = dict[str, dict[str, Any]]


# ---------------------------------------------------------------------------------------------------
# The vocabulary: which indicators a dataset knows, in which unit
# ---------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Vocabulary:
    """The indicators of a schema's catalogue and their units."""

    units: dict[str, str]
    source: str

    def knows(self, indicator: str) -> bool:
        return indicator in self.units

    def suggestion(self, indicator: str) -> str | None:
        """The known name closest to ``indicator`` (``grp_per_capitaa`` -> ``grp_per_capita``), if one is close."""
        found = difflib.get_close_matches(indicator, list(self.units), n=1, cutoff=0.75)
        return found[0] if found else None


def catalogue_path(folder: Path | str | None) -> Path:
    """The catalogue a dataset folder's tables are checked against: its own, else the default dataset's."""
    own = Path(folder if folder is not None else DEFAULT_DATA_DIR) / CATALOGUE
    return own if own.exists() else DEFAULT_DATA_DIR / CATALOGUE


def load_vocabulary(folder: Path | str | None = None) -> Vocabulary:
    """The vocabulary of a dataset folder (the default dataset when None); see :func:`catalogue_path`."""
    path = catalogue_path(folder)
    return _vocabulary(path, path.stat().st_mtime_ns if path.exists() else 0)


@lru_cache(maxsize=8)  # the app checks every upload against the same catalogue
def _vocabulary(path: Path, _mtime: int) -> Vocabulary:
    label = _label(path.parent.parent, f"{CATALOGUE.as_posix()}")
    raw, problems = read_table(path, label=label)
    if raw is None:
        raise DataValidationError(problems)
    problems = [problem(raw.name, "pr_missing_column", 1, c)
                for c in ("indicator", "unit") if c not in raw.header]
    if problems:
        raise DataValidationError(problems)
    units: dict[str, str] = {}
    for line, rec in records_of(raw):
        name = rec["indicator"]
        if not name or name != normalise_indicator(name):
            problems.append(problem(raw.name, "pr_indicator_name_form", line, "indicator", name))
        elif name in units:
            problems.append(problem(raw.name, "pr_indicator_twice", line, "indicator", name))
        else:
            units[name] = rec["unit"]
    if problems:
        raise DataValidationError(problems)
    return Vocabulary(units, raw.name)


def _same_unit(a: str, b: str) -> bool:
    return a == b or " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


# ---------------------------------------------------------------------------------------------------
# Unit names
# ---------------------------------------------------------------------------------------------------

@lru_cache(maxsize=1 << 16)  # a table names each unit on many rows
def normalise_name(text: str) -> str:
    """Case-folded name with look-alike Latin letters mapped to Cyrillic in Cyrillic text."""
    s = str(text).replace("\ufeff", "").strip().casefold().replace("ё", "е")
    if re.search(r"[а-яәғқңөұүһі]", s):
        s = s.translate(_LOOKALIKES).casefold()
    s = re.sub(r"[\"'«»()\[\],]", " ", s)
    return re.sub(r"\s+", " ", s).strip()


def _short_name(text: str) -> str:
    return re.sub(r"\s+", " ", _KIND_WORDS.sub(" ", text)).strip()


class UnitResolver:
    """Maps unit ids and names in Kazakh, Russian or English to unit ids.

    ``units`` is checked units (:data:`Units`) or a dataset's units frame (indexed by ``unit_id``).
    """

    def __init__(self, units: Any) -> None:
        self._exact: dict[str, str] = {}
        self._short: dict[str, set[str]] = {}
        rows = units.items() if isinstance(units, dict) else units.iterrows()
        for unit_id, row in rows:
            self._exact[normalise_name(unit_id)] = str(unit_id)
            for column in ("name_en", "name_ru", "name_kk"):
                name = row.get(column)
                if not isinstance(name, str) or not name:
                    continue
                normalised = normalise_name(name)
                self._exact.setdefault(normalised, str(unit_id))
                for part in [normalised, *re.split(r"[()]", name)]:
                    short = _short_name(normalise_name(part))
                    if short:
                        self._short.setdefault(short, set()).add(str(unit_id))

    def resolve(self, text: str) -> str | None:
        """The unit id for ``text``, or None when it names no unit or more than one."""
        key = normalise_name(text)
        if key in self._exact:
            return self._exact[key]
        candidates = self._short.get(_short_name(key), set())
        return next(iter(candidates)) if len(candidates) == 1 else None


# ---------------------------------------------------------------------------------------------------
# A dataset folder
# ---------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class CheckedDataset:
    """A dataset folder's rows, every one checked: what :func:`engine.core.data.load_dataset` builds frames of."""

    root: Path
    units: Units
    indicators: list[dict[str, Any]]  # sorted by indicator, unit, year
    adjacency: list[dict[str, Any]] | None  # None: no adjacency.csv
    distances: list[dict[str, Any]] | None
    successions: list[dict[str, Any]] | None
    boundaries_path: Path | None
    vocabulary: Vocabulary


def check_dataset(folder: Path | str | None = None) -> CheckedDataset:
    """Check a dataset folder (the default Kazakhstan dataset when ``folder`` is None).

    Raises
    ------
    DataValidationError
        With every problem found in any of the files, each as ``file:row: column: what (value)``.
    """
    root = Path(folder) if folder is not None else DEFAULT_DATA_DIR
    problems: list[Problem] = []
    if not root.is_dir():
        raise DataValidationError([problem(str(root), "pr_dataset_not_found")])
    vocabulary = load_vocabulary(root)
    units = _check_units(root, problems)
    if units is None:
        raise DataValidationError(problems)
    indicators: list[dict[str, Any]] = []
    raw, read_problems = read_table(root / "indicators.csv", label=_label(root, "indicators.csv"))
    problems += read_problems
    if raw is not None:
        indicators, table_problems = check_indicator_table(raw, units, vocabulary)
        problems += table_problems
    adjacency = _check_adjacency(root, units, problems)
    distances = _check_distances(root, units, problems)
    successions = _check_successions(root, units, problems)
    boundaries = root / "boundaries.geojson"
    if problems:
        raise DataValidationError(problems)
    return CheckedDataset(root, units, indicators, adjacency, distances, successions,
                          boundaries if boundaries.exists() else None, vocabulary)


def _label(root: Path, name: str) -> str:
    return str(root / name) if root != DEFAULT_DATA_DIR else f"data/kazakhstan/{name}"


def _missing_columns(raw: RawTable, required: tuple[str, ...]) -> list[Problem]:
    return [problem(raw.name, "pr_missing_column", 1, column)
            for column in required if column not in raw.header]


def _read_checked(root: Path, name: str, required: tuple[str, ...], problems: list[Problem], *,
                  optional: bool = False) -> RawTable | None:
    """Read ``root/name`` and check its required columns, adding what is wrong to ``problems``.

    None when the table cannot be used; an optional table that is absent is None with no problem.
    """
    path = root / name
    if optional and not path.exists():
        return None
    raw, read_problems = read_table(path, label=_label(root, name))
    problems += read_problems
    if raw is None:
        return None
    missing = _missing_columns(raw, required)
    problems += missing
    return None if missing else raw


def records_of(raw: RawTable) -> list[tuple[int, dict[str, str]]]:
    """Each row of ``raw`` as a mapping of the header to its cells (short rows padded with blanks)."""
    header, width = raw.header, len(raw.header)
    return [(line, dict(zip(header, cells if len(cells) == width else (cells + [""] * width)[:width], strict=True)))
            for line, cells in raw.rows]


def year_problem(name: str, year: int, line: int | None, column: str) -> Problem | None:
    """The problem of a year outside :data:`FIRST_YEAR`-:data:`LAST_YEAR`, or None for a year inside."""
    if FIRST_YEAR <= year <= LAST_YEAR:
        return None
    return problem(name, "pr_year_outside", line, column, year, first=FIRST_YEAR, last=LAST_YEAR)


@lru_cache(maxsize=1024)  # a table names few distinct years on many rows
def _whole_number(text: str) -> int | None:
    number = parse_number(text)
    if number is None or not math.isfinite(number) or not float(number).is_integer():
        return None
    return int(number)


def _optional_year(text: str, raw: RawTable, line: int, column: str, problems: list[Problem]) -> int | None:
    if not text:
        return None
    number = _whole_number(text)
    if number is None:
        problems.append(problem(raw.name, "pr_not_whole_year", line, column, text))
        return None
    outside = year_problem(raw.name, number, line, column)
    if outside is not None:
        problems.append(outside)
        return None
    return number


def _known_units(rec: dict[str, str], columns: tuple[str, ...], units: Units, raw: RawTable, line: int,
                 problems: list[Problem]) -> bool:
    """Whether every one of ``columns`` names a unit of ``units``; each that does not is a problem."""
    unknown = [column for column in columns if rec[column] not in units]
    problems += [problem(raw.name, "pr_unknown_unit", line, column, rec[column]) for column in unknown]
    return not unknown


def _check_units(root: Path, problems: list[Problem]) -> Units | None:
    raw = _read_checked(root, "units.csv", ("unit_id", "name_en", "level", "valid_from", "valid_to"), problems)
    if raw is None:
        return None
    units: Units = {}
    lines: dict[str, int] = {}
    for line, rec in records_of(raw):
        unit_id = rec.get("unit_id", "")
        if not re.fullmatch(r"[a-z0-9_]+", unit_id):
            problems.append(problem(raw.name, "pr_unit_id_form", line, "unit_id", unit_id))
            continue
        if unit_id in lines:
            problems.append(problem(raw.name, "pr_duplicate_unit", line, "unit_id", unit_id,
                                    row=lines[unit_id]))
            continue
        lines[unit_id] = line
        level = rec.get("level", "")
        if level not in LEVELS:
            problems.append(problem(raw.name, "pr_level_one_of", line, "level", level,
                                    levels=", ".join(LEVELS)))
        start = _optional_year(rec.get("valid_from", ""), raw, line, "valid_from", problems)
        end = _optional_year(rec.get("valid_to", ""), raw, line, "valid_to", problems)
        if start is not None and end is not None and start > end:
            problems.append(problem(raw.name, "pr_valid_from_after", line, "valid_from", start))
        coords = {}
        for column, low, high in (("lat", 40.0, 56.0), ("lon", 46.0, 88.0)):
            text = rec.get(column, "")
            value = parse_number(text) if text else None
            if text and (value is None or not low <= value <= high):
                problems.append(problem(raw.name, "pr_coordinate", line, column, text, low=low, high=high))
                value = None
            coords[column] = value
        area_text = rec.get("area_km2", "")
        area = parse_number(area_text) if area_text else None
        if area_text and (area is None or area <= 0):
            problems.append(problem(raw.name, "pr_area_positive", line, "area_km2", area_text))
        units[unit_id] = {**{c: rec.get(c, "") for c in UNIT_COLUMNS}, **coords, "area_km2": area,
                          "valid_from": start, "valid_to": end}
    for unit_id, unit in units.items():
        parent = unit["parent_id"]
        if parent and parent not in lines:
            problems.append(problem(raw.name, "pr_parent_unknown", lines[unit_id], "parent_id", parent))
    return units


def _check_adjacency(root: Path, units: Units, problems: list[Problem]) -> list[dict[str, Any]] | None:
    raw = _read_checked(root, "adjacency.csv", ("unit_a", "unit_b"), problems, optional=True)
    if raw is None:
        return None
    records = []
    for line, rec in records_of(raw):
        bad = not _known_units(rec, ("unit_a", "unit_b"), units, raw, line, problems)
        if not bad and rec["unit_a"] == rec["unit_b"]:
            problems.append(problem(raw.name, "pr_borders_itself", line, "unit_b", rec["unit_b"]))
            bad = True
        start = _optional_year(rec.get("valid_from", ""), raw, line, "valid_from", problems)
        end = _optional_year(rec.get("valid_to", ""), raw, line, "valid_to", problems)
        if not bad:
            records.append({"unit_a": rec["unit_a"], "unit_b": rec["unit_b"], "valid_from": start,
                            "valid_to": end, "source": rec.get("source", "")})
    return records


def _check_distances(root: Path, units: Units, problems: list[Problem]) -> list[dict[str, Any]] | None:
    raw = _read_checked(root, "distances.csv", ("unit_a", "unit_b", "great_circle_km"), problems, optional=True)
    if raw is None:
        return None
    records = []
    for line, rec in records_of(raw):
        km = parse_number(rec["great_circle_km"])
        if not is_finite_number(km) or km is None or km <= 0:
            problems.append(problem(raw.name, "pr_distance_positive", line, "great_circle_km",
                                    rec["great_circle_km"]))
        elif rec["unit_a"] not in units or rec["unit_b"] not in units:
            problems.append(problem(raw.name, "pr_unknown_unit", line, "unit_a", f"{rec['unit_a']}-{rec['unit_b']}"))
        else:
            records.append({"unit_a": rec["unit_a"], "unit_b": rec["unit_b"], "great_circle_km": km})
    return records


def _check_successions(root: Path, units: Units, problems: list[Problem]) -> list[dict[str, Any]] | None:
    raw = _read_checked(root, "successions.csv", ("unit_id", "predecessor_id", "from_year"), problems,
                        optional=True)
    if raw is None:
        return None
    records = []
    for line, rec in records_of(raw):
        known = _known_units(rec, ("unit_id", "predecessor_id"), units, raw, line, problems)
        year = _optional_year(rec["from_year"], raw, line, "from_year", problems)
        if known and year is not None:
            records.append({"unit_id": rec["unit_id"], "predecessor_id": rec["predecessor_id"], "from_year": year})
    return records


# ---------------------------------------------------------------------------------------------------
# Indicator tables: long or wide
# ---------------------------------------------------------------------------------------------------

def _find_column(header: list[str], aliases: tuple[str, ...]) -> str | None:
    return next((alias for alias in aliases if alias in header), None)


@lru_cache(maxsize=4096)  # a long table repeats each name on many rows
def normalise_indicator(name: str) -> str:
    return re.sub(r"[^a-z0-9_]+", "_", str(name).strip().lower()).strip("_")


def check_indicator_table(raw: RawTable, units: Units, vocabulary: Vocabulary, year: int | None = None,
                          ) -> tuple[list[dict[str, Any]], list[Problem]]:
    """Turn a raw table (long or wide form) into checked long-form rows, gathering every problem.

    Long form has the columns ``unit_id`` (or a unit name column), ``year``, ``indicator`` and
    ``value``; ``unit``, ``source``, ``note`` and ``flag`` are optional. Wide form has a unit column,
    a ``year`` column (or ``year`` given here) and one column per indicator. The rows come back sorted by
    indicator, unit and year; the problems in file order.
    """
    problems: list[Problem] = []
    unit_column = _find_column(raw.header, UNIT_HEADER_ALIASES)
    year_column = _find_column(raw.header, YEAR_HEADER_ALIASES)
    indicator_column = _find_column(raw.header, INDICATOR_HEADER_ALIASES)
    value_column = _find_column(raw.header, VALUE_HEADER_ALIASES)
    long_form = indicator_column is not None or value_column is not None
    if unit_column is None:
        problems.append(problem(raw.name, "pr_missing_unit_column", 1, "unit_id"))
    if long_form:
        for column, found in (("indicator", indicator_column), ("value", value_column), ("year", year_column)):
            if found is None:
                problems.append(problem(raw.name, "pr_missing_column", 1, column))
    elif year_column is None and year is None:
        problems.append(problem(raw.name, "pr_missing_year_column", 1, "year"))
    if year is not None and year_column is None:
        outside = year_problem(raw.name, year, None, "year")
        if outside is not None:
            problems.append(problem(raw.name, "pr_table_year_outside", None, "year", year,
                                            first=FIRST_YEAR, last=LAST_YEAR))
    if problems:
        return [], problems
    if not raw.rows:
        return [], [problem(raw.name, "pr_no_rows")]
    if not long_form:
        indicator_columns = [c for c in raw.header
                             if c not in (unit_column, year_column) and c and not c.startswith("name")]
        problems += _unknown_headers(raw.name, indicator_columns, vocabulary)
        known_columns = [c for c in indicator_columns if vocabulary.knows(normalise_indicator(c))]

    resolver = UnitResolver(units)
    records: list[dict] = []
    for line, rec in records_of(raw):
        unit_text = rec[unit_column]  # type: ignore[index]
        unit_id = resolver.resolve(unit_text) if unit_text else None
        if unit_id is None:
            key = "pr_missing_unit" if not unit_text else "pr_unknown_unit_name"
            problems.append(problem(raw.name, key, line, unit_column, unit_text or None))
            continue
        row_year = year
        if year_column is not None:
            row_year = _optional_year(rec[year_column], raw, line, year_column, problems)
            if row_year is None and not rec[year_column]:
                problems.append(problem(raw.name, "pr_missing_year", line, year_column))
            if row_year is None:
                continue
        cells = ([(rec[indicator_column], rec[value_column])] if long_form  # type: ignore[index]
                 else [(c, rec[c]) for c in known_columns])
        for indicator, text in cells:
            if not long_form and text == "":
                continue  # a wide table may leave an indicator blank for a unit
            records.append({"unit_id": unit_id, "year": row_year, "indicator": normalise_indicator(indicator),
                            "raw_indicator": indicator, "raw_value": text, "unit": rec.get("unit", ""),
                            "source": rec.get("source", ""), "note": rec.get("note", ""),
                            "flag": rec.get("flag", ""), "_line": line,
                            "_column": value_column if long_form else indicator})
    if long_form:
        records = _known_indicators(records, raw.name, vocabulary, problems)
    table = check_indicator_records(records, units, raw.name, problems)
    problems.sort(key=lambda p: p.row or 0)  # in file order, as a planner reads the file
    return table, problems


def _unknown(name: str, vocabulary: Vocabulary, more: int = 0) -> dict[str, object]:
    """The values of ``pr_unknown_indicator``: where else it stands, the closest known name, the schema."""
    close = vocabulary.suggestion(name)
    here = Text("pr_more_row", {"count": more}) if more == 1 else Text("pr_more_rows", {"count": more}) if more else ""
    guess = Text("pr_did_you_mean", {"name": close}) if close else ""
    return {"here": here, "source": vocabulary.source, "guess": guess, "flag": NEW_FLAG}


def _unknown_headers(name: str, columns: list[str], vocabulary: Vocabulary) -> list[Problem]:
    """A wide table's indicator columns the schema does not know (a new one is declared in long form)."""
    return [problem(name, "pr_unknown_indicator", 1, c, c, **_unknown(normalise_indicator(c), vocabulary))
            for c in columns if not vocabulary.knows(normalise_indicator(c))]


def _known_indicators(records: list[dict], name: str, vocabulary: Vocabulary,
                      problems: list[Problem]) -> list[dict]:
    """The records whose indicator the schema knows or the table declares (flag ``new`` with a unit), and each
    unit that is not the indicator's; one problem per unknown indicator, at its first row."""
    declared: dict[str, str] = {}
    unitless: set[str] = set()  # flagged new without a unit: that is the one problem said of them
    for rec in records:
        indicator = rec["indicator"]
        if rec["flag"].strip().casefold() != NEW_FLAG or not indicator or vocabulary.knows(indicator):
            continue
        if not rec["unit"]:
            problems.append(problem(name, "pr_new_indicator_unit", rec["_line"], "unit"))
            unitless.add(indicator)
        else:
            declared.setdefault(indicator, rec["unit"])
    kept: list[dict] = []
    unknown: dict[str, list[dict]] = {}
    for rec in records:
        indicator = rec["indicator"]
        if not indicator:
            kept.append(rec)  # reported as a missing name later
            continue
        expected = vocabulary.units.get(indicator, declared.get(indicator))
        if expected is None:
            unknown.setdefault(indicator, []).append(rec)
            continue
        if rec["unit"] and not _same_unit(rec["unit"], expected):
            source = vocabulary.source if vocabulary.knows(indicator) else Text("pr_its_declaration")
            problems.append(problem(name, "pr_unit_mismatch", rec["_line"], "unit", rec["unit"],
                                    indicator=indicator, expected=expected, source=source))
            continue
        kept.append(rec)
    for indicator, rows in unknown.items():
        if indicator not in unitless or indicator in declared:
            problems.append(problem(name, "pr_unknown_indicator", rows[0]["_line"], "indicator",
                                    rows[0]["raw_indicator"], **_unknown(indicator, vocabulary, len(rows) - 1)))
    return kept


def check_indicator_records(records: list[dict], units: Units, name: str,
                            problems: list[Problem]) -> list[dict[str, Any]]:
    """Check parsed rows (value, unit validity, duplicates); append problems; return the good rows, sorted."""
    good: list[dict] = []
    seen: dict[tuple[str, int, str], tuple[int, float]] = {}
    for rec in records:
        line, column = rec["_line"], rec["_column"]
        if not rec["indicator"]:
            problems.append(problem(name, "pr_missing_indicator", line, "indicator"))
            continue
        value = parse_number(rec["raw_value"])
        if value is None:
            problems.append(problem(name, "pr_not_number", line, column, rec["raw_value"] or None))
            continue
        if not math.isfinite(value):
            problems.append(problem(name, "pr_not_finite", line, column, rec["raw_value"]))
            continue
        if abs(value) > MAX_ABS_VALUE:
            problems.append(problem(name, "pr_too_large", line, column, rec["raw_value"],
                                    limit=f"{MAX_ABS_VALUE:g}"))
            continue
        indicator = rec["indicator"]
        if indicator in POSITIVE_INDICATORS and value <= 0:
            problems.append(problem(name, "pr_population_positive", line, column, rec["raw_value"]))
            continue
        unit_id, year = rec["unit_id"], rec["year"]
        check_year = max(year, BOUNDARY_YEAR) if indicator.endswith(BOUNDARY_SUFFIX) else year
        start, end = units[unit_id]["valid_from"], units[unit_id]["valid_to"]
        if (start is not None and check_year < start) or (end is not None and check_year > end):
            span = f"{'' if start is None else start}-{'' if end is None else end}"
            problems.append(problem(name, "pr_unit_not_then", line, "year", year, unit=unit_id, year=year,
                                    span=span, indicator=f"{indicator}{BOUNDARY_SUFFIX}")
                            if not indicator.endswith(BOUNDARY_SUFFIX)
                            else problem(name, "pr_unit_not_on_2022", line, "year", year, unit=unit_id))
            continue
        key = (unit_id, year, indicator)
        if key in seen:
            first_line, first_value = seen[key]
            if not math.isclose(first_value, value, rel_tol=1e-12, abs_tol=0.0):
                problems.append(problem(name, "pr_conflicting_duplicate", line, column, rec["raw_value"],
                                        unit=unit_id, year=year, indicator=indicator, row=first_line,
                                        first=first_value))
            continue
        seen[key] = (line, value)
        good.append({"unit_id": unit_id, "year": int(year), "indicator": indicator, "value": float(value),
                     "unit": rec["unit"], "source": rec["source"], "note": rec["note"], "flag": rec["flag"]})
    good.sort(key=lambda r: (r["indicator"], r["unit_id"], r["year"]))
    return good


def check_indicator_file(path: Path | str | None = None, *, data: bytes | None = None, name: str = "",
                         units: Units | None = None, vocabulary: Vocabulary | None = None,
                         year: int | None = None) -> list[dict[str, Any]]:
    """Read and check a planner's indicators table (CSV or XLSX, long or wide form): its checked rows.

    Give either ``path`` or ``data`` (bytes of an upload, with its ``name``). Units and vocabulary default to
    the default dataset's.

    Raises
    ------
    DataValidationError
        With every problem found.
    """
    if units is None:
        units = check_dataset().units
    if vocabulary is None:
        vocabulary = load_vocabulary()
    if data is not None:
        raw, problems = read_table_bytes(data, name or "upload")
    else:
        if path is None:
            raise ValueError("give a path or the data")
        raw, problems = read_table(Path(path), label=str(path))
    if raw is None:
        raise DataValidationError(problems)
    table, table_problems = check_indicator_table(raw, units, vocabulary, year=year)
    if table_problems:
        raise DataValidationError(table_problems)
    return table


@dataclass(frozen=True)
class TableReport:
    """What was read from a planner's table, for a validation report."""

    rows: int
    units: list[str]
    indicators: list[str]
    years: list[int]


def summarise_records(records: list[dict[str, Any]]) -> TableReport:
    return TableReport(rows=len(records), units=sorted({r["unit_id"] for r in records}),
                       indicators=sorted({r["indicator"] for r in records}),
                       years=sorted({int(r["year"]) for r in records}))
