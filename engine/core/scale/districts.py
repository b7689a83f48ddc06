"""A district-level dataset from ``data/kazakhstan/districts/``: 227 units under the 20 regions.

**Units.** Every row of ``districts.csv`` becomes a unit of level ``district`` with ``parent_id`` = its
region: kind ``city`` (cities of regional significance), ``urban_district`` (the 18 districts of Astana,
Almaty and Shymkent) or ``district``. Centres are the area-weighted centroids of the boundary polygons
(``geo/kaz_adm2.geojson``); the three districts the layer lacks (Sauran, Markakol, Ulken Naryn) take the
centroid of the polygon that holds their territory. Areas are the official figure where given, else the
polygon's geodesic area. The country and the regions are copied from the default dataset, with the
regional indicators a model needs (:data:`REGION_INDICATORS`).

**Population** (:func:`estimate_district_population`), for every year the region has a population on the
2022 boundaries, so that the districts of a region add up to it exactly:

1. a published district figure (53 of 227, mostly 1 Jan 2023) is carried to year Y with its region's
   growth, x P_r(Y) / P_r(reference year) (flag ``derived``);
2. a figure from before a district was split off (Semey, Urzhar, Ile, Katon-Karagai) is shared between the
   parent and the new unit by their settlement weights (step 4), both flagged ``estimate``;
3. a city of regional significance without a figure: :data:`CITY_SIZE` persons, unless it is the regional
   centre, which takes the region's urban population left after the other cities and an allowance of
   :data:`TOWN_SIZE` persons per district town (KATO 2022 counts) (flag ``estimate``; the other cities are
   the weakest estimates: Rudny or Ekibastuz are several times this size);
4. districts without a figure share what is left of the region's population, in proportion to
   ``rural localities x the region's rural population per rural locality + district towns x TOWN_SIZE``
   (KATO 2022 counts; flag ``estimate``); urban districts of the three cities share their city's population
   equally.

Where published figures exceed the region's total less the estimates, the estimates fall to their
count-based size and every district is scaled to the region total (said in ``source``).
:func:`validate_estimates` hides each published figure in turn and reports the error of the method.

**GRP per capita** has no district figure: every district carries its region's value, flagged ``proxy``.
Disparity between districts is then disparity between regions; a district's own income would change that.
"""

from __future__ import annotations

import csv
import math
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from engine.core.data import DEFAULT_DATA_DIR, UNIT_COLUMNS, Dataset, load_dataset
from engine.core.errors import DataValidationError, Problem, problem
from engine.core.scale.geometry import centroid, load_shapes, shared_borders

DISTRICTS_DIR = DEFAULT_DATA_DIR / "districts"
REPUBLIC_CITIES = ("astana", "almaty_city", "shymkent")
REGION_INDICATORS = ("population", "population_2022bnd", "population_urban_2022bnd", "grp_per_capita",
                     "grp_per_capita_2022bnd", "unemployment_rate", "urban_share_2022bnd")
# Mean urban population of a district town in the two regions where every unit's population is published
# (Abai: 34,000 urban residents outside Semey and Kurchatov in 2 district towns; Zhetisu: 79,000 outside
# Taldykorgan and Tekeli in 4): about 17,000 and 20,000, so 18,500 (derived, 2023-2024).
TOWN_SIZE = 18_500.0
# Mean population of the cities of regional significance that are not a regional centre and have a published
# figure: Kurchatov 10,457 and Tekeli 31,314 (1 Jan 2023, districts.csv): 20,886 (derived; two cities only).
CITY_SIZE = 20_886.0
# Units created from part of another after the KATO 2022 counts (districts.csv notes): child -> (parent,
# share of the parent's rural localities it took). Zhanasemey took all of Semey city's rural okrugs (12 of
# them plus Shulbinsk and Chagan); for the others the split of settlements is not in the sources: half.
SPLITS: dict[str, tuple[str, float]] = {
    "abai_zhanasemey": ("abai_semey_city", 1.0),
    "abai_maqanshy": ("abai_urzhar", 0.5),
    "almaty_oblast_alatau_city": ("almaty_oblast_ile", 0.5),
    "east_kazakhstan_markakol": ("east_kazakhstan_kurshum", 0.5),
    "east_kazakhstan_ulken_naryn": ("east_kazakhstan_katonkaragay", 0.5),
}
# Units the boundary layer lacks, and the polygon that holds their territory (districts/SOURCES.md).
HOST_POLYGON = {"turkistan_sauran": "turkistan_turkestan_city", "east_kazakhstan_markakol": "east_kazakhstan_kurshum",
                "east_kazakhstan_ulken_naryn": "east_kazakhstan_katonkaragay"}
