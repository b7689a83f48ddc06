"""The region graph (networkx): units, shared borders, distances, hubs, spillovers, and actor graphs.

Nodes are the units of a year (either administrative division) with their attributes from ``units.csv``,
their group under every typology grouping and a ``hub`` flag. Edges join units that share a border in that
year (``adjacency.csv``); each edge carries the great-circle distance between the two centres and a road
distance = great-circle x ``road_distance_factor`` (an assumption in ``rules/directions.yaml``: no table of
road distances between regional centres was found). The edge ``weight`` is the road distance.

*Economic distance* of a unit is the shortest path, in road km along shared borders, from its centre to the
nearest agglomeration hub (``rules/typology.yaml``); a hub's distance is 0. In a year before a hub city was
separated (Shymkent before 2018) the unit that held its territory stands for it. A path through a
neighbour passes through the neighbour's centre, which lengthens some routes (Karaganda reaches Astana, an
enclave in Akmola, through Kokshetau: 961 km instead of about 250 direct), so each node also carries
``hub_direct_km``, the road km from its centre straight to the nearest hub's centre.

*Spillovers* reach units within ``max_hops`` borders with weight ``decay ** (hops - 1)``, normalised to sum
to one (``spillover_share`` and ``spillover_decay`` in ``rules/directions.yaml``). Direct spillovers between
whole regions are small at this distance scale (human-capital spillovers vanish beyond about 25 km:
Eppelsheimer, Jahn & Rust 2022, "The spatial decay of human capital externalities", Regional Science and
Urban Economics 95: 103785); the share is kept small accordingly.

*Actor graph* of the interaction direction: in each unit, three actors (government, business, population)
and the three links between them. Each partnership instrument builds one link (see
:data:`INSTRUMENT_LINKS`). A link's strength is built / needed, capped at 1; the graph's density is the
mean strength; the effect of the other directions in the unit rises by ``cap x density``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import combinations

import networkx as nx
import pandas as pd

from engine.core.data import Dataset

EARTH_RADIUS_KM = 6371.0088  # mean Earth radius (IUGG); reproduces distances.csv within 0.5 km
ACTORS = ("government", "business", "population")
# Which pair of actors each partnership instrument of the interaction direction links (assumption:
# public-private partnership joins government and business; SME support ties firms to local jobs and
# customers; participatory budgeting gives residents a say in public spending).
INSTRUMENT_LINKS: dict[str, tuple[str, str]] = {
    "ppp": ("government", "business"),
    "sme_support": ("business", "population"),
    "participatory_budgeting": ("government", "population"),
}
# Centres that moved: before the given year the unit's centre was the present centre of another unit.
# Almaty oblast's centre moved from Taldykorgan (now Zhetisu's centre) to Konaev in 2022 (units.csv notes).
FORMER_CENTRES: dict[str, tuple[int, str]] = {"almaty_oblast": (2022, "zhetisu")}
NODE_COLUMNS = ("name_kk", "name_ru", "name_en", "level", "kind", "parent_id", "economic_type", "centre", "lat",
                "lon", "area_km2", "valid_from", "valid_to")


@dataclass(frozen=True)
class HubDistance:
    """Economic distance of one unit: the nearest hub, road km along borders, and borders crossed."""

    unit: str
    hub: str | None
    road_km: float
    hops: int | None


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle (haversine) distance in km between two points given in degrees.

    d = 2 R asin( sqrt( sin^2(dphi/2) + cos phi1 cos phi2 sin^2(dlambda/2) ) ), R = 6371.0088 km.

    >>> round(great_circle_km(51.16579, 71.4576, 43.17712, 76.97452))  # Astana - Almaty, distances.csv: 981
    981
    """
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, h)))


def centre_of(dataset: Dataset, unit: str, year: int) -> tuple[float, float]:
    """Latitude and longitude of ``unit``'s centre in ``year`` (see :data:`FORMER_CENTRES`)."""
    moved = FORMER_CENTRES.get(unit)
    source = moved[1] if moved and year < moved[0] and moved[1] in dataset.units.index else unit
    row = dataset.units.loc[source]
    return float(row["lat"]), float(row["lon"])


def centre_distance_km(dataset: Dataset, a: str, b: str, year: int) -> float:
    """Great-circle km between the centres of ``a`` and ``b`` in ``year``.

    Taken from ``distances.csv`` when the pair is listed there and neither centre had moved by ``year``;
    otherwise computed from the centres' coordinates.
    """
    if a == b:
        return 0.0
    moved = any(u in FORMER_CENTRES and year < FORMER_CENTRES[u][0] for u in (a, b))
    if dataset.distances is not None and not moved:
        table = _distance_table(dataset)
        km = table.get((a, b)) or table.get((b, a))
        if km is not None:
            return km
    return great_circle_km(*centre_of(dataset, a, year), *centre_of(dataset, b, year))


