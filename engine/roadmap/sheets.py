"""The roadmap as a workbook (XlsxWriter) and the allocation as CSV, safe against formula injection.

Every text cell goes through :func:`engine.roadmap.safe.neutralise_cell`; numbers are written as numbers
(negative ones stay numeric). The workbook never turns strings into formulas, numbers or links.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence

import xlsxwriter

from engine.core.i18n import t
from engine.roadmap.docs import FIXED_DATE, normalise_zip
from engine.roadmap.document import basis_name, class_name, criterion_label
from engine.roadmap.result import CRITERIA, Part, Roadmap
from engine.roadmap.safe import neutralise_cell

_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
WORKBOOK_OPTIONS = {"strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False,
                    "in_memory": True}


def sheet_name(text: str, taken: set[str]) -> str:
    """A valid, unique worksheet name (at most 31 characters, none of ``[]:*?/\\``, not starting with ')."""
    name = _SHEET_FORBIDDEN.sub(" ", text).strip().strip("'")[:31].strip() or "Sheet"
    candidate, n = name, 2
    while candidate.casefold() in {s.casefold() for s in taken}:
        suffix = f" ({n})"
        candidate = name[:31 - len(suffix)] + suffix
        n += 1
    taken.add(candidate)
    return candidate


class _Sheet:
    """A worksheet written row by row, with text neutralised and column widths following the content."""

    def __init__(self, workbook: xlsxwriter.Workbook, name: str, formats: dict) -> None:
        self.ws = workbook.add_worksheet(name)
        self.formats = formats
        self.row = 0
        self.widths: dict[int, int] = {}

    def write_row(self, values: Sequence[object], kind: str = "text", number_format: str = "number") -> None:
        for col, value in enumerate(values):
            if isinstance(value, bool):
                value = str(value).lower()
            if isinstance(value, int | float):
                self.ws.write_number(self.row, col, float(value), self.formats[number_format])
                width = 12
            elif value is None or value == "":
                self.ws.write_blank(self.row, col, None)
                width = 4
            else:
                text = str(neutralise_cell(str(value)))
                self.ws.write_string(self.row, col, text, self.formats[kind])
                width = min(60, max(8, len(text) + 2))
            self.widths[col] = max(self.widths.get(col, 0), width)
        self.row += 1

    def header(self, values: Sequence[str]) -> None:
        self.write_row(values, kind="header")
        self.ws.freeze_panes(self.row, 0)

    def blank(self) -> None:
        self.row += 1

    def finish(self) -> None:
        for col, width in self.widths.items():
            self.ws.set_column(col, col, width)


def render_xlsx(roadmap: Roadmap) -> bytes:
    """The roadmap workbook: summary, one sheet per part, KPIs, priorities, allocation, assumptions, rules, sources."""
    lang = roadmap.lang
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, WORKBOOK_OPTIONS)
    workbook.set_properties({"title": f"{t('app_title', lang)}: {roadmap.scenario_name}", "created": FIXED_DATE,
                             "author": "", "comments": ""})
    formats = {"text": workbook.add_format({"text_wrap": False}),
               "header": workbook.add_format({"bold": True, "bg_color": "#E6E6E6", "text_wrap": True}),
               "number": workbook.add_format({"num_format": "#,##0.000"}),
               "integer": workbook.add_format({"num_format": "0"})}
    taken: set[str] = set()

    def sheet(title: str) -> _Sheet:
        return _Sheet(workbook, sheet_name(title, taken), formats)

    summary = sheet(t("summary", lang))
    summary.write_row([t("scenario", lang), roadmap.scenario_name])
    summary.write_row([t("objective", lang), t(f"obj_{roadmap.objective}", lang)])
    summary.write_row([t("indicator", lang), roadmap.indicator_name])
    summary.write_row([t("before", lang), roadmap.base_year], number_format="integer")
    summary.write_row([t("horizon", lang), f"{roadmap.years[0]}–{roadmap.years[-1]}"])
    summary.write_row([t("budget", lang) + ", " + t("bn_kzt", lang), float(sum(roadmap.budget_by_year.values()))])
    summary.write_row([t("allocation", lang) + ", " + t("bn_kzt", lang), roadmap.total_bn])
    for part in roadmap.parts:
        summary.write_row([part.title, part.total_bn])
    summary.write_row([t("equity_share", lang), roadmap.equity_share_required])
    summary.write_row([t("allocation_note", lang), roadmap.allocation_note])
    for warning in roadmap.warnings:
        summary.write_row([t("warnings", lang), warning])
    summary.finish()

    for part in roadmap.parts:
        _part_sheet(sheet(t(part.id, lang)), roadmap, part)
    from engine.roadmap.action_plan import write_action_plan_sheet  # it writes through _Sheet

    write_action_plan_sheet(sheet(t("ap_title", lang)), roadmap)

    kpis = sheet(t("kpi", lang))
    kpis.header([t("year", lang), *(f"{criterion_label(k, lang)}: {t(v, lang)}" for k in CRITERIA
                                    for v in ("baseline", "plan"))])
    for row in roadmap.criteria:
        kpis.write_row([row.year, *(getattr(row, v)[k] for k in CRITERIA for v in ("baseline", "plan"))])
    for warning in roadmap.warnings:
        kpis.write_row([t("warnings", lang), warning])
    kpis.finish()

    priorities = sheet(t("priorities", lang))
    priorities.header([t("priorities", lang), t("measure", lang), t("region", lang), t("direction", lang),
                       t("part", lang)])
    for priority in roadmap.priorities:
        if not priority.measure_ids:
            priorities.write_row([priority.name, "", t("no_measures_priority", lang)])
        for mid in priority.measure_ids:
            m = roadmap.measure(mid)
            priorities.write_row([priority.name, m.id, m.region, m.direction_name, t(m.part, lang)])
    priorities.finish()

    allocation = sheet(t("allocation", lang))
    allocation.header([t("unit_id", lang), t("region", lang), t("unit_class", lang), t("direction", lang),
                       t("part", lang), t("year", lang), t("bn_kzt", lang)])
    for r in roadmap.allocation.itertuples(index=False):
        allocation.write_row([r.unit_id, r.region, class_name(r.unit_class, lang), t(r.direction, lang),
                              t(r.part, lang), int(r.year), float(r.bn_kzt)])
    allocation.finish()

    assumptions = sheet(t("assumptions", lang))
    assumptions.header([t("parameter", lang), t("value", lang), "low", "high", t("unit_of_measure", lang),
                        t("basis", lang), t("overridden", lang), t("source", lang)])
    for p in roadmap.assumptions:
        value: object = "; ".join(f"{v:g}" for v in p.value) if isinstance(p.value, tuple) else p.value
        assumptions.write_row([p.id, value, p.low, p.high, p.unit, basis_name(p.basis, lang),
                               t("yes", lang) if p.overridden else "", p.source])
    assumptions.finish()

    rules = sheet(t("roadmap_rules", lang))
    rules.header([t("rule", lang), t("unit_class", lang), t("direction", lang), t("part", lang), t("basis", lang),
                  t("source", lang)])
    for rule in roadmap.rules:
        rules.write_row([rule.id, class_name(rule.unit_class, lang), t(rule.direction, lang), t(rule.part, lang),
                         rule.rationale, rule.source])
    rules.finish()

    sources = sheet(t("sources", lang))
    sources.header([t("source", lang), t("value", lang)])
    for s in roadmap.sources:
        sources.write_row([s.title, s.text])
    sources.write_row([t("sources_note", lang)])
    sources.finish()
    workbook.close()
    return normalise_zip(buffer.getvalue())