CITY_METHOD = (f"estimate: {CITY_SIZE:,.0f} persons for a city of regional significance that is not the regional "
               "centre; the centre takes the region's urban population left after the other cities and "
               f"{TOWN_SIZE:,.0f} per district town (engine/core/scale/districts.py)")
METHOD = ("estimate: region population (population_2022bnd) less the published districts (carried with the "
          "region's growth), shared by rural localities x rural population per locality + district towns x "
          f"{TOWN_SIZE:,.0f} (KATO 2022 counts) (engine/core/scale/districts.py)")


@dataclass(frozen=True)
class DistrictRow:
    """One row of ``districts.csv`` with its KATO 2022 counts."""

    unit_id: str
    region: str
    kind: str
    names: dict[str, str]
    centre: str
    population: float | None
    population_year: int | None
    area_km2: float | None
    note: str
    counts: dict[str, float] = field(default_factory=dict)

    @property
    def rural_localities(self) -> float:
        return self.counts.get("kato2022_villages", 0.0) + self.counts.get("kato2022_other_rural_localities", 0.0) \
            + self.counts.get("kato2022_posyolki", 0.0)

    @property
    def towns(self) -> float:
        return self.counts.get("kato2022_district_towns", 0.0)

    @property
    def predates_split(self) -> bool:
        text = self.note.lower()
        return self.population is not None and ("before" in text and ("split" in text or "formed" in text))


def read_district_rows(folder: Path = DISTRICTS_DIR) -> list[DistrictRow]:
    """``districts.csv`` and the per-district counts of ``settlements.csv``, checked.

    Raises
    ------
    DataValidationError
        Naming file, row and column of a bad population, year or area.
    """
    counts: dict[str, dict[str, float]] = defaultdict(dict)
    with (folder / "settlements.csv").open(encoding="utf-8") as handle:
        for rec in csv.DictReader(handle):
            if rec["district_id"]:
                counts[rec["district_id"]][rec["indicator"]] = float(rec["value"])
    problems: list[Problem] = []
    rows = []
    name = str(folder / "districts.csv")
    with (folder / "districts.csv").open(encoding="utf-8") as handle:
        for line, rec in enumerate(csv.DictReader(handle), start=2):
            values: dict[str, float | None] = {}
            for column in ("population", "population_year", "area_km2"):
                text = rec[column].strip()
                try:
                    values[column] = float(text) if text else None
                except ValueError:
                    problems.append(problem(name, "pr_not_number", line, column, text))
                    values[column] = None
                if values[column] is not None and not values[column] > 0:  # type: ignore[operator]
                    problems.append(problem(name, "pr_positive", line, column, text))
            kind = rec["kind"]
            if rec["region_id"] in REPUBLIC_CITIES:
                kind = "urban_district"
            year = values["population_year"]
            rows.append(DistrictRow(rec["district_id"], rec["region_id"], kind,
                                    {lang: rec[f"name_{lang}"] for lang in ("kk", "ru", "en")}, rec["centre"],
                                    values["population"], int(year) if year else None, values["area_km2"],
                                    rec["note"], counts.get(rec["district_id"], {})))
    if problems:
        raise DataValidationError(problems)
    for child, (parent, share) in SPLITS.items():  # a new unit takes its share of the parent's settlements
        by_id = {r.unit_id: r for r in rows}
        if child in by_id and parent in by_id and not by_id[child].counts:
            p = by_id[parent]
            moved = {k: v * share for k, v in p.counts.items() if k != "kato2022_district_towns"}
            kept = {k: (v * (1 - share) if k != "kato2022_district_towns" else v) for k, v in p.counts.items()}
            rows[rows.index(p)] = DistrictRow(**{**p.__dict__, "counts": kept})
            c = by_id[child]
            rows[rows.index(c)] = DistrictRow(**{**c.__dict__, "counts": moved})
    return rows


@dataclass(frozen=True)
class Estimate:
    """Population of one district in one year, with its flag and how it was obtained."""

    value: float
    flag: str
    source: str


