"""The budget optimizer: allocate a budget across units x the four directions x years, and say why.

Public entry points: :func:`prepare` (a study's linear forms, built once to share between solves),
:func:`optimize` (a study's plan with explanations), :func:`optimize_at_level` (a frontier point's plan),
:func:`compute_frontier` (the equity-efficiency frontier), and the result types
:class:`OptimizationResult`, :class:`Status` and :class:`Frontier`.
"""

from engine.allocation.frontier import Frontier, FrontierPoint, compute_frontier
from engine.allocation.prepared import Prepared, prepare, with_scenario
from engine.allocation.result import OptimizationResult, Status
from engine.allocation.run import optimize, optimize_at_level

__all__ = ["Frontier", "FrontierPoint", "OptimizationResult", "Prepared", "Status", "compute_frontier", "optimize",
           "optimize_at_level", "prepare", "with_scenario"]
