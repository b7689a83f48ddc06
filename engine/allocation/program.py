"""A linear (or mixed-integer) program as plain data: columns, row blocks, a registry of where rows come from.

Variables are columns (name, bounds, integrality) kept in lists; rows are added one at a time as coefficient
dictionaries (:meth:`LinearProgram.add_row`) or many at once as a sparse matrix over the columns
(:meth:`LinearProgram.add_rows`), which is what lets a settlement-level model of some 10^5 levers build in a
second. Both kinds read the same through :attr:`LinearProgram.rows` (a mapping of row name to :class:`Row`)
and :attr:`LinearProgram.variables`; :meth:`LinearProgram.matrix` assembles the whole constraint matrix in
insertion order for the solver, feasibility checks and binding constraints.

Names are lower-case letters, digits and underscores (PuLP rewrites ``-+[] ->/``); every row carries a
:class:`RowInfo` saying which rule (and unit, year, direction) it comes from.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pulp
import scipy.sparse as sp

LE, GE, EQ = "<=", ">=", "=="
MIN, MAX = "min", "max"
_NAME = re.compile(r"^[a-z0-9_]+$")
_PULP_SENSE = {LE: pulp.LpConstraintLE, GE: pulp.LpConstraintGE, EQ: pulp.LpConstraintEQ}


def safe_name(text: str) -> str:
    """Lower-case ``text`` with every character but letters, digits and ``_`` made ``_``."""
    return re.sub(r"[^a-z0-9_]", "_", text.lower())


@dataclass(frozen=True)
class RowInfo:
    """Where a constraint comes from: its rule id and, where it applies, unit, year and direction."""

    rule: str
    unit: str | None = None
    year: int | None = None
    direction: str | None = None


@dataclass
class Row:
    name: str
    coeffs: dict[str, float]
    sense: str
    rhs: float
    info: RowInfo
    homogeneous: bool = True  # False only for the Charnes-Cooper normalisation row

    def activity(self, values: Mapping[str, float]) -> float:
        return sum(c * values.get(v, 0.0) for v, c in self.coeffs.items())

    def violation(self, values: Mapping[str, float]) -> float:
        """How far ``values`` break the row (0 when they satisfy it)."""
        lhs = self.activity(values)
        if self.sense == LE:
            return max(0.0, lhs - self.rhs)
        if self.sense == GE:
            return max(0.0, self.rhs - lhs)
        return abs(lhs - self.rhs)


@dataclass
class Variable:
    name: str
    low: float = 0.0
    high: float | None = None
    integer: bool = False


@dataclass(eq=False)
class _Block:
    """Rows added as one sparse matrix: columns are variable indices (fewer columns than the program may have)."""

    names: list[str]
    matrix: sp.csr_matrix
    senses: list[str]
    rhs: np.ndarray
    infos: list[RowInfo]
    homogeneous: bool = True


@dataclass(frozen=True, eq=False)
class Assembled:
    """The whole constraint matrix in insertion order, with each row's name, sense, right-hand side and info."""

    matrix: sp.csr_matrix
    names: list[str]
    senses: np.ndarray
    rhs: np.ndarray
    infos: list[RowInfo]
    homogeneous: np.ndarray

    def activity(self, x: np.ndarray) -> np.ndarray:
        return np.asarray(self.matrix @ x).ravel()


class _VariablesView(Mapping[str, Variable]):
    def __init__(self, lp: LinearProgram) -> None:
        self._lp = lp

    def __getitem__(self, name: str) -> Variable:
        k = self._lp._index[name]
        return Variable(name, self._lp._low[k], self._lp._high[k], self._lp._integer[k])

    def __iter__(self) -> Iterator[str]:
        return iter(self._lp._names)

    def __len__(self) -> int:
        return len(self._lp._names)

    def __contains__(self, name: object) -> bool:
        return name in self._lp._index


class _RowsView(Mapping[str, Row]):
    def __init__(self, lp: LinearProgram) -> None:
        self._lp = lp

    def __getitem__(self, name: str) -> Row:
        return self._lp._row(name)

    def __iter__(self) -> Iterator[str]:
        for segment in self._lp._segments:
            if isinstance(segment, _Block):
                yield from segment.names
            else:
                yield from (row.name for row in segment)

    def __len__(self) -> int:
        return len(self._lp._where)

    def __contains__(self, name: object) -> bool:
        return name in self._lp._where


