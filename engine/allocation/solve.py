"""The only module that touches the solvers: HiGHS (``highspy``) by default, CBC (through PuLP) as fallback.

HiGHS gets the program's matrix through ``highspy`` in one call; PuLP builds the model for CBC, and for the
MPS file an independent solver reads (:meth:`Solution.pulp_model`). At the region level PuLP's building and
its call of HiGHS took 26 ms and 93 ms of a 245 ms solve, the direct call about half of that; at the
settlement level PuLP adds rows one by one, which takes tens of seconds. The model HiGHS gets is the one PuLP
would pass: columns that appear in the objective or a row, sorted by name up to :data:`SORTED_COLUMNS` of them
(PuLP's order; larger models keep their own order), a maximisation as the
minimisation of the negated objective, and PuLP's map from HiGHS's model status to its two codes.

PuLP reports two codes: ``LpProblem.status`` and ``LpProblem.sol_status`` (``pulp/constants.py``). A solve
stopped by a time limit with an incumbent is ``status`` Optimal with ``sol_status`` IntegerFeasible, for
CBC (``get_status`` in ``pulp/apis/coin_api.py``) and for HiGHS (``findSolutionValues`` in
``pulp/apis/highs_api.py``); :func:`derive_status` turns the pair into our own :class:`Status`, so such a
result is ``time_limit_feasible``, never ``optimal``. Every point a solver returns is also checked against
the program's rows and bounds before it is used.

Solves run on one thread (CBC with several threads is not deterministic). Duals are reported as the
derivative of the objective with respect to the right-hand side; the sign convention of each solver and
sense is measured once on a one-variable LP, not assumed.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import time
import warnings
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pulp

from engine.allocation.program import GE, LE, MAX, MIN, LinearProgram, PulpModel, RowInfo, to_pulp
from engine.allocation.result import Status
from engine.core.errors import SolverUnavailableError

SOLVERS = ("highs", "cbc")
SORTED_COLUMNS = 50_000
SMALL_MODEL_COLUMNS = 5_000  # up to this many columns HiGHS solves without presolve
FEASIBILITY_TOLERANCE = 1e-5  # relative violation above which a returned point is not accepted
MIP_GAP = 1e-9  # relative gap for MIPs: the second stage must be optimal for solvers to agree


@dataclass(frozen=True, eq=False)
class Solution:
    """What one solve returned, in our terms."""

    status: Status
    objective: float | None
    values: Mapping[str, float]
    duals: dict[str, float]
    solver: str
    pulp_status: int
    pulp_solution_status: int
    seconds: float
    build_seconds: float
    message: str = ""
    model: PulpModel | None = field(default=None, repr=False)
    program: LinearProgram | None = field(default=None, repr=False)
    basis: Any = field(default=None, repr=False)  # HiGHS's final basis, to start a similar model from

    def pulp_model(self) -> PulpModel | None:
        """The PuLP model of what was solved (built from the program when HiGHS was called directly)."""
        if self.model is not None:
            return self.model
        return to_pulp(self.program) if self.program is not None else None

    @property
    def solved(self) -> bool:
        return self.status in (Status.OPTIMAL, Status.TIME_LIMIT_FEASIBLE)


def derive_status(status: int, solution_status: int) -> Status:
    """Our status from PuLP's two codes (see the module text).

    >>> derive_status(pulp.LpStatusOptimal, pulp.LpSolutionIntegerFeasible).value
    'time_limit_feasible'
    >>> derive_status(pulp.LpStatusOptimal, pulp.LpSolutionOptimal).value
    'optimal'
    """
    if status == pulp.LpStatusOptimal:
        if solution_status == pulp.LpSolutionOptimal:
            return Status.OPTIMAL
        if solution_status == pulp.LpSolutionIntegerFeasible:
            return Status.TIME_LIMIT_FEASIBLE
        return Status.ERROR
    if status == pulp.LpStatusInfeasible:
        return Status.INFEASIBLE
    if status == pulp.LpStatusUnbounded:
        return Status.UNBOUNDED
    return Status.ERROR


@contextlib.contextmanager
def _quiet_stdout() -> Iterator[None]:
    """Silence the banner HiGHS prints on its first use (it writes to the process's stdout)."""
    try:
        fd = os.dup(1)
    except OSError:
        yield
        return
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 1)
            try:
                yield
            finally:
                os.dup2(fd, 1)
    finally:
        os.close(fd)


