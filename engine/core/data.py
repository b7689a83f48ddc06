"""Load and check a dataset: territorial units, the indicator panel, adjacency and boundaries.

A dataset is a folder with ``units.csv``, ``indicators.csv`` (long form), ``adjacency.csv`` and
optionally ``distances.csv`` and ``boundaries.geojson`` (see ``data/kazakhstan/schema/``). A planner's
own indicators table (CSV or XLSX, long or wide form) can be checked against a dataset's units and laid
over its indicators.

Territory rule: a row refers to the territory its unit had in that year, and the unit must have existed
that year. Indicator names ending in ``_2022bnd`` are series recalculated to the 2022 boundaries; their
units must exist from 2022 on, whatever the year.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd

from engine.core.errors import DataValidationError, Problem
from engine.core.paths import DEFAULT_DATA_DIR
from engine.core.tables import RawTable, is_finite_number, parse_number, read_table, read_table_bytes

BOUNDARY_SUFFIX = "_2022bnd"
BOUNDARY_YEAR = 2022
LEVELS = ("country", "region", "district", "settlement")
ECONOMIC_TYPES = ("oil", "industrial", "agricultural", "metropolitan", "mixed", "other", "")
POSITIVE_INDICATORS = ("population", "population_2022bnd")

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


@dataclass(frozen=True, eq=False)
class Dataset:
    """Territorial units, the long-form indicator panel, and the adjacency between units.

    ``units`` is indexed by ``unit_id``; ``indicators`` has the columns of :data:`INDICATOR_COLUMNS`
    with ``year`` as int and ``value`` as float; ``adjacency`` has :data:`ADJACENCY_COLUMNS`
    (``valid_from``/``valid_to`` as nullable ints).
    """

    units: pd.DataFrame
    indicators: pd.DataFrame
    adjacency: pd.DataFrame
    distances: pd.DataFrame | None = None
    boundaries_path: Path | None = None
    root: Path | None = None
    successions: pd.DataFrame | None = None
    _value_cache: dict = field(default_factory=dict, compare=False, repr=False)

    # -- units -----------------------------------------------------------------------------------
    def unit_exists(self, unit_id: str, year: int) -> bool:
        row = self.units.loc[unit_id]
        start, end = row["valid_from"], row["valid_to"]
        return (pd.isna(start) or year >= start) and (pd.isna(end) or year <= end)

    def units_in_year(self, year: int, level: str = "region") -> list[str]:
        """Ids of the units of ``level`` that existed in ``year``, sorted."""
        units = self.units[self.units["level"] == level]
        start = units["valid_from"].fillna(-10_000)
        end = units["valid_to"].fillna(10_000)
        return sorted(units.index[(start <= year) & (end >= year)])

    def territory_holder(self, unit_id: str, year: int) -> str:
        """The unit whose territory included ``unit_id``'s territory in ``year``.

        A unit created by a split (``successions.csv``) belonged to its predecessor before it existed:
        Abai in 2019 -> east_kazakhstan; Shymkent in 2016 -> south_kazakhstan.
        """
        current = unit_id
        for _ in range(10):  # successions form short chains
            if self.unit_exists(current, year) or self.successions is None:
                return current
            rows = self.successions[self.successions["unit_id"] == current]
            if rows.empty:
                return current
            current = str(rows.iloc[0]["predecessor_id"])
        return current

    def name(self, unit_id: str, lang: str = "en") -> str:
        if unit_id not in self.units.index:
            return unit_id
        value = self.units.at[unit_id, f"name_{lang}"]
        return str(value) if isinstance(value, str) and value else unit_id

    # -- indicators ------------------------------------------------------------------------------
    def indicator_names(self) -> list[str]:
        return sorted(self.indicators["indicator"].unique())

    def years(self, indicator: str) -> list[int]:
        key = ("years", indicator)
        if key not in self._value_cache:
            rows = self.indicators[self.indicators["indicator"] == indicator]
            self._value_cache[key] = sorted(int(y) for y in rows["year"].unique())
        return list(self._value_cache[key])

    def values(self, indicator: str, year: int, level: str = "region") -> pd.Series:
        """Values of ``indicator`` in ``year`` for the units of ``level`` existing that year.

        Units without a value are left out; the Series is indexed by ``unit_id`` and named
        ``indicator``.
        """
        key = (indicator, year, level)
        if key not in self._value_cache:
            units = self.units_in_year(year, level)
            rows = self.indicators[(self.indicators["indicator"] == indicator)
                                   & (self.indicators["year"] == year)
                                   & (self.indicators["unit_id"].isin(units))]
            series = rows.set_index("unit_id")["value"].astype(float).sort_index()
            series.index.name = "unit_id"
            self._value_cache[key] = series.rename(indicator)
        return self._value_cache[key].copy()

    def panel(self, indicator: str, level: str = "region") -> pd.DataFrame:
        """Wide frame (unit_id x year) of ``indicator`` for units of ``level``."""
        ids = self.units.index[self.units["level"] == level]
        rows = self.indicators[(self.indicators["indicator"] == indicator)
                               & (self.indicators["unit_id"].isin(ids))]
        return rows.pivot(index="unit_id", columns="year", values="value").sort_index()

    def indicator_unit(self, indicator: str) -> str:
        rows = self.indicators.loc[self.indicators["indicator"] == indicator, "unit"]
        return str(rows.iloc[0]) if len(rows) else ""

    def with_indicators(self, table: pd.DataFrame) -> Dataset:
        """A copy whose indicators are this dataset's overlaid by ``table`` (same columns).

        A (unit, year, indicator) present in ``table`` replaces the dataset's row; new ones are added.
        """
        key = ["unit_id", "year", "indicator"]
        kept = self.indicators.merge(table[key], on=key, how="left", indicator=True)
        kept = kept[kept["_merge"] == "left_only"].drop(columns="_merge")
        merged = pd.concat([kept, table[list(INDICATOR_COLUMNS)]], ignore_index=True)
        merged = merged.sort_values(["indicator", "unit_id", "year"]).reset_index(drop=True)
        return Dataset(self.units, merged, self.adjacency, self.distances, self.boundaries_path, self.root,
                       self.successions)

    # -- adjacency -------------------------------------------------------------------------------
    def adjacency_in_year(self, year: int) -> list[tuple[str, str]]:
        adj = self.adjacency
        start = adj["valid_from"].fillna(-10_000)
        end = adj["valid_to"].fillna(10_000)
        rows = adj[(start <= year) & (end >= year)]
        return sorted({tuple(sorted((a, b))) for a, b in zip(rows["unit_a"], rows["unit_b"], strict=True)})


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
    """Maps unit ids and names in Kazakh, Russian or English to unit ids."""

    def __init__(self, units: pd.DataFrame) -> None:
        self._exact: dict[str, str] = {}
        self._short: dict[str, set[str]] = {}
        for unit_id, row in units.iterrows():
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
# Loading a dataset folder
# ---------------------------------------------------------------------------------------------------

def load_dataset(folder: Path | str | None = None) -> Dataset:
    """Load and validate a dataset folder (the default Kazakhstan dataset when ``folder`` is None).

    Raises
    ------
    DataValidationError
        With every problem found in any of the files, each as ``file:row: column: what (value)``.
    """
    root = Path(folder) if folder is not None else DEFAULT_DATA_DIR
    problems: list[Problem] = []
    if not root.is_dir():
        raise DataValidationError([Problem(str(root), "dataset folder not found")])
    units = _load_units(root, problems)
    if units is None:
        raise DataValidationError(problems)
    indicators = pd.DataFrame(columns=list(INDICATOR_COLUMNS))
    raw, read_problems = read_table(root / "indicators.csv", label=_label(root, "indicators.csv"))
    problems += read_problems
    if raw is not None:
        indicators, table_problems = parse_indicator_table(raw, units)
        problems += table_problems
    adjacency = _load_adjacency(root, units, problems)
    distances = _load_distances(root, units, problems)
    successions = _load_successions(root, units, problems)
    boundaries = root / "boundaries.geojson"
    if problems:
        raise DataValidationError(problems)
    return Dataset(units, indicators, adjacency, distances,
                   boundaries if boundaries.exists() else None, root, successions)


def _label(root: Path, name: str) -> str:
    return str(root / name) if root != DEFAULT_DATA_DIR else f"data/kazakhstan/{name}"


def _missing_columns(raw: RawTable, required: tuple[str, ...]) -> list[Problem]:
    return [Problem(raw.name, "missing required column", row=1, column=column)
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


def _records(raw: RawTable) -> list[tuple[int, dict[str, str]]]:
    width = len(raw.header)
    return [(line, dict(zip(raw.header, (cells + [""] * width)[:width], strict=True)))
            for line, cells in raw.rows]


def _optional_year(text: str, raw: RawTable, line: int, column: str, problems: list[Problem]) -> int | None:
    if not text:
        return None
    number = parse_number(text)
    if number is None or not math.isfinite(number) or not float(number).is_integer():
        problems.append(Problem(raw.name, "not a whole year", line, column, text))
        return None
    return int(number)


def _known_units(rec: dict[str, str], columns: tuple[str, ...], units: pd.DataFrame, raw: RawTable, line: int,
                 problems: list[Problem]) -> bool:
    """Whether every one of ``columns`` names a unit of ``units``; each that does not is a problem."""
    unknown = [column for column in columns if rec[column] not in units.index]
    problems += [Problem(raw.name, "unknown unit", line, column, rec[column]) for column in unknown]
    return not unknown


def _load_units(root: Path, problems: list[Problem]) -> pd.DataFrame | None:
    raw = _read_checked(root, "units.csv", ("unit_id", "name_en", "level", "valid_from", "valid_to"), problems)
    if raw is None:
        return None
    records: list[dict] = []
    seen: dict[str, int] = {}
    for line, rec in _records(raw):
        unit_id = rec.get("unit_id", "")
        if not re.fullmatch(r"[a-z0-9_]+", unit_id):
            problems.append(Problem(raw.name, "unit id must be lower-case letters, digits and underscores",
                                    line, "unit_id", unit_id))
            continue
        if unit_id in seen:
            problems.append(Problem(raw.name, f"duplicate unit id (first on row {seen[unit_id]})",
                                    line, "unit_id", unit_id))
            continue
        seen[unit_id] = line
        level = rec.get("level", "")
        if level not in LEVELS:
            problems.append(Problem(raw.name, f"level must be one of {', '.join(LEVELS)}", line, "level", level))
        start = _optional_year(rec.get("valid_from", ""), raw, line, "valid_from", problems)
        end = _optional_year(rec.get("valid_to", ""), raw, line, "valid_to", problems)
        if start is not None and end is not None and start > end:
            problems.append(Problem(raw.name, "valid_from is after valid_to", line, "valid_from", start))
        coords = {}
        for column, low, high in (("lat", 40.0, 56.0), ("lon", 46.0, 88.0)):
            text = rec.get(column, "")
            value = parse_number(text) if text else None
            if text and (value is None or not low <= value <= high):
                problems.append(Problem(raw.name, f"must be a number between {low} and {high} "
                                                  "(inside Kazakhstan)", line, column, text))
                value = None
            coords[column] = value
        area_text = rec.get("area_km2", "")
        area = parse_number(area_text) if area_text else None
        if area_text and (area is None or area <= 0):
            problems.append(Problem(raw.name, "area must be a positive number", line, "area_km2", area_text))
        records.append({**{c: rec.get(c, "") for c in UNIT_COLUMNS}, **coords, "area_km2": area,
                        "valid_from": start, "valid_to": end, "_line": line})
    units = pd.DataFrame.from_records(records, columns=[*UNIT_COLUMNS, "_line"])
    for _, row in units.iterrows():
        parent = row["parent_id"]
        if parent and parent not in seen:
            problems.append(Problem(raw.name, "parent is not a unit in this file", row["_line"],
                                    "parent_id", parent))
    units = units.drop(columns="_line").set_index("unit_id")
    units["valid_from"] = units["valid_from"].astype("Int64")
    units["valid_to"] = units["valid_to"].astype("Int64")
    return units


def _load_adjacency(root: Path, units: pd.DataFrame, problems: list[Problem]) -> pd.DataFrame:
    raw = _read_checked(root, "adjacency.csv", ("unit_a", "unit_b"), problems, optional=True)
    if raw is None:
        return pd.DataFrame({"unit_a": pd.Series(dtype=str), "unit_b": pd.Series(dtype=str),
                             "valid_from": pd.Series(dtype="Int64"), "valid_to": pd.Series(dtype="Int64"),
                             "source": pd.Series(dtype=str)})
    records = []
    for line, rec in _records(raw):
        bad = not _known_units(rec, ("unit_a", "unit_b"), units, raw, line, problems)
        if not bad and rec["unit_a"] == rec["unit_b"]:
            problems.append(Problem(raw.name, "a unit cannot border itself", line, "unit_b", rec["unit_b"]))
            bad = True
        start = _optional_year(rec.get("valid_from", ""), raw, line, "valid_from", problems)
        end = _optional_year(rec.get("valid_to", ""), raw, line, "valid_to", problems)
        if not bad:
            records.append({"unit_a": rec["unit_a"], "unit_b": rec["unit_b"], "valid_from": start,
                            "valid_to": end, "source": rec.get("source", "")})
    frame = pd.DataFrame.from_records(records, columns=list(ADJACENCY_COLUMNS))
    frame["valid_from"] = frame["valid_from"].astype("Int64")
    frame["valid_to"] = frame["valid_to"].astype("Int64")
    return frame


def _optional_frame(root: Path, name: str, columns: tuple[str, ...], problems: list[Problem],
                    record: Callable[[RawTable, int, dict[str, str]], dict | None]) -> pd.DataFrame | None:
    """An optional table of exactly ``columns``: one row per row of the file that ``record`` turns into a record
    (it adds the problems of those it refuses); None when the file is absent or cannot be used."""
    raw = _read_checked(root, name, columns, problems, optional=True)
    if raw is None:
        return None
    records = [kept for line, rec in _records(raw) if (kept := record(raw, line, rec)) is not None]
    return pd.DataFrame.from_records(records, columns=list(columns))


def _load_distances(root: Path, units: pd.DataFrame, problems: list[Problem]) -> pd.DataFrame | None:
    def record(raw: RawTable, line: int, rec: dict[str, str]) -> dict | None:
        km = parse_number(rec["great_circle_km"])
        if not is_finite_number(km) or km is None or km <= 0:
            problems.append(Problem(raw.name, "distance must be a positive number", line, "great_circle_km",
                                    rec["great_circle_km"]))
            return None
        if rec["unit_a"] not in units.index or rec["unit_b"] not in units.index:
            problems.append(Problem(raw.name, "unknown unit", line, "unit_a",
                                    f"{rec['unit_a']}-{rec['unit_b']}"))
            return None
        return {"unit_a": rec["unit_a"], "unit_b": rec["unit_b"], "great_circle_km": km}

    return _optional_frame(root, "distances.csv", ("unit_a", "unit_b", "great_circle_km"), problems, record)


def _load_successions(root: Path, units: pd.DataFrame, problems: list[Problem]) -> pd.DataFrame | None:
    def record(raw: RawTable, line: int, rec: dict[str, str]) -> dict | None:
        known = _known_units(rec, ("unit_id", "predecessor_id"), units, raw, line, problems)
        year = _optional_year(rec["from_year"], raw, line, "from_year", problems)
        if not known or year is None:
            return None
        return {"unit_id": rec["unit_id"], "predecessor_id": rec["predecessor_id"], "from_year": year}

    return _optional_frame(root, "successions.csv", ("unit_id", "predecessor_id", "from_year"), problems, record)


# ---------------------------------------------------------------------------------------------------
# Indicator tables: long or wide
# ---------------------------------------------------------------------------------------------------

def _find_column(header: list[str], aliases: tuple[str, ...]) -> str | None:
    return next((alias for alias in aliases if alias in header), None)


def parse_indicator_table(raw: RawTable, units: pd.DataFrame, year: int | None = None,
                          ) -> tuple[pd.DataFrame, list[Problem]]:
    """Turn a raw table (long or wide form) into long-form indicator rows, gathering every problem.

    Long form has the columns ``unit_id`` (or a unit name column), ``year``, ``indicator`` and
    ``value``; ``unit``, ``source``, ``note`` and ``flag`` are optional. Wide form has a unit column,
    a ``year`` column (or ``year`` given here) and one column per indicator.
    """
    problems: list[Problem] = []
    unit_column = _find_column(raw.header, UNIT_HEADER_ALIASES)
    year_column = _find_column(raw.header, YEAR_HEADER_ALIASES)
    indicator_column = _find_column(raw.header, INDICATOR_HEADER_ALIASES)
    value_column = _find_column(raw.header, VALUE_HEADER_ALIASES)
    long_form = indicator_column is not None or value_column is not None
    if unit_column is None:
        problems.append(Problem(raw.name, "missing required column (a unit id or name)", 1, "unit_id"))
    if long_form:
        for column, found in (("indicator", indicator_column), ("value", value_column), ("year", year_column)):
            if found is None:
                problems.append(Problem(raw.name, "missing required column", 1, column))
    elif year_column is None and year is None:
        problems.append(Problem(raw.name, "missing required column (or give the year with --year)", 1, "year"))
    if problems:
        return _empty_indicators(), problems
    if not raw.rows:
        return _empty_indicators(), [Problem(raw.name, "file has a header but no data rows")]

    resolver = UnitResolver(units)
    records: list[dict] = []
    for line, rec in _records(raw):
        unit_text = rec[unit_column]  # type: ignore[index]
        unit_id = resolver.resolve(unit_text) if unit_text else None
        if unit_id is None:
            message = "missing unit" if not unit_text else "unknown unit: no unit with this id or name"
            problems.append(Problem(raw.name, message, line, unit_column, unit_text or None))
            continue
        row_year = year
        if year_column is not None:
            row_year = _optional_year(rec[year_column], raw, line, year_column, problems)
            if row_year is None and not rec[year_column]:
                problems.append(Problem(raw.name, "missing year", line, year_column))
            if row_year is None:
                continue
        cells = ([(rec[indicator_column], rec[value_column])] if long_form  # type: ignore[index]
                 else [(c, rec[c]) for c in raw.header
                       if c not in (unit_column, year_column) and c and not c.startswith("name")])
        for indicator, text in cells:
            if not long_form and text == "":
                continue  # a wide table may leave an indicator blank for a unit
            records.append({"unit_id": unit_id, "year": row_year, "indicator": normalise_indicator(indicator),
                            "raw_value": text, "unit": rec.get("unit", ""), "source": rec.get("source", ""),
                            "note": rec.get("note", ""), "flag": rec.get("flag", ""), "_line": line,
                            "_column": value_column if long_form else indicator})
    table = check_indicator_records(records, units, raw.name, problems)
    problems.sort(key=lambda p: p.row or 0)  # in file order, as a planner reads the file
    return table, problems


def normalise_indicator(name: str) -> str:
    return re.sub(r"[^a-z0-9_]+", "_", str(name).strip().lower()).strip("_")


def _empty_indicators() -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype=str) for c in INDICATOR_COLUMNS})
    frame["year"] = frame["year"].astype(int)
    frame["value"] = frame["value"].astype(float)
    return frame


def check_indicator_records(records: list[dict], units: pd.DataFrame, name: str,
                            problems: list[Problem]) -> pd.DataFrame:
    """Check parsed rows (value, unit validity, duplicates); append problems; return the good rows."""
    good: list[dict] = []
    seen: dict[tuple[str, int, str], tuple[int, float]] = {}
    # each unit's years of existence, looked up once (a DataFrame row per record takes seconds at 10^5 rows)
    validity = dict(zip(units.index.tolist(), zip(units["valid_from"].tolist(), units["valid_to"].tolist(),
                                                  strict=True), strict=True))
    for rec in records:
        line, column = rec["_line"], rec["_column"]
        if not rec["indicator"]:
            problems.append(Problem(name, "missing indicator name", line, "indicator"))
            continue
        value = parse_number(rec["raw_value"])
        if value is None:
            problems.append(Problem(name, "not a number", line, column, rec["raw_value"] or None))
            continue
        if not math.isfinite(value):
            problems.append(Problem(name, "not a finite number", line, column, rec["raw_value"]))
            continue
        indicator = rec["indicator"]
        if indicator in POSITIVE_INDICATORS and value <= 0:
            problems.append(Problem(name, "population must be positive", line, column, rec["raw_value"]))
            continue
        unit_id, year = rec["unit_id"], rec["year"]
        check_year = max(year, BOUNDARY_YEAR) if indicator.endswith(BOUNDARY_SUFFIX) else year
        start, end = validity[unit_id]
        if (not pd.isna(start) and check_year < start) or (not pd.isna(end) and check_year > end):
            span = f"{'' if pd.isna(start) else start}-{'' if pd.isna(end) else end}"
            problems.append(Problem(name, f"unit {unit_id} did not exist in {year} (it existed {span}); "
                                          f"values on later boundaries go in '{indicator}{BOUNDARY_SUFFIX}'"
                                    if not indicator.endswith(BOUNDARY_SUFFIX)
                                    else f"unit {unit_id} did not exist on the 2022 boundaries",
                                    line, "year", year))
            continue
        key = (unit_id, year, indicator)
        if key in seen:
            first_line, first_value = seen[key]
            if not math.isclose(first_value, value, rel_tol=1e-12, abs_tol=0.0):
                problems.append(Problem(name, f"conflicting duplicate of ({unit_id}, {year}, {indicator}): "
                                              f"row {first_line} has {first_value:g}", line, column,
                                        rec["raw_value"]))
            continue
        seen[key] = (line, value)
        good.append({"unit_id": unit_id, "year": int(year), "indicator": indicator, "value": float(value),
                     "unit": rec["unit"], "source": rec["source"], "note": rec["note"], "flag": rec["flag"]})
    if not good:
        return _empty_indicators()
    frame = pd.DataFrame.from_records(good, columns=list(INDICATOR_COLUMNS))
    return frame.sort_values(["indicator", "unit_id", "year"]).reset_index(drop=True)


@dataclass(frozen=True)
class TableReport:
    """What was read from a planner's table, for a validation report."""

    rows: int
    units: list[str]
    indicators: list[str]
    years: list[int]


def load_indicator_table(path: Path | str | None = None, *, data: bytes | None = None, name: str = "",
                         units: pd.DataFrame | None = None, year: int | None = None,
                         ) -> pd.DataFrame:
    """Read and validate a planner's indicators table (CSV or XLSX, long or wide form).

    Give either ``path`` or ``data`` (bytes of an upload, with its ``name``). Units default to the
    default dataset's.

    Raises
    ------
    DataValidationError
        With every problem found.
    """
    if units is None:
        units = load_dataset().units
    if data is not None:
        raw, problems = read_table_bytes(data, name or "upload")
    else:
        if path is None:
            raise ValueError("give a path or the data")
        raw, problems = read_table(Path(path), label=str(path))
    if raw is None:
        raise DataValidationError(problems)
    table, table_problems = parse_indicator_table(raw, units, year=year)
    if table_problems:
        raise DataValidationError(table_problems)
    return table


def summarise_table(table: pd.DataFrame) -> TableReport:
    return TableReport(rows=len(table), units=sorted(table["unit_id"].unique()),
                       indicators=sorted(table["indicator"].unique()),
                       years=sorted(int(y) for y in table["year"].unique()))
