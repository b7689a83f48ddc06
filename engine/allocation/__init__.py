"""The budget optimizer: allocate a budget across units x the four directions x years, and say why.

Public entry points: :func:`optimize` (a scenario's plan with explanations), :func:`prepare` (the model
built once, to share between solves), :func:`compute_frontier` (the equity-efficiency frontier), and the
result types :class:`OptimizationResult`, :class:`Status` and :class:`Frontier`.
"""

from engine.allocation.frontier import Frontier, FrontierPoint, compute_frontier
from engine.allocation.result import OptimizationResult, Status
from engine.allocation.run import Prepared, optimize, prepare

__all__ = ["Frontier", "FrontierPoint", "OptimizationResult", "Prepared", "Status", "compute_frontier", "optimize",
           "prepare"]
