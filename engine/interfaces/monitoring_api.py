"""Monitoring for the app: a plan against uploaded actuals, and the replan, in one call a worker process runs.

The plan is the one given (rows of a stored version's result) or, without one, the optimizer's plan of the
scenario. The result is ``roadmap monitor --json`` plus the monitoring report in Markdown and DOCX and the
plan's targets by year for each unit with observed values (what the page charts).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from engine.core.errors import DataValidationError, problem
from engine.interfaces import studies

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


def plan_rows(result: Mapping[str, Any] | None) -> list[dict[str, Any]] | None:
    """The plan a stored result holds: a monitoring result's replan, else a solve's allocation (None if none)."""
    if not isinstance(result, Mapping):
        return None
    replan = result.get("replan")
    rows = replan.get("allocation") if isinstance(replan, Mapping) else result.get("allocation")
    return [dict(r) for r in rows] if isinstance(rows, list) and rows else None


def monitor_upload(scenario_yaml: str, actuals: bytes, actuals_name: str, as_of: int, carry_over: bool = False,
                   plan: Sequence[Mapping[str, Any]] | None = None, indicators: bytes | None = None,
                   indicators_name: str = "indicators", lang: str = "en") -> dict[str, Any]:
    """``roadmap monitor`` on uploaded bytes; raises the engine's errors (the page shows them)."""
    from engine.allocation import optimize
    from engine.analysis.monitor import check_as_of, monitor, read_actuals
    from engine.analysis.monitor_report import report_bytes
    from engine.core.validation import check_indicator_file
    from engine.model.simulate import simulate_plan

    for data, name in ((actuals, actuals_name), (indicators, indicators_name)):
        if data is not None and len(data) > MAX_UPLOAD_BYTES:
            raise DataValidationError([problem(name, "pr_larger_than_mb", None, None, len(data), mb=5)])
    ctx = studies.default_context()
    study = studies.prepared(studies.scenario_of(scenario_yaml, ctx), ctx, "default").study
    as_of = check_as_of(study, as_of)
    frame = pd.DataFrame(list(plan), columns=["unit_id", "direction", "year", "bn_kzt"]) if plan else \
        optimize(study).allocation_frame()
    spent = read_actuals(study, as_of, data=actuals, name=actuals_name)
    observed = check_indicator_file(data=indicators, name=indicators_name) if indicators else None
    found = monitor(study, frame, spent, as_of, indicators=observed, carry_over=carry_over)
    out = found.to_json()
    out["plan_allocation"] = [{"unit_id": u, "direction": d, "year": int(y), "bn_kzt": float(v)}
                              for u, d, y, v in found.plan.itertuples(index=False)]
    units = sorted({k.unit_id for k in found.kpis})
    if units:
        target = simulate_plan(study.model, found.plan).grp_per_capita
        base = study.no_policy.grp_per_capita
        out["kpi_series"] = {u: {"years": study.scenario.years,
                                 "target": [float(target.at[u, y]) for y in study.scenario.years],
                                 "no_policy": [float(base.at[u, y]) for y in study.scenario.years]} for u in units}
    else:
        out["kpi_series"] = {}
    out["report_md"] = report_bytes(found, "md", lang)[1].decode("utf-8")
    name, docx = report_bytes(found, "docx", lang)
    out["report_docx"], out["report_docx_name"] = docx, name
    return out