def _distance_table(dataset: Dataset) -> dict[tuple[str, str], float]:
    key = ("graph.distances",)
    cache = dataset._value_cache
    if key not in cache:
        assert dataset.distances is not None
        cache[key] = {(r.unit_a, r.unit_b): float(r.great_circle_km) for r in dataset.distances.itertuples()}
    return cache[key]


def road_distance_matrix(dataset: Dataset, units: list[str], year: int, road_factor: float) -> pd.DataFrame:
    """Road km between every pair of centres: great-circle x ``road_factor`` (0 on the diagonal)."""
    key = ("graph.great_circle", tuple(units), year)
    cache = dataset._value_cache
    if key not in cache:  # data only: every baseline of a sweep or a backtest asks for the same pairs
        rows = {a: {b: centre_distance_km(dataset, a, b, year) for b in units} for a in units}
        cache[key] = pd.DataFrame(rows, index=units, columns=units).T
    return cache[key] * road_factor


def hub_units(dataset: Dataset, hubs: Iterable[str], year: int) -> list[str]:
    """The units that stand for the hubs in ``year`` (the territory holder where a hub did not exist yet)."""
    present = set(dataset.units_in_year(year))
    out = set()
    for hub in hubs:
        if hub in dataset.units.index:
            holder = dataset.territory_holder(hub, year)
            if holder in present:
                out.add(holder)
    return sorted(out)


def build_region_graph(dataset: Dataset, year: int, road_factor: float, hubs: Iterable[str] = (),
                       groupings: Mapping[str, Mapping[str, str | None]] | None = None,
                       indicators: Iterable[str] = ("population", "grp_per_capita")) -> nx.Graph:
    """The region graph of ``year``: units, shared borders weighted by road km, hubs and economic distance.

    Parameters
    ----------
    road_factor
        Road km per great-circle km (``road_distance_factor``).
    hubs
        Hub unit ids (``Typology.hub_ids``); a hub that did not exist in ``year`` is represented by the
        unit that held its territory.
    groupings
        ``grouping id -> {unit id -> group}`` (e.g. from :func:`typology_groups`), stored on each node.
    indicators
        Indicators whose value in ``year`` is stored on each node (None where missing).
    """
    units = dataset.units_in_year(year)
    graph = nx.Graph(year=year, road_distance_factor=road_factor)
    hub_set = set(hub_units(dataset, hubs, year))
    values = {ind: dataset.values(ind, year) for ind in indicators}
    for unit in units:
        row = dataset.units.loc[unit]
        attrs = {col: _plain(row[col]) for col in NODE_COLUMNS if col in row.index}
        lat, lon = centre_of(dataset, unit, year)
        attrs.update(lat=lat, lon=lon, hub=unit in hub_set)
        attrs["groups"] = {g: members.get(unit) for g, members in (groupings or {}).items()}
        for ind, series in values.items():
            attrs[ind] = float(series[unit]) if unit in series.index else None
        graph.add_node(unit, **attrs)
    for a, b in dataset.adjacency_in_year(year):
        if a in graph and b in graph:
            km = centre_distance_km(dataset, a, b, year)
            graph.add_edge(a, b, great_circle_km=km, road_km=road_factor * km, weight=road_factor * km)
    graph.graph["hubs"] = sorted(hub_set)
    for unit, dist in hub_distances(graph).items():
        direct = min((road_factor * centre_distance_km(dataset, unit, h, year) for h in hub_set), default=math.inf)
        graph.nodes[unit].update(nearest_hub=dist.hub, hub_road_km=dist.road_km, hub_hops=dist.hops,
                                 hub_direct_km=direct)
    return graph


def typology_groups(typology: object, units: Iterable[str]) -> dict[str, dict[str, str | None]]:
    """``grouping id -> {unit -> group}`` for a :class:`engine.core.rules.Typology`."""
    groupings = getattr(typology, "groupings", {})
    return {gid: {u: spec.group_of(u) for u in units} for gid, spec in groupings.items()}


def hub_distances(graph: nx.Graph) -> dict[str, HubDistance]:
    """Nearest hub of every node by road km along borders (multi-source Dijkstra), with the hops on that path.

    A unit that no hub can reach gets ``hub=None`` and an infinite distance.
    """
    hubs = [h for h in graph.graph.get("hubs", []) if h in graph]
    out = {u: HubDistance(u, None, math.inf, None) for u in graph.nodes}
    if not hubs:
        return out
    lengths, paths = nx.multi_source_dijkstra(graph, hubs, weight="weight")
    for unit, km in lengths.items():
        path = paths[unit]
        out[unit] = HubDistance(unit, path[0], float(km), len(path) - 1)
    return out


