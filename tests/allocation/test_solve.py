"""Solver status, duals, time limits and MPS files, against real HiGHS and CBC."""

import highspy
import numpy as np
import pulp
import pytest

from engine.allocation.build import EQ, GE, LE, MAX, MIN, LinearProgram, RowInfo, to_pulp
from engine.allocation.result import Status
from engine.allocation.solve import check_solver, derive_status, solve_program, write_mps
from engine.core.errors import SolverUnavailableError

SOLVERS = ["highs", "cbc"]


@pytest.mark.parametrize(("status", "solution", "expected"), [
    (pulp.LpStatusOptimal, pulp.LpSolutionOptimal, Status.OPTIMAL),
    (pulp.LpStatusOptimal, pulp.LpSolutionIntegerFeasible, Status.TIME_LIMIT_FEASIBLE),  # coin-or/pulp#711
    (pulp.LpStatusOptimal, pulp.LpSolutionNoSolutionFound, Status.ERROR),
    (pulp.LpStatusInfeasible, pulp.LpSolutionInfeasible, Status.INFEASIBLE),
    (pulp.LpStatusInfeasible, pulp.LpSolutionNoSolutionFound, Status.INFEASIBLE),
    (pulp.LpStatusUnbounded, pulp.LpSolutionUnbounded, Status.UNBOUNDED),
    (pulp.LpStatusNotSolved, pulp.LpSolutionNoSolutionFound, Status.ERROR),
    (pulp.LpStatusUndefined, pulp.LpSolutionInfeasible, Status.ERROR),
])
def test_status_from_both_codes(status, solution, expected):
    assert derive_status(status, solution) == expected


def small(sense: str, rows: list[tuple[str, dict, str, float]], objective: dict, high: float | None = None,
          integer: bool = False) -> LinearProgram:
    lp = LinearProgram("small", sense)
    for name in sorted({v for _, coeffs, _, _ in rows for v in coeffs} | set(objective)):
        lp.add_variable(name, 0.0, high, integer)
    for name, coeffs, row_sense, rhs in rows:
        lp.add_row(name, coeffs, row_sense, rhs, RowInfo("test"))
    lp.objective = objective
    return lp


@pytest.mark.parametrize("solver", SOLVERS)
def test_infeasible_and_unbounded_are_statuses(solver):
    infeasible = small(MIN, [("a", {"x": 1.0}, GE, 2.0), ("b", {"x": 1.0}, LE, 1.0)], {"x": 1.0})
    assert solve_program(infeasible, solver).status == Status.INFEASIBLE
    unbounded = small(MAX, [("a", {"x": 1.0, "y": -1.0}, LE, 1.0)], {"x": 1.0})
    assert solve_program(unbounded, solver).status in (Status.UNBOUNDED, Status.INFEASIBLE)
    if solver == "highs":
        assert solve_program(unbounded, solver).status == Status.UNBOUNDED


@pytest.mark.parametrize("solver", SOLVERS)
@pytest.mark.parametrize("sense", [MIN, MAX])
def test_duals_are_derivatives_of_the_objective(solver, sense):
    # rows of every kind; each dual must equal the change of the optimum per unit of right-hand side
    rows = [("cap_x", {"x": 1.0}, LE, 3.0), ("need", {"x": 1.0, "y": 1.0}, GE, 5.0),
            ("mix", {"x": 1.0, "y": -2.0, "z": 1.0}, EQ, 1.0), ("top", {"y": 1.0, "z": 1.0}, LE, 8.0)]
    objective = {"x": 2.0, "y": 3.0, "z": 1.0} if sense == MIN else {"x": 1.0, "y": 1.0, "z": 3.0}
    base = solve_program(small(sense, rows, objective), solver)
    assert base.status == Status.OPTIMAL
    for i, (name, coeffs, row_sense, rhs) in enumerate(rows):
        bumped = list(rows)
        bumped[i] = (name, coeffs, row_sense, rhs + 0.01)
        moved = solve_program(small(sense, bumped, objective), solver)
        assert base.duals[name] == pytest.approx((moved.objective - base.objective) / 0.01, abs=1e-6), name


