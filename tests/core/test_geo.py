from engine.core.data import load_dataset
from engine.core.geo import outer_rings, polygon_units


def test_rings_cover_every_region_and_stay_inside_kazakhstan():
    dataset = load_dataset()
    rings = outer_rings(dataset)
    assert {uid for uid, _, _ in rings} == set(dataset.units_in_year(2024))
    for _, lons, lats in rings:
        assert min(lons) >= 46 and max(lons) <= 88 and min(lats) >= 40 and max(lats) <= 56
        assert (lons[0], lats[0]) == (lons[-1], lats[-1])  # closed
    # the enclave is drawn after (over) the oblast around it
    order = [uid for uid, _, _ in rings]
    assert order.index("astana") > order.index("akmola")


def test_earlier_years_colour_later_units_by_their_predecessor():
    dataset = load_dataset()
    holders = polygon_units(dataset, 2016)
    assert holders["abai"] == "east_kazakhstan" and holders["shymkent"] == "south_kazakhstan"
    assert len(set(holders.values())) == 16
