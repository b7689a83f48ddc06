#!/usr/bin/env python3
"""Build the default Kazakhstan dataset ``data/kazakhstan/`` from the shared reference data.

Usage (from the repository root)::

    python data/build_kazakhstan.py [--reference ../shared/reference-data] [--out data/kazakhstan]

``--reference`` defaults to ``../shared/reference-data`` resolved from the repository root. The script
copies facts; the only numbers it computes are sums and ratios of copied numbers, each written with
flag ``derived`` and its formula in ``source``. It documents the transformation: the committed output
in ``data/kazakhstan/`` is what the engine loads, and CI does not run this script.

Outputs: units.csv, indicators.csv, adjacency.csv, distances.csv, boundaries.geojson, schema/*.csv,
SOURCES.md and an unchanged copy of the district reference files in districts/.
Every check the dataset must pass is an ``assert`` below; the script fails instead of writing a
dataset that breaks one.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import math
import re
import shutil
from collections import Counter, defaultdict
from pathlib import Path

import pandas as pd

REPO_ROOT = Path(__file__).resolve().parent.parent

# ---------------------------------------------------------------------------------------------------
# Territorial facts used by the transformation
# ---------------------------------------------------------------------------------------------------

BOUNDARY_SUFFIX = "_2022bnd"
BOUNDARY_YEAR = 2022
FIRST_YEAR, LAST_YEAR = 2015, 2025  # the analysis window of the reference data

# 2022 split: new oblast -> the oblast it was split from (that oblast keeps its id).
SPLIT_FROM = {"abai": "east_kazakhstan", "zhetisu": "almaty_oblast", "ulytau": "karaganda"}
SPLIT_CHILD = {parent: child for child, parent in SPLIT_FROM.items()}
# 2018 split of South Kazakhstan: units created in 2018 whose territory has not changed since.
SUCCESSORS_2018 = ("turkistan", "shymkent")
PREDECESSOR_2018 = "south_kazakhstan"

NATIONAL = "kazakhstan"
NATIONAL_AREA_KM2 = "2724902"
NATIONAL_AREA_NOTE = ("area: national area 2,724,902 km2 (mfa.gov.kg country page, as cited in "
                      "reference-data/SOURCES.md; the official regional areas sum to 2,725,798 km2)")

FLAGS = ("", "derived", "suspect", "partial", "unverified")
FLAG_PRECEDENCE = ("suspect", "unverified", "partial", "derived")  # first match wins

UNIT_COLUMNS = ["unit_id", "name_kk", "name_ru", "name_en", "level", "kind", "parent_id", "economic_type",
                "centre", "lat", "lon", "area_km2", "valid_from", "valid_to", "notes"]
INDICATOR_COLUMNS = ["unit_id", "year", "indicator", "value", "unit", "source", "note", "flag"]
ADJACENCY_COLUMNS = ["unit_a", "unit_b", "valid_from", "valid_to", "source", "note"]
DISTANCE_COLUMNS = ["unit_a", "unit_b", "centre_a", "centre_b", "great_circle_km", "source"]

# Reference indicator name -> dataset indicator name (names not listed are kept).
RENAME = {
    "avg_monthly_nominal_wage": "avg_monthly_wage",
    "fixed_capital_investment_per_capita_derived": "fixed_capital_investment_per_capita",
    "per_capita_nominal_cash_income_monthly": "per_capita_income_monthly",
    "population_avg": "population",
    "population_avg_2022bnd": "population_2022bnd",
    "population_urban_avg_2022bnd": "population_urban_2022bnd",
    "urban_share_pct": "urban_share",
    "urban_share_pct_2022bnd": "urban_share_2022bnd",
    "rural_settlements_low_potential_count_derived": "rural_settlements_low_potential_count",
    "interregional_net_migration_per_1000_derived": "interregional_net_migration_per_1000",
    # grp_per_capita_derived is merged into grp_per_capita / grp_per_capita_2022bnd (see below).
}
# Quarterly series: one indicator per quarter so that (unit, year, indicator) stays unique.
QUARTERLY = {"avg_monthly_nominal_wage_quarterly": "avg_monthly_wage_quarterly",
             "poverty_rate_quarterly": "poverty_rate_quarterly"}
PARTIAL_INDICATORS = ("poverty_rate", "interregional_net_migration_jan_jul", "interregional_net_migration_jan_jun")

GRP_SOURCE = "github:makenerzhan-gif/kazakhstan-economic-data/data/processed/dims/grp_nominal_by_region.csv"
POP_SOURCE = "github:makenerzhan-gif/kazakhstan-economic-data/data/processed/dims/population_avg_by_region.csv"


def build_note(reference_note: str, remark: str) -> str:
    """The reference note kept verbatim, followed by what the build did (marked ``build:``)."""
    remark = f"build: {remark}"
    return f"{reference_note} | {remark}" if reference_note else remark


def fmt(value: float, decimals: int = 1) -> str:
    return f"{value:.{decimals}f}"


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def write_csv(path: Path, columns: list[str], rows: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({c: "" if row.get(c) is None else row.get(c) for c in columns})


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# ---------------------------------------------------------------------------------------------------
# units.csv
# ---------------------------------------------------------------------------------------------------

def build_units(regions: list[dict[str, str]]) -> list[dict]:
    by_id = {r["region_id"]: r for r in regions}
    astana = by_id["astana"]
    units = [{
        "unit_id": NATIONAL, "name_kk": "Қазақстан", "name_ru": "Казахстан", "name_en": "Kazakhstan",
        "level": "country", "kind": "country", "parent_id": "", "economic_type": "",
        "centre": "Astana", "lat": astana["lat"], "lon": astana["lon"], "area_km2": NATIONAL_AREA_KM2,
        "valid_from": "", "valid_to": "",
        "notes": f"{NATIONAL_AREA_NOTE}; centre coordinates: Astana point from {astana['centre_coords_source']}",
    }]
    for r in regions:
        uid = r["region_id"]
        notes = [r["notes"]] if r["notes"] else []
        valid_to = r["valid_to_year"]
        if uid in SPLIT_FROM:
            notes.append(f"split from {SPLIT_FROM[uid]} in 2022")
        if uid in SPLIT_CHILD:
            notes.append(f"{SPLIT_CHILD[uid]} split off in 2022; id kept across the split, so values before 2022 "
                         "refer to the larger pre-split territory")
        if uid in SUCCESSORS_2018:
            notes.append(f"split from {PREDECESSOR_2018} in 2018; its territory is the same on the 2022 boundaries, "
                         f"so BNS retrospective figures for 2015-2017 are in the *{BOUNDARY_SUFFIX} indicators")
        if uid == PREDECESSOR_2018:
            # regions.csv gives the year of the split (2018); valid_to here is the last year the unit existed.
            assert valid_to == "2018", valid_to
            valid_to = "2017"
            notes.append("succeeded in 2018 by turkistan and shymkent; valid_to is the last year of existence "
                         "(regions.csv gives the split year 2018)")
        if r["area_km2"]:
            notes.append(f"area source: {r['area_source']}")
        elif "area" not in r["notes"]:
            notes.append("official area not given in the reference data")
        notes.append(f"centre coordinates: {r['centre_coords_source']}")
        if r["parent_before_2022"]:
            assert r["parent_before_2022"] == SPLIT_FROM[uid]
        units.append({
            "unit_id": uid, "name_kk": r["name_kk"], "name_ru": r["name_ru"], "name_en": r["name_en"],
            "level": "region", "kind": r["kind"], "parent_id": NATIONAL, "economic_type": r["economic_type"],
            "centre": r["centre"], "lat": r["lat"], "lon": r["lon"], "area_km2": r["area_km2"],
            "valid_from": r["valid_from_year"], "valid_to": valid_to, "notes": "; ".join(notes),
        })
    return units


class Validity:
    def __init__(self, units: list[dict]) -> None:
        self.span = {u["unit_id"]: (int(u["valid_from"]) if u["valid_from"] else -10_000,
                                    int(u["valid_to"]) if u["valid_to"] else 10_000) for u in units}
        self.level = {u["unit_id"]: u["level"] for u in units}

    def exists(self, uid: str, year: int) -> bool:
        start, end = self.span[uid]
        return start <= year <= end

    def row_ok(self, uid: str, year: int, indicator: str) -> bool:
        check_year = max(year, BOUNDARY_YEAR) if indicator.endswith(BOUNDARY_SUFFIX) else year
        return self.exists(uid, check_year)

    def regions_in(self, year: int) -> list[str]:
        return sorted(u for u, lvl in self.level.items() if lvl == "region" and self.exists(u, year))


# ---------------------------------------------------------------------------------------------------
# indicators.csv
# ---------------------------------------------------------------------------------------------------

def flag_for(indicator: str, unit_id: str, source: str, note: str) -> str:
    low_note = note.lower()
    found = set()
    if "suspect" in low_note:
        found.add("suspect")
    if "unverified" in low_note or "caution" in low_note:
        found.add("unverified")
    if (indicator.startswith(("poverty_rate", "rural_settlements_")) or "quarterly" in indicator
            or indicator in PARTIAL_INDICATORS
            or (indicator == "international_arrivals" and unit_id != NATIONAL)):
        found.add("partial")
    if source.lower().startswith("derived") or "derived)" in source.lower() or low_note.startswith("derived"):
        found.add("derived")
    return next((f for f in FLAG_PRECEDENCE if f in found), "")


def build_indicators(ref_rows: list[dict[str, str]], validity: Validity, log: dict) -> list[dict]:
    rows: list[dict] = []
    for r in ref_rows:
        ref_ind, uid, note, source = r["indicator"], r["region_id"], r["note"], r["source"]
        flag = flag_for(ref_ind, uid, source, note)
        if not r["year"]:
            if ref_ind == "area_km2" and note == "current boundaries":
                year = BOUNDARY_YEAR
                note = build_note(note, "year not given in the source; set to 2022, the first year of the "
                                        "current (2022+) division the area describes")
            else:
                log["undated"].append(r)
                continue
        else:
            year = int(r["year"])
        name = RENAME.get(ref_ind, ref_ind)
        if ref_ind in QUARTERLY:
            match = re.search(r"quarter (\d{4})Q([1-4])", note)
            assert match and int(match.group(1)) == year, (ref_ind, uid, year, note)
            name = f"{QUARTERLY[ref_ind]}_q{match.group(2)}"
        if ref_ind == "grp_per_capita_derived":
            name = "grp_per_capita"
            if year == 2021 and (uid in SPLIT_FROM or uid in SPLIT_CHILD):
                assert "2022 boundaries" in note, note
                name = "grp_per_capita" + BOUNDARY_SUFFIX
        if ref_ind == "grp_total" and year == 2021 and (uid in SPLIT_FROM or uid in SPLIT_CHILD):
            assert "2022 boundaries" in note, note
            name = "grp_total" + BOUNDARY_SUFFIX
        if not validity.row_ok(uid, year, name):
            # BNS retrospective figures for units created in 2018: same territory as on the 2022 boundaries.
            assert uid in SUCCESSORS_2018 and year < 2018, (uid, year, ref_ind)
            name += BOUNDARY_SUFFIX
            note = build_note(note, f"unit created in 2018; its territory equals its 2022-boundary territory, "
                                    f"so the retrospective value is filed under {name}")
            log["moved_retro"][name] += 1
        rows.append({"unit_id": uid, "year": year, "indicator": name, "value": r["value"], "unit": r["unit"],
                     "source": source, "note": note, "flag": flag, "_ref_indicator": ref_ind})
    return dedupe(rows, log)


def dedupe(rows: list[dict], log: dict) -> list[dict]:
    """Drop rows that repeat a (unit, year, indicator); they must carry the same value.

    The reference's own ``*_2022bnd`` row wins over a retrospective row moved there by the territory rule.
    """
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for row in rows:
        groups[(row["unit_id"], row["year"], row["indicator"])].append(row)
    kept = []
    for key, group in groups.items():
        if len(group) > 1:
            values = {float(g["value"]) for g in group}
            assert len(values) == 1, f"conflicting values for {key}: {group}"
            group.sort(key=lambda g: not g["_ref_indicator"].endswith(BOUNDARY_SUFFIX))
            log["duplicates_dropped"].extend((key, g["_ref_indicator"]) for g in group[1:])
        kept.append(group[0])
    return kept


def add_derived_rows(rows: list[dict], validity: Validity, log: dict) -> list[dict]:
    index = {(r["unit_id"], r["year"], r["indicator"]): r for r in rows}
    new: list[dict] = []

    def add(row: dict) -> None:
        key = (row["unit_id"], row["year"], row["indicator"])
        assert key not in index, key
        index[key] = row
        new.append(row)

    # (1) As-of-year 2021 GRP of the three split oblasts: BNS publishes 2021 on the 2022 boundaries.
    for parent, child in SPLIT_CHILD.items():
        p = index[(parent, 2021, "grp_total_2022bnd")]
        c = index[(child, 2021, "grp_total_2022bnd")]
        total = float(p["value"]) + float(c["value"])
        add({"unit_id": parent, "year": 2021, "indicator": "grp_total", "value": fmt(total),
             "unit": p["unit"],
             "source": f"derived: grp_total_2022bnd({parent}) + grp_total_2022bnd({child}), 2021 ({GRP_SOURCE})",
             "note": f"build: pre-2022 territory = {parent} + {child}; BNS publishes 2021 GRP on the 2022 "
                     f"boundaries ({p['value']} + {c['value']})",
             "flag": "derived"})
        # Cross-check with the official per-capita value on pre-2022 territory (different population vintage).
        official = float(index[(parent, 2021, "grp_per_capita")]["value"])
        population = float(index[(parent, 2021, "population")]["value"])
        assert abs(total / population * 1000 / official - 1) < 0.02, (parent, total, official)
        log["derived"]["grp_total (2021 pre-split sum)"] += 1

    # (2) grp_total_2022bnd wherever the as-of-year territory equals the 2022 territory.
    for (uid, year, ind), row in list(index.items()):
        if ind != "grp_total" or (uid, year, "grp_total_2022bnd") in index:
            continue
        if year >= BOUNDARY_YEAR:
            remark = "same value as grp_total: from 2022 on the as-of-year territory is the 2022 territory"
        elif uid in SPLIT_CHILD or uid == PREDECESSOR_2018 or row["flag"] == "derived":
            continue  # pre-2022 territory differs from the 2022 one (or the row is itself a pre-split sum)
        else:
            remark = f"same value as grp_total: the unit's territory in {year} equals its 2022 territory"
        add({**row, "indicator": "grp_total_2022bnd", "note": build_note(row["note"], remark)})
        log["derived"]["grp_total_2022bnd (copies)"] += 1

    # (3) grp_per_capita_2022bnd: copies for 2022+, GRP / population on the 2022 boundaries before.
    def per_capita(uid: str, year: int) -> float | None:
        grp = index.get((uid, year, "grp_total_2022bnd"))
        pop = index.get((uid, year, "population_2022bnd"))
        if grp is None or pop is None:
            return None
        return float(grp["value"]) / float(pop["value"]) * 1000

    for (_uid, year, ind), row in list(index.items()):
        if ind == "grp_per_capita" and year >= BOUNDARY_YEAR:
            add({**row, "indicator": "grp_per_capita_2022bnd",
                 "note": build_note(row["note"], "same value as grp_per_capita: from 2022 on the as-of-year "
                                                 "territory is the 2022 territory")})
            log["derived"]["grp_per_capita_2022bnd (copies 2022+)"] += 1
    for uid, year, ind in list(index):
        if ind != "grp_total_2022bnd" or year >= BOUNDARY_YEAR:
            continue
        value = per_capita(uid, year)
        assert value is not None, (uid, year)
        existing = index.get((uid, year, "grp_per_capita_2022bnd"))
        if existing is not None:
            # The reference's own derived value: the same formula must reproduce it.
            assert abs(float(existing["value"]) - value) <= 0.051, (uid, year, existing["value"], value)
            continue
        add({"unit_id": uid, "year": year, "indicator": "grp_per_capita_2022bnd", "value": fmt(value),
             "unit": "thousand KZT per person",
             "source": f"derived: grp_total_2022bnd / population_2022bnd x 1000 ({GRP_SOURCE}; {POP_SOURCE})",
             "note": "build: 2022-boundary series; population is the BNS series revised after the 2021 census "
                     "and recalculated to 2022 boundaries, so the value differs slightly from the official "
                     "grp_per_capita of the same year",
             "flag": "derived"})
        log["derived"]["grp_per_capita_2022bnd (computed 2015-2021)"] += 1
    # Reference-derived values for 2023-2025 must also be reproduced by the formula.
    for (uid, year, ind), row in index.items():
        if ind == "grp_per_capita" and row["flag"] == "derived":
            value = per_capita(uid, year)
            assert value is not None and abs(float(row["value"]) - value) <= 0.051, (uid, year, row["value"], value)

    # (4) population / urban share: the reference already gives complete 2022-boundary series; from 2022 on
    # they must equal the as-of-year values.
    for base in ("population", "urban_share"):
        for (uid, year, ind), row in index.items():
            if ind == base and year >= BOUNDARY_YEAR:
                twin = index[(uid, year, base + BOUNDARY_SUFFIX)]
                assert math.isclose(float(twin["value"]), float(row["value"])), (uid, year, base)
    return rows + new


# ---------------------------------------------------------------------------------------------------
# Mining value added and non-mining GRP per capita
# ---------------------------------------------------------------------------------------------------

GVA_SOURCE = ("github:makenerzhan-gif/kazakhstan-economic-data/data/processed/dims/"
              "gva_nominal_by_region_section.csv")
GVA_UNIT = "million KZT, current prices"
NONMINING = "grp_per_capita_nonmining"
# Mining share of GRP in 2024 as stated by the reference notes (SOURCES.md "Added later"); the build reproduces it.
MINING_SHARE_2024 = {"atyrau": 43.7, "west_kazakhstan": 42.5, "ulytau": 39.0, "mangystau": 33.6, "abai": 29.3,
                     "kyzylorda": 14.7, "aktobe": 14.1, NATIONAL: 12.0}


def add_mining_rows(rows: list[dict], mining: list[dict[str, str]], codes: list[dict[str, str]],
                    validity: Validity, log: dict) -> list[dict]:
    """``gva_mining`` (section B) by unit and year, and ``grp_per_capita_nonmining`` = (GRP - mining) / population.

    BNS gives mining GVA on the borders of its year, except that 2021 is already on the 2022 division (as GRP;
    Abai, Zhetisu and Ulytau have 2021 values), so it is filed exactly like ``grp_total``: YKO is
    ``south_kazakhstan`` up to 2017 and equals TRK + SHM there (asserted; the three are never added);
    Turkistan's and Shymkent's retrospective values before 2018 and every value of the split oblasts and their
    parents in 2021 are ``gva_mining_2022bnd``; the parents' as-of-year 2021 value is parent + child (derived).
    """
    unit_of = {c["region_code"]: (NATIONAL if c["unit_id"] == "national" else c["unit_id"]) for c in codes}
    index = {(r["unit_id"], r["year"], r["indicator"]): r for r in rows}
    published: dict[tuple[str, int], dict[str, str]] = {}
    for r in mining:
        assert r["region_code"] in unit_of, f"gva_mining_by_region.csv: unknown region code {r['region_code']}"
        assert GVA_SOURCE.split("/")[-1] in r["source"] and "section B" in r["source"], r
        value = float(r["gva_mining_mn_kzt"])
        assert math.isfinite(value) and value >= 0, r
        published[(unit_of[r["region_code"]], int(r["year"]))] = r
    new: list[dict] = []

    def add(row: dict) -> None:
        key = (row["unit_id"], row["year"], row["indicator"])
        assert key not in index, key
        index[key] = row
        new.append(row)

    def value(uid: str, year: int) -> float:
        return float(published[(uid, year)]["gva_mining_mn_kzt"])

    window = range(FIRST_YEAR, LAST_YEAR + 1)
    for year in window:
        # YKO = TRK + SHM while South Kazakhstan existed (reference notes); to 0.15 for the rounding of three values
        if validity.exists(PREDECESSOR_2018, year):
            parts = sum(value(u, year) for u in SUCCESSORS_2018)
            assert abs(value(PREDECESSOR_2018, year) - parts) <= 0.15, (year, value(PREDECESSOR_2018, year), parts)
    for (uid, year), r in sorted(published.items()):
        if year not in window:
            continue
        name = "gva_mining"
        note = ""
        if uid in SUCCESSORS_2018 and year < 2018:
            name += BOUNDARY_SUFFIX
            note = ("build: BNS retrospective value of a unit created in 2018 (its territory equals its 2022 "
                    "territory); the former South Kazakhstan oblast's own value is filed under south_kazakhstan")
        elif year == 2021 and (uid in SPLIT_FROM or uid in SPLIT_CHILD):
            name += BOUNDARY_SUFFIX
            note = "build: BNS publishes 2021 value added already on the 2022 boundaries (as GRP)"
        assert validity.row_ok(uid, year, name), (uid, year, name)
        add({"unit_id": uid, "year": year, "indicator": name, "value": r["gva_mining_mn_kzt"], "unit": GVA_UNIT,
             "source": f"{GVA_SOURCE} (BNS gross value added by region and section, section B: mining and "
                       "quarrying)", "note": note, "flag": ""})
        log["derived"]["gva_mining (copied)"] += 1
    for parent, child in SPLIT_CHILD.items():
        total = value(parent, 2021) + value(child, 2021)
        add({"unit_id": parent, "year": 2021, "indicator": "gva_mining", "value": fmt(total), "unit": GVA_UNIT,
             "source": f"derived: gva_mining_2022bnd({parent}) + gva_mining_2022bnd({child}), 2021 ({GVA_SOURCE})",
             "note": f"build: pre-2022 territory = {parent} + {child}, as grp_total 2021", "flag": "derived"})
        log["derived"]["gva_mining (2021 pre-split sum)"] += 1
    # The 2022-boundary series repeats the as-of-year value where the territory is the 2022 one (as grp_total).
    for (uid, year, ind), row in list(index.items()):
        if ind != "gva_mining" or uid == NATIONAL or (uid, year, "gva_mining_2022bnd") in index:
            continue
        if year < BOUNDARY_YEAR and (uid in SPLIT_CHILD or uid == PREDECESSOR_2018 or row["flag"] == "derived"):
            continue
        add({**row, "indicator": "gva_mining_2022bnd",
             "note": build_note(row["note"], "same value as gva_mining: the unit's territory that year equals its "
                                             "2022 territory")})
        log["derived"]["gva_mining_2022bnd (copies)"] += 1
    # Regional sums equal the national row (reference notes: exactly in 2018-2025; with South Kazakhstan
    # counted once before 2018).
    for year in window:
        regions = validity.regions_in(year)
        total = sum(float(index[(u, year, "gva_mining")]["value"]) for u in regions)
        national = float(index[(NATIONAL, year, "gva_mining")]["value"])
        assert abs(total - national) <= max(1.0, 1e-6 * national), (year, total, national)

    # Non-mining GRP per capita on both territory bases.
    for suffix in ("", BOUNDARY_SUFFIX):
        for (uid, year, ind), grp in list(index.items()):
            if ind != "grp_total" + suffix:
                continue
            mine = index.get((uid, year, "gva_mining" + suffix))
            pop = index.get((uid, year, "population" + suffix))
            if mine is None or pop is None:
                continue
            nonmining = float(grp["value"]) - float(mine["value"])
            assert 0 < nonmining <= float(grp["value"]), (uid, year, suffix)
            per_capita = nonmining / float(pop["value"]) * 1000
            base = "the 2022 boundaries" if suffix else "the territory of the year"
            add({"unit_id": uid, "year": year, "indicator": NONMINING + suffix, "value": fmt(per_capita),
                 "unit": "thousand KZT per person",
                 "source": f"derived: (grp_total{suffix} - gva_mining{suffix}) / population{suffix} x 1000 "
                           f"({GRP_SOURCE}; {GVA_SOURCE}; {POP_SOURCE})",
                 "note": f"build: GRP at market prices less the gross value added of section B (mining and "
                         f"quarrying), per person of the average population, on {base}",
                 "flag": "derived"})
            log["derived"][f"{NONMINING}{suffix}"] += 1
    for uid, share in MINING_SHARE_2024.items():
        grp = float(index[(uid, 2024, "grp_total")]["value"])
        assert abs(value(uid, 2024) / grp * 100 - share) < 0.05, (uid, value(uid, 2024) / grp, share)
    # Every region of every year of the window has the as-of-year non-mining value.
    for year in window:
        missing = [u for u in validity.regions_in(year) if (u, year, NONMINING) not in index]
        assert not missing, (year, missing)
    return rows + new


def check_indicators(rows: list[dict], validity: Validity) -> None:
    keys = Counter((r["unit_id"], r["year"], r["indicator"]) for r in rows)
    dup = [k for k, n in keys.items() if n > 1]
    assert not dup, f"duplicate (unit_id, year, indicator): {dup[:5]}"
    units_of_indicator: dict[str, set] = defaultdict(set)
    for r in rows:
        assert r["unit_id"] in validity.span, r
        assert isinstance(r["year"], int)
        assert validity.row_ok(r["unit_id"], r["year"], r["indicator"]), \
            f"unit {r['unit_id']} does not exist in {r['year']} for {r['indicator']}"
        value = float(r["value"])
        assert math.isfinite(value), r
        if r["indicator"].startswith(("population", "area_km2")):
            assert value > 0, r
        assert r["flag"] in FLAGS, r
        assert r["source"], r
        assert r["unit"], r
        assert re.fullmatch(r"[a-z0-9_]+", r["indicator"]), r["indicator"]
        units_of_indicator[r["indicator"]].add(r["unit"])
    for ind, measure in units_of_indicator.items():
        assert len(measure) == 1, (ind, measure)

    frame = pd.DataFrame(rows)
    # Every region existing in a year has population and GRP per capita for every year of the window.
    for year in range(FIRST_YEAR, LAST_YEAR + 1):
        regions = validity.regions_in(year)
        expected = 16 if year < 2018 else 17 if year < 2022 else 20
        assert len(regions) == expected, (year, regions)
        for ind in ("population", "grp_per_capita", "population_2022bnd"):
            ids = regions if not ind.endswith(BOUNDARY_SUFFIX) else validity.regions_in(LAST_YEAR)
            have = set(frame.loc[(frame.indicator == ind) & (frame.year == year), "unit_id"])
            assert set(ids) <= have, (ind, year, sorted(set(ids) - have))
    # The article's anchor: GRP per capita 2019, max Atyrau 14,584.4 over min Turkistan 1,008.1.
    g = frame[(frame.indicator == "grp_per_capita") & (frame.year == 2019)
              & frame.unit_id.isin(validity.regions_in(2019))].set_index("unit_id")["value"].astype(float)
    assert len(g) == 17 and g.idxmax() == "atyrau" and g.max() == 14584.4, g
    assert g.idxmin() == "turkistan" and g.min() == 1008.1, g


# ---------------------------------------------------------------------------------------------------
# adjacency.csv and distances.csv
# ---------------------------------------------------------------------------------------------------

def build_adjacency(current: list[dict], before_2022: list[dict], validity: Validity) -> list[dict]:
    rows = []
    for r in current:
        rows.append({"unit_a": r["region_a"], "unit_b": r["region_b"], "valid_from": "2022", "valid_to": "",
                     "source": f"reference adjacency.csv: {r['source']}", "note": r["note"]})
    for r in before_2022:
        rows.append({"unit_a": r["region_a"], "unit_b": r["region_b"], "valid_from": "2018", "valid_to": "2021",
                     "source": f"reference adjacency_2018_2021.csv: {r['source']}", "note": r["note"]})
    merged: dict[tuple[str, str], list[str]] = defaultdict(list)
    for r in before_2022:
        a, b = (PREDECESSOR_2018 if u in SUCCESSORS_2018 else u for u in (r["region_a"], r["region_b"]))
        if a != b:
            merged[tuple(sorted((a, b)))].append(f"{r['region_a']}-{r['region_b']}")
    for (a, b), via in sorted(merged.items()):
        rows.append({"unit_a": a, "unit_b": b, "valid_from": "", "valid_to": "2017",
                     "source": "derived from reference adjacency_2018_2021.csv by merging turkistan + shymkent "
                               "into south_kazakhstan (the 2018 split did not move the region's outer border)",
                     "note": "via 2018-2021 pairs: " + ", ".join(via)})
    for r in rows:
        if r["unit_a"] > r["unit_b"]:
            r["unit_a"], r["unit_b"] = r["unit_b"], r["unit_a"]
    rows.sort(key=lambda r: (int(r["valid_from"] or 0), r["unit_a"], r["unit_b"]))
    # Checks: ordered pairs, both units exist over the whole validity span, no pair twice in a year.
    for year in range(2010, 2031):
        pairs = [(r["unit_a"], r["unit_b"]) for r in rows
                 if int(r["valid_from"] or -10_000) <= year <= int(r["valid_to"] or 10_000)]
        assert len(pairs) == len(set(pairs)), year
        for a, b in pairs:
            assert a < b and validity.exists(a, year) and validity.exists(b, year), (year, a, b)
    return rows


def build_distances(ref: list[dict]) -> list[dict]:
    rows = []
    for r in ref:
        a, b, ca, cb = r["region_a"], r["region_b"], r["centre_a"], r["centre_b"]
        if a > b:
            a, b, ca, cb = b, a, cb, ca
        assert float(r["great_circle_km"]) > 0
        rows.append({"unit_a": a, "unit_b": b, "centre_a": ca, "centre_b": cb,
                     "great_circle_km": r["great_circle_km"], "source": r["source"]})
    rows.sort(key=lambda r: (r["unit_a"], r["unit_b"]))
    assert len({(r["unit_a"], r["unit_b"]) for r in rows}) == len(rows)
    return rows


# ---------------------------------------------------------------------------------------------------
# Schema and the indicator catalogue
# ---------------------------------------------------------------------------------------------------

SCHEMA_COLUMNS = ["column", "type", "unit", "required", "meaning"]

# column | type | unit | required | meaning   (one line per column; parsed by _table below)
SCHEMA_TEXT = {
    "units": """
