"""Every export of a roadmap as bytes, with a safe file name and its MIME type.

``export_bytes(roadmap, fmt)`` is what a download button needs; ``write_exports`` writes several formats
to a folder. Formats: xlsx, docx, pdf, md, json, csv (the allocation).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from engine.core.errors import ScenarioError, problem
from engine.core.i18n import t
from engine.roadmap.action_plan import action_plan_json
from engine.roadmap.charts import Chart, render_charts
from engine.roadmap.docs import render_docx, render_pdf
from engine.roadmap.document import compose_document, render_markdown
from engine.roadmap.result import Measure, Part, Roadmap
from engine.roadmap.safe import export_filename
from engine.roadmap.sheets import render_csv, render_xlsx

MIME_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "md": "text/markdown; charset=utf-8",
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
}
EXPORT_FORMATS = tuple(MIME_TYPES)
JSON_SCHEMA = "kz-regional-roadmap/roadmap/1"


def export_bytes(roadmap: Roadmap, fmt: str, charts: list[Chart] | None = None) -> tuple[str, str, bytes]:
    """``(file name, MIME type, content)`` of ``roadmap`` in format ``fmt`` (one of :data:`EXPORT_FORMATS`).

    The file name is built from the scenario name, sanitised (see :func:`engine.roadmap.safe.safe_filename`).
    ``charts`` lets a caller exporting both DOCX and PDF draw the charts once.

    Raises
    ------
    ScenarioError
        When ``fmt`` is not a known format.
    """
    fmt = fmt.lower().strip()
    if fmt not in MIME_TYPES:
        raise ScenarioError([problem("format", "pr_unknown_format", None, None, fmt,
                                     allowed=', '.join(EXPORT_FORMATS))])
    name = export_filename(roadmap.scenario_name, roadmap.lang, fmt)
    if fmt == "xlsx":
        data = render_xlsx(roadmap)
    elif fmt == "csv":
        data = render_csv(roadmap)
    elif fmt == "json":
        data = (json.dumps(roadmap_to_json(roadmap), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    elif fmt == "md":
        data = render_markdown(compose_document(roadmap)).encode("utf-8")
    else:
        blocks = compose_document(roadmap, render_charts(roadmap) if charts is None else charts)
        data = render_docx(roadmap, blocks) if fmt == "docx" else render_pdf(roadmap, blocks)
    return name, MIME_TYPES[fmt], data


def parse_formats(text: str | Iterable[str]) -> list[str]:
    """Formats from ``"xlsx,pdf"`` (or a list), checked and without repeats.

    >>> parse_formats("xlsx, PDF,xlsx")
    ['xlsx', 'pdf']
    """
    items = text.split(",") if isinstance(text, str) else list(text)
    out: list[str] = []
    bad = []
    for item in items:
        fmt = item.strip().lower()
        if not fmt:
            continue
        if fmt not in MIME_TYPES:
            bad.append(fmt)
        elif fmt not in out:
            out.append(fmt)
    if bad or not out:
        raise ScenarioError([problem("--format", "pr_unknown_or_no_format", None, None, ", ".join(bad) or str(text),
                                     allowed=', '.join(EXPORT_FORMATS))])
    return out


def write_exports(roadmap: Roadmap, out_dir: Path | str, formats: Iterable[str]) -> list[Path]:
    """Write each format to ``out_dir`` (created when missing); return the paths written."""
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    formats = parse_formats(formats)
    charts = render_charts(roadmap) if {"docx", "pdf"} & set(formats) else []
    paths = []
    for fmt in formats:
        name, _, data = export_bytes(roadmap, fmt, charts)
        path = folder / name
        path.write_bytes(data)
        paths.append(path)
    return paths


# ---------------------------------------------------------------------------------------------------
# JSON
# ---------------------------------------------------------------------------------------------------

def _clean(value: Any) -> Any:
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    return value


def _measure_json(m: Measure, lang: str, indicator: str = "grp_per_capita") -> dict[str, Any]:
    e = m.effect
    return {
        "id": m.id, "unit_id": m.unit_id, "region": m.region, "unit_class": m.unit_class, "direction": m.direction,
        "direction_name": m.direction_name, "part": m.part, "instruments": list(m.instruments),
        "instrument_names": list(m.instrument_names), "actors": list(m.actors), "actor_names": list(m.actor_names),
        "budget_bn_kzt": {str(y): v for y, v in sorted(m.budget_by_year.items())}, "total_bn_kzt": m.total_bn,
        "start_year": m.start_year, "end_year": m.end_year,
        "expected_effect": {
            "year": e.year, "grp_per_capita_baseline": e.grp_per_capita_baseline,
            "grp_per_capita_plan": e.grp_per_capita_plan, "grp_per_capita_change_pct": e.grp_per_capita_change_pct,
            "population_baseline": e.population_baseline, "population_plan": e.population_plan,
            "population_change": e.population_change,
            "direct_grp_per_capita_change_pct": e.alone_grp_per_capita_change_pct,
            "direct_population_change": e.alone_population_change,
        },
        "kpi_targets": {"indicator": indicator, "unit": t("thousand_kzt_pc", lang),
                        "plan": {str(y): v for y, v in sorted(m.kpi_targets.items())},
                        "baseline": {str(y): v for y, v in sorted(m.kpi_baseline.items())}},
        "basis": {"rule_id": m.rule_id, "parameters": list(m.parameters),
                  "assumption_parameters": list(m.assumption_parameters)},
        "priorities": list(m.priorities),
    }


def _part_json(p: Part, lang: str, indicator: str) -> dict[str, Any]:
    return {"id": p.id, "title": p.title, "rationale": p.rationale, "total_bn_kzt": p.total_bn,
            "budget_bn_kzt": {str(y): v for y, v in sorted(p.budget_by_year.items())},
            "measures": [_measure_json(m, lang, indicator) for m in p.measures]}


def roadmap_to_json(roadmap: Roadmap) -> dict[str, Any]:
    """The public JSON shape of a roadmap: ``parts`` is a list of the two parts, each with its ``measures``."""
    lang = roadmap.lang
    d = roadmap.diagnosis
    doc = {
        "schema": JSON_SCHEMA, "lang": lang, "scenario": roadmap.scenario_name, "objective": roadmap.objective,
        "indicator": roadmap.indicator, "indicator_name": roadmap.indicator_name,
        "base_year": roadmap.base_year, "years": list(roadmap.years),
        "budget_bn_kzt": {str(y): v for y, v in sorted(roadmap.budget_by_year.items())},
        "allocated_bn_kzt": roadmap.total_bn, "equity_share": roadmap.equity_share,
        "equity_share_required": roadmap.equity_share_required, "allocation_note": roadmap.allocation_note,
        "warnings": list(roadmap.warnings),
        "reach": [dict(r) for r in roadmap.reach],
        "diagnosis": {"year": d.year, "metrics": dict(d.metrics), "max_region": d.max_region,
                      "min_region": d.min_region,
                      "units": [{"unit_id": u.unit_id, "region": u.region, "unit_class": u.unit_class,
                                 "grp_per_capita": u.grp_per_capita, "population": u.population,
                                 "problem": u.problem, "reasons": list(u.reasons)} for u in d.units]},
        "parts": [_part_json(p, lang, roadmap.indicator) for p in roadmap.parts],
        "action_plan": action_plan_json(roadmap),
        "criteria": [{"year": row.year, "baseline": dict(row.baseline), "plan": dict(row.plan)}
                     for row in roadmap.criteria],
        "priorities": [{"id": p.id, "name": p.name, "measures": list(p.measure_ids)} for p in roadmap.priorities],
        "rules": [{"id": r.id, "unit_class": r.unit_class, "direction": r.direction, "part": r.part,
                   "rationale": r.rationale, "source": r.source} for r in roadmap.rules],
        "assumptions": [{"id": p.id, "value": list(p.value) if isinstance(p.value, tuple) else p.value,
                         "low": p.low, "high": p.high, "unit": p.unit, "basis": p.basis, "source": p.source,
                         "overridden": p.overridden} for p in roadmap.assumptions],
        "sources": [{"title": s.title, "text": s.text} for s in roadmap.sources],
        "allocation": [{"unit_id": r.unit_id, "direction": r.direction, "year": int(r.year),
                        "bn_kzt": float(r.bn_kzt), "part": r.part}
                       for r in roadmap.allocation.itertuples(index=False)],
    }
    return _clean(doc)
