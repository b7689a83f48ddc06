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

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from engine.core.errors import Problem
from engine.core.paths import DEFAULT_DATA_DIR
from engine.core.tables import RawTable
from engine.core.validation import (  # the row-by-row checks, re-exported where callers have always found them
    ADJACENCY_COLUMNS,
    BOUNDARY_SUFFIX,
    BOUNDARY_YEAR,
    ECONOMIC_TYPES,
    INDICATOR_COLUMNS,
    LEVELS,
    POSITIVE_INDICATORS,
    UNIT_COLUMNS,
    CheckedDataset,
    TableReport,
    UnitResolver,
    Units,
    Vocabulary,
    check_dataset,
    check_indicator_file,
    check_indicator_table,
    load_vocabulary,
    normalise_indicator,
    normalise_name,
    summarise_records,
)

__all__ = ["ADJACENCY_COLUMNS", "BOUNDARY_SUFFIX", "BOUNDARY_YEAR", "DEFAULT_DATA_DIR", "ECONOMIC_TYPES",
           "INDICATOR_COLUMNS", "LEVELS", "POSITIVE_INDICATORS", "UNIT_COLUMNS", "Dataset", "TableReport",
           "UnitResolver", "dataset_from_checked", "load_dataset", "load_indicator_table", "normalise_indicator",
           "normalise_name", "parse_indicator_table", "summarise_table", "unit_records"]


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
        key = ("units_in_year", year, level)
        if key not in self._value_cache:
            units = self.units[self.units["level"] == level]
            start = units["valid_from"].fillna(-10_000)
            end = units["valid_to"].fillna(10_000)
            self._value_cache[key] = sorted(units.index[(start <= year) & (end >= year)])
        return list(self._value_cache[key])

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
# Frames of checked rows
# ---------------------------------------------------------------------------------------------------

def load_dataset(folder: Path | str | None = None) -> Dataset:
    """Load and validate a dataset folder (the default Kazakhstan dataset when ``folder`` is None).

    Raises
    ------
    DataValidationError
        With every problem found in any of the files, each as ``file:row: column: what (value)``.
    """
    return dataset_from_checked(check_dataset(folder))


def dataset_from_checked(checked: CheckedDataset) -> Dataset:
    """The :class:`Dataset` of a checked folder."""
    units = pd.DataFrame.from_records([{"unit_id": unit_id, **{c: u[c] for c in UNIT_COLUMNS if c != "unit_id"}}
                                       for unit_id, u in checked.units.items()], columns=list(UNIT_COLUMNS))
    units = units.set_index("unit_id")
    units["valid_from"] = units["valid_from"].astype("Int64")
    units["valid_to"] = units["valid_to"].astype("Int64")
    if checked.adjacency is None:
        adjacency = pd.DataFrame({"unit_a": pd.Series(dtype=str), "unit_b": pd.Series(dtype=str),
                                  "valid_from": pd.Series(dtype="Int64"), "valid_to": pd.Series(dtype="Int64"),
                                  "source": pd.Series(dtype=str)})
    else:
        adjacency = pd.DataFrame.from_records(checked.adjacency, columns=list(ADJACENCY_COLUMNS))
        adjacency["valid_from"] = adjacency["valid_from"].astype("Int64")
        adjacency["valid_to"] = adjacency["valid_to"].astype("Int64")
    distances = (None if checked.distances is None else
                 pd.DataFrame.from_records(checked.distances, columns=["unit_a", "unit_b", "great_circle_km"]))
    successions = (None if checked.successions is None else
                   pd.DataFrame.from_records(checked.successions, columns=["unit_id", "predecessor_id", "from_year"]))
    return Dataset(units, _indicator_frame(checked.indicators), adjacency, distances, checked.boundaries_path,
                   checked.root, successions)


def unit_records(units: pd.DataFrame) -> Units:
    """A units frame (indexed by ``unit_id``) as the checks take it: unit id -> record, years as int or None."""
    records: Units = {}
    for unit_id, row in zip(units.index.tolist(), units.to_dict("records"), strict=True):
        rec = {k: (None if k in ("valid_from", "valid_to") and pd.isna(v) else v) for k, v in row.items()}
        for k in ("valid_from", "valid_to"):
            rec[k] = None if rec.get(k) is None else int(rec[k])
        records[str(unit_id)] = rec
    return records


def _indicator_frame(rows: list[dict]) -> pd.DataFrame:
    if not rows:
        frame = pd.DataFrame({c: pd.Series(dtype=str) for c in INDICATOR_COLUMNS})
        frame["year"] = frame["year"].astype(int)
        frame["value"] = frame["value"].astype(float)
        return frame
    return pd.DataFrame.from_records(rows, columns=list(INDICATOR_COLUMNS))  # already sorted by the check


def _units_and_vocabulary(units: pd.DataFrame | None, vocabulary: Vocabulary | None,
                          ) -> tuple[Units, Vocabulary]:
    if units is None:
        checked = check_dataset()
        return checked.units, vocabulary or checked.vocabulary
    return unit_records(units), vocabulary or load_vocabulary()


def parse_indicator_table(raw: RawTable, units: pd.DataFrame, year: int | None = None,
                          vocabulary: Vocabulary | None = None) -> tuple[pd.DataFrame, list[Problem]]:
    """Turn a raw table (long or wide form) into long-form indicator rows, gathering every problem; see
    :func:`engine.core.validation.check_indicator_table`. The vocabulary defaults to the default dataset's."""
    unit_map, vocabulary = _units_and_vocabulary(units, vocabulary)
    rows, problems = check_indicator_table(raw, unit_map, vocabulary, year=year)
    return _indicator_frame(rows), problems


def load_indicator_table(path: Path | str | None = None, *, data: bytes | None = None, name: str = "",
                         units: pd.DataFrame | None = None, year: int | None = None,
                         vocabulary: Vocabulary | None = None) -> pd.DataFrame:
    """Read and validate a planner's indicators table (CSV or XLSX, long or wide form).

    Give either ``path`` or ``data`` (bytes of an upload, with its ``name``). Units and the vocabulary of
    indicators default to the default dataset's.

    Raises
    ------
    DataValidationError
        With every problem found.
    """
    unit_map, vocabulary = _units_and_vocabulary(units, vocabulary)
    # the same reading and checks as `roadmap validate` and the app's upload (engine.core.validation)
    return _indicator_frame(check_indicator_file(path, data=data, name=name, units=unit_map, vocabulary=vocabulary,
                                                 year=year))


def summarise_table(table: pd.DataFrame) -> TableReport:
    return summarise_records(table.to_dict("records"))