def _weights(rows: list[DistrictRow], rural_per_locality: float) -> dict[str, float]:
    return {r.unit_id: max(1.0, r.rural_localities * rural_per_locality + r.towns * TOWN_SIZE) for r in rows}


def estimate_district_population(rows: list[DistrictRow], region_population: float, region_urban: float,
                                 region_growth: dict[int, float], centre_city: str | None = None,
                                 hidden: frozenset[str] = frozenset()) -> dict[str, Estimate]:
    """Population of the districts of one region in one year (the module text, steps 1-4).

    ``region_growth[y]`` is P_r(Y) / P_r(y); ``centre_city`` the unit of the regional centre
    (:func:`regional_centre`); ``hidden`` published figures to ignore (for :func:`validate_estimates`).
    """
    known = {r.unit_id: r for r in rows if r.population is not None and r.unit_id not in hidden}
    out: dict[str, Estimate] = {}
    rural = max(0.0, region_population - region_urban)
    localities = sum(r.rural_localities for r in rows)
    per_locality = rural / localities if localities > 0 else 0.0
    weights = _weights(rows, per_locality)
    # steps 1-2: published figures, carried to the year; a figure from before a split is shared by weights
    for r in rows:
        if r.unit_id not in known:
            continue
        carried = float(r.population) * region_growth.get(int(r.population_year or 0), 1.0)  # type: ignore[arg-type]
        children = [c for c, (p, _) in SPLITS.items() if p == r.unit_id and c not in known]
        if r.predates_split and children:
            note = (f"estimate: {r.unit_id}'s published figure {r.population:,.0f} ({r.population_year}, before "
                    f"{', '.join(children)} split off), carried with the region's growth and shared by settlement "
                    "weights")
            if r.kind == "city":  # the new district took the city's rural okrugs: it gets its rural weight
                parts = {c: min(weights[c], 0.5 * carried) for c in children}
                parts[r.unit_id] = carried - sum(parts.values())
            else:
                group = [r.unit_id, *children]
                parts = {u: carried * weights[u] / sum(weights[g] for g in group) for u in group}
            for u, value in parts.items():
                out[u] = Estimate(value, "estimate", note)
        else:
            out[r.unit_id] = Estimate(carried, "derived", f"derived: published {r.population:,.0f} "
                                      f"({r.population_year}) x the region's growth to this year")
    rest = [r for r in rows if r.unit_id not in out]
    cities = [r for r in rest if r.kind == "city"]
    urban_districts = [r for r in rest if r.kind == "urban_district"]
    districts = [r for r in rest if r.kind == "district"]
    taken = sum(e.value for e in out.values())
    # step 3: cities from the urban population left after published cities and district towns
    if cities:
        towns = sum(r.towns for r in rows) * TOWN_SIZE
        published_cities = sum(out[r.unit_id].value for r in rows if r.kind == "city" and r.unit_id in out)
        others = [r for r in cities if r.unit_id != centre_city]
        for r in others:
            out[r.unit_id] = Estimate(CITY_SIZE, "estimate", CITY_METHOD)
        if len(others) < len(cities):
            pool = region_urban - published_cities - towns - CITY_SIZE * len(others)
            out[centre_city] = Estimate(max(pool, CITY_SIZE), "estimate", CITY_METHOD)  # type: ignore[index]
    if urban_districts:
        pool = max(region_population - taken, 1.0)
        for r in urban_districts:
            out[r.unit_id] = Estimate(pool / len(urban_districts), "estimate",
                                      "estimate: the city's population shared equally by its urban districts")
    # step 4: districts share the rest by their settlement weights
    if districts:
        left = region_population - sum(e.value for e in out.values())
        total_w = sum(weights[r.unit_id] for r in districts)
        for r in districts:
            out[r.unit_id] = Estimate(max(left, 0.0) * weights[r.unit_id] / total_w, "estimate", METHOD)
        if left < 0.5 * total_w:  # published figures leave too little: count-based sizes, all scaled
            for r in districts:
                out[r.unit_id] = Estimate(weights[r.unit_id], "estimate", METHOD + "; count-based size, every "
                                          "district then scaled to the region total")
    total = sum(e.value for e in out.values())
    if total > 0 and not math.isclose(total, region_population, rel_tol=1e-9):
        factor = region_population / total
        out = {u: Estimate(e.value * factor, e.flag, e.source + f"; scaled x{factor:.4f} to the region total")
               for u, e in out.items()}
    return out