unit_id | string | | true | Identifier (lower-case letters, digits, underscores); the key used by every other file
name_kk | string | | true | Name in Kazakh
name_ru | string | | true | Name in Russian
name_en | string | | true | Name in English
level | string | | true | country or region (later also district, settlement)
kind | string | | true | country, oblast or city (city of republican significance)
parent_id | string | | false | unit_id of the unit one level up (empty for the country)
economic_type | string | | false | oil, industrial, agricultural or metropolitan (Smagulova & Sermagambet 2022 \
typology; abai, zhetisu, ulytau and south_kazakhstan assigned by the reference compiler, see notes)
centre | string | | true | Administrative centre (current)
lat | float | degrees (WGS84) | true | Latitude of the centre
lon | float | degrees (WGS84) | true | Longitude of the centre
area_km2 | float | km2 | false | Official area of the current territory; blank where not found (see notes)
valid_from | integer | year | false | First year the unit exists; blank = exists before 2015
valid_to | integer | year | false | Last year the unit exists (inclusive); blank = still exists
notes | string | | false | Reference notes, predecessor/successor relations, sources of area and centre
""",
    "indicators": """
unit_id | string | | true | Unit (units.csv); 'kazakhstan' = national value
year | integer | year | true | Reference year of the value
indicator | string | | true | Indicator name (schema/indicator_catalogue.csv); suffix _2022bnd = value on the \
2022 boundaries
value | float | see unit | true | The value (finite)
unit | string | | true | Unit of measure, one per indicator
source | string | | true | Where the value comes from; for derived values the formula and the sources of its inputs
note | string | | false | Reference note kept verbatim; text after '| build:' says what the build script did
flag | string | | false | empty = published figure; derived; suspect; partial; unverified (see SOURCES.md)
""",
    "adjacency": """
