"""Boundaries for maps: the shipped GeoJSON, and which unit each polygon belongs to in a given year.

The boundary file has the 2022 division. A year before a split draws the polygons of the later units in
the colour of the unit that held their territory then (Abai in 2019 shows East Kazakhstan's value).
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from engine.core.data import Dataset


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


def _thin(ring: list[list[float]], max_points: int) -> list[list[float]]:
    """Keep at most ``max_points`` of a ring's points (evenly spaced), closing it again."""
    if len(ring) <= max_points:
        return ring
    step = len(ring) / max_points
    kept = [ring[int(i * step)] for i in range(max_points)]
    return kept + [kept[0]]


@lru_cache(maxsize=4)
def _rings(path: str, max_points: int) -> tuple[tuple[str, tuple[float, ...], tuple[float, ...]], ...]:
    out = []
    for feature in _read_geojson(path)["features"]:
        uid = str(feature["properties"].get("unit_id", ""))
        geometry = feature["geometry"]
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        for polygon in polygons:
            outer = _thin(polygon[0], max_points)  # holes are left out: the enclaves are drawn on top
            if len(outer) >= 4:
                out.append((uid, tuple(p[0] for p in outer), tuple(p[1] for p in outer)))
    # large polygons first, so that enclaves (Astana inside Akmola) are drawn over them
    out.sort(key=lambda ring: -(max(ring[1]) - min(ring[1])) * (max(ring[2]) - min(ring[2])))
    return tuple(out)


def outer_rings(dataset: Dataset, max_points: int = 400) -> list[tuple[str, tuple[float, ...], tuple[float, ...]]]:
    """Each polygon's outer ring as (unit id, longitudes, latitudes), thinned for drawing, largest first.

    Drawn as filled shapes on plain axes, a map needs no tile server and no map library download.
    """
    if dataset.boundaries_path is None:
        return []
    return list(_rings(str(dataset.boundaries_path), max_points))