def regional_centre(rows: list[DistrictRow], centre: str) -> str | None:
    """The city of regional significance whose English name is most like the region's centre (units.csv).

    >>> rows = [DistrictRow("k_a", "k", "city", {"en": "Rudnyy"}, "", None, None, None, ""),
    ...         DistrictRow("k_b", "k", "city", {"en": "Petropavlovsk"}, "", None, None, None, "")]
    >>> regional_centre(rows, "Petropavl")
    'k_b'
    """
    from difflib import SequenceMatcher

    names = [part.strip().lower() for part in centre.replace(")", "").split("(") if part.strip()]
    best, score = None, 0.0
    for r in rows:
        if r.kind != "city":
            continue
        ratio = max(SequenceMatcher(None, r.names["en"].lower(), n).ratio() for n in names)
        if ratio > score:
            best, score = r.unit_id, ratio
    return best if score >= 0.7 else None


def build_district_dataset(base: Dataset | None = None, folder: Path = DISTRICTS_DIR) -> tuple[Dataset, dict]:
    """The district dataset (module text) and a report: counts, flags and the estimation check.

    Returns the in-memory :class:`engine.core.data.Dataset` (write it with
    :func:`engine.core.scale.writer.write_dataset`) and a dict for SOURCES.md and the command line.
    """
    base = base if base is not None else load_dataset()
    rows = read_district_rows(folder)
    shapes = load_shapes(folder / "geo" / "kaz_adm2.geojson", "district_id")
    regions = [u for u in base.units.index if base.units.at[u, "level"] in ("country", "region")]
    unit_rows = [{c: ("" if pd.isna(base.units.at[u, c]) else base.units.at[u, c]) if c != "unit_id" else u
                  for c in UNIT_COLUMNS} for u in regions]
    for r in rows:
        shape = shapes.get(r.unit_id) or shapes.get(HOST_POLYGON.get(r.unit_id, ""))
        if shape is None:
            raise DataValidationError([problem(str(folder / "geo" / "kaz_adm2.geojson"), "pr_no_polygon", None,
                                               "district_id", r.unit_id)])
        lat, lon = centroid(shape)
        area = r.area_km2 or (shapes[r.unit_id].properties.get("area_km2_geodesic") if r.unit_id in shapes else None)
        notes = "centre: polygon centroid (geo/kaz_adm2.geojson)" + (
            f" of {HOST_POLYGON[r.unit_id]}, which holds its territory" if r.unit_id in HOST_POLYGON else "")
        notes += "; area: " + ("official" if r.area_km2 else "polygon-derived") + (f"; {r.note}" if r.note else "")
        unit_rows.append({"unit_id": r.unit_id, "name_kk": r.names["kk"], "name_ru": r.names["ru"],
                          "name_en": r.names["en"], "level": "district", "kind": r.kind, "parent_id": r.region,
                          "economic_type": base.units.at[r.region, "economic_type"],
                          "centre": r.centre or r.names["en"],
                          "lat": round(lat, 5), "lon": round(lon, 5), "area_km2": round(float(area), 1) if area else "",
                          "valid_from": "", "valid_to": "", "notes": notes})
    units = pd.DataFrame(unit_rows, columns=list(UNIT_COLUMNS))
    indicators = _region_indicators(base)
    by_region: dict[str, list[DistrictRow]] = defaultdict(list)
    for r in rows:
        by_region[r.region].append(r)
    pop = base.panel("population_2022bnd")
    urban = base.panel("population_urban_2022bnd")
    grp = base.panel("grp_per_capita_2022bnd").combine_first(base.panel("grp_per_capita"))
    records = []
    for region, members in sorted(by_region.items()):
        series = pop.loc[region].dropna()
        for year, total in series.items():
            growth = {y: float(total) / float(v) for y, v in series.items()}
            estimates = estimate_district_population(members, float(total), float(urban.at[region, year]), growth,
                                                      regional_centre(members, str(base.units.at[region, "centre"])))
            for unit, e in sorted(estimates.items()):
                records.append((unit, int(year), "population", round(e.value, 1), "persons (annual average)",
                                e.source, "on the current district territory", e.flag))
            y = grp.at[region, year] if year in grp.columns else np.nan
            if pd.notna(y):
                records += [(r.unit_id, int(year), "grp_per_capita", float(y), "thousand KZT per person",
                             f"proxy: the GRP per capita of {region} (no district GRP is published)", "", "proxy")
                            for r in members]
        records += [(r.unit_id, 2022, "rural_settlements_count", r.rural_localities, "count",
                     "derived: kato2022_villages + kato2022_other_rural_localities + kato2022_posyolki "
                     "(districts/settlements.csv)", "", "derived") for r in members if r.counts]
    frame = pd.DataFrame(records, columns=list(indicators.columns))
    indicators = pd.concat([indicators, frame], ignore_index=True)
    adjacency = pd.DataFrame([(a, b, "", "", "shared boundary vertices in districts/geo/kaz_adm2.geojson")
                              for a, b in shared_borders(shapes)],
                             columns=["unit_a", "unit_b", "valid_from", "valid_to", "source"])
    report = {"districts": len(rows), "published_population": sum(r.population is not None for r in rows),
              "by_kind": dict(pd.Series([r.kind for r in rows]).value_counts()),
              "adjacency_pairs": len(adjacency), "check": validate_estimates(rows, base)}
    from engine.core.scale.writer import dataset_from_frames

    return dataset_from_frames(units, indicators, adjacency), report


