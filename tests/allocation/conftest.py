"""Fixtures for the optimizer: tiny worlds whose optimal plans can be worked out by hand, and the default data.

A tiny world has three regions with one million people each, no history and no migration (so population
stays as it is), a
single response (a demand impulse of 0.5 bn GRP per bn in the year of spending, with all spending
effective) and one concave segment as wide as three years of the unit's GRP. One bn spent in a unit in the
last year then raises its GRP per capita by exactly 0.5 thousand tenge, so optima follow from arithmetic.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from engine.core.context import load_context
from engine.core.parameters import load_direction_rules
from engine.core.rules import RULES_DIR
from engine.core.scenario import scenario_from_text

UNITS_HEADER = ("unit_id,name_kk,name_ru,name_en,level,kind,parent_id,economic_type,centre,lat,lon,area_km2,"
                "valid_from,valid_to,notes\n")
DEFAULT_UNITS = {"low": ("oblast", 1000.0, 1e6, 50.0, 60.0), "mid": ("oblast", 2000.0, 1e6, 50.0, 64.0),
                 "top": ("city", 4000.0, 1e6, 50.0, 68.0)}
PARAMETERS = {  # id -> (central, low, high)
    "implementation_efficiency": (1.0, 0.5, 1.0),
    "demand_multiplier_capital": (0.5, 0.0, 1.0),
    "demand_multiplier_current": (0.0, 0.0, 1.0),
    "baseline_real_growth": (0.0, 0.0, 0.05),
    "baseline_convergence": (0.0, 0.0, 0.02),
    "interregional_migration_rate": (0.0, 0.0, 0.01),
}


class _NoAliases(yaml.SafeDumper):
    def ignore_aliases(self, data: object) -> bool:  # the strict loader refuses aliases
        return True


def _dump(doc: object) -> str:
    return yaml.dump(doc, Dumper=_NoAliases, allow_unicode=True)


def _direction(spec: dict, eligible: dict, multiplier: str) -> dict:
    out = {k: spec[k] for k in ("names", "description", "instruments", "actors")}
    out["eligible"] = eligible
    out["responses"] = [{"kind": "demand_impulse", "multiplier": multiplier}]
    return out


def write_world(root: Path, units: dict | None = None, breakpoint: float = 3.0) -> tuple[Path, Path]:
    """Write a tiny dataset and rules folder; ``units`` maps id -> (kind, GRP per capita, population, lat, lon)."""
    units = units or DEFAULT_UNITS
    data, rules = root / "data", root / "rules"
    data.mkdir(parents=True)
    rules.mkdir()
    lines = [UNITS_HEADER, "country,Ел,Страна,Country,country,country,,,X,50.0,62.0,,,,\n"]
    indicators = ["unit_id,year,indicator,value,unit,source,note,flag\n"]
    for uid, (kind, y, p, lat, lon) in units.items():
        lines.append(f"{uid},{uid},{uid},{uid.title()},region,{kind},country,,{uid},{lat},{lon},100,,,\n")
        indicators.append(f"{uid},2019,grp_per_capita,{y},thousand KZT per person,test,,\n")
        indicators.append(f"{uid},2019,population,{p},persons (annual average),test,,\n")
        # observed net migration of zero anchors the baseline's migration model at no migration
        indicators.append(f"{uid},2019,interregional_net_migration,0,persons per year,test,,\n")
    ids = list(units)
    adjacency = ["unit_a,unit_b,valid_from,valid_to,source\n"] + [
        f"{a},{b},,,test\n" for a, b in zip(ids, ids[1:], strict=False)]
    (data / "units.csv").write_text("".join(lines), encoding="utf-8")
    (data / "indicators.csv").write_text("".join(indicators), encoding="utf-8")
    (data / "adjacency.csv").write_text("".join(adjacency), encoding="utf-8")

    doc = yaml.safe_load((RULES_DIR / "directions.yaml").read_text(encoding="utf-8"))
    for pid, (central, low, high) in PARAMETERS.items():
        doc["parameters"][pid].update(central=central, low=low, high=high)
    doc["parameters"]["segment_breakpoints_share_of_grp"]["central"] = [breakpoint]
    doc["parameters"]["segment_slopes"]["central"] = [1.0]
    real = doc["directions"]
    nowhere = {"kinds": ["district"]}
    doc["directions"] = {
        "agglomeration": _direction(real["agglomeration"], {"kinds": ["oblast", "city"]}, "demand_multiplier_capital"),
        "peripheral_compression": _direction(real["peripheral_compression"], nowhere, "demand_multiplier_current"),
        "mobility": _direction(real["mobility"], nowhere, "demand_multiplier_current"),
        "interaction": _direction(real["interaction"], nowhere, "demand_multiplier_current"),
    }
    (rules / "directions.yaml").write_text(_dump(doc), encoding="utf-8")
    (rules / "typology.yaml").write_text("version: 1\ngroupings: {}\nhubs: []\n", encoding="utf-8")
    problem = yaml.safe_load((RULES_DIR / "problem_regions.yaml").read_text(encoding="utf-8"))
    problem["rules"] = [r for r in problem["rules"] if r["indicator"] == "grp_per_capita"]
    (rules / "problem_regions.yaml").write_text(_dump(problem), encoding="utf-8")
    return data, rules


class World:
    """A tiny world's context and levers, and scenarios on it (base year 2019, horizon 2020 by default)."""

    def __init__(self, root: Path, **kwargs: object) -> None:
        data, rules = write_world(root, **kwargs)  # type: ignore[arg-type]
        self.data, self.rules = data, rules
        self.ctx = load_context(data, rules)
        self.direction_rules = load_direction_rules(rules, set(self.ctx.dataset.units.index))

    def scenario(self, text: str):  # noqa: ANN201
        # one year, whose demand impulse is the by-hand effect: score the year with it
        base = {"name": "tiny", "base_year": 2019, "horizon": [2020, 2020], "equity_share": 0.0,
                "score": "last_year"}
        doc = {**base, **yaml.safe_load(text)}
        return scenario_from_text(yaml.safe_dump(doc), "tiny.yaml", self.direction_rules,
                                  set(self.ctx.dataset.units_in_year(2019)))


@pytest.fixture
def world(tmp_path: Path) -> World:
    """Capacity 3 x GRP per unit: 3,000 bn in low, 6,000 in mid, 12,000 in top."""
    return World(tmp_path / "world")


@pytest.fixture
def narrow_world(tmp_path: Path) -> World:
    """Capacity half of GRP per unit: 500 bn in low, 1,000 in mid, 2,000 in top."""
    return World(tmp_path / "narrow", breakpoint=0.5)


@pytest.fixture(scope="session")
def narrow_world_shared(tmp_path_factory: pytest.TempPathFactory) -> World:
    return World(tmp_path_factory.mktemp("shared") / "narrow", breakpoint=0.5)


@pytest.fixture(scope="session")
def kz_ctx():
    return load_context()


@pytest.fixture(scope="session")
def kz_levers(kz_ctx):
    return load_direction_rules(known_units=set(kz_ctx.dataset.units.index))