class _SerialHighs(pulp.HiGHS):
    """PuLP's HiGHS on one thread, also when another HiGHS user in the process started the thread scheduler.

    HiGHS keeps one scheduler per process; once it runs with other threads, a model asking for one thread
    stops before solving ("the scheduler has already been initialized"). Then the scheduler is reset once.
    """

    def callSolver(self, lp):  # noqa: ANN001, ANN201, N802
        import highspy

        highs = lp.solverModel
        if highs.run() == highspy.HighsStatus.kError and highs.getModelStatus() == highspy.HighsModelStatus.kNotset:
            highspy.Highs.resetGlobalScheduler(True)
            highs.run()


class _ReportingCbc(pulp.PULP_CBC_CMD):
    """PuLP's bundled CBC, keeping the objective CBC writes on the first line of its solution file.

    CBC prints variable values to 8 significant digits but the objective to about 11; a second stage that
    holds the first stage's optimum needs the more precise figure (else CBC and HiGHS build different
    second-stage models).
    """

    reported_objective: float | None = None

    def readsol_MPS(self, filename, lp, vs, variablesNames, constraintsNames, objectiveName=None):  # noqa: ANN001, ANN201, N802, N803
        self.reported_objective = _cbc_objective(filename)
        return super().readsol_MPS(filename, lp, vs, variablesNames, constraintsNames, objectiveName)


def _cbc_objective(filename: str) -> float | None:
    """The objective on the first line of a CBC solution file (``Optimal - objective value 477.56428056``)."""
    try:
        with open(filename) as handle:
            first = handle.readline()
    except OSError:
        return None
    match = re.search(r"objective value\s+(\S+)", first)
    try:
        return float(match.group(1)) if match else None
    except ValueError:
        return None


def _solver(name: str, time_limit: float | None, mip: bool, highs_options: Mapping[str, Any] | None = None,
            ) -> pulp.LpSolver:
    if name == "highs":
        options: dict[str, Any] = {"gapRel": MIP_GAP, "gapAbs": 0.0} if mip else {}
        options.update(highs_options or {})
        return _SerialHighs(msg=False, threads=1, timeLimit=time_limit, random_seed=0, **options)
    if name == "cbc":
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # PuLP 4 drops the bundled CBC; we pin PuLP 3
            options = {"gapRel": MIP_GAP, "gapAbs": 0.0} if mip else {}
            return _ReportingCbc(msg=False, threads=1, timeLimit=time_limit, **options)
    raise SolverUnavailableError(f"unknown solver {name!r}; choose one of {', '.join(SOLVERS)}")


@functools.cache
def check_solver(name: str) -> None:
    """Solve a two-variable LP once; raise :class:`SolverUnavailableError` when the solver cannot."""
    problem = pulp.LpProblem("check", pulp.LpMaximize)
    x = problem.add_variable("x", 0, 4)
    y = problem.add_variable("y", 0, 4)
    problem.setObjective(x + 2 * y)
    problem.addConstraint(pulp.LpConstraint(x + y, pulp.LpConstraintLE, "c", 5))
    try:
        solver = _solver(name, None, False)
        if not solver.available():
            raise SolverUnavailableError(f"the {name} solver is not available (install highspy, or use --solver cbc)")
        with _quiet_stdout():
            problem.solve(solver)
    except SolverUnavailableError:
        raise
    except Exception as exc:  # a broken install: say which solver
        raise SolverUnavailableError(f"the {name} solver failed on a two-variable LP: {exc}") from None
    value = pulp.value(problem.objective)
    if problem.status != pulp.LpStatusOptimal or value is None or abs(value - 9.0) > 1e-6:
        raise SolverUnavailableError(f"the {name} solver returned a wrong answer on a two-variable LP (status "
                                     f"{pulp.LpStatus.get(problem.status)}, objective {value}, expected 9)")


@functools.cache
def dual_sign(name: str, sense: str) -> float:
    """Factor turning the solver's reported dual into d(objective)/d(right-hand side), for ``sense``."""
    check_solver(name)
    lp = LinearProgram("dual_check", sense)
    lp.add_variable("x", 0.0, None)
    lp.add_row("c", {"x": 1.0}, LE if sense == MAX else GE, 1.0, RowInfo("check"))
    lp.objective = {"x": 1.0}
    if name == "highs":
        reported = _raw_highs_dual(lp)
    else:
        model = to_pulp(lp)
        model.problem.solve(_solver(name, None, False))
        reported = model.constraints["c"].pi
    if reported is None or abs(abs(reported) - 1.0) > 1e-6:
        return float("nan")  # no usable duals from this solver
    return 1.0 / reported  # the true derivative is +1 for both senses


