"""A generated settlement-level dataset: Kazakhstan's rural settlements, calibrated, clearly labelled.

No settlement-level statistics are in the stored sources, so ``roadmap synth settlements`` *generates*
one, for benchmarks, tests and training, never as data about real places. What it is calibrated to:

* **counts**: 6,293 rural settlements in total (KATO / ru-Wikipedia, 1 July 2022); per region the official
  count where ``districts/settlements.csv`` has one (Akmola, North Kazakhstan, Turkistan, West Kazakhstan,
  Mangystau, Almaty region, Karaganda), else the KATO 2022 count scaled so the regions add up to the
  national total; per district by the KATO 2022 counts of rural localities (largest remainder);
* **population**: each region's rural population (``population_2022bnd - population_urban_2022bnd``) every
  year, shared by lognormal weights (sigma :data:`SIZE_SIGMA`); a district's centre weighs
  :data:`CENTRE_WEIGHT` villages; small villages shrink faster (:data:`SIZE_DRIFT`); the urban population
  goes to one settlement per city of regional significance and urban district (the district dataset's
  estimates) and one town per district town (:data:`engine.core.scale.districts.TOWN_SIZE`), scaled to the
  region's urban population. Settlements of a region add up to its population every year;
* **GRP per capita**: the region's value times a factor by kind (:data:`KIND_FACTOR`) and lognormal noise,
  normalised so the region's GRP is kept every year.

Settlements lie at random points inside their district's polygon (towns and district centres at its
centroid); each is joined to its three nearest neighbours in the district, and district centres to those
of neighbouring districts. Every unit's ``notes``, every value's ``flag`` (``generated``) and the written
``SOURCES.md`` say the data are generated; the same seed gives the same files.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np
import pandas as pd

from engine.core.data import UNIT_COLUMNS, Dataset, load_dataset
from engine.core.scale.districts import (
    DISTRICTS_DIR,
    HOST_POLYGON,
    REGION_INDICATORS,
    TOWN_SIZE,
    build_district_dataset,
    read_district_rows,
)
from engine.core.scale.geometry import load_shapes, nearest_neighbours, sample_points
from engine.core.scale.writer import dataset_from_frames

NATIONAL_COUNT = 6293  # villages, 1 July 2022 (districts/settlements.csv: villages_count)
SIZE_SIGMA = 1.4  # assumption: about a tenth of villages under 50 residents (West Kazakhstan 2023: 50 of 416)
CENTRE_WEIGHT = 8.0  # assumption: a district centre that is not a town holds as many people as 8 median villages
SIZE_DRIFT = 0.004  # assumption: yearly growth gap per unit of log size (small villages shrink faster)
KIND_FACTOR = {"city": 1.4, "town": 1.0, "district_centre": 0.8, "village": 0.55}  # assumption, before normalising
GRP_SIGMA = 0.25  # assumption: spread of GRP per capita between settlements of one kind in a region
LABEL = "GENERATED (roadmap synth settlements): a synthetic settlement for benchmarks and training, not a real place"


@dataclass(frozen=True)
class SynthReport:
    """What was generated: counts by kind and region, the seed, and the calibration checks."""

    seed: int
    years: list[int]
    by_kind: dict[str, int]
    villages_by_region: dict[str, int]
    max_region_population_gap: float
    share_under_50: float


def village_targets(rows: list, official: dict[str, float], total: int = NATIONAL_COUNT) -> dict[str, int]:
    """Villages per district: official regional counts where given, KATO counts scaled elsewhere.

    >>> from engine.core.scale.districts import DistrictRow
    >>> rows = [DistrictRow("a_x", "a", "district", {}, "", None, None, None, "", {"kato2022_villages": 3}),
    ...         DistrictRow("a_y", "a", "district", {}, "", None, None, None, "", {"kato2022_villages": 1}),
    ...         DistrictRow("b_x", "b", "district", {}, "", None, None, None, "", {"kato2022_villages": 4})]
    >>> village_targets(rows, {"a": 8}, total=10)
    {'a_x': 6, 'a_y': 2, 'b_x': 2}
    """
    kato: dict[str, float] = defaultdict(float)
    for r in rows:
        kato[r.region] += r.rural_localities
    fixed = {r: int(v) for r, v in official.items() if r in kato}
    rest = total - sum(fixed.values())
    free = {r: v for r, v in kato.items() if r not in fixed}
    scale = rest / sum(free.values()) if free else 0.0
    regional = {**fixed, **_largest_remainder({r: v * scale for r, v in free.items()}, rest)}
    out = {}
    for region, target in regional.items():
        members = [r for r in rows if r.region == region and r.rural_localities > 0]
        weights = {r.unit_id: r.rural_localities for r in members}
        share = sum(weights.values())
        out.update(_largest_remainder({u: target * w / share for u, w in weights.items()}, target) if share else {})
    return dict(sorted(out.items()))


def _largest_remainder(quotas: dict[str, float], total: int) -> dict[str, int]:
    floors = {k: int(np.floor(v)) for k, v in quotas.items()}
    left = total - sum(floors.values())
    for k in sorted(quotas, key=lambda k: (floors[k] - quotas[k], k))[:max(0, left)]:
        floors[k] += 1
    return floors


def official_counts(folder=DISTRICTS_DIR) -> dict[str, float]:
    """The latest official rural settlement count of each region in ``settlements.csv``."""
    table = pd.read_csv(folder / "settlements.csv", dtype={"district_id": str})
    rows = table[(table["indicator"] == "rural_settlements_count") & table["district_id"].isna()
                 & (table["region_id"] != "kazakhstan")].copy()
    rows["year"] = pd.to_numeric(rows["year"], errors="coerce").fillna(0)
    rows = rows.sort_values("year")
    return {str(r): float(v) for r, v in zip(rows["region_id"], rows["value"], strict=True)}


def synthesize_settlements(seed: int = 0, base_year: int = 2024, history: int = 6, base: Dataset | None = None,
                           folder=DISTRICTS_DIR) -> tuple[Dataset, SynthReport]:
    """Generate the settlement dataset (module text) for ``base_year - history`` .. ``base_year``."""
    rng = np.random.default_rng(seed)
    base = base if base is not None else load_dataset()
    districts, _ = build_district_dataset(base, folder)
    rows = read_district_rows(folder)
    by_id = {r.unit_id: r for r in rows}
    shapes = load_shapes(folder / "geo" / "kaz_adm2.geojson", "district_id")
    targets = village_targets(rows, official_counts(folder))
    years = list(range(base_year - history, base_year + 1))
    pop_r, urban_r = base.panel("population_2022bnd"), base.panel("population_urban_2022bnd")
    grp_r = base.panel("grp_per_capita_2022bnd").combine_first(base.panel("grp_per_capita"))
    dpop = districts.panel("population", "district")

    units: list[dict] = []
    weights: dict[str, float] = {}
    kinds: dict[str, str] = {}
    region_of: dict[str, str] = {}
    points: dict[str, tuple[float, float]] = {}
    by_district: dict[str, list[str]] = defaultdict(list)
    centres: dict[str, str] = {}
    for r in rows:
        d_lat, d_lon = float(districts.units.at[r.unit_id, "lat"]), float(districts.units.at[r.unit_id, "lon"])
        made: list[tuple[str, str, str]] = []  # (id, kind, English name)
        if r.kind in ("city", "urban_district"):
            made.append((f"s_{r.unit_id}", "city", r.names["en"]))
        elif r.towns >= 1:
            made.append((f"s_{r.unit_id}_town", "town", f"{r.centre or r.names['en']} (town)"))
        n = targets.get(r.unit_id, 0)
        for i in range(n):
            kind = "district_centre" if i == 0 and r.kind == "district" and r.towns < 1 else "village"
            made.append((f"s_{r.unit_id}_{i + 1:04d}", kind, f"Settlement {i + 1} of {r.names['en']}"))
        shape = shapes.get(r.unit_id) or shapes.get(HOST_POLYGON.get(r.unit_id, ""))
        inside = sample_points(shape, n, rng) if shape is not None else np.zeros((0, 2))
        for j, (uid, kind, name) in enumerate(made):
            urban = kind in ("city", "town")
            if urban or kind == "district_centre":
                lat, lon = d_lat, d_lon
                centres[r.unit_id] = uid
            else:
                lon, lat = (float(v) for v in inside[j - (len(made) - n)])
            points[uid] = (lat, lon)
            kinds[uid], region_of[uid] = kind, r.region
            by_district[r.unit_id].append(uid)
            weights[uid] = float(rng.lognormal(0.0, SIZE_SIGMA)) * (CENTRE_WEIGHT if kind == "district_centre" else 1)
            if kind == "town":
                weights[uid] = TOWN_SIZE * float(rng.lognormal(0.0, 0.3))
            number = uid.rsplit("_", 1)[-1]
            names = ({"en": name, "ru": f"Населённый пункт {number}", "kk": f"Елді мекен {number}"}
                     if kind in ("village", "district_centre") else {"en": name, "ru": name, "kk": name})
            units.append({"unit_id": uid, "name_kk": names["kk"], "name_ru": names["ru"], "name_en": names["en"],
                          "level": "settlement", "kind": kind, "parent_id": r.unit_id,
                          "economic_type": base.units.at[r.region, "economic_type"], "centre": names["en"],
                          "lat": round(lat, 5), "lon": round(lon, 5), "area_km2": "", "valid_from": "",
                          "valid_to": "", "notes": LABEL})
    drift = {u: rng.normal(0.0, 0.003) + SIZE_DRIFT * np.log(max(weights[u], 1e-9)) for u in weights}
    factor = {u: KIND_FACTOR[kinds[u]] * float(rng.lognormal(0.0, GRP_SIGMA)) for u in weights}
    records = []
    members_of: dict[str, list[str]] = defaultdict(list)
    for u in weights:
        members_of[region_of[u]].append(u)
    gap = 0.0
    for region, members in sorted(members_of.items()):
        rural = [u for u in members if kinds[u] in ("village", "district_centre")]
        urban = [u for u in members if kinds[u] in ("city", "town")]
        for year in years:
            if year not in pop_r.columns or pd.isna(pop_r.at[region, year]):
                continue
            total, urb = float(pop_r.at[region, year]), float(urban_r.at[region, year])
            w = np.array([weights[u] * np.exp(drift[u] * (year - base_year)) for u in rural])
            pops = dict(zip(rural, (total - urb) * w / w.sum(), strict=True)) if rural else {}
            city_size = {u: float(dpop.at[by_id[u[2:]].unit_id, year]) if kinds[u] == "city" else weights[u]
                         for u in urban}
            scale = (urb if rural else total) / sum(city_size.values()) if city_size else 0.0
            pops.update({u: v * scale for u, v in city_size.items()})
            gap = max(gap, abs(sum(pops.values()) / total - 1.0))
            y = float(grp_r.at[region, year]) if year in grp_r.columns and pd.notna(grp_r.at[region, year]) else None
            if y is not None:
                raw = {u: y * factor[u] for u in members}
                keep = y * total / sum(raw[u] * pops[u] for u in members)  # the region's GRP is kept
            for u in members:
                records.append((u, year, "population", round(pops[u], 2), "persons (annual average)",
                                "generated: region's rural (or urban) population x lognormal weights "
                                f"(engine/core/scale/settlements.py, seed {seed})", "", "generated"))
                if y is not None:
                    records.append((u, year, "grp_per_capita", round(raw[u] * keep, 3), "thousand KZT per person",
                                    f"generated: region's GRP per capita x kind factor x noise, region GRP kept "
                                    f"(seed {seed})", "", "generated"))
    region_units = districts.units[districts.units["level"].isin(("country", "region", "district"))].reset_index()
    region_units = region_units.astype(object).where(region_units.notna(), "")
    all_units = pd.concat([region_units[list(UNIT_COLUMNS)], pd.DataFrame(units, columns=list(UNIT_COLUMNS))],
                          ignore_index=True)
    regional = base.indicators[base.indicators["indicator"].isin(REGION_INDICATORS)]
    indicators = pd.concat([regional[list(regional.columns)], pd.DataFrame(records, columns=list(regional.columns))],
                           ignore_index=True)
    adjacency = _adjacency(by_district, points, centres, districts)
    dataset = dataset_from_frames(all_units, indicators, adjacency)
    pops = dataset.values("population", base_year, "settlement")
    villages = [u for u in pops.index if kinds[u] in ("village", "district_centre")]
    report = SynthReport(seed, years, {str(k): int(v) for k, v in pd.Series(kinds).value_counts().items()},
                         {r: sum(1 for u in members if kinds[u] in ("village", "district_centre"))
                          for r, members in sorted(members_of.items())},
                         round(float(gap), 12), round(float((pops.loc[villages] < 50).mean()), 4))
    return dataset, report


def _adjacency(by_district: dict[str, list[str]], points: dict[str, tuple[float, float]], centres: dict[str, str],
               districts: Dataset) -> pd.DataFrame:
    pairs: set[tuple[str, str]] = set()
    for members in by_district.values():
        xy = np.array([[points[u][1], points[u][0]] for u in members])
        for i, j in nearest_neighbours(xy, 3):
            pairs.add(tuple(sorted((members[i], members[j]))))  # type: ignore[arg-type]
    for a, b in districts.adjacency_in_year(2024):
        if a in centres and b in centres:
            pairs.add(tuple(sorted((centres[a], centres[b]))))  # type: ignore[arg-type]
    source = "generated: three nearest settlements in the district; centres of neighbouring districts"
    return pd.DataFrame([(a, b, "", "", source) for a, b in sorted(pairs)],
                        columns=["unit_a", "unit_b", "valid_from", "valid_to", "source"])


def sources_text(report: SynthReport) -> str:
    """SOURCES.md of a generated settlement dataset."""
    kinds = ", ".join(f"{k}: {v:,}" for k, v in sorted(report.by_kind.items()))
    return f"""# GENERATED settlement dataset (not data about real places)