def _region_indicators(base: Dataset) -> pd.DataFrame:
    keep = base.indicators[base.indicators["indicator"].isin(REGION_INDICATORS)]
    return keep[["unit_id", "year", "indicator", "value", "unit", "source", "note", "flag"]].reset_index(drop=True)


def validate_estimates(rows: list[DistrictRow], base: Dataset) -> dict:
    """Hide each published district figure in turn, estimate it, and report the errors (in its reference year).

    Only districts (not cities or new units) in regions with a population on the 2022 boundaries that year.
    Returns the count, the median and mean absolute percentage errors, and the worst case.
    """
    pop = base.panel("population_2022bnd")
    urban = base.panel("population_urban_2022bnd")
    by_region: dict[str, list[DistrictRow]] = defaultdict(list)
    for r in rows:
        by_region[r.region].append(r)
    errors: dict[str, float] = {}
    for r in rows:
        year = r.population_year
        if r.kind != "district" or r.population is None or r.predates_split or year not in pop.columns:
            continue
        if pd.isna(pop.at[r.region, year]):
            continue
        members = by_region[r.region]
        series = pop.loc[r.region].dropna()
        growth = {y: float(pop.at[r.region, year]) / float(v) for y, v in series.items()}
        est = estimate_district_population(members, float(pop.at[r.region, year]), float(urban.at[r.region, year]),
                                           growth, regional_centre(members, str(base.units.at[r.region, "centre"])),
                                           hidden=frozenset({r.unit_id}))
        errors[r.unit_id] = abs(est[r.unit_id].value / float(r.population) - 1.0)
    if not errors:
        return {"count": 0}
    values = np.array(list(errors.values()))
    worst = max(errors, key=lambda u: errors[u])
    return {"count": len(errors), "median_abs_pct_error": round(float(np.median(values)) * 100, 1),
            "mean_abs_pct_error": round(float(values.mean()) * 100, 1),
            "worst": {"unit_id": worst, "abs_pct_error": round(errors[worst] * 100, 1)},
            "method": "leave one out: the published figure hidden, the rest of the region's figures kept"}


def sources_text(report: dict) -> str:
    """SOURCES.md of a written district dataset: where every value comes from and how estimates were made."""
    check = report.get("check", {})
    checked = (f"Leave-one-out check on {check['count']} published districts: median absolute error "
               f"{check['median_abs_pct_error']}%, mean {check['mean_abs_pct_error']}%, worst "
               f"{check['worst']['unit_id']} ({check['worst']['abs_pct_error']}%)." if check.get("count") else "")
    doc = (__doc__ or "").strip()
    return f"""# District dataset (written by `roadmap synth districts`, engine/core/scale/districts.py)

Built from `data/kazakhstan/districts/` (districts.csv, settlements.csv, geo/kaz_adm2.geojson; see their
SOURCES.md for the original sources and licences) and the regional tables of `data/kazakhstan/`.

{doc}

* Flags: `derived` = a published district figure carried with its region's growth; `estimate` = estimated
  by the method above (the method is in each row's `source`); `proxy` = the region's value (GRP per capita).
* {report.get('districts', 0)} districts, {report.get('published_population', 0)} with a published population;
  {report.get('adjacency_pairs', 0)} neighbouring pairs from shared boundary vertices.
* {checked}
"""