def _raw_highs_dual(lp: LinearProgram) -> float | None:
    import highspy

    highs = highspy.Highs()
    highs.setOptionValue("output_flag", False)
    model = highspy.HighsLp()
    model.num_col_, model.num_row_ = 1, 1
    model.col_cost_ = np.array([-1.0 if lp.sense == MAX else 1.0])
    model.col_lower_, model.col_upper_ = np.array([0.0]), np.array([highspy.kHighsInf])
    model.row_lower_ = np.array([-highspy.kHighsInf if lp.sense == MAX else 1.0])
    model.row_upper_ = np.array([1.0 if lp.sense == MAX else highspy.kHighsInf])
    model.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    model.a_matrix_.start_, model.a_matrix_.index_ = np.array([0, 1]), np.array([0])
    model.a_matrix_.value_ = np.array([1.0])
    highs.passModel(model)
    highs.run()
    duals = highs.getSolution().row_dual
    return float(duals[0]) if len(duals) else None


def solve_program(lp: LinearProgram, solver: str = "highs", time_limit: float | None = None,
                  highs_options: Mapping[str, Any] | None = None, start: Solution | None = None,
                  loaded: HighsModel | None = None) -> Solution:
    """Solve ``lp`` with the named solver and return a :class:`Solution` (never raises on infeasibility).

    Values are read only when the status allows it; duals only for a pure LP solved to optimality.
    ``highs_options`` are HiGHS option names and values for this model (ignored by CBC). ``start``: a
    solution of a model with the same columns and the same first rows (another right-hand side, coefficient
    or objective, rows added at the end); HiGHS starts from its basis, the added rows' slacks basic (the price
    of exactness starts from the growth stage this way). ``loaded``: ``lp`` already in HiGHS
    (:func:`load_program`, :func:`add_new_rows`).
    """
    check_solver(solver)
    if solver == "highs":
        return _solve_highs(lp, time_limit, highs_options, start, loaded)
    started = time.perf_counter()
    model = to_pulp(lp)
    built = time.perf_counter()
    mip = lp.is_mip
    engine = _solver(solver, None if time_limit is None else max(0.01, float(time_limit)), mip, highs_options)
    try:
        model.problem.solve(engine)
    except pulp.PulpSolverError as exc:
        return Solution(Status.ERROR, None, {}, {}, solver, pulp.LpStatusUndefined, pulp.LpSolutionNoSolutionFound,
                        time.perf_counter() - built, built - started, f"the solver failed: {exc}", model, lp)
    seconds = time.perf_counter() - built
    status = derive_status(model.problem.status, model.problem.sol_status)
    values: dict[str, float] = {}
    duals: dict[str, float] = {}
    if status in (Status.OPTIMAL, Status.TIME_LIMIT_FEASIBLE):
        values = {name: float(v.varValue or 0.0) for name, v in model.variables.items()}
        if status == Status.OPTIMAL and not mip:
            duals = {name: float(c.pi or 0.0) for name, c in model.constraints.items()}
    objective = _reported_objective(model, lp, values, engine) if values else None
    return _checked(lp, solver, status, model.problem.status, model.problem.sol_status, values, duals, objective,
                    seconds, built - started, time_limit, model)


def _checked(lp: LinearProgram, solver: str, status: Status, pulp_status: int, pulp_solution_status: int,
             values: Mapping[str, float], duals: dict[str, float], objective: float | None, seconds: float,
             build_seconds: float, time_limit: float | None, model: PulpModel | None = None) -> Solution:
    """The solution after the checks: the point must satisfy the rows and bounds; duals get their sign."""
    message = ""
    if status in (Status.OPTIMAL, Status.TIME_LIMIT_FEASIBLE):
        violation = lp.max_violation(values)
        if violation > FEASIBILITY_TOLERANCE:
            status, values, duals, objective = Status.ERROR, {}, {}, None
            message = f"the solver's point breaks a constraint by {violation:.3g} (relative); it was not used"
        elif duals:
            sign = dual_sign(solver, lp.sense)
            duals = {name: sign * d for name, d in duals.items()} if sign == sign else {}  # NaN: no usable duals
    elif status == Status.ERROR:
        message = (f"the solver stopped without a usable plan (PuLP status {pulp_status}, "
                   f"solution status {pulp_solution_status})")
        if time_limit is not None:
            message += f"; the time limit of {time_limit:g} s may have been too short"
    if status not in (Status.OPTIMAL, Status.TIME_LIMIT_FEASIBLE):
        values, duals, objective = {}, {}, None
    return Solution(status, objective, values, duals, solver, pulp_status, pulp_solution_status, seconds,
                    build_seconds, message, model, lp)