unit_a | string | | true | First unit of the pair (unit_a < unit_b alphabetically)
unit_b | string | | true | Second unit of the pair
valid_from | integer | year | false | First year the pair shares a border; blank = before 2015
valid_to | integer | year | false | Last year (inclusive); blank = still valid
source | string | | true | Reference file and its source, or the derivation
note | string | | false | Shared boundary vertices, or the pairs a merged pair comes from
""",
    "distances": """
unit_a | string | | true | First unit (unit_a < unit_b alphabetically)
unit_b | string | | true | Second unit
centre_a | string | | true | Centre of unit_a used for the distance
centre_b | string | | true | Centre of unit_b used for the distance
great_circle_km | float | km | true | Straight-line (haversine) distance between the centres; NOT a road distance
source | string | | true | Derivation and the source of the centre coordinates
""",
    "boundaries": """
unit_id | string | | true | Unit (units.csv); added by the build, equal to region_id
region_id | string | | true | Region id as in the reference data
KATO | string | | true | Classifier (KATO) code of the region
ADM1_EN | string | | true | Name in English (geokz)
ADM1_KK | string | | true | Name in Kazakh (geokz)
ADM1_RU | string | | true | Name in Russian (geokz)
ADM1_PCODE | string | | true | OCHA P-code
ISO_3166_2 | string | | true | ISO 3166-2 code (Turkistan carries the old South Kazakhstan code KZ-YUZ)
Year | integer | year | true | Year of the boundary layer (2024)
geometry | Polygon or MultiPolygon | degrees (WGS84, EPSG:4326) | true | Boundary of the 2022+ territory; \
RFC 7946 ring orientation
""",
}

CATALOGUE_COLUMNS = ["indicator", "unit", "meaning", "years_covered", "territory_basis", "higher_is_better"]

_QUARTER = {"q1": "first", "q2": "second", "q3": "third", "q4": "fourth"}
_POVERTY_Q = ("Share of the population with income below the subsistence minimum in the {} quarter "
              "(news reports citing BNS; fragments)")
_WAGE_Q = "Average monthly nominal wage in the {} quarter, quoted by news reports citing BNS (fragments)"

# indicator | higher_is_better | meaning
CATALOGUE_TEXT = """
grp_per_capita | true | Gross regional product per capita, current prices: official BNS table 2015-2022; \
GRP / average population 2023-2025 (flag derived)
grp_per_capita_2022bnd | true | GRP per capita on the 2022 boundaries: GRP / population recalculated to 2022 \
boundaries before 2022 (derived), official 2022, derived 2023-2025; none for abai, zhetisu, ulytau and their \
parent oblasts before 2021
grp_total | true | Gross regional product, nominal (current prices), BNS
grp_per_capita_nonmining | true | Non-mining GRP per capita: GRP at market prices less the gross value added of \
section B (mining and quarrying), per person of the average population (derived), on the territory of the year
grp_per_capita_nonmining_2022bnd | true | Non-mining GRP per capita on the 2022 boundaries (derived); none for \
abai, zhetisu, ulytau and their parent oblasts before 2021
gva_mining | | Gross value added of section B (mining and quarrying), nominal (current prices), BNS; the three \
split oblasts' parents in 2021 are parent + child (derived)
gva_mining_2022bnd | | Mining gross value added on the 2022 boundaries: BNS retrospective figures (turkistan, \
shymkent 2015-2017), BNS 2021 figures on the new division, copies where the territory is unchanged
grp_total_2022bnd | true | GRP on the 2022 boundaries: BNS retrospective figures (turkistan, shymkent 2015-2017), \
BNS 2021 figures on the new division, copies where the territory is unchanged; none for abai, zhetisu, ulytau and \
their parent oblasts before 2021
population | | Average annual population (BNS series revised after the 2021 census); pre-2022 values of the three \
split oblasts and south_kazakhstan are sums of 2022-boundary parts (flag derived)
population_2022bnd | | Average annual population recalculated by BNS to the 2022 boundaries (complete 2015-2025 \
for the 20 current units)
population_urban_2022bnd | | Average annual urban population recalculated by BNS to the 2022 boundaries
urban_share | | Urban share of the average annual population (urban / total, derived)
urban_share_2022bnd | | Urban share of the average annual population on the 2022 boundaries (derived)
fixed_capital_investment | true | Investment in fixed capital, current prices, BNS
fixed_capital_investment_per_capita | true | Investment in fixed capital per person of average population (derived)
unemployment_rate | false | Unemployment rate (ILO-type labour force survey, age 15+), BNS; no 2015 values
unemployment_rate_2022bnd | false | Unemployment rate: BNS retrospective figures for units created in 2018 \
(their 2022-boundary territory)
avg_monthly_wage | true | Average monthly nominal wage, annual average (2022 regional table; 2019 national only)
per_capita_income_monthly | true | Per-capita nominal cash income per month (BNS series Среднедушевые \
номинальные денежные доходы)
poverty_rate | false | Share of the population with income below the subsistence minimum, annual (fragments: \
highest/lowest regions only)
rural_settlements_count | | Number of rural settlements (fragments: national and a few regions)
rural_settlements_low_potential_count | | Rural settlements with low development potential (national 2013, \
implied by subtraction)
rural_settlements_perspective_count | | Rural settlements classed as 'perspective' (support, satellite and \
border villages)
rural_settlements_under_50_residents_count | | Rural settlements with fewer than 50 residents
area_km2 | | Official area of the unit's territory in that year (2022 = current boundaries; 2021 rows give the \
pre-split area of the three split oblasts)
area_km2_polygon_derived | | Spherical area of the boundary polygon in boundaries.geojson (approximate)
internal_arrivals | | Registered internal moves ending in the unit, including moves within the region
internal_departures | | Registered internal moves starting in the unit, including moves within the region
interregional_net_migration | | Internal arrivals minus departures (net interregional migration; excludes \
international)
interregional_net_migration_per_1000 | | Net interregional migration per 1,000 average annual population (derived)
interregional_net_migration_jan_jul | | Net interregional migration January-July (partial year; only regions \
with a positive balance published)
interregional_net_migration_jan_jun | | Net interregional migration January-June (partial year; only regions \
with a positive balance published)
internal_movers_total | | All registered internal moves in the country (sum of regional arrivals)
international_arrivals | | Arrivals for permanent residence from abroad (national; top-3 receiving regions in 2023)
international_departures | | Departures for permanent residence abroad
international_net_migration | | International arrivals minus departures
"""


def _table(text: str, columns: int) -> list[list[str]]:
    """Rows of a ``a | b | ... | text`` block; the last cell may itself contain '|'."""
    return [[cell.strip() for cell in line.split("|", columns - 1)] for line in text.strip().splitlines()]


SCHEMA = {name: _table(text, len(SCHEMA_COLUMNS)) for name, text in SCHEMA_TEXT.items()}
CATALOGUE = {ind: (meaning, better) for ind, better, meaning in _table(CATALOGUE_TEXT, 3)}
for _q, _ordinal in _QUARTER.items():
    CATALOGUE[f"poverty_rate_quarterly_{_q}"] = (_POVERTY_Q.format(_ordinal), "false")
    CATALOGUE[f"avg_monthly_wage_quarterly_{_q}"] = (_WAGE_Q.format(_ordinal), "true")
assert all(len(row) == len(SCHEMA_COLUMNS) for rows in SCHEMA.values() for row in rows)


def year_ranges(years: list[int]) -> str:
    years = sorted(set(years))
    parts, start, prev = [], years[0], years[0]
    for y in years[1:] + [None]:
        if y is not None and y == prev + 1:
            prev = y
            continue
        parts.append(str(start) if start == prev else f"{start}-{prev}")
        if y is not None:
            start = prev = y
    return ", ".join(parts)


def build_catalogue(rows: list[dict]) -> list[dict]:
    by_ind: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        by_ind[r["indicator"]].append(r)
    missing = sorted(set(by_ind) - set(CATALOGUE))
    assert not missing, f"indicators without a catalogue entry: {missing}"
    out = []
    for ind in sorted(by_ind):
        meaning, better = CATALOGUE[ind]
        out.append({"indicator": ind, "unit": by_ind[ind][0]["unit"], "meaning": meaning,
                    "years_covered": year_ranges([r["year"] for r in by_ind[ind]]),
                    "territory_basis": "2022_boundaries" if ind.endswith(BOUNDARY_SUFFIX) else "as_of_year",
                    "higher_is_better": better})
    return out


# ---------------------------------------------------------------------------------------------------
# SOURCES.md
# ---------------------------------------------------------------------------------------------------

def coverage_table(rows: list[dict]) -> str:
    frame = pd.DataFrame(rows)
    lines = ["| indicator | rows | units | years | flags |", "|---|---|---|---|---|"]
    for ind, g in frame.groupby("indicator", sort=True):
        flags = ", ".join(f"{f or 'published'} {n}" for f, n in sorted(Counter(g["flag"]).items()))
        lines.append(f"| `{ind}` | {len(g)} | {g['unit_id'].nunique()} | {year_ranges(list(g['year']))} | {flags} |")
    return "\n".join(lines)


# successions.csv is kept by hand (it is not built from the reference data); its row in the files table
SUCCESSIONS_ROW = ("| `successions.csv` | 5 | units created by the 2018 and 2022 changes and the unit whose territory "
                   "they belonged to before (used to draw earlier years on the 2022 map and to compare divisions) |")


def sources_md(counts: dict, hashes: dict, rows: list[dict], log: dict) -> str:
    undated = "\n".join(f"  - `{r['region_id']}` `{r['indicator']}` = {r['value']} ({r['source']}; {r['note']})"
                        for r in log["undated"])
    hash_lines = "\n".join(f"| `{name}` | `{digest}` |" for name, digest in sorted(hashes.items()))
    return f"""# data/kazakhstan — the default dataset: sources, transformations, caveats

