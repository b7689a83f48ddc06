"""Shared fixtures: the Kazakhstan context and direction rules, and a tiny hand-made dataset whose answers can be
worked out on paper."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

from engine.core.context import load_context
from engine.core.data import Dataset
from engine.core.parameters import load_direction_rules
from engine.core.scale.writer import dataset_from_frames

# CI (.ci/run sets HYPOTHESIS_PROFILE=ci) replays the same examples every time, so a run is repeatable;
# a local run explores new examples, which is where edge cases (a subnormal need, say) turn up
settings.register_profile("ci", derandomize=True, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))



@pytest.fixture(scope="session")
def ctx():
    """The Kazakhstan dataset with the repository's rules, loaded once (tests only read it)."""
    return load_context()


@pytest.fixture(scope="session")
def direction_rules():
    """``rules/directions.yaml``, checked without a dataset."""
    return load_direction_rules()


TINY_UNITS = """unit_id,name_kk,name_ru,name_en,level,kind,parent_id,economic_type,centre,lat,lon,area_km2,valid_from,valid_to,notes
country,Ел,Страна,Country,country,country,,,A,51.0,71.0,,,,
north,Солтүстік облысы,Северная область,North Region,region,oblast,country,agricultural,A,52.0,70.0,100,,,
south,Оңтүстік облысы,Южная область,South Region,region,oblast,country,oil,B,43.0,70.0,100,,,
capital,Астана қаласы,город Астана,Astana (city),region,city,country,metropolitan,C,51.0,71.0,1,,,
newone,Жаңа облысы,Новая область,New Region,region,oblast,country,agricultural,D,48.0,75.0,50,2022,,
"""

TINY_INDICATORS = """unit_id,year,indicator,value,unit,source,note,flag
north,2019,grp_per_capita,1000,thousand KZT per person,test,,
south,2019,grp_per_capita,2000,thousand KZT per person,test,,
capital,2019,grp_per_capita,4000,thousand KZT per person,test,,
north,2019,population,100,persons (annual average),test,,
south,2019,population,100,persons (annual average),test,,
capital,2019,population,200,persons (annual average),test,,
"""

TINY_ADJACENCY = """unit_a,unit_b,valid_from,valid_to,source
north,south,,,test
capital,north,,,test
"""


@pytest.fixture
def tiny_dataset_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "tiny"
    folder.mkdir()
    (folder / "units.csv").write_text(TINY_UNITS, encoding="utf-8")
    (folder / "indicators.csv").write_text(TINY_INDICATORS, encoding="utf-8")
    (folder / "adjacency.csv").write_text(TINY_ADJACENCY, encoding="utf-8")
    return folder


# --- the district dataset and a generated settlement dataset (built once per session), and a small
# settlement dataset cut from it (two regions) so that settlement-level solves stay fast in tests

SMALL_REGIONS = ("mangystau", "ulytau")  # a sending and a receiving region of the mobility direction


@pytest.fixture(scope="session")
def districts():
    from engine.core.scale.districts import build_district_dataset

    return build_district_dataset()


@pytest.fixture(scope="session")
def settlements():
    from engine.core.scale.settlements import synthesize_settlements

    return synthesize_settlements(seed=7)


def cut(dataset: Dataset, regions: tuple[str, ...]) -> Dataset:
    """The country, every region (the rules name them), and the units under ``regions``, with their
    indicators and adjacency."""
    parent = dataset.units["parent_id"].to_dict()

    def region_of(unit: str) -> str | None:
        seen = 0
        while unit and seen < 5:
            if unit in regions:
                return unit
            unit, seen = parent.get(unit, ""), seen + 1
        return None

    keep = [u for u in dataset.units.index if dataset.units.at[u, "level"] in ("country", "region") or region_of(u)]
    units = dataset.units.loc[keep].reset_index()
    indicators = dataset.indicators[dataset.indicators["unit_id"].isin(keep)]
    adjacency = dataset.adjacency[dataset.adjacency["unit_a"].isin(keep) & dataset.adjacency["unit_b"].isin(keep)]
    return dataset_from_frames(units, indicators, adjacency)


@pytest.fixture(scope="session")
def small_settlements(settlements):
    return cut(settlements[0], SMALL_REGIONS)