def _highs_codes(highs: Any) -> tuple[int, int]:
    """PuLP's two codes for HiGHS's model status (``findSolutionValues`` in ``pulp/apis/highs_api.py``)."""
    import highspy

    status = highs.getModelStatus()
    kind = highspy.HighsModelStatus
    stopped = (pulp.LpStatusOptimal, pulp.LpSolutionIntegerFeasible)
    table = {kind.kOptimal: (pulp.LpStatusOptimal, pulp.LpSolutionOptimal),
             kind.kInfeasible: (pulp.LpStatusInfeasible, pulp.LpSolutionInfeasible),
             kind.kUnboundedOrInfeasible: (pulp.LpStatusInfeasible, pulp.LpSolutionInfeasible),
             kind.kUnbounded: (pulp.LpStatusUnbounded, pulp.LpSolutionUnbounded),
             kind.kObjectiveBound: stopped, kind.kObjectiveTarget: stopped, kind.kInterrupt: stopped,
             kind.kTimeLimit: stopped, kind.kIterationLimit: stopped}
    if status in (kind.kTimeLimit, kind.kIterationLimit) and highs.getObjectiveValue() == float("inf"):
        return pulp.LpStatusNotSolved, pulp.LpSolutionNoSolutionFound
    return table.get(status, (pulp.LpStatusNotSolved, pulp.LpSolutionNoSolutionFound))


@dataclass(eq=False)
class HighsModel:
    """A program loaded into HiGHS, with the map from its columns to the program's variables."""

    highs: Any
    used: np.ndarray
    assembled: Any
    build_seconds: float


def load_program(lp: LinearProgram, time_limit: float | None = None,
                 highs_options: Mapping[str, Any] | None = None) -> HighsModel:
    """``lp`` loaded into HiGHS with the engine's options, not yet solved (see :func:`solve_program`)."""
    import highspy

    started = time.perf_counter()
    a = lp.matrix()
    names = lp.variable_names
    cost = lp.objective_vector()
    used = np.flatnonzero((np.diff(a.matrix.tocsc().indptr) > 0) | (cost != 0))
    if len(used) <= SORTED_COLUMNS:
        used = np.array(sorted(used, key=lambda k: names[k]), dtype=np.int64)
    low, high = lp.bounds()
    model = highspy.HighsLp()
    model.num_col_, model.num_row_ = len(used), len(a.names)
    model.col_cost_ = -cost[used] if lp.sense == MAX else cost[used]
    model.col_lower_, model.col_upper_ = low[used], np.where(np.isfinite(high[used]), high[used], highspy.kHighsInf)
    inf = highspy.kHighsInf
    model.row_lower_ = np.where(a.senses == LE, -inf, a.rhs)
    model.row_upper_ = np.where(a.senses == GE, inf, a.rhs)
    columns = a.matrix[:, used].tocsc()
    model.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    model.a_matrix_.start_, model.a_matrix_.index_ = columns.indptr, columns.indices
    model.a_matrix_.value_ = columns.data
    mip = lp.is_mip
    if mip:
        integer = np.asarray(lp._integer, dtype=bool)[used]
        model.integrality_ = [highspy.HighsVarType.kInteger if i else highspy.HighsVarType.kContinuous
                              for i in integer]
    highs = highspy.Highs()
    options: dict[str, Any] = {"output_flag": False, "threads": 1, "random_seed": 0}
    if len(used) <= SMALL_MODEL_COLUMNS:
        # a region-level model: presolve costs more than it saves (every objective 1.4-2.4x faster without
        # it, the same optima to 1e-10 relative; bench.optimizer); at the district level it is even
        options["presolve"] = "off"
    if mip:
        options.update(mip_rel_gap=MIP_GAP, mip_abs_gap=0.0)
    if time_limit is not None:
        options["time_limit"] = max(0.01, float(time_limit))
    options.update(highs_options or {})
    for key, value in options.items():
        highs.setOptionValue(key, value)
    highs.passModel(model)
    return HighsModel(highs, used, a, time.perf_counter() - started)