def graph_hops(graph: nx.Graph) -> dict[str, dict[str, int]]:
    """Number of borders between every pair of connected units (unweighted shortest paths)."""
    return {u: dict(nx.single_source_shortest_path_length(graph, u)) for u in graph.nodes}


def border_graph(adjacency: Iterable[tuple[str, str]], units: Iterable[str]) -> nx.Graph:
    """A bare graph of ``units`` joined by the ``adjacency`` pairs among them (for hand-built cases)."""
    graph = nx.Graph()
    graph.add_nodes_from(units)
    graph.add_edges_from((a, b) for a, b in adjacency if a in graph and b in graph)
    return graph


def spillover_weights(hops: Mapping[str, Mapping[str, int]], source: str, max_hops: int, decay: float,
                      ) -> dict[str, float]:
    """How the spillover from ``source`` is shared among the units within ``max_hops`` borders.

    w_v = decay^(h_v - 1) / sum_u decay^(h_u - 1) over units u with 1 <= h_u <= max_hops. The weights sum
    to one (or the result is empty when no unit is in reach).

    >>> line = {"a": {"a": 0, "b": 1, "c": 2}}
    >>> spillover_weights(line, "a", max_hops=2, decay=0.5)
    {'b': 0.6666666666666666, 'c': 0.3333333333333333}
    """
    reach = {v: h for v, h in hops.get(source, {}).items() if 1 <= h <= max_hops}
    raw = {v: decay ** (h - 1) for v, h in sorted(reach.items())}
    total = sum(raw.values())
    return {v: w / total for v, w in raw.items()} if total > 0 else {}


# ---------------------------------------------------------------------------------------------------
# The actor graph of the interaction direction
# ---------------------------------------------------------------------------------------------------

def possible_links(actors: Iterable[str] = ACTORS) -> list[tuple[str, str]]:
    """All pairs of actors: the links an actor graph can hold."""
    return [tuple(sorted(pair)) for pair in combinations(actors, 2)]  # type: ignore[misc]


def build_actor_graph(unit: str, built: Mapping[str, float], needed: float,
                      instruments: Iterable[str] = tuple(INSTRUMENT_LINKS)) -> nx.Graph:
    """The government-business-population graph of one unit.

    Parameters
    ----------
    built
        Link capacity built by each instrument (bn of other-direction effect it can coordinate).
    needed
        The other-direction effect in the unit that needs coordinating (bn), shared equally by the links.

    Each instrument adds its capacity to its link (:data:`INSTRUMENT_LINKS`); a link's strength is
    min(1, capacity / (needed / number of links)); ``graph.graph["density"]`` is the mean strength over the
    possible links (0 when nothing is needed).
    """
    graph = nx.Graph(unit=unit)
    graph.add_nodes_from(ACTORS)
    links = possible_links()
    capacity = dict.fromkeys(links, 0.0)
    for instrument in instruments:
        pair = INSTRUMENT_LINKS.get(instrument)
        if pair is not None:
            capacity[tuple(sorted(pair))] += float(built.get(instrument, 0.0))  # type: ignore[index]
    strengths = []
    for (a, b), cap in capacity.items():
        # cap x links against needed, not cap against needed / links: a tiny need must not underflow to none
        built_total = cap * len(links)
        strength = (1.0 if built_total >= needed else built_total / needed) if needed > 0 else 0.0
        if cap > 0:
            graph.add_edge(a, b, capacity=cap, strength=strength)
        strengths.append(strength)
    graph.graph["density"] = sum(strengths) / len(links)
    return graph


def interaction_density(ceiling: float, needed: float, instruments: Iterable[str] = tuple(INSTRUMENT_LINKS),
                        ) -> float:
    """Density of a unit's actor graph when interaction spending with coordination capacity ``ceiling``
    (bn) is spread equally over the direction's instruments; equals min(1, ceiling / needed).

    >>> interaction_density(1.0, 4.0)
    0.25
    >>> interaction_density(9.0, 4.0)
    1.0
    """
    instruments = [i for i in instruments if i in INSTRUMENT_LINKS]
    if not instruments or needed <= 0 or ceiling <= 0:
        return 0.0
    share = ceiling / len(instruments)
    return float(build_actor_graph("", dict.fromkeys(instruments, share), needed, instruments).graph["density"])


def _plain(value: object) -> object:
    """A node attribute as a plain Python value (None for missing)."""
    if isinstance(value, str):
        return value
    if value is None or pd.isna(value):  # type: ignore[arg-type]
        return None
    return value.item() if hasattr(value, "item") else value  # numpy scalar -> Python