class ValueMap(Mapping[str, float]):
    """Values by variable name held as one array over a program's variables: a solution of 10^5 columns
    reads as a mapping without a dictionary being built, and :meth:`LinearProgram.vector` takes the array."""

    __slots__ = ("array", "index", "names")

    def __init__(self, names: list[str], index: dict[str, int], array: np.ndarray) -> None:
        self.names, self.index, self.array = names, index, array

    def __getitem__(self, name: str) -> float:
        return float(self.array[self.index[name]])

    def get(self, name: str, default: Any = None) -> Any:
        k = self.index.get(name)
        return default if k is None else float(self.array[k])

    def __contains__(self, name: object) -> bool:
        return name in self.index

    def __iter__(self) -> Iterator[str]:
        return iter(self.names)

    def __len__(self) -> int:
        return len(self.names)

    def leading(self, names: Sequence[str]) -> np.ndarray | None:
        """The values of ``names`` when they are the first variables, in order (else None)."""
        n = len(names)
        return self.array[:n].copy() if len(self.names) >= n and self.names[:n] == list(names) else None


class LinearProgram:
    """A linear (or mixed-integer) program as plain data, with a registry of its constraints.

    ``variables`` and ``rows`` are read-only mappings; rows added by :meth:`add_row` are returned as the
    same :class:`Row` objects (so their coefficients can still be edited), rows of a block as fresh copies
    (edit those through :meth:`add_to_row`). ``objective`` maps variable names to coefficients.
    """

    def __init__(self, name: str, sense: str) -> None:
        self.name = name
        self.sense = sense
        self.objective: dict[str, float] = {}
        self._names: list[str] = []
        self._index: dict[str, int] = {}
        self._low: list[float] = []
        self._high: list[float | None] = []
        self._integer: list[bool] = []
        self._segments: list[_Block | list[Row]] = []
        self._where: dict[str, tuple[int, int]] = {}  # row name -> (segment, position)
        self._extra: dict[str, dict[str, float]] = {}  # coefficients added to block rows
        self._assembled: Assembled | None = None

    # -- columns ---------------------------------------------------------------------------------
    @property
    def variables(self) -> Mapping[str, Variable]:
        return _VariablesView(self)

    @property
    def rows(self) -> Mapping[str, Row]:
        return _RowsView(self)

    @property
    def is_mip(self) -> bool:
        return any(self._integer)

    @property
    def integer_count(self) -> int:
        return int(sum(self._integer))

    @property
    def variable_names(self) -> list[str]:
        return self._names

    def index_of(self, name: str) -> int:
        return self._index[name]

    def add_variable(self, name: str, low: float = 0.0, high: float | None = None, integer: bool = False) -> str:
        if not _NAME.match(name) or name in self._index:
            raise ValueError(f"bad or duplicate variable name {name!r}")
        self._index[name] = len(self._names)
        self._names.append(name)
        self._low.append(low)
        self._high.append(high)
        self._integer.append(integer)
        self._assembled = None
        return name

    def add_variables(self, names: Sequence[str], low: float = 0.0, high: Iterable[float | None] | None = None,
                      ) -> int:
        """Add many continuous variables at once (names already lower-case letters, digits, ``_``); returns
        the index of the first."""
        start = len(self._names)
        for offset, name in enumerate(names):
            if name in self._index:
                raise ValueError(f"duplicate variable name {name!r}")
            self._index[name] = start + offset
        self._names.extend(names)
        self._low.extend([low] * len(names))
        self._high.extend(list(high) if high is not None else [None] * len(names))
        self._integer.extend([False] * len(names))
        self._assembled = None
        return start

    def bounds(self) -> tuple[np.ndarray, np.ndarray]:
        """Lower and upper bounds as arrays (upper inf where unbounded)."""
        low = np.asarray(self._low, dtype=float)
        high = np.array([np.inf if h is None else h for h in self._high], dtype=float)
        return low, high

    # -- rows ------------------------------------------------------------------------------------
    def add_row(self, name: str, coeffs: Mapping[str, float], sense: str, rhs: float, info: RowInfo,
                homogeneous: bool = True) -> Row:
        if not _NAME.match(name) or name in self._where:
            raise ValueError(f"bad or duplicate constraint name {name!r}")
        unknown = [v for v in coeffs if v not in self._index]
        if unknown:
            raise ValueError(f"constraint {name} uses unknown variables {unknown[:3]}")
        row = Row(name, {v: float(c) for v, c in coeffs.items() if c}, sense, float(rhs), info, homogeneous)
        if not self._segments or isinstance(self._segments[-1], _Block):
            self._segments.append([])
        segment = self._segments[-1]
        assert isinstance(segment, list)
        self._where[name] = (len(self._segments) - 1, len(segment))
        segment.append(row)
        self._assembled = None
        return row

    def add_rows(self, names: Sequence[str], matrix: sp.spmatrix, senses: str | Sequence[str], rhs: Any,
                 infos: RowInfo | Sequence[RowInfo], homogeneous: bool = True) -> None:
        """Add one row per name: ``matrix`` (rows x variables, columns are variable indices), senses, rhs."""
        n = len(names)
        if not n:
            return
        for i, name in enumerate(names):
            if name in self._where:
                raise ValueError(f"duplicate constraint name {name!r}")
            self._where[name] = (len(self._segments), i)
        matrix = sp.csr_matrix(matrix, dtype=float)
        matrix.eliminate_zeros()
        if matrix.shape[1] > len(self._names):
            raise ValueError("a row block uses columns beyond the program's variables")
        block = _Block(list(names), matrix, [senses] * n if isinstance(senses, str) else list(senses),
                       np.broadcast_to(np.asarray(rhs, dtype=float), (n,)).copy(),
                       [infos] * n if isinstance(infos, RowInfo) else list(infos), homogeneous)
        self._segments.append(block)
        self._assembled = None

    def add_to_row(self, row_name: str, variable: str, coefficient: float) -> None:
        """Add ``coefficient`` x ``variable`` to an existing row (of either kind)."""
        segment, position = self._where[row_name]
        part = self._segments[segment]
        if isinstance(part, list):
            part[position].coeffs[variable] = part[position].coeffs.get(variable, 0.0) + coefficient
        else:
            extra = self._extra.setdefault(row_name, {})
            extra[variable] = extra.get(variable, 0.0) + coefficient
        self._assembled = None

    def _row(self, name: str) -> Row:
        segment, position = self._where[name]
        part = self._segments[segment]
        if isinstance(part, list):
            return part[position]
        m = part.matrix
        lo, hi = m.indptr[position], m.indptr[position + 1]
        coeffs = {self._names[j]: float(c) for j, c in zip(m.indices[lo:hi], m.data[lo:hi], strict=True)}
        for v, c in self._extra.get(name, {}).items():
            coeffs[v] = coeffs.get(v, 0.0) + c
        return Row(name, coeffs, part.senses[position], float(part.rhs[position]), part.infos[position],
                   part.homogeneous)

    def matrix(self) -> Assembled:
        """The constraint matrix over all variables, rows in insertion order (cached until the program changes)."""
        if self._assembled is not None:
            return self._assembled
        n = len(self._names)
        mats, names, senses, rhs, infos, homogeneous = [], [], [], [], [], []
        for part in self._segments:
            if isinstance(part, _Block):
                m = part.matrix
                mats.append(sp.csr_matrix((m.data, m.indices, m.indptr), shape=(m.shape[0], n)))
                names += part.names
                senses += part.senses
                rhs.append(part.rhs)
                infos += part.infos
                homogeneous.append(np.full(len(part.names), part.homogeneous))
            else:
                indptr, indices, data = [0], [], []
                for row in part:
                    indices += [self._index[v] for v in row.coeffs]
                    data += list(row.coeffs.values())
                    indptr.append(len(indices))
                    names.append(row.name)
                    senses.append(row.sense)
                    infos.append(row.info)
                mats.append(sp.csr_matrix((np.asarray(data, dtype=float), np.asarray(indices, dtype=np.int64),
                                           np.asarray(indptr, dtype=np.int64)), shape=(len(part), n)))
                rhs.append(np.array([row.rhs for row in part], dtype=float))
                homogeneous.append(np.array([row.homogeneous for row in part], dtype=bool))
        matrix = sp.vstack(mats, format="csr") if mats else sp.csr_matrix((0, n))
        if self._extra:
            position = {name: i for i, name in enumerate(names)}
            r, c, v = zip(*[(position[row], self._index[var], coef) for row, extra in self._extra.items()
                            for var, coef in extra.items()], strict=True)
            matrix = (matrix + sp.csr_matrix((v, (r, c)), shape=matrix.shape)).tocsr()
        self._assembled = Assembled(matrix, names, np.array(senses, dtype=object),
                                    np.concatenate(rhs) if rhs else np.zeros(0), infos,
                                    np.concatenate(homogeneous) if homogeneous else np.zeros(0, dtype=bool))
        return self._assembled

    # -- values ----------------------------------------------------------------------------------
    def vector(self, values: Mapping[str, float]) -> np.ndarray:
        """``values`` as an array over the variables (0 where missing)."""
        if isinstance(values, ValueMap) and values.index is self._index:
            return values.array.copy()
        x = np.zeros(len(self._names))
        for name, value in values.items():
            k = self._index.get(name)
            if k is not None:
                x[k] = value
        return x

    def objective_vector(self) -> np.ndarray:
        c = np.zeros(len(self._names))
        if self.objective:  # names are unique keys, so one assignment places every coefficient
            c[np.fromiter(map(self._index.__getitem__, self.objective), dtype=np.int64, count=len(self.objective))] = \
                np.fromiter(self.objective.values(), dtype=float, count=len(self.objective))
        return c

    def copy(self, name: str | None = None) -> LinearProgram:
        out = LinearProgram(name or self.name, self.sense)
        out._names, out._index = list(self._names), dict(self._index)
        out._low, out._high, out._integer = list(self._low), list(self._high), list(self._integer)
        out._segments = [part if isinstance(part, _Block) else
                         [Row(r.name, dict(r.coeffs), r.sense, r.rhs, r.info, r.homogeneous) for r in part]
                         for part in self._segments]
        out._where = dict(self._where)
        out._extra = {k: dict(v) for k, v in self._extra.items()}
        out.objective = dict(self.objective)
        return out

    def value_map(self, x: np.ndarray) -> ValueMap:
        """``x`` (one value per variable) as a mapping by name."""
        return ValueMap(self._names, self._index, np.asarray(x, dtype=float))

    def objective_value(self, values: Mapping[str, float]) -> float:
        return sum(c * values.get(v, 0.0) for v, c in self.objective.items())

    def max_violation(self, values: Mapping[str, float] | np.ndarray) -> float:
        """Largest violation of a row or a bound by ``values`` (solver-independent feasibility check).

        A row's violation is relative to its own magnitude: a solver's values carry relative, not absolute,
        errors.
        """
        x = values if isinstance(values, np.ndarray) else self.vector(values)
        low, high = self.bounds()
        worst = float(max(0.0, np.max(low - x, initial=0.0), np.max(x - high, initial=0.0)))
        a = self.matrix()
        if not len(a.names):
            return worst
        lhs = a.activity(x)
        magnitude = np.asarray(abs(a.matrix) @ np.abs(x)).ravel()
        scale = np.maximum(np.maximum(1.0, np.abs(a.rhs)), magnitude)
        gap = np.where(a.senses == LE, lhs - a.rhs, np.where(a.senses == GE, a.rhs - lhs, np.abs(lhs - a.rhs)))
        return max(worst, float(np.max(np.maximum(gap, 0.0) / scale)))


