"""The monitoring report: what was planned, what was done, and what the replan changed (Markdown and DOCX).

It is written with the roadmap's document blocks (:mod:`engine.roadmap.document`), so it reads like the
roadmap it follows, in kk, ru or en.
"""

from __future__ import annotations

import math
from types import SimpleNamespace

from engine.analysis.monitor import Monitoring
from engine.core.i18n import format_number, format_percent, indicator_name, t, unit_name
from engine.roadmap.document import Block, BulletList, Heading, Paragraph, Table, render_markdown, signed
from engine.roadmap.safe import safe_filename

REPORT_FORMATS = ("md", "docx")


def _n(value: float | None, lang: str, digits: int = 1) -> str:
    return "—" if value is None or (isinstance(value, float) and not math.isfinite(value)) \
        else format_number(value, lang, digits)


def _title(m: Monitoring, lang: str) -> str:
    return t("mon_title", lang, scenario=m.scenario.title(lang), year=str(m.as_of))


def compose_report(m: Monitoring, lang: str = "en") -> list[Block]:
    units = m.study.ctx.dataset.units
    by_year = m.by_year()
    planned = sum(v["planned_bn"] for v in by_year.values())
    spent = sum(v["spent_bn"] for v in by_year.values())
    blocks: list[Block] = [
        Heading(1, _title(m, lang)),
        Paragraph(t("mon_summary", lang, first=str(m.scenario.first_year), year=str(m.as_of),
                    planned=_n(planned, lang), spent=_n(spent, lang),
                    pct=format_percent(spent / planned, lang) if planned else "—")),
        Heading(2, t("mon_planned_done", lang)),
        Table((t("mon_col_year", lang), t("mon_col_budget", lang), t("mon_col_planned", lang), t("mon_col_spent", lang),
               t("mon_col_deviation", lang), t("mon_col_execution", lang)),
              tuple((str(y), _n(v["budget_bn"], lang), _n(v["planned_bn"], lang), _n(v["spent_bn"], lang),
                     signed(v["deviation_bn"], lang, 1),
                     format_percent(v["spent_bn"] / v["planned_bn"], lang) if v["planned_bn"] else "—")
                    for y, v in by_year.items()), (1.2, 2, 2, 2, 2, 1.6), ("L", "R", "R", "R", "R", "R")),
        Heading(3, t("mon_by_cell", lang)),
        Table((t("region", lang), t("direction", lang), t("mon_col_planned", lang), t("mon_col_spent", lang),
               t("mon_col_deviation", lang)),
              tuple((unit_name(units, c["unit_id"], lang), t(c["direction"], lang), _n(c["planned_bn"], lang),
                     _n(c["spent_bn"], lang), signed(c["deviation_bn"], lang, 1)) for c in m.by_cell()),
              (4, 4, 2, 2, 2), ("L", "L", "R", "R", "R")),
        Heading(2, t("mon_kpi", lang)),
    ]
    if m.kpis:
        blocks.append(Table(
            (t("region", lang), t("mon_col_year", lang), t("mon_col_no_policy", lang), t("mon_col_target", lang),
             t("mon_col_observed", lang), t("mon_col_deviation", lang).split(",")[0]),
            tuple((unit_name(units, k.unit_id, lang), str(k.year), _n(k.no_policy, lang), _n(k.target, lang),
                   _n(k.observed, lang), f"{signed(k.deviation, lang, 1)} ({signed(k.deviation_pct, lang, 1)}%)")
                  for k in m.kpis), (4, 1.2, 2, 2, 2, 2.4), ("L", "L", "R", "R", "R", "R")))
    else:
        blocks.append(Paragraph(t("mon_kpi_none", lang), "note"))
    blocks.append(Heading(2, t("mon_changed", lang)))
    later = m.remaining_years
    if m.replan is None or not later:
        blocks.append(Paragraph(t("mon_no_replan", lang), "note"))
    else:
        budget = sum(m.replan_budget[y] for y in later)
        blocks.append(Paragraph(t("mon_replan_intro", lang, first=str(later[0]), last=str(later[-1]),
                                  budget=_n(budget, lang))))
        if m.carry_over and m.unspent_bn > 0:
            blocks.append(Paragraph(t("mon_carry_over", lang, amount=_n(m.unspent_bn, lang))))
        blocks.append(Paragraph(t("mon_replan_status", lang, status=t(f"status_{m.replan.status.value}", lang))))
        if m.rebased:
            blocks.append(Paragraph(t("mon_rebased_intro", lang, indicator=indicator_name(m.scenario.indicator, lang))))
            blocks.append(Table(
                (t("region", lang), t("mon_col_year", lang), t("mon_col_observed", lang), t("mon_col_modelled", lang),
                 t("mon_col_shift", lang)),
                tuple((unit_name(units, r["unit_id"], lang), str(r["year"]), _n(r["observed"], lang),
                       _n(r["modelled"], lang), signed(r["shift"], lang, 1)) for r in m.rebased),
                (4, 1.2, 2, 2, 2), ("L", "L", "R", "R", "R")))
        rows = []
        for y, v in m.replan_by_year().items():
            rows.append((str(y) + (f" ({t('mon_fixed', lang)})" if v["fixed"] else ""), _n(v["budget_bn"], lang),
                         _n(v["previous_plan_bn"], lang), _n(v["allocated_bn"], lang)))
        blocks.append(Table((t("mon_col_year", lang), t("mon_col_budget", lang), t("mon_col_previous", lang),
                             t("mon_col_revised", lang)), tuple(rows), (2, 2, 2, 2), ("L", "R", "R", "R")))
        changes = m.changes()
        if changes:
            blocks.append(Table(
                (t("region", lang), t("direction", lang), t("mon_col_previous", lang), t("mon_col_revised", lang),
                 t("mon_col_change", lang)),
                tuple((unit_name(units, c["unit_id"], lang), t(c["direction"], lang), _n(c["previous_bn"], lang),
                       _n(c["revised_bn"], lang), signed(c["change_bn"], lang, 1)) for c in changes),
                (4, 4, 2, 2, 2), ("L", "L", "R", "R", "R")))
        else:
            blocks.append(Paragraph(t("mon_no_changes", lang), "note"))
    if m.notes:
        blocks += [Heading(3, t("mon_notes", lang)), BulletList(tuple(m.notes))]
    return blocks


def report_bytes(m: Monitoring, fmt: str, lang: str = "en") -> tuple[str, bytes]:
    """``(file name, content)`` of the monitoring report in ``fmt`` (md or docx)."""
    blocks = compose_report(m, lang)
    name = f"monitoring_{safe_filename(m.scenario.name, fallback='scenario')}_{m.as_of}_{lang}.{fmt}"
    if fmt == "md":
        return name, render_markdown(blocks).encode("utf-8")
    if fmt == "docx":
        from engine.roadmap.docs import render_docx

        # render_docx reads the language and the title only
        return name, render_docx(SimpleNamespace(lang=lang, scenario_name=_title(m, lang)), blocks)  # type: ignore[arg-type]
    raise ValueError(f"unknown report format {fmt!r}; allowed: {', '.join(REPORT_FORMATS)}")
