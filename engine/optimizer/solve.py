"""The only module that touches PuLP's solver classes: HiGHS (``highspy``) by default, CBC as fallback.

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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pulp

from engine.errors import SolverUnavailableError
from engine.optimizer.build import MAX, MIN, LinearProgram, PulpModel, to_pulp
from engine.optimizer.result import Status

SOLVERS = ("highs", "cbc")
FEASIBILITY_TOLERANCE = 1e-5  # relative violation above which a returned point is not accepted
MIP_GAP = 1e-9  # relative gap for MIPs: the second stage must be optimal for solvers to agree


@dataclass(frozen=True, eq=False)
class Solution:
    """What one solve returned, in our terms."""

    status: Status
    objective: float | None
    values: dict[str, float]
    duals: dict[str, float]
    solver: str
    pulp_status: int
    pulp_solution_status: int
    seconds: float
    build_seconds: float
    message: str = ""
    model: PulpModel | None = field(default=None, repr=False)

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
    problem = pulp.LpProblem("dual_check", pulp.LpMaximize if sense == MAX else pulp.LpMinimize)
    x = problem.add_variable("x", 0, None)
    if sense == MAX:
        row = pulp.LpConstraint(pulp.LpAffineExpression([(x, 1.0)]), pulp.LpConstraintLE, "c", 1.0)
    else:
        row = pulp.LpConstraint(pulp.LpAffineExpression([(x, 1.0)]), pulp.LpConstraintGE, "c", 1.0)
    problem.addConstraint(row)
    problem.setObjective(pulp.LpAffineExpression([(x, 1.0)]))
    problem.solve(_solver(name, None, False))
    reported = row.pi
    if reported is None or abs(abs(reported) - 1.0) > 1e-6:
        return float("nan")  # no usable duals from this solver
    return 1.0 / reported  # the true derivative is +1 for both senses


def solve_program(lp: LinearProgram, solver: str = "highs", time_limit: float | None = None,
                  highs_options: Mapping[str, Any] | None = None) -> Solution:
    """Solve ``lp`` with the named solver and return a :class:`Solution` (never raises on infeasibility).

    Values are read only when the status allows it; duals only for a pure LP solved to optimality.
    ``highs_options`` are HiGHS option names and values for this model (ignored by CBC).
    """
    check_solver(solver)
    started = time.perf_counter()
    model = to_pulp(lp)
    built = time.perf_counter()
    mip = lp.is_mip
    engine = _solver(solver, None if time_limit is None else max(0.01, float(time_limit)), mip, highs_options)
    try:
        model.problem.solve(engine)
    except pulp.PulpSolverError as exc:
        return Solution(Status.ERROR, None, {}, {}, solver, pulp.LpStatusUndefined, pulp.LpSolutionNoSolutionFound,
                        time.perf_counter() - built, built - started, f"the solver failed: {exc}", model)
    seconds = time.perf_counter() - built
    status = derive_status(model.problem.status, model.problem.sol_status)
    message = ""
    values: dict[str, float] = {}
    duals: dict[str, float] = {}
    objective = None
    if status in (Status.OPTIMAL, Status.TIME_LIMIT_FEASIBLE):
        values = {name: float(v.varValue or 0.0) for name, v in model.variables.items()}
        violation = lp.max_violation(values)
        if violation > FEASIBILITY_TOLERANCE:
            status = Status.ERROR
            message = f"the solver's point breaks a constraint by {violation:.3g} (relative); it was not used"
        else:
            objective = _reported_objective(model, lp, values, engine)
            if status == Status.OPTIMAL and not mip:
                sign = dual_sign(solver, lp.sense)
                if sign == sign:  # not NaN
                    duals = {name: sign * float(c.pi or 0.0) for name, c in model.constraints.items()}
    elif status == Status.ERROR:
        message = (f"the solver stopped without a usable plan (PuLP status {model.problem.status}, "
                   f"solution status {model.problem.sol_status})")
        if time_limit is not None:
            message += f"; the time limit of {time_limit:g} s may have been too short"
    return Solution(status, objective, values, duals, solver, model.problem.status, model.problem.sol_status,
                    seconds, built - started, message, model)


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


__all__ = ["SOLVERS", "Solution", "check_solver", "derive_status", "dual_sign", "solve_program", "write_mps",
           "MIN", "MAX"]