Written by `roadmap synth settlements` (engine/core/scale/settlements.py) with seed {report.seed}, years
{report.years[0]}-{report.years[-1]}. Use it for benchmarks, tests and training only.

* Units: {sum(report.by_kind.values()):,} settlements ({kinds}) under the 227 districts of
  `data/kazakhstan/districts/` and the 20 regions of `data/kazakhstan/`; every settlement's `notes` says
  it is generated. Names are placeholders; coordinates are random points inside the district polygon.
* Calibrated to: the national count of 6,293 rural settlements (1 July 2022) and the official regional
  counts where known (else KATO 2022 counts scaled), the KATO 2022 counts by district, each region's
  rural and urban population (population_2022bnd, population_urban_2022bnd) every year, and each region's
  GRP per capita (GRP kept). Settlements of a region add up to its population (largest gap
  {report.max_region_population_gap:.2e}).
* Assumptions (engine/core/scale/settlements.py): lognormal village sizes with sigma {SIZE_SIGMA}
  ({report.share_under_50:.1%} of rural settlements under 50 residents in the base year; West Kazakhstan
  had 12% in 2023), district
  centres weigh {CENTRE_WEIGHT:g} villages, small villages shrink {SIZE_DRIFT} a year faster per unit of log
  size, GRP per capita by kind {KIND_FACTOR} with lognormal noise sigma {GRP_SIGMA}.
* Every generated value has flag `generated`; regional rows are copied from data/kazakhstan/indicators.csv
  (see its SOURCES.md).
"""
