"""The roadmap as the action plan a ministry signs: measures with form of completion, deadline, executors,
planned spending and financing source, and each measure's KPI.

Each measure of the roadmap (all the spending on one direction in one unit) becomes one action per instrument
its roadmap rule names (``rules/roadmap.yaml``), its money split equally over them, as the response model
spreads a direction's spending over its instruments (:func:`engine.model.simulate.actor_graph_density`).
Executors, forms of completion and financing sources come from ``rules/executors.yaml``; the private share
of the interaction direction is the co-financing ratio in force (``co_financing_ratio`` of
``rules/directions.yaml``, or the scenario's override). Actions are numbered within each part: I.1, I.2, ...
for Part I (equity), II.1, ... for Part II (efficiency).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from engine.core.executors import Executors, default_executors
from engine.core.i18n import format_number, t
from engine.roadmap.result import Roadmap

PART_NUMERALS = {"equity": "I", "efficiency": "II"}
QUARTER_NUMERALS = {1: "I", 2: "II", 3: "III", 4: "IV"}
CO_FINANCING = "co_financing_ratio"


@dataclass(frozen=True)
class Action:
    number: str
    part: str
    measure_id: str
    unit_id: str
    region: str
    direction: str
    instrument: str
    name: str
    form: str
    deadline_year: int
    deadline_quarter: int
    deadline: str
    executors: tuple[str, ...]  # the akimat first, then the ministries (the leading one first)
    budget_by_year: Mapping[int, float]
    cost_bn: float
    financing: tuple[str, ...]  # ids of rules/executors.yaml financing
    private_bn: float  # modelled private co-financing on top of the public cost (0 without a private source)
    financing_text: str
    executors_basis: str  # sourced | assumption
    kpi_indicator: str
    kpi_baseline_year: int
    kpi_baseline: float
    kpi_targets: Mapping[int, float]

    @property
    def executors_text(self) -> str:
        return ", ".join(self.executors)


@dataclass(frozen=True)
class ActionPlan:
    lang: str
    columns: tuple[str, ...]
    parts: tuple[tuple[str, str, tuple[Action, ...]], ...]  # (part id, title, actions)
    abbreviations: tuple[tuple[str, str], ...]  # (short name, full name) of every ministry named
    co_financing_ratio: float | None
    years: tuple[int, ...]

    @property
    def actions(self) -> tuple[Action, ...]:
        return tuple(a for _, _, actions in self.parts for a in actions)


def columns(lang: str) -> tuple[str, ...]:
    """The seven columns of the government form in ``lang``."""
    return (t("ap_col_number", lang), t("ap_col_name", lang), t("ap_col_form", lang), t("ap_col_deadline", lang),
            t("ap_col_executors", lang), t("ap_col_cost", lang), t("ap_col_financing", lang))


def deadline_text(first: int, last: int, quarter: int, lang: str) -> str:
    q = str(quarter) if lang == "en" else QUARTER_NUMERALS[quarter]  # Q4 in English, IV квартал, IV тоқсан
    if first == last:
        return t("ap_deadline_once", lang, quarter=q, year=str(last))
    return t("ap_deadline_yearly", lang, quarter=q, first=str(first), last=str(last))


def _co_financing(roadmap: Roadmap) -> float | None:
    found = next((p for p in roadmap.assumptions if p.id == CO_FINANCING), None)
    return None if found is None or isinstance(found.value, tuple) else float(found.value)


def build_action_plan(roadmap: Roadmap, executors: Executors | None = None) -> ActionPlan:
    """The action plan of ``roadmap`` in its language."""
    rules = executors or default_executors()
    lang = roadmap.lang
    ratio = _co_financing(roadmap)
    baseline = {u.unit_id: u.grp_per_capita for u in roadmap.diagnosis.units}
    named: dict[str, str] = {}
    parts = []
    for part in roadmap.parts:
        numeral = PART_NUMERALS.get(part.id, part.id)
        actions: list[Action] = []
        for m in part.measures:
            spec = rules.directions[m.direction]
            ministries = [rules.ministries[mid] for mid in spec.ministries]
            for ministry in ministries:
                named[ministry.short[lang]] = ministry.names[lang]
            people = (rules.akimat_name(m.region, lang), *(x.short[lang] for x in ministries))
            instruments = list(zip(m.instruments, m.instrument_names, strict=True)) or [(m.direction, m.direction_name)]
            share = 1.0 / len(instruments)
            for instrument, instrument_name in instruments:
                by_year = {y: v * share for y, v in m.budget_by_year.items()}
                cost = float(sum(by_year.values()))
                private = cost * ratio if "private" in spec.financing and ratio is not None else 0.0
                actions.append(Action(
                    number=f"{numeral}.{len(actions) + 1}", part=part.id, measure_id=m.id, unit_id=m.unit_id,
                    region=m.region, direction=m.direction, instrument=instrument,
                    name=t("ap_measure_name", lang, instrument=instrument_name, region=m.region,
                           direction=m.direction_name),
                    form=rules.form_name(instrument, lang) if instrument in rules.instruments
                    else t("ap_form_default", lang),
                    deadline_year=m.end_year, deadline_quarter=rules.deadline_quarter,
                    deadline=deadline_text(m.start_year, m.end_year, rules.deadline_quarter, lang),
                    executors=people, budget_by_year=by_year, cost_bn=cost, financing=spec.financing,
                    private_bn=private, financing_text=_financing_text(rules, spec.financing, private, ratio, lang),
                    executors_basis=spec.basis, kpi_indicator=roadmap.indicator_name,
                    kpi_baseline_year=roadmap.base_year, kpi_baseline=float(baseline.get(m.unit_id, float("nan"))),
                    kpi_targets=dict(m.kpi_targets)))
        parts.append((part.id, part.title, tuple(actions)))
    return ActionPlan(lang, columns(lang), tuple(parts), tuple(sorted(named.items())), ratio, tuple(roadmap.years))


def _financing_text(rules: Executors, sources: tuple[str, ...], private: float, ratio: float | None,
                    lang: str) -> str:
    public = [rules.financing[s][lang] for s in sources if s != "private"]
    text = ", ".join(public)
    if "private" in sources and ratio is not None:
        text += "; " + t("ap_private", lang, name=rules.financing["private"][lang],
                         ratio=format_number(ratio, lang, 2), amount=format_number(private, lang, 1))
    return text[:1].upper() + text[1:]


def cost_text(action: Action, lang: str) -> str:
    return f"{format_number(action.cost_bn, lang, 1)} {t('bn_kzt', lang)}"


def action_row(action: Action, lang: str) -> tuple[str, ...]:
    """The seven cells of one action as text (the documents' row)."""
    return (action.number, action.name, action.form, action.deadline, action.executors_text,
            cost_text(action, lang), action.financing_text)


# ---------------------------------------------------------------------------------------------------
# The documents: blocks for DOCX, PDF and Markdown, a worksheet, and JSON
# ---------------------------------------------------------------------------------------------------

def action_plan_blocks(roadmap: Roadmap) -> list[Any]:
    """The action plan as blocks of :mod:`engine.roadmap.document`: one seven-column table per part, the KPI
    of each action, and the abbreviations."""
    from engine.roadmap.blocks import BulletList, Heading, Paragraph, Table

    plan = build_action_plan(roadmap)
    lang = plan.lang
    years = list(plan.years)
    widths, align = (1.1, 5.2, 3, 2.6, 3.6, 2, 3.8), ("L", "L", "L", "L", "L", "R", "L")
    blocks: list[Any] = [Heading(2, t("ap_title", lang)), Paragraph(t("ap_intro", lang), "note")]
    for _, title, actions in plan.parts:
        blocks.append(Heading(3, title))
        if not actions:
            blocks.append(Paragraph(t("no_measures", lang), "note"))
            continue
        blocks.append(Table(plan.columns, tuple(action_row(a, lang) for a in actions), widths, align))
        kpi_rows = tuple((a.number, a.region, format_number(a.kpi_baseline, lang, 1),
                          *(format_number(a.kpi_targets[y], lang, 1) for y in years)) for a in actions)
        baseline_head = f"{t('ap_baseline_value', lang)} {roadmap.base_year}"
        blocks += [Paragraph(t("ap_kpi_caption", lang, indicator=roadmap.indicator_name, year=roadmap.base_year)),
                   Table((t("ap_col_number", lang), t("region", lang), baseline_head,
                          *map(str, years)), kpi_rows, (1.1, 4, 2, *([1.6] * len(years))),
                         ("L", "L", "R", *(["R"] * len(years))))]
    if plan.abbreviations:
        blocks += [Paragraph(t("ap_abbreviations", lang)),
                   BulletList(tuple(f"{short} — {full}" for short, full in plan.abbreviations))]
    return blocks


def write_action_plan_sheet(sheet: Any, roadmap: Roadmap) -> None:
    """The action-plan worksheet: the seven columns of the form, then each action's yearly spending, private
    co-financing and KPI (``sheet`` is :class:`engine.roadmap.sheets._Sheet`)."""
    plan = build_action_plan(roadmap)
    lang = plan.lang
    years = list(plan.years)
    sheet.write_row([t("ap_title", lang)])
    sheet.write_row([t("ap_cost_unit", lang)])
    sheet.blank()
    sheet.header([*plan.columns, t("part", lang), t("measure", lang),
                  *(f"{t('budget', lang)} {y}" for y in years), t("ap_private_column", lang),
                  t("ap_executors_basis", lang), t("indicator", lang),
                  f"{t('ap_baseline_value', lang)} {roadmap.base_year}",
                  *(f"KPI {y}" for y in years)])
    for a in plan.actions:
        sheet.write_row([a.number, a.name, a.form, a.deadline, a.executors_text, a.cost_bn, a.financing_text,
                         t(a.part, lang), a.measure_id, *(a.budget_by_year.get(y, 0.0) for y in years), a.private_bn,
                         t("basis_assumption", lang) if a.executors_basis == "assumption" else t("basis_sourced", lang),
                         a.kpi_indicator, a.kpi_baseline, *(a.kpi_targets[y] for y in years)])
    if not plan.actions:
        sheet.write_row([t("no_measures", lang)])
    sheet.blank()
    if plan.abbreviations:
        sheet.write_row([t("ap_abbreviations", lang)])
        for short, full in plan.abbreviations:
            sheet.write_row([short, full])
    sheet.finish()


def action_plan_json(roadmap: Roadmap) -> dict[str, Any]:
    plan = build_action_plan(roadmap)
    return {
        "columns": list(plan.columns), "co_financing_ratio": plan.co_financing_ratio,
        "abbreviations": {short: full for short, full in plan.abbreviations},
        "actions": [{
            "number": a.number, "part": a.part, "measure_id": a.measure_id, "unit_id": a.unit_id, "region": a.region,
            "direction": a.direction, "instrument": a.instrument, "name": a.name, "form_of_completion": a.form,
            "deadline": {"year": a.deadline_year, "quarter": a.deadline_quarter, "text": a.deadline},
            "executors": list(a.executors), "executors_basis": a.executors_basis,
            "cost_bn_kzt": a.cost_bn, "budget_bn_kzt": {str(y): v for y, v in sorted(a.budget_by_year.items())},
            "financing": list(a.financing), "private_co_financing_bn_kzt": a.private_bn,
            "financing_text": a.financing_text,
            "kpi": {"indicator": roadmap.indicator, "indicator_name": a.kpi_indicator,
                    "baseline_year": a.kpi_baseline_year, "baseline": a.kpi_baseline,
                    "targets": {str(y): v for y, v in sorted(a.kpi_targets.items())}},
        } for a in plan.actions],
    }
