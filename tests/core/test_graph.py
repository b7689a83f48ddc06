import math

import networkx as nx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine.core.context import load_context
from engine.core.data import load_dataset
from engine.core.graph import (
    build_actor_graph,
    build_region_graph,
    centre_distance_km,
    graph_hops,
    great_circle_km,
    hub_distances,
    interaction_density,
    road_distance_matrix,
    spillover_weights,
    typology_groups,
)

ROAD = 1.3


def region_graph(ctx, year):
    units = ctx.dataset.units_in_year(year)
    return build_region_graph(ctx.dataset, year, ROAD, ctx.typology.hub_ids, typology_groups(ctx.typology, units))


@pytest.mark.parametrize("year, nodes, present, absent", [
    (2015, 16, "south_kazakhstan", "turkistan"),
    (2019, 17, "turkistan", "south_kazakhstan"),
    (2022, 20, "abai", "south_kazakhstan"),
    (2024, 20, "ulytau", "south_kazakhstan"),
])
def test_graph_has_the_units_of_either_division(ctx, year, nodes, present, absent):
    graph = region_graph(ctx, year)
    assert graph.number_of_nodes() == nodes
    assert present in graph and absent not in graph
    assert graph.number_of_edges() == len(ctx.dataset.adjacency_in_year(year))
    assert nx.is_connected(graph)


def test_nodes_carry_attributes_groups_and_hub_flag(ctx):
    graph = region_graph(ctx, 2024)
    atyrau = graph.nodes["atyrau"]
    assert atyrau["name_en"] == "Atyrau Region" and atyrau["kind"] == "oblast"
    assert atyrau["groups"] == {"economic_type": "oil", "macro_region": "west"}
    assert atyrau["population"] > 0 and atyrau["grp_per_capita"] > 0
    assert {u for u, d in graph.nodes(data=True) if d["hub"]} == {"astana", "almaty_city", "shymkent", "aktobe"}


def test_a_hub_not_yet_separated_is_represented_by_its_territory_holder(ctx):
    graph = region_graph(ctx, 2015)
    assert graph.graph["hubs"] == ["aktobe", "almaty_city", "astana", "south_kazakhstan"]
    assert graph.nodes["zhambyl"]["nearest_hub"] == "south_kazakhstan"


def test_edges_are_great_circle_times_the_road_factor(ctx):
    graph = region_graph(ctx, 2024)
    edge = graph.edges["akmola", "astana"]
    listed = ctx.dataset.distances.set_index(["unit_a", "unit_b"]).at[("akmola", "astana"), "great_circle_km"]
    assert edge["great_circle_km"] == pytest.approx(listed)
    assert edge["weight"] == edge["road_km"] == pytest.approx(ROAD * listed)


def test_haversine_reproduces_the_distance_table(ctx):
    units = ctx.dataset.units
    for row in ctx.dataset.distances.itertuples():
        km = great_circle_km(units.at[row.unit_a, "lat"], units.at[row.unit_a, "lon"],
                             units.at[row.unit_b, "lat"], units.at[row.unit_b, "lon"])
        assert km == pytest.approx(row.great_circle_km, abs=0.51)


def test_almaty_oblast_centre_was_taldykorgan_before_2022(ctx):
    ds = ctx.dataset
    before = centre_distance_km(ds, "almaty_oblast", "almaty_city", 2019)
    after = centre_distance_km(ds, "almaty_oblast", "almaty_city", 2024)
    assert before == pytest.approx(centre_distance_km(ds, "zhetisu", "almaty_city", 2024), abs=0.5)
    assert after < 100 < before
    matrix = road_distance_matrix(ds, ["almaty_oblast", "astana"], 2019, ROAD)
    assert matrix.at["almaty_oblast", "astana"] == matrix.at["astana", "almaty_oblast"] > 0