Built by `data/build_kazakhstan.py` from the shared reference data (`reference-data/`, compiled from stored
copies of public material; see its `SOURCES.md`). Rebuild from the repository root with

    python data/build_kazakhstan.py --reference ../shared/reference-data

The build copies facts: every value keeps its `source` (and the reference `note` verbatim). The only numbers
it computes are sums and ratios of copied numbers; those carry flag `derived` and their formula in `source`.
Where the build changed or added something, the note says so after ` | build: `.
The build asserts the checks listed under "Checks" and stops instead of writing a dataset that fails one.

## Files

| file | rows | content |
|---|---|---|
| `units.csv` | {counts['units']} | the country + 21 region-level units (20 current + historical `south_kazakhstan`) |
| `indicators.csv` | {counts['indicators']} | long form, sorted by indicator, unit_id, year |
| `adjacency.csv` | {counts['adjacency']} | region pairs sharing a border, with validity years |
| `distances.csv` | {counts['distances']} | centre-to-centre great-circle km, 20 current units (**not road distance**) |
{SUCCESSIONS_ROW}
| `boundaries.geojson` | {counts['boundaries']} features | region boundaries, 2022+ division |
| `schema/*.csv` | | one file per data file (`column, type, unit, required, meaning`) and `indicator_catalogue.csv` |
| `districts/` | | unchanged copy of `reference-data/districts/` for the district level (see below) |

