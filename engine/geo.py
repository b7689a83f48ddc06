"""Boundaries for maps: the shipped GeoJSON, and which unit each polygon belongs to in a given year.

The boundary file has the 2022 division. A year before a split draws the polygons of the later units in
the colour of the unit that held their territory then (Abai in 2019 shows East Kazakhstan's value).
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from engine.data import Dataset


@lru_cache(maxsize=4)
def _read_geojson(path: str) -> dict[str, Any]:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def load_boundaries(dataset: Dataset) -> dict[str, Any] | None:
    """The dataset's boundary GeoJSON (features carry ``properties.unit_id``), or None when it has none."""
    if dataset.boundaries_path is None:
        return None
    return _read_geojson(str(dataset.boundaries_path))


def polygon_units(dataset: Dataset, year: int) -> dict[str, str]:
    """Map each polygon's unit id to the unit whose value it shows in ``year``."""
    boundaries = load_boundaries(dataset)
    if boundaries is None:
        return {}
    ids = [str(f["properties"].get("unit_id", "")) for f in boundaries["features"]]
    return {uid: dataset.territory_holder(uid, year) for uid in ids if uid in dataset.units.index}
