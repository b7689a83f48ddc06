"""Shared fixtures: a tiny hand-made dataset whose answers can be worked out on paper."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

# CI (.ci/run sets HYPOTHESIS_PROFILE=ci) replays the same examples every time, so a run is repeatable;
# a local run explores new examples, which is where edge cases (a subnormal need, say) turn up
settings.register_profile("ci", derandomize=True, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

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
north,2019,population,100,persons,test,,
south,2019,population,100,persons,test,,
capital,2019,population,200,persons,test,,
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