# ---------------------------------------------------------------------------------------------------
# Charnes-Cooper homogenisation, PuLP, and coefficient ranges
# ---------------------------------------------------------------------------------------------------

T_VAR = "cc_t"


def homogenize(lp: LinearProgram, t_scale: float, name: str, implied: Iterable[str] = ()) -> LinearProgram:
    """The Charnes-Cooper form of ``lp``: every variable v becomes v' = t v, with t = 1/L.

    Each constant c (a right-hand side or an upper bound) becomes ``c / t_scale`` times the variable
    ``cc_t = t_scale x t``; rows marked non-homogeneous (the normalisation ``L' = 1``) are kept as they are.
    ``t_scale`` only keeps coefficients near 1 (PITFALLS: scaling). The upper bounds of the ``implied``
    variables follow from other rows, so they get no row of their own.
    """
    if lp.is_mip:
        raise ValueError("the Charnes-Cooper transformation needs a pure LP")
    low, high = lp.bounds()
    if np.any(low != 0):
        bad = lp.variable_names[int(np.flatnonzero(low != 0)[0])]
        raise ValueError(f"variable {bad} must have a zero lower bound")
    out = LinearProgram(name, lp.sense)
    out.add_variables(lp.variable_names)
    t = out.add_variables([T_VAR])
    n = len(lp.variable_names) + 1
    needed = np.isfinite(high)
    needed[[lp.index_of(v) for v in implied]] = False
    bounded = np.flatnonzero(needed)
    rows = np.repeat(np.arange(len(bounded)), 2)
    cols = np.column_stack([bounded, np.full(len(bounded), t)]).ravel()
    vals = np.column_stack([np.ones(len(bounded)), -high[bounded] / t_scale]).ravel()
    out.add_rows([f"capacity_{lp.variable_names[k]}" for k in bounded],
                 sp.csr_matrix((vals, (rows, cols)), shape=(len(bounded), n)), LE, 0.0, RowInfo("capacity"))
    a = lp.matrix()
    keep = np.flatnonzero(a.homogeneous)
    if len(keep) == len(a.names):
        body = sp.hstack([a.matrix, sp.csr_matrix(-a.rhs[:, None] / t_scale)], format="csr")
        out.add_rows(a.names, body, list(a.senses), 0.0, a.infos)
    else:  # rows in order, the non-homogeneous ones kept as they are
        for i, row_name in enumerate(a.names):
            lo, hi = a.matrix.indptr[i], a.matrix.indptr[i + 1]
            coeffs = {lp.variable_names[j]: float(c) for j, c in zip(a.matrix.indices[lo:hi], a.matrix.data[lo:hi],
                                                                     strict=True)}
            if a.homogeneous[i]:
                if a.rhs[i]:
                    coeffs[T_VAR] = coeffs.get(T_VAR, 0.0) - a.rhs[i] / t_scale
                out.add_row(row_name, coeffs, a.senses[i], 0.0, a.infos[i])
            else:
                out.add_row(row_name, coeffs, a.senses[i], float(a.rhs[i]), a.infos[i], homogeneous=False)
    out.objective = dict(lp.objective)
    return out