def _part_sheet(s: _Sheet, roadmap: Roadmap, part: Part) -> None:
    lang = roadmap.lang
    years = list(roadmap.years)
    horizon = years[-1]
    s.write_row([part.title])
    s.write_row([part.rationale])
    s.blank()
    s.header([t("measure", lang), t("unit_id", lang), t("region", lang), t("unit_class", lang), t("direction", lang),
              t("instrument", lang), t("actors", lang), t("start_year", lang), t("end_year", lang),
              *(f"{t('budget', lang)} {y}" for y in years), f"{t('total', lang)}, {t('bn_kzt', lang)}",
              f"{roadmap.indicator_name} {horizon}: {t('baseline', lang)}",
              f"{roadmap.indicator_name} {horizon}: {t('plan', lang)}", t("change_pct", lang),
              t("population_change", lang), t("alone_effect", lang),
              *(f"KPI {y}" for y in years), t("rule", lang), t("priorities", lang), t("assumed_parameters", lang)])
    for m in part.measures:
        e = m.effect
        s.write_row([m.id, m.unit_id, m.region, class_name(m.unit_class, lang), m.direction_name,
                     "; ".join(m.instrument_names), ", ".join(m.actor_names), m.start_year, m.end_year,
                     *(m.budget_by_year[y] for y in years), m.total_bn, e.grp_per_capita_baseline,
                     e.grp_per_capita_plan, e.grp_per_capita_change_pct, e.population_change,
                     e.alone_grp_per_capita_change_pct, *(m.kpi_targets[y] for y in years), m.rule_id,
                     "; ".join(t(f"priority_{p}", lang) for p in m.priorities), ", ".join(m.assumption_parameters)])
    if not part.measures:
        s.write_row([t("no_measures", lang)])
    s.finish()


CSV_COLUMNS = ("unit_id", "region", "unit_class", "direction", "direction_name", "part", "year", "bn_kzt")


def render_csv(roadmap: Roadmap) -> bytes:
    """The allocation as CSV (UTF-8 with a byte-order mark so spreadsheet programs read Cyrillic right)."""
    lang = roadmap.lang
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for r in roadmap.allocation.itertuples(index=False):
        row = [r.unit_id, r.region, r.unit_class, r.direction, t(r.direction, lang), r.part, int(r.year),
               float(r.bn_kzt)]
        writer.writerow([neutralise_cell(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
