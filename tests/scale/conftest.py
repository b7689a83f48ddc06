"""Shared fixtures: the district dataset and a generated settlement dataset (built once per session), and a
small settlement dataset cut from it (two regions) so that settlement-level solves stay fast in tests."""

from __future__ import annotations

import pytest

from engine.data import Dataset
from engine.scale.writer import dataset_from_frames

SMALL_REGIONS = ("mangystau", "ulytau")  # a sending and a receiving region of the mobility direction


@pytest.fixture(scope="session")
def districts():
    from engine.scale.districts import build_district_dataset

    return build_district_dataset()


@pytest.fixture(scope="session")
def settlements():
    from engine.scale.settlements import synthesize_settlements

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