### Inputs (reference-data files read, SHA-256)

| file | sha256 |
|---|---|
{hash_lines}

## Territory and time

- Units: 2015-2017 = 14 oblasts (incl. `south_kazakhstan`) + `astana` + `almaty_city` (16);
  2018-2021 = 14 oblasts (`turkistan` replaces `south_kazakhstan`) + 3 cities incl. `shymkent` (17);
  2022+ = 17 oblasts (`abai`, `zhetisu`, `ulytau` added) + 3 cities (20).
  `valid_from` / `valid_to` are inclusive years (blank = before 2015 / still valid). The reference's
  `valid_to_year` 2018 for `south_kazakhstan` is the split year; here `valid_to` = 2017, its last year.
- `east_kazakhstan`, `almaty_oblast` and `karaganda` keep their ids across the 2022 split; their values before 2022
  refer to the larger pre-split territory (areas before the split are in `units.csv` notes and as `area_km2` 2021).
- **Territory rule**: a row refers to the territory its unit had in that year, and the unit exists that year.
  Indicators ending in `_2022bnd` refer to the 2022 boundaries (the unit must exist from 2022 on), whatever the year.
  - Reference names: `population_avg_2022bnd` -> `population_2022bnd`,
    `urban_share_pct_2022bnd` -> `urban_share_2022bnd`, `population_urban_avg_2022bnd` -> `population_urban_2022bnd`.
  - BNS retrospective figures for `turkistan` and `shymkent` before 2018 (same territory as in 2018+ and 2022+) are
    filed as `<indicator>_2022bnd` (`grp_total`, `grp_per_capita`, `unemployment_rate`); the retrospective
    `population` / `urban_share` rows repeated the reference's own `_2022bnd` rows with identical values and were
    dropped in favour of those ({len(log['duplicates_dropped'])} rows).
  - BNS publishes GRP for 2021 already on the 2022 boundaries: `abai`, `zhetisu`, `ulytau` 2021 and the parents' 2021
    GRP without them are `grp_total_2022bnd` 2021 (and their GRP per capita `grp_per_capita_2022bnd` 2021). The
    as-of-year `grp_total` 2021 of each parent = parent + child (flag `derived`, formula in `source`).
  - **Complete 2022-boundary series (explicit choice)**: for `population`, `urban_share`, `grp_total` and
    `grp_per_capita` the `_2022bnd` series is complete on its own wherever data allow: from 2022 on it repeats the
    as-of-year value (the territory is the same); before 2022 it repeats the as-of-year `grp_total` of units whose
    territory did not change, and `grp_per_capita_2022bnd` = `grp_total_2022bnd` / `population_2022bnd` x 1000
    (flag `derived`) for 2015-2021. Consumers wanting a 2022-boundary panel read `X_2022bnd` alone; they do not
    need to merge `X` (2022+) with `X_2022bnd` (earlier).
  - The build's formula reproduces every GRP-per-capita value the reference itself derived (within 0.05 rounding).
    Because the population series was revised after the 2021 census, `grp_per_capita_2022bnd` differs slightly from
    the official `grp_per_capita` in the same year (2019: Atyrau 14,584.2 vs 14,584.4; Turkistan 1,009.2 vs 1,008.1).
    Use `grp_per_capita` (official) for the article's 2019 comparison.
  - Astana annexed 87.19 km2 in 2017 (reference note); its pre-2017 GRP is treated as on the current territory.

