"""Plane geometry of the district boundary file, with numpy only: centroids, shared borders, points inside.

Coordinates are WGS84 degrees. Areas and centroids are computed on an equirectangular projection around
each polygon's mean latitude (x = lon cos(lat0), y = lat): at district size (under 1,000 km across) the
centroid moves by well under a kilometre against a geodesic computation, which is all a centre point for
great-circle distances needs.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from matplotlib.path import Path as MplPath


@dataclass(frozen=True)
class Shape:
    """One boundary: its outer rings (holes left out: district polygons have none that matter here)."""

    key: str
    rings: tuple[np.ndarray, ...]  # each (n, 2) lon, lat; closed or not
    properties: dict = field(default_factory=dict, compare=False)

    def bounds(self) -> tuple[float, float, float, float]:
        points = np.vstack(self.rings)
        return float(points[:, 0].min()), float(points[:, 1].min()), float(points[:, 0].max()), \
            float(points[:, 1].max())


def load_shapes(path: Path, key: str) -> dict[str, Shape]:
    """Outer rings of every feature of a GeoJSON file, keyed by the property ``key``."""
    doc = json.loads(Path(path).read_text(encoding="utf-8"))
    out = {}
    for feature in doc.get("features", []):
        name = str(feature["properties"][key])
        geometry = feature["geometry"]
        polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        rings = tuple(np.asarray(polygon[0], dtype=float) for polygon in polygons)
        out[name] = Shape(name, rings, dict(feature["properties"]))
    return out


def ring_area_centroid(ring: np.ndarray) -> tuple[float, float, float]:
    """Signed area (degrees^2, x scaled by cos lat0) and centroid (lon, lat) of one ring (shoelace formula).

    >>> area, lon, lat = ring_area_centroid(np.array([[0, 0], [2, 0], [2, 2], [0, 2]], dtype=float))
    >>> round(lon, 6), round(lat, 6)
    (1.0, 1.0)
    """
    lat0 = float(ring[:, 1].mean())
    scale = math.cos(math.radians(lat0))
    x, y = ring[:, 0] * scale, ring[:, 1]
    xs, ys = np.roll(x, -1), np.roll(y, -1)
    cross = x * ys - xs * y
    area = cross.sum() / 2.0
    if abs(area) < 1e-15:
        return 0.0, float(ring[:, 0].mean()), lat0
    cx = ((x + xs) * cross).sum() / (6.0 * area)
    cy = ((y + ys) * cross).sum() / (6.0 * area)
    return float(area), float(cx / scale), float(cy)


def centroid(shape: Shape) -> tuple[float, float]:
    """Area-weighted centroid (lat, lon) of a shape's outer rings."""
    parts = [ring_area_centroid(r) for r in shape.rings]
    total = sum(abs(a) for a, _, _ in parts)
    if total <= 0:
        points = np.vstack(shape.rings)
        return float(points[:, 1].mean()), float(points[:, 0].mean())
    lon = sum(abs(a) * x for a, x, _ in parts) / total
    lat = sum(abs(a) * y for a, _, y in parts) / total
    if not contains(shape, np.array([[lon, lat]]))[0]:  # a crescent-shaped district: its largest ring's vertex mean
        ring = max(shape.rings, key=lambda r: abs(ring_area_centroid(r)[0]))
        inside = sample_points(Shape(shape.key, (ring,)), 1, np.random.default_rng(0))
        lon, lat = float(inside[0, 0]), float(inside[0, 1])
    return float(lat), float(lon)


def contains(shape: Shape, points: np.ndarray) -> np.ndarray:
    """Which of ``points`` (n, 2: lon, lat) lie inside any of the shape's rings."""
    inside = np.zeros(len(points), dtype=bool)
    for ring in shape.rings:
        inside |= MplPath(ring).contains_points(points)
    return inside


def sample_points(shape: Shape, n: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` points drawn uniformly (in degrees) inside the shape, by rejection from its bounding box."""
    if n <= 0:
        return np.zeros((0, 2))
    x0, y0, x1, y1 = shape.bounds()
    found: list[np.ndarray] = []
    have = 0
    for _ in range(200):
        candidates = np.column_stack([rng.uniform(x0, x1, 4 * n + 16), rng.uniform(y0, y1, 4 * n + 16)])
        keep = candidates[contains(shape, candidates)]
        found.append(keep)
        have += len(keep)
        if have >= n:
            break
    points = np.vstack(found) if found else np.zeros((0, 2))
    if len(points) < n:  # a sliver: fall back to the vertices themselves
        vertices = np.vstack(shape.rings)
        points = np.vstack([points, vertices[rng.integers(0, len(vertices), n - len(points))]])
    return points[:n]


def shared_borders(shapes: dict[str, Shape], decimals: int = 5, min_shared: int = 2) -> list[tuple[str, str]]:
    """Pairs of shapes that share at least ``min_shared`` boundary vertices (rounded to ``decimals``).

    Polygons cut from one boundary layer share their common border's vertices exactly, so counting shared
    vertices finds neighbours without a geometry library (as the region adjacency was derived).
    """
    owners: dict[tuple[float, float], set[str]] = defaultdict(set)
    for key, shape in shapes.items():
        for ring in shape.rings:
            for lon, lat in np.round(ring, decimals):
                owners[(float(lon), float(lat))].add(key)
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for keys in owners.values():
        if len(keys) > 1:
            ordered = sorted(keys)
            for i, a in enumerate(ordered):
                for b in ordered[i + 1:]:
                    counts[(a, b)] += 1
    return sorted(pair for pair, count in counts.items() if count >= min_shared)


def nearest_neighbours(points: np.ndarray, k: int) -> list[tuple[int, int]]:
    """Pairs (i, j), i < j, joining each point to its ``k`` nearest others (planar degrees, lon scaled)."""
    n = len(points)
    if n < 2:
        return []
    scale = math.cos(math.radians(float(points[:, 1].mean())))
    xy = np.column_stack([points[:, 0] * scale, points[:, 1]])
    d = ((xy[:, None, :] - xy[None, :, :]) ** 2).sum(axis=2)
    np.fill_diagonal(d, np.inf)
    k = min(k, n - 1)
    nearest = np.argpartition(d, k - 1, axis=1)[:, :k]
    return sorted({(min(i, int(j)), max(i, int(j))) for i in range(n) for j in nearest[i]})