@dataclass(eq=False)
class PulpModel:
    problem: pulp.LpProblem
    variables: dict[str, pulp.LpVariable]
    constraints: dict[str, pulp.LpConstraint] = field(default_factory=dict)


def to_pulp(lp: LinearProgram) -> PulpModel:
    """The PuLP problem of ``lp`` (no objective constant, so the MPS file and the solver agree)."""
    problem = pulp.LpProblem(lp.name, pulp.LpMinimize if lp.sense == MIN else pulp.LpMaximize)
    variables = {}
    for name, low, high, integer in zip(lp._names, lp._low, lp._high, lp._integer, strict=True):
        cat = pulp.LpInteger if integer else pulp.LpContinuous
        variables[name] = problem.add_variable(name, low, high, cat)
    constraints = {}
    a = lp.matrix()
    columns = [variables[n] for n in lp._names]
    m = a.matrix
    for i, row_name in enumerate(a.names):
        lo, hi = m.indptr[i], m.indptr[i + 1]
        expr = pulp.LpAffineExpression([(columns[j], float(c)) for j, c in zip(m.indices[lo:hi], m.data[lo:hi],
                                                                               strict=True)])
        constraint = pulp.LpConstraint(expr, _PULP_SENSE[a.senses[i]], row_name, float(a.rhs[i]))
        problem.addConstraint(constraint)
        constraints[row_name] = constraint
    problem.setObjective(pulp.LpAffineExpression([(variables[v], c) for v, c in lp.objective.items() if c]))
    return PulpModel(problem, variables, constraints)


def coefficient_range(lp: LinearProgram) -> dict[str, Any]:
    """Smallest and largest absolute non-zero coefficient of the matrix, objective, bounds and right-hand sides."""
    def span(values: Iterable[float] | np.ndarray) -> list[float] | None:
        array = np.abs(np.asarray(list(values) if not isinstance(values, np.ndarray) else values, dtype=float))
        nonzero = array[array != 0]
        return [float(nonzero.min()), float(nonzero.max())] if len(nonzero) else None

    a = lp.matrix()
    _, high = lp.bounds()
    return {"matrix": span(a.matrix.data), "objective": span(list(lp.objective.values())), "rhs": span(a.rhs),
            "bounds": span(high[np.isfinite(high)])}