## Flags

- (empty): a published figure copied from the source.
- `derived`: computed from published figures (by the reference compiler or by this build); formula in `source`.
- `suspect`: the reference marks the source value as suspect: unemployment `east_kazakhstan` 2023 = 3.4 and
  `kazakhstan` 2019 = 3.6; fixed-capital investment (and its per-capita value) `shymkent` 2018.
- `partial`: fragmentary coverage: poverty rates, quarterly wage and poverty quotes from news reports,
  rural-settlement counts, partial-year migration balances, regional international arrivals (top-3 regions only).
- `unverified`: the reference says CAUTION / unverified: the otyrar.kz 2021 poverty rates for akmola,
  almaty_city, atyrau, karaganda, shymkent.

One flag per row, by precedence suspect > unverified > partial > derived. "Latest vintage, may be revised" (2025
values from source files dated 2026) is kept in `note` only, not as a flag: search the note for "latest vintage".

## Indicators

Coverage per indicator (rows, units incl. `kazakhstan`, years, flags). Meanings, units and whether higher is
better are in `schema/indicator_catalogue.csv`.

{coverage_table(rows)}

Renamed from the reference: `avg_monthly_nominal_wage` -> `avg_monthly_wage`; `per_capita_nominal_cash_income_monthly`
-> `per_capita_income_monthly`; `population_avg` -> `population`; `urban_share_pct` -> `urban_share`; suffix `_derived`
dropped in favour of flag `derived` (`fixed_capital_investment_per_capita`, `interregional_net_migration_per_1000`,
`rural_settlements_low_potential_count`); `grp_per_capita_derived` merged into `grp_per_capita` (2023-2025) and
`grp_per_capita_2022bnd` (2021 split units, retrospective 2015-2017). Quarterly quotes are one indicator per quarter
(`avg_monthly_wage_quarterly_q3`, `..._q4`, `poverty_rate_quarterly_q1` ... `_q4`) because two quarters of the same
year exist for one unit (Atyrau wage 2019 Q3 and Q4; Turkistan poverty 2019 Q1 and Q4). Migration rows come from the
reference `migration.csv` (`region_id` -> `unit_id`); national rows are on unit `kazakhstan`.
Undated `area_km2` rows ("current boundaries") are dated 2022 (noted per row).

## Sources (upstream, as recorded in the reference data)

1. **GRP per capita** (`grp_per_capita` 2015-2022): BNS table "Валовой региональный продукт на душу населения",
   `github:open-data-kazakhstan/city-gdp-per-capita`, file `arhive/6. ВРП на душу населения.xlsx` (commit 659fb639…,
   sheet `тыс.тенге`). Licence PDDL. Reproduces the article's anchors: 2019 Atyrau 14,584.4, Turkistan 1,008.1.
