"""Datasets below the region level in memory and on disk, in the format of :mod:`engine.core.data`.

:func:`dataset_from_frames` gives the :class:`engine.core.data.Dataset` that :func:`engine.core.data.load_dataset`
would read from the files :func:`write_dataset` writes (tests check the round trip), so a benchmark can
skip the disk.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from engine.core.data import ADJACENCY_COLUMNS, INDICATOR_COLUMNS, UNIT_COLUMNS, Dataset


def dataset_from_frames(units: pd.DataFrame, indicators: pd.DataFrame, adjacency: pd.DataFrame) -> Dataset:
    """A :class:`Dataset` from plain frames (the columns of the schema), typed as the loader types them."""
    units = units.copy()
    for column in UNIT_COLUMNS:
        if column not in units.columns:
            units[column] = ""
    for column in ("lat", "lon", "area_km2"):
        units[column] = pd.to_numeric(units[column].replace("", None), errors="coerce").astype(float)
    for column in ("valid_from", "valid_to"):
        units[column] = pd.to_numeric(units[column].replace("", None), errors="coerce").astype("Int64")
    text = [c for c in UNIT_COLUMNS if c not in ("lat", "lon", "area_km2", "valid_from", "valid_to", "unit_id")]
    units[text] = units[text].fillna("").astype(str)
    units["unit_id"] = units["unit_id"].astype(str)
    units = units[list(UNIT_COLUMNS)].set_index("unit_id")
    indicators = indicators[list(INDICATOR_COLUMNS)].copy()
    indicators["year"] = indicators["year"].astype(int)
    indicators["value"] = indicators["value"].astype(float)
    for column in ("unit_id", "indicator", "unit", "source", "note", "flag"):
        indicators[column] = indicators[column].fillna("").astype(str)
    indicators = indicators.sort_values(["indicator", "unit_id", "year"]).reset_index(drop=True)
    adjacency = adjacency[list(ADJACENCY_COLUMNS)].copy()
    for column in ("valid_from", "valid_to"):
        adjacency[column] = pd.to_numeric(adjacency[column].replace("", None), errors="coerce").astype("Int64")
    adjacency[["unit_a", "unit_b", "source"]] = adjacency[["unit_a", "unit_b", "source"]].astype(str)
    return Dataset(units, indicators, adjacency.reset_index(drop=True))


def write_dataset(dataset: Dataset, folder: Path | str, sources: str) -> Path:
    """Write ``units.csv``, ``indicators.csv``, ``adjacency.csv`` and ``SOURCES.md`` into ``folder``."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    units = dataset.units.reset_index()[list(UNIT_COLUMNS)]
    units.to_csv(folder / "units.csv", index=False, encoding="utf-8", float_format="%.6g")
    indicators = dataset.indicators[list(INDICATOR_COLUMNS)]
    indicators.to_csv(folder / "indicators.csv", index=False, encoding="utf-8")
    dataset.adjacency[list(ADJACENCY_COLUMNS)].to_csv(folder / "adjacency.csv", index=False, encoding="utf-8")
    (folder / "SOURCES.md").write_text(sources, encoding="utf-8")
    return folder