def add_new_rows(loaded: HighsModel, lp: LinearProgram) -> HighsModel | None:
    """``loaded`` with the rows ``lp`` gained at its end since it was loaded; None when one of them uses a
    column HiGHS was not given (a variable with no row and no cost at loading)."""
    import highspy

    first = len(loaded.assembled.names)
    a = lp.matrix()
    position = np.full(len(lp.variable_names), -1, dtype=np.int64)
    position[loaded.used] = np.arange(len(loaded.used))
    new = a.matrix[first:]
    columns = position[new.indices]
    if (columns < 0).any() or a.names[:first] != loaded.assembled.names:
        return None
    inf = highspy.kHighsInf
    senses, rhs = a.senses[first:], a.rhs[first:]
    loaded.highs.addRows(len(rhs), np.where(senses == LE, -inf, rhs), np.where(senses == GE, inf, rhs),
                         new.nnz, new.indptr[:-1].astype(np.int32), columns.astype(np.int32), new.data)
    return HighsModel(loaded.highs, loaded.used, a, loaded.build_seconds)


def _run_highs(loaded: HighsModel, lp: LinearProgram,
               ) -> tuple[Status, int, int, dict[str, float], dict[str, float], float | None, float]:
    """Run (or re-run from the last basis) and read status codes, values, duals, objective and seconds."""
    import highspy

    highs = loaded.highs
    started = time.perf_counter()
    if highs.run() == highspy.HighsStatus.kError and highs.getModelStatus() == highspy.HighsModelStatus.kNotset:
        highspy.Highs.resetGlobalScheduler(True)  # another HiGHS user started the scheduler with more threads
        highs.run()
    seconds = time.perf_counter() - started
    pulp_status, pulp_solution = _highs_codes(highs)
    status = derive_status(pulp_status, pulp_solution)
    values: Mapping[str, float] = {}
    duals: dict[str, float] = {}
    objective = None
    if status in (Status.OPTIMAL, Status.TIME_LIMIT_FEASIBLE):
        solution = highs.getSolution()
        x = np.zeros(len(lp.variable_names))
        x[loaded.used] = np.asarray(solution.col_value, dtype=float)
        values = lp.value_map(x)
        reported = float(highs.getInfo().objective_function_value)
        objective = -reported if lp.sense == MAX else reported
        if status == Status.OPTIMAL and not lp.is_mip:
            duals = dict(zip(loaded.assembled.names, np.asarray(solution.row_dual, dtype=float).tolist(), strict=True))
    return status, pulp_status, pulp_solution, values, duals, objective, seconds


def _solve_highs(lp: LinearProgram, time_limit: float | None, highs_options: Mapping[str, Any] | None,
                 start: Solution | None = None, loaded: HighsModel | None = None) -> Solution:
    """``lp`` through ``highspy`` in one call (see the module text)."""
    if loaded is None:
        loaded = load_program(lp, time_limit, highs_options)
    elif time_limit is not None:
        loaded.highs.setOptionValue("time_limit", max(0.01, float(time_limit)))
    basis = start.basis if start is not None else None
    rows = len(loaded.assembled.names)
    if basis is not None and len(basis.col_status) == len(loaded.used) and len(basis.row_status) <= rows \
            and not lp.is_mip:
        if len(basis.row_status) < rows:  # rows added at the end (a bound on the first stage's metric): basic
            import highspy

            extended = highspy.HighsBasis()
            extended.valid = True
            extended.col_status = list(basis.col_status)
            extended.row_status = list(basis.row_status) + [highspy.HighsBasisStatus.kBasic] * (
                rows - len(basis.row_status))
            basis = extended
        loaded.highs.setBasis(basis)
    status, pulp_status, pulp_solution, values, duals, objective, seconds = _run_highs(loaded, lp)
    solution = _checked(lp, "highs", status, pulp_status, pulp_solution, values, duals, objective, seconds,
                        loaded.build_seconds, time_limit)
    return replace(solution, basis=loaded.highs.getBasis()) if solution.solved and not lp.is_mip else solution


FRACTION_TOLERANCE = 1e-10  # relative improvement of the ratio below which the parametric method stops
FRACTION_ITERATIONS = 40