2. **GRP, population, urban population, unemployment, fixed-capital investment**: BNS regional series collected by
   `github:makenerzhan-gif/kazakhstan-economic-data` (`data/processed/dims/grp_nominal_by_region.csv`,
   `population_avg_by_region.csv`, `unemployment_rate_by_region.csv`, `investment_by_region.csv`; source files dated
   2026). Repository licence not checked by the reference compiler; BNS terms allow reuse with attribution.
3. **Wages 2022**: `github:open-data-kazakhstan/city-avg-salary/data/quarters_nn.csv` (PDDL), January-December column.
   2019: national annual figure and quarterly regional quotes from news sites (URLs per row).
4. **Per-capita nominal cash income** 2015-2020: `github:open-data-kazakhstan/average-per-capita-nominal-cash-income`
   (PDDL); monthly tenge inferred from magnitude.
5. **Boundaries and centre coordinates**: `github:arodionoff/geokz` commit `41c1a00454ec9e01bda031b5074920bd82de02ce`
   (CC BY 4.0 + MIT LICENSE), from OCHA/HDX COD-AB Kazakhstan. Astana's point is labelled "Nur-Sultan" in the source.
6. **Areas**: `github:gusenov/qazaqstan-geography-data/regions.json` for oblasts with unchanged borders; pages named per
   unit for the split oblasts and the cities (see `units.csv` notes). National area: mfa.gov.kg country page.
7. **Poverty**: BNS publication page (2022), Tengrinews citing BNS (2021), otyrar.kz (2021, unverified), quarterly news
   reports (URLs per row). No complete regional poverty table for any year was found.
8. **Rural settlements**: inbusiness.kz, globalnews.kz, mgorod.kz (URLs per row).
9. **Adjacency**: computed by the reference compiler from shared boundary vertices of the geokz polygons and confirmed
   by text for most pairs; pre-2022 pairs by merging the split oblasts into their parents.
10. **Migration**: `github:kanatislambekov/internal-migration-flow-kz` (`data/internal_migration_2022.csv`,
    `_2023.csv` at commit f3ddb58, `_2024.csv` at commit e3d8dea; the repository states no source, its figures
    match BNS press releases; licence not recorded in the reference); national international migration from news
    sites citing BNS (URLs per row).
11. **Mining value added** (`gva_mining`, 2015-2025): BNS table of gross value added by region and section, section B
    "Горнодобывающая промышленность и разработка карьеров" (mining and quarrying), nominal, million tenge, as
    republished in `github:makenerzhan-gif/kazakhstan-economic-data`
    (`data/processed/dims/gva_nominal_by_region_section.csv`), the repository `grp_total` comes from; BNS region codes
    mapped to unit ids by the reference `bns_region_codes.csv`.

## Non-mining GRP per capita

`grp_per_capita_nonmining` = (`grp_total` - `gva_mining`) / `population` x 1000 (thousand tenge per person, flag
`derived`, formula in `source`); `grp_per_capita_nonmining_2022bnd` the same on the 2022 boundaries. It measures the
part of a region's output that does not come from extracting oil, gas, ores and stone: the part regional policy
can move. How the mining series is filed:

- BNS gives value added on the borders of its year, with 2021 already on the 2022 division (as GRP): the parents'
  as-of-year 2021 value is parent + child (derived), exactly as `grp_total` 2021.
- YKO (the former South Kazakhstan oblast, `south_kazakhstan`, up to 2017) equals TRK + SHM in 2011-2017 (asserted
  to rounding); Turkistan's and Shymkent's retrospective values before 2018 are `gva_mining_2022bnd`, so no year adds
  all three. The regional sums of the units existing each year equal the national row in every year 2015-2025
  (asserted).
- GRP is at market prices (it includes net taxes on products) while mining is value added at basic prices, so
  mining / GRP is slightly below mining / total GVA, and non-mining GRP keeps all net product taxes. Mining share
  of GRP 2024 (asserted against the reference notes): Atyrau 43.7%, West Kazakhstan 42.5%, Ulytau 39.0%,
  Mangystau 33.6%, Abai 29.3%, Kyzylorda 14.7%, Aktobe 14.1%, national 12.0%.
- Population is the BNS series revised after the 2021 census (as the derived `grp_per_capita`), so the total
  indicator's official 2015-2022 values are not the base of this one. Values on today's borders are consistent
  from 2021 on; before 2021 the as-of-year series (and the 2022-boundary one where the territory is unchanged)
  covers every unit of its year.

## Per-file transformations

- `units.csv`: `kazakhstan` row added (centre Astana and its coordinates; area 2,724,902 km2 from the reference
  SOURCES.md, source in `notes`). Region rows from `regions.csv`: names, kind, centre, lat/lon, current area,
  economic type, validity years; `notes` = reference notes + predecessor/successor relations + the sources of area
  and centre coordinates. `almaty_city` and `south_kazakhstan` have no official area (blank, noted); the polygon
  area of Almaty city (703 km2) is `area_km2_polygon_derived` in `indicators.csv`.
- `indicators.csv`: as described above. {len(log['undated'])} undated reference rows other than areas were left
  out because a row needs a year; they remain in `districts/settlements.csv`:
{undated}
- `adjacency.csv`: 2022+ pairs from `adjacency.csv` (`valid_from` 2022); 2018-2021 pairs from
  `adjacency_2018_2021.csv`; 2015-2017 pairs derived by merging `turkistan` + `shymkent` into `south_kazakhstan` in
  the 2018-2021 pairs (`valid_to` 2017). Pairs unchanged across periods are repeated once per period; no pair occurs
  twice in any year. `unit_a` < `unit_b`.
- `distances.csv`: the reference `centre_distances_greatcircle.csv` with `region_a/b` -> `unit_a/b`, each pair ordered
  `unit_a` < `unit_b` (centres swapped with it), values unchanged. Current division and current centres only.
- `boundaries.geojson`: the reference `geo/kaz_adm1_2024.geojson` (SHA-256 in the table above) with a property
  `unit_id` (= `region_id`) added to each of the 20 features; geometry unchanged.
- `schema/`: written by the build; `indicator_catalogue.csv` lists every indicator present with its years.

## Licences and attribution

- Boundaries: geokz (A. Rodionov, CC BY 4.0) based on OCHA/HDX COD-AB Kazakhstan.
  (The geokz DESCRIPTION declares `CC BY 4.0 + file LICENSE`, the LICENSE file is MIT; a third-party record gives the
  upstream HDX COD-AB licence as CC BY-IGO.) The same attribution applies to `districts/geo/kaz_adm2.geojson`.
- open-data-kazakhstan repositories: PDDL. BNS (stat.gov.kz) data: BNS terms allow reuse with attribution (as
  quoted in the reference SOURCES.md).
- makenerzhan-gif, kanatislambekov, gusenov repositories: licence not stated or not checked (facts only are copied).

## Caveats (from the reference, still applying)

- **Population definition**: average annual population (среднегодовая), BNS vintage revised after the 2021 census
  and re-cut to 2022 boundaries. Pre-2022 figures therefore differ slightly from those originally published (and used
  in the official per-capita table): derived 2019 GRP per capita = 14,584.2 (Atyrau) and 1,009.2 (Turkistan) vs
  official 14,584.4 and 1,008.1. `grp_per_capita` uses the official value for 2015-2022 and the derived one only
  where no official value exists (2023-2025).
- **Census re-basing**: population jumps in 2022 (e.g. Akmola +7 %) reflect the census re-basing, not migration.
- **Suspect values** kept but flagged: unemployment East Kazakhstan 2023 = 3.4, national 2019 = 3.6; investment
  Shymkent 2018 = 588,034 (vs 194,958 in 2019). No unemployment rows for 2015 in the source.
- Wage 2022 is a quarterly-survey annual average (form 1-T basis, may exclude small enterprises); 2019 regional wages
  exist only as quarterly news quotes.
- **Poverty and settlement data are partial**; treat as illustrative, not a panel.
- **Distances are great-circle only**: no road-distance table between regional centres was found.
- 2025 values come from the latest vintage in the source repository (files dated 2026) and may be revised.
- `economic_type` of `abai`, `zhetisu`, `ulytau` and `south_kazakhstan` is the reference compiler's assignment, not
  the article's (see `units.csv` notes).
