"""The roadmap document as a list of blocks (headings, paragraphs, lists, tables, images).

One composition feeds the DOCX, PDF and Markdown writers, so the three say the same thing in the same
order: summary, diagnosis, Part I, Part II, both criteria by year with charts, the five priorities,
assumptions, the roadmap rules used, and sources. Numbers are written the way the language writes them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from engine.core.i18n import format_number, has_text, t
from engine.roadmap.blocks import Block, BulletList, Heading, Image, Paragraph, Table
from engine.roadmap.charts import Chart
from engine.roadmap.result import CRITERIA, Measure, Part, Roadmap

# ---------------------------------------------------------------------------------------------------
# Formatting in the roadmap's language
# ---------------------------------------------------------------------------------------------------

def num(value: float, lang: str, decimals: int = 1) -> str:
    return format_number(float(value), lang, decimals)


def signed(value: float, lang: str, decimals: int = 2) -> str:
    """A change with its sign; one that rounds to zero has none.

    >>> signed(0.126, "ru"), signed(-0.0004, "en"), signed(-1234.5, "en", 0)
    ('+0,13', '0.00', '-1,234')
    """
    rounded = round(float(value), decimals) + 0.0  # + 0.0 turns -0.0 into 0.0
    text = format_number(rounded, lang, decimals)
    return "+" + text if rounded > 0 else text


def criterion_value(key: str, value: float, lang: str) -> str:
    return num(value, lang, 0) if key == "problem_regions" else num(value, lang, 3 if key == "max_min_ratio" else 4)


def class_name(unit_class: str, lang: str) -> str:
    text = t(f"class_{unit_class}", lang)
    return unit_class if text == f"class_{unit_class}" else text


def basis_name(basis: str, lang: str) -> str:
    text = t(f"basis_{basis}", lang)
    return basis if text == f"basis_{basis}" else text


def parameter_name(pid: str, lang: str) -> str:
    """A parameter of rules/directions.yaml by its name in ``lang``; the id only for one the catalogs do not name."""
    return t(f"parameter_{pid}", lang) if has_text(f"parameter_{pid}") else pid


def rule_ref(r: Roadmap, rule_id: str) -> str:
    """A roadmap rule by its number in the rules table of the document (where its id and rationale stand)."""
    numbers = {rule.id: i for i, rule in enumerate(r.rules, start=1)}
    return t("rule_ref", r.lang, number=numbers[rule_id]) if rule_id in numbers else rule_id


def parameter_value(value: float | tuple[float, ...], lang: str) -> str:
    if isinstance(value, tuple):
        return "; ".join(format_number(v, lang, 3) for v in value)
    return format_number(value, lang, 3)


def effect_text(m: Measure, lang: str) -> str:
    e = m.effect
    region = t("effect_region", lang, year=e.year, change=signed(e.grp_per_capita_change_pct, lang),
               population=signed(e.population_change, lang, 0))
    return f"{region}; {t('effect_alone', lang, change=signed(e.alone_grp_per_capita_change_pct, lang))}"


def criterion_label(key: str, lang: str) -> str:
    return {"problem_regions": t("problem_regions", lang), "max_min_ratio": t("max_min_short", lang),
            "williamson": t("williamson_short", lang), "theil_t_weighted": t("theil_short", lang)}[key]


# ---------------------------------------------------------------------------------------------------
# Composition
# ---------------------------------------------------------------------------------------------------

def compose_document(roadmap: Roadmap, charts: Sequence[Chart] = ()) -> list[Block]:
    """Every block of the roadmap document in reading order (``charts`` as images after the criteria)."""
    lang = roadmap.lang
    blocks: list[Block] = [
        Heading(1, f"{t('app_title', lang)}: {roadmap.scenario_name}"),
        Paragraph(t("document_subtitle", lang, base_year=roadmap.base_year, first=roadmap.years[0],
                    last=roadmap.years[-1]), "note"),
        Paragraph(t("indicator_on", lang, indicator=roadmap.indicator_name)),
    ]
    if has_text(f"indicator_note_{roadmap.indicator}"):
        blocks.append(Paragraph(t(f"indicator_note_{roadmap.indicator}", lang), "note"))
    blocks += _summary(roadmap)
    blocks += _diagnosis(roadmap)
    for part in roadmap.parts:
        blocks += _part(roadmap, part)
    from engine.roadmap.action_plan import action_plan_blocks  # it builds on these blocks

    blocks += action_plan_blocks(roadmap)
    blocks += _criteria(roadmap, charts)
    blocks += _priorities(roadmap)
    blocks += _assumptions(roadmap)
    blocks += _rules_and_sources(roadmap)
    return blocks


def _summary(r: Roadmap) -> list[Block]:
    lang = r.lang
    equity, efficiency = r.parts
    last = r.criteria[-1]
    values = {f"{short}_{side}": criterion_value(key, getattr(last, variant)[key], lang)
              for key, short in zip(CRITERIA, ("pr", "mm", "w", "t"), strict=True)
              for side, variant in (("base", "baseline"), ("plan", "plan"))}
    out: list[Block] = [
        Heading(2, t("summary", lang)),
        Paragraph(t("summary_budget", lang, first=r.years[0], last=r.years[-1],
                    total=num(sum(r.budget_by_year.values()), lang), allocated=num(r.total_bn, lang))),
        Paragraph(f"{t('objective', lang)}: {t(f'obj_{r.objective}', lang)}."),
        Paragraph(t("summary_parts", lang, equity=num(equity.total_bn, lang),
                    equity_pct=num(100 * r.equity_share, lang), equity_count=len(equity.measures),
                    efficiency=num(efficiency.total_bn, lang),
                    efficiency_count=len(efficiency.measures), required=num(100 * r.equity_share_required, lang))),
        Paragraph(t("summary_criteria", lang, year=last.year, **values)),
    ]
    if r.allocation_note:
        out.append(Paragraph(f"{t('allocation_note', lang)}: {r.allocation_note}", "note"))
    if r.warnings:
        out += [Heading(3, t("warnings", lang)), BulletList(tuple(r.warnings))]
    return out


def _diagnosis(r: Roadmap) -> list[Block]:
    lang = r.lang
    d = r.diagnosis
    m = d.metrics
    rows = tuple((u.region, class_name(u.unit_class, lang), num(u.grp_per_capita, lang), num(u.population, lang, 0),
                  "; ".join(u.reasons)) for u in d.units)
    return [
        Heading(2, f"{t('diagnosis', lang)} ({d.year})"),
        Paragraph(t("diagnosis_text", lang, year=d.year, ratio=num(m["max_min_ratio"], lang, 2),
                    max_region=d.max_region, min_region=d.min_region, williamson=num(m["williamson"], lang, 3),
                    theil=num(m["theil_t_weighted"], lang, 3), problems=int(m["problem_regions"]))),
        Heading(3, t("regions_and_classes", lang)),
        Table((t("region", lang), t("unit_class", lang), f"{r.indicator_name}, {t('thousand_kzt_pc', lang)}",
               t("population", lang), t("problem_region", lang)), rows, (3, 3, 2, 2, 5), ("L", "L", "R", "R", "L")),
    ]


def _part(r: Roadmap, part: Part) -> list[Block]:
    lang = r.lang
    summary = t("measures_in_part", lang, count=len(part.measures), total=num(part.total_bn, lang))
    out: list[Block] = [Heading(2, part.title), Paragraph(part.rationale), Paragraph(summary)]
    if not part.measures:
        return [*out, Paragraph(t("no_measures", lang), "note")]
    years = list(r.years)
    rows = tuple((str(i), m.region, m.direction_name, "; ".join(m.instrument_names), ", ".join(m.actor_names),
                  f"{m.start_year}–{m.end_year}", num(m.total_bn, lang), effect_text(m, lang),
                  rule_ref(r, m.rule_id))
                 for i, m in enumerate(part.measures, start=1))
    out.append(Table(("#", t("region", lang), t("direction", lang), t("instrument", lang), t("actors", lang),
                      t("years", lang), f"{t('budget', lang)}, {t('bn_kzt', lang)}", t("expected_effect", lang),
                      t("rule", lang)), rows, (1, 3, 3, 3.5, 2.5, 2, 1.8, 5, 3.2),
                     ("R", "L", "L", "L", "L", "L", "R", "L", "L")))
    budget_rows = tuple((str(i), m.region, m.direction_name, *(num(m.budget_by_year[y], lang) for y in years),
                         num(m.total_bn, lang)) for i, m in enumerate(part.measures, start=1))
    budget_rows += (("", t("total", lang), "", *(num(part.budget_by_year[y], lang) for y in years),
                     num(part.total_bn, lang)),)
    out += [Heading(3, t("budget_by_year", lang)),
            Table(("#", t("region", lang), t("direction", lang), *map(str, years), t("total", lang)), budget_rows,
                  (1, 4, 4, *([1.6] * len(years)), 1.8), ("R", "L", "L", *(["R"] * len(years)), "R"))]
    regions: dict[str, Measure] = {}
    for m in part.measures:
        regions.setdefault(m.region, m)
    kpi_rows = tuple((region, *(num(m.kpi_targets[y], lang) for y in years), num(m.kpi_baseline[years[-1]], lang))
                     for region, m in regions.items())
    out += [Heading(3, t("kpi_targets", lang)),
            Table((t("region", lang), *map(str, years), f"{t('baseline', lang)} {years[-1]}"), kpi_rows,
                  (4, *([1.6] * len(years)), 2), ("L", *(["R"] * (len(years) + 1)))),
            Paragraph(t("kpi_targets_note", lang, year=years[-1]), "note")]
    basis_rows = []
    for rule_id in sorted({m.rule_id for m in part.measures}):
        first = next(m for m in part.measures if m.rule_id == rule_id)
        basis_rows.append((rule_ref(r, rule_id), class_name(first.unit_class, lang), first.direction_name,
                           ", ".join(parameter_name(p, lang) for p in first.assumption_parameters)))
    out += [Heading(3, t("basis", lang)),
            Table((t("rule", lang), t("unit_class", lang), t("direction", lang), t("assumed_parameters", lang)),
                  tuple(basis_rows), (3, 3, 3, 6), ("L", "L", "L", "L"))]
    return out


def _criteria(r: Roadmap, charts: Sequence[Chart]) -> list[Block]:
    lang = r.lang
    years = [row.year for row in r.criteria]
    rows = []
    for key in CRITERIA:
        for variant in ("baseline", "plan"):
            rows.append((criterion_label(key, lang), t(variant, lang),
                         *(criterion_value(key, getattr(row, variant)[key], lang) for row in r.criteria)))
    out: list[Block] = [
        Heading(2, t("kpi", lang)), Paragraph(t("kpi_intro", lang)),
        Table((t("criterion", lang), "", *map(str, years)), tuple(rows), (3, 2.2, *([1.5] * len(years))),
              ("L", "L", *(["R"] * len(years)))),
    ]
    out += [Image(c.png, c.title) for c in charts]
    return out


def _priorities(r: Roadmap) -> list[Block]:
    lang = r.lang
    out: list[Block] = [Heading(2, t("priorities_title", lang))]
    for p in r.priorities:
        out.append(Heading(3, p.name))
        if not p.measure_ids:
            out.append(Paragraph(t("no_measures_priority", lang), "note"))
            continue
        items = []
        for mid in p.measure_ids:
            m = r.measure(mid)
            money = f"{num(m.total_bn, lang)} {t('bn_kzt', lang)}"
            items.append(f"{m.region} — {m.direction_name} ({t(m.part, lang)}), {money}")
        out.append(BulletList(tuple(items)))
    return out


def _assumptions(r: Roadmap) -> list[Block]:
    lang = r.lang
    rows = tuple((parameter_name(p.id, lang), parameter_value(p.value, lang),
                  "" if p.low is None or p.high is None else f"{num(p.low, lang, 3)}–{num(p.high, lang, 3)}",
                  p.unit, basis_name(p.basis, lang), t("yes", lang) if p.overridden else "", p.source)
                 for p in r.assumptions)
    return [Heading(2, t("assumptions", lang)), Paragraph(t("assumptions_intro", lang)),
            Table((t("parameter", lang), t("value", lang), t("range", lang), t("unit_of_measure", lang),
                   t("basis", lang), t("overridden", lang), t("source", lang)), rows, (3.2, 1.6, 1.8, 3, 1.6, 1.4, 6),
                  ("L", "R", "R", "L", "L", "L", "L"))]


def _rules_and_sources(r: Roadmap) -> list[Block]:
    lang = r.lang
    # the number the other tables refer to, and the id the rules file gives the rule
    rows = tuple((t("rule_ref", lang, number=i), rule.id, class_name(rule.unit_class, lang), t(rule.direction, lang),
                  t(rule.part, lang), rule.rationale) for i, rule in enumerate(r.rules, start=1))
    return [Heading(2, t("roadmap_rules", lang)),
            Table(("#", t("rule", lang), t("unit_class", lang), t("direction", lang), t("part", lang),
                   t("basis", lang)), rows, (1.2, 3, 2.5, 3, 2.2, 6), ("L", "L", "L", "L", "L", "L")),
            Heading(2, t("sources", lang)), Paragraph(t("sources_note", lang), "note"),
            BulletList(tuple(f"{s.title}: {s.text}" for s in r.sources), numbered=True)]


# ---------------------------------------------------------------------------------------------------
# Markdown
# ---------------------------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


def escape_markdown(text: str) -> str:
    r"""Text shown literally in Markdown: no links, HTML, emphasis or table breaks from user input.

    >>> escape_markdown("[x](javascript:alert(1)) | <b>")
    '\\[x\\](javascript:alert(1)) \\| \\<b\\>'
    """
    return _MD_SPECIAL.sub(r"\\\1", str(text)).replace("\r", " ").replace("\n", " ")


def render_markdown(blocks: Sequence[Block]) -> str:
    """The blocks as GitHub-flavoured Markdown (images are left out: Markdown cannot carry them inline)."""
    lines: list[str] = []
    for block in blocks:
        if isinstance(block, Heading):
            lines += ["#" * block.level + " " + escape_markdown(block.text), ""]
        elif isinstance(block, Paragraph):
            text = escape_markdown(block.text)
            lines += [f"*{text}*" if block.kind == "note" else text, ""]
        elif isinstance(block, BulletList):
            lines += [(f"{i}. " if block.numbered else "- ") + escape_markdown(item)
                      for i, item in enumerate(block.items, start=1)]
            lines.append("")
        elif isinstance(block, Table):
            lines.append("| " + " | ".join(escape_markdown(h) or " " for h in block.header) + " |")
            lines.append("|" + "|".join("---:" if a == "R" else "---" for a in _align(block)) + "|")
            lines += ["| " + " | ".join(escape_markdown(c) for c in row) + " |" for row in block.rows]
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _align(table: Table) -> tuple[str, ...]:
    return table.align or tuple("L" for _ in table.header)