def test_economic_distance_on_a_three_unit_line(tiny_dataset_dir):
    # capital - north - south: capital is the hub; south reaches it through north's centre
    ds = load_dataset(tiny_dataset_dir)
    graph = build_region_graph(ds, 2019, ROAD, hubs=["capital"])
    leg1 = ROAD * great_circle_km(51.0, 71.0, 52.0, 70.0)
    leg2 = ROAD * great_circle_km(52.0, 70.0, 43.0, 70.0)
    dist = hub_distances(graph)
    assert dist["capital"].road_km == 0 and dist["capital"].hops == 0
    assert dist["north"].road_km == pytest.approx(leg1) and dist["north"].hops == 1
    assert dist["south"].road_km == pytest.approx(leg1 + leg2) and dist["south"].hops == 2
    assert graph.nodes["south"]["hub_direct_km"] == pytest.approx(ROAD * great_circle_km(43.0, 70.0, 51.0, 71.0))
    assert graph_hops(graph)["south"] == {"south": 0, "north": 1, "capital": 2}


def test_spillover_weights_on_a_line_by_hand():
    hops = graph_hops(nx.path_graph(["a", "b", "c"]))
    assert spillover_weights(hops, "a", max_hops=2, decay=0.5) == pytest.approx({"b": 2 / 3, "c": 1 / 3})
    assert spillover_weights(hops, "b", max_hops=2, decay=0.5) == pytest.approx({"a": 0.5, "c": 0.5})
    assert spillover_weights(hops, "a", max_hops=1, decay=0.5) == {"b": 1.0}
    assert spillover_weights(hops, "a", max_hops=2, decay=0.0) == pytest.approx({"b": 1.0, "c": 0.0})
    assert spillover_weights({"a": {"a": 0}}, "a", max_hops=2, decay=0.5) == {}


def test_model_spillovers_follow_the_graph_weights():
    from engine.core.parameters import ParameterValues, load_direction_rules
    from engine.model.response import build_baseline, build_response_model

    ctx = load_context()
    a = ParameterValues(load_direction_rules())
    model = build_response_model(ctx.dataset, build_baseline(ctx.dataset, 2024, 2030, a), a, ctx.typology.hub_ids)
    k = next(i for i, lv in enumerate(model.levers)
             if (lv.unit, lv.direction, lv.year, lv.segment) == ("turkistan", "agglomeration", 2025, 0))
    year = 2025 + int(a.value("capital_lag_years"))
    spill = {e.unit: e.grp_bn for e in model.effects[k] if e.year == year and e.unit != "turkistan"}
    weights = spillover_weights(model.hops, "turkistan", 2, a.value("spillover_decay"))
    own = a.value("implementation_efficiency") * a.value("capital_return")
    assert set(spill) == set(weights)
    for unit, w in weights.items():
        assert spill[unit] == pytest.approx(a.value("spillover_share") * own * w)
    assert sum(spill.values()) == pytest.approx(a.value("spillover_share") * own)


def test_actor_graph_links_and_density():
    graph = build_actor_graph("turkistan", {"ppp": 1.0, "participatory_budgeting": 3.0}, needed=6.0)
    assert set(graph.nodes) == {"government", "business", "population"}
    assert graph.edges["government", "business"]["strength"] == pytest.approx(0.5)
    assert graph.edges["government", "population"]["strength"] == 1.0
    assert not graph.has_edge("business", "population")
    assert graph.graph["density"] == pytest.approx((0.5 + 1.0 + 0.0) / 3)


@given(st.floats(0, 1e3), st.floats(1e-3, 1e3))
def test_even_spending_gives_the_density_of_the_two_ceilings(ceiling, needed):
    assert interaction_density(ceiling, needed) == pytest.approx(min(1.0, ceiling / needed), rel=1e-12, abs=1e-15)


def test_great_circle_is_symmetric_and_zero_on_itself():
    assert great_circle_km(43.0, 70.0, 43.0, 70.0) == 0
    assert great_circle_km(43.0, 70.0, 51.0, 71.0) == pytest.approx(great_circle_km(51.0, 71.0, 43.0, 70.0))
    assert great_circle_km(0, 0, 0, 180) == pytest.approx(math.pi * 6371.0088)