- Polygon areas differ from official areas by up to about 1-2 %; `ISO_3166_2` of Turkistan is the old `KZ-YUZ`.

## Gaps

- **No GRP on the 2022 boundaries before 2021 for `abai`, `zhetisu`, `ulytau` and their parents** (`east_kazakhstan`,
  `almaty_oblast`, `karaganda`): the parents' pre-2021 GRP includes the later oblasts and BNS did not split it. So
  `grp_total_2022bnd` and `grp_per_capita_2022bnd` for these six units start in 2021; nothing was estimated.
- No as-of-year urban population (only `population_urban_2022bnd`); no as-of-year `population`/`urban_share`
  for `turkistan`/`shymkent` before 2018 (they did not exist; see the `_2022bnd` series).
- Wages: regional annual averages only for 2022. Per-capita income only 2015-2020. Unemployment from 2016.
- Poverty: no complete regional table for any year. Rural settlements: a few regions and years only; no per-region
  counts by development potential.
- Migration: regional flows only 2022-2024; no origin-destination matrix.
- Areas: official area of Almaty city and of historical South Kazakhstan not found.
- Distances: the table covers the 20 current units with current centres. `south_kazakhstan` is not in it (its
  centre point is the Shymkent point, so `shymkent` rows give the same distances); `almaty_oblast`'s centre was
  Taldykorgan (now `zhetisu`'s centre) before 2022.
- Fixed-capital investment of `abai`, `zhetisu`, `ulytau` is published from 2022 only (the parents' 2015-2021 values
  are on pre-2022 territory).

## districts/ (for the district level, not loaded yet)

Unchanged copy of `reference-data/districts/`: `districts.csv` (227 districts, cities of regional significance and
urban districts), `settlements.csv` (rural-settlement counts, national/regional/district, incl. KATO-2022-derived
counts), `geo/kaz_adm2.geojson` (224 district polygons, geokz; attribution as above) and its `SOURCES.md`. Paths in
that SOURCES.md (`../regions.csv`, `../geo/...`, `../indicators.csv`) refer to the reference-data layout; the
equivalents here are `units.csv`, `boundaries.geojson` and `indicators.csv`. District population is known for about
a quarter of the districts; a district dataset must estimate the rest by a documented method and flag them.

## Checks (asserted by the build)

- No duplicate (`unit_id`, `year`, `indicator`); every row's unit exists in its year, or from 2022 on for `_2022bnd`
  indicators; every value finite; population and area values > 0; one unit of measure per indicator; flags from the
  list above.
- Region units per year: 16 (2015-2017), 17 (2018-2021), 20 (2022-2025); `population` and `grp_per_capita` complete
  for every region in every year 2015-2025, `population_2022bnd` complete for the 20 current units.
- GRP per capita 2019 over the 17 regions: max Atyrau 14,584.4, min Turkistan 1,008.1.
- Adjacency: no pair twice in a year, both units exist in every year of the pair's validity.
- The build's GRP-per-capita formula reproduces the reference's derived values; the 2021 pre-split GRP sums agree
  with the official 2021 per-capita values within 2 %; as-of-year and `_2022bnd` population and urban share agree
  from 2022 on.
"""


# ---------------------------------------------------------------------------------------------------
# main
# ---------------------------------------------------------------------------------------------------

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reference", default="../shared/reference-data",
                        help="reference-data folder (relative paths are resolved from the repository root)")
    parser.add_argument("--out", default="data/kazakhstan",
                        help="output folder (relative paths are resolved from the repository root)")
    args = parser.parse_args()
    ref = (REPO_ROOT / args.reference).resolve()
    out = (REPO_ROOT / args.out).resolve()
    assert (ref / "regions.csv").exists(), f"no regions.csv in {ref}"

    inputs = ["regions.csv", "indicators.csv", "migration.csv", "adjacency.csv", "adjacency_2018_2021.csv",
              "centre_distances_greatcircle.csv", "geo/kaz_adm1_2024.geojson", "districts/districts.csv",
              "districts/settlements.csv", "districts/geo/kaz_adm2.geojson", "districts/SOURCES.md",
              "gva_mining_by_region.csv", "bns_region_codes.csv"]
    hashes = {name: sha256(ref / name) for name in inputs}

    log = {"undated": [], "moved_retro": Counter(), "duplicates_dropped": [], "derived": Counter()}

    units = build_units(read_csv(ref / "regions.csv"))
    validity = Validity(units)

    ref_rows = read_csv(ref / "indicators.csv") + read_csv(ref / "migration.csv")
    indicators = build_indicators(ref_rows, validity, log)
    indicators = add_derived_rows(indicators, validity, log)
    indicators = add_mining_rows(indicators, read_csv(ref / "gva_mining_by_region.csv"),
                                 read_csv(ref / "bns_region_codes.csv"), validity, log)
    for r in indicators:
        r.pop("_ref_indicator", None)
    indicators.sort(key=lambda r: (r["indicator"], r["unit_id"], r["year"]))
    check_indicators(indicators, validity)

    adjacency = build_adjacency(read_csv(ref / "adjacency.csv"), read_csv(ref / "adjacency_2018_2021.csv"), validity)
    distances = build_distances(read_csv(ref / "centre_distances_greatcircle.csv"))
    for r in distances:
        assert validity.exists(r["unit_a"], LAST_YEAR) and validity.exists(r["unit_b"], LAST_YEAR), r

    geo = json.loads((ref / "geo/kaz_adm1_2024.geojson").read_text(encoding="utf-8"))
    for feature in geo["features"]:
        props = feature["properties"]
        assert validity.exists(props["region_id"], LAST_YEAR), props
        feature["properties"] = {"unit_id": props["region_id"], **props}
    assert sorted(f["properties"]["unit_id"] for f in geo["features"]) == validity.regions_in(LAST_YEAR)

    catalogue = build_catalogue(indicators)

    # Write.
    out.mkdir(parents=True, exist_ok=True)
    write_csv(out / "units.csv", UNIT_COLUMNS, units)
    write_csv(out / "indicators.csv", INDICATOR_COLUMNS, indicators)
    write_csv(out / "adjacency.csv", ADJACENCY_COLUMNS, adjacency)
    write_csv(out / "distances.csv", DISTANCE_COLUMNS, distances)
    with (out / "boundaries.geojson").open("w", encoding="utf-8") as handle:
        json.dump(geo, handle, ensure_ascii=False, separators=(",", ":"))
    for name, spec in SCHEMA.items():
        records = [dict(zip(SCHEMA_COLUMNS, cells, strict=True)) for cells in spec]
        write_csv(out / "schema" / f"{name}.csv", SCHEMA_COLUMNS, records)
    write_csv(out / "schema" / "indicator_catalogue.csv", CATALOGUE_COLUMNS, catalogue)
    for name in ("districts.csv", "settlements.csv", "geo/kaz_adm2.geojson", "SOURCES.md"):
        target = out / "districts" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ref / "districts" / name, target)
        assert sha256(target) == hashes[f"districts/{name}"]
    counts = {"units": len(units), "indicators": len(indicators), "adjacency": len(adjacency),
              "distances": len(distances), "boundaries": len(geo["features"])}
    (out / "SOURCES.md").write_text(sources_md(counts, hashes, indicators, log), encoding="utf-8")

    # Re-read what was written and repeat the indicator checks on it.
    frame = pd.read_csv(out / "indicators.csv", keep_default_na=False, dtype=str)
    assert list(frame.columns) == INDICATOR_COLUMNS
    reread = [{**row, "year": int(row["year"])} for row in frame.to_dict("records")]
    check_indicators(reread, validity)

    summary = io.StringIO()
    print(f"wrote {out}", file=summary)
    for key, n in counts.items():
        print(f"  {key}: {n}", file=summary)
    print(f"  retrospective rows moved to _2022bnd: {dict(log['moved_retro'])}", file=summary)
    print(f"  duplicate rows dropped: {len(log['duplicates_dropped'])}", file=summary)
    print(f"  rows added by the build: {dict(log['derived'])}", file=summary)
    print(f"  undated reference rows left out: {len(log['undated'])}", file=summary)
    print(summary.getvalue(), end="")


if __name__ == "__main__":
    main()