def solve_fraction(lp: LinearProgram, numerator: str, denominator: str, start: float, solver: str = "highs",
                   time_limit: float | None = None, highs_options: Mapping[str, Any] | None = None,
                   loaded: HighsModel | None = None) -> tuple[Solution, float, int]:
    """Minimise ``numerator / denominator`` (two variables of ``lp``, the denominator positive) by the
    parametric method of Dinkelbach (1967): solve min N - r D, set r = N / D at the solution, repeat until
    r stops falling (relative change below :data:`FRACTION_TOLERANCE`). r decreases monotonically to the
    optimal ratio; HiGHS re-solves from the last basis after changing the one cost that moves.

    ``lp``'s objective is replaced. Returns the last solve (its ``objective`` is the ratio), the ratio, and
    the number of solves. ``start`` must be at least the optimum (the ratio of a feasible plan, or an upper
    bound of every plan's ratio). ``loaded``: ``lp`` already in HiGHS (:func:`load_program`).
    """
    check_solver(solver)
    if lp.sense != MIN:
        raise ValueError("the fraction is minimised")
    deadline = None if time_limit is None else time.perf_counter() + time_limit
    ratio = float(start)
    lp.objective = {numerator: 1.0, denominator: -ratio}
    if solver == "highs" and loaded is None:
        loaded = load_program(lp, time_limit, highs_options)
    elif solver != "highs":
        loaded = None
    column = int(np.flatnonzero(loaded.used == lp.index_of(denominator))[0]) if loaded is not None else -1
    solution: Solution | None = None
    for iteration in range(1, FRACTION_ITERATIONS + 1):
        left = None if deadline is None else max(0.01, deadline - time.perf_counter())
        lp.objective = {numerator: 1.0, denominator: -ratio}
        if loaded is not None:
            loaded.highs.changeColCost(column, -ratio)
            if left is not None:
                loaded.highs.setOptionValue("time_limit", float(left))
            status, pulp_status, pulp_solution, values, duals, objective, seconds = _run_highs(loaded, lp)
            solution = _checked(lp, solver, status, pulp_status, pulp_solution, values, duals, objective, seconds,
                                loaded.build_seconds, time_limit)
        else:
            solution = solve_program(lp, solver, left, highs_options)
        if not solution.solved:
            return solution, ratio, iteration
        d = solution.values.get(denominator, 0.0)
        if d <= 0:
            return replace(solution, status=Status.ERROR, message="the denominator reached zero"), ratio, iteration
        new = solution.values.get(numerator, 0.0) / d
        if new >= ratio * (1 - FRACTION_TOLERANCE):  # F(r) = 0: this solution's ratio is optimal
            ratio = min(new, ratio)
            break
        ratio = new
    assert solution is not None
    basis = loaded.highs.getBasis() if loaded is not None and solution.solved else solution.basis
    return replace(solution, objective=ratio, basis=basis), ratio, iteration


def _reported_objective(model: PulpModel, lp: LinearProgram, values: dict[str, float], engine: pulp.LpSolver,
                        ) -> float:
    """The objective as the solver reported it: HiGHS's info, CBC's solution file; else from the values."""
    if isinstance(engine, _ReportingCbc) and engine.reported_objective is not None:
        return engine.reported_objective
    highs = getattr(model.problem, "solverModel", None)
    if highs is not None and hasattr(highs, "getInfo"):
        reported = float(highs.getInfo().objective_function_value)
        return -reported if lp.sense == MAX else reported  # PuLP hands HiGHS -objective to maximise
    return lp.objective_value(values)


def write_mps(model: PulpModel, path: Path | str) -> Path:
    """Write the model as an MPS file with an OBJSENSE section (MIN or MAX) before NAME.

    PuLP writes ``*SENSE:Maximize`` as a comment unless asked for the section; readers ignore the
    comment and would minimise a maximisation.
    """
    path = Path(path)
    model.problem.writeMPS(str(path), with_objsense=True)
    head = path.read_text(encoding="ascii", errors="replace").splitlines()[:2]
    if not head or head[0].strip() != "OBJSENSE" or head[1].strip() not in ("MIN", "MAX"):
        text = path.read_text(encoding="ascii")
        sense = "MAX" if model.problem.sense == pulp.LpMaximize else "MIN"
        path.write_text(f"OBJSENSE\n    {sense}\n" + text, encoding="ascii")
    return path


__all__ = ["SOLVERS", "Solution", "check_solver", "derive_status", "dual_sign", "solve_fraction",
           "solve_program", "write_mps",
           "MIN", "MAX"]