def hard_milp(seed: int = 3, rows: int = 5, columns: int = 45) -> LinearProgram:
    """A market-split instance (Cornuejols & Dawande): easy to find a feasible point, very hard to prove optimal."""
    rng = np.random.default_rng(seed)
    a = rng.integers(0, 100, size=(rows, columns))
    lp = LinearProgram("market_split", MIN)
    for j in range(columns):
        lp.add_variable(f"x{j}", 0.0, 1.0, integer=True)
    for i in range(rows):
        lp.add_variable(f"over{i}", 0.0, None)
        lp.add_variable(f"under{i}", 0.0, None)
        coeffs = {f"x{j}": float(a[i, j]) for j in range(columns)} | {f"over{i}": -1.0, f"under{i}": 1.0}
        lp.add_row(f"split{i}", coeffs, EQ, float(a[i].sum() // 2), RowInfo("test"))
    lp.objective = {f"{kind}{i}": 1.0 for i in range(rows) for kind in ("over", "under")}
    return lp


@pytest.mark.parametrize("solver", SOLVERS)
def test_a_milp_stopped_by_the_time_limit_is_never_optimal(solver):
    # both solvers find an incumbent at once (all zeros is feasible) and cannot prove optimality in a second;
    # PuLP reports status Optimal with solution status IntegerFeasible, which must read time_limit_feasible
    solution = solve_program(hard_milp(), solver, time_limit=1.0)
    assert solution.pulp_status == pulp.LpStatusOptimal
    assert solution.pulp_solution_status == pulp.LpSolutionIntegerFeasible
    assert solution.status == Status.TIME_LIMIT_FEASIBLE
    assert solution.objective is not None and solution.values
    assert solution.duals == {}


def test_an_lp_gets_no_duals_when_integer():
    lp = small(MAX, [("a", {"x": 2.0, "y": 2.0}, LE, 3.0)], {"x": 1.0, "y": 1.0}, high=1.0, integer=True)
    solution = solve_program(lp)
    assert solution.status == Status.OPTIMAL and solution.objective == pytest.approx(1.0)
    assert solution.duals == {}


def test_unknown_solver_is_refused():
    with pytest.raises(SolverUnavailableError):
        check_solver("gurobi_by_accident")


@pytest.mark.parametrize("sense", [MIN, MAX])
def test_mps_states_its_sense_and_an_independent_solver_agrees(tmp_path, sense):
    rows = [("cap_x", {"x": 1.0}, LE, 3.0), ("need", {"x": 1.0, "y": 1.0}, GE, 5.0), ("top", {"y": 1.0}, LE, 4.0)]
    objective = {"x": 2.0, "y": 3.0}
    lp = small(sense, rows, objective)
    solution = solve_program(lp)
    path = write_mps(to_pulp(lp), tmp_path / "m.mps")
    head = path.read_text().splitlines()[:2]
    assert head == ["OBJSENSE", f" {'MAX' if sense == MAX else 'MIN'}"]
    highs = highspy.Highs()
    highs.setOptionValue("output_flag", False)
    assert highs.readModel(str(path)) == highspy.HighsStatus.kOk
    highs.run()
    assert highs.getInfo().objective_function_value == pytest.approx(solution.objective, rel=1e-9)


def test_a_scheduler_started_elsewhere_does_not_stop_our_solves(tmp_path):
    # HiGHS keeps one thread scheduler per process; another user may start it with several threads
    lp = small(MAX, [("a", {"x": 1.0, "y": 1.0}, LE, 5.0)], {"x": 1.0, "y": 2.0}, high=4.0)
    path = write_mps(to_pulp(lp), tmp_path / "other.mps")
    highspy.Highs.resetGlobalScheduler(True)
    other = highspy.Highs()
    other.setOptionValue("output_flag", False)
    other.setOptionValue("threads", 2)
    other.readModel(str(path))
    other.run()
    solution = solve_program(lp)
    assert solution.status == Status.OPTIMAL and solution.objective == pytest.approx(9.0)
