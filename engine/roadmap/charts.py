"""Charts of a roadmap as PNG bytes (matplotlib, Agg back end, DejaVu Sans for the Kazakh letters).

The figures are drawn in memory, without a display, with the labels in the roadmap's language, and
without a timestamp in the file, so the same roadmap gives the same bytes.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402 - after choosing the back end
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import FuncFormatter, MaxNLocator  # noqa: E402

from engine.core.i18n import format_value, t  # noqa: E402
from engine.roadmap.result import Roadmap  # noqa: E402

BASELINE_COLOUR, PLAN_COLOUR = "#8c8c8c", "#1f5fa8"
PART_COLOURS = {"equity": "#2e8b57", "efficiency": "#d2691e"}


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    png: bytes


def font_path(bold: bool = False) -> Path:
    """A TTF with every Kazakh letter: matplotlib's bundled DejaVu Sans, else Debian's fonts-dejavu-core."""
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    candidates = [Path(matplotlib.get_data_path()) / "fonts" / "ttf" / name,
                  Path("/usr/share/fonts/truetype/dejavu") / name]
    for path in candidates:
        if path.is_file():
            return path
    raise FileNotFoundError(f"{name} not found in {', '.join(str(c.parent) for c in candidates)}")


def render_charts(roadmap: Roadmap) -> list[Chart]:
    """The criteria by year, the allocation by region and part, and the effect by region at the horizon."""
    with plt.rc_context({"font.family": "DejaVu Sans", "font.size": 8, "svg.hashsalt": "roadmap"}):
        return [_criteria_chart(roadmap), _allocation_chart(roadmap), _effect_chart(roadmap)]


def _png(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=150, bbox_inches="tight", metadata={"Software": None})
    plt.close(fig)
    return buffer.getvalue()


def _numbers(axis, lang: str) -> None:  # noqa: ANN001 - a matplotlib axis
    """Tick labels of a value axis with the language's decimal sign and thousands separator."""
    axis.set_major_formatter(FuncFormatter(lambda value, _: format_value(value, lang, sig=6)))


def _chart(key: str, title: str, fig: Figure, set_title: Callable[[str], object]) -> Chart:
    """``fig`` titled (on the whole figure or on its one plot, as ``set_title`` does), laid out, as PNG."""
    set_title(title)
    fig.tight_layout()
    return Chart(key, title, _png(fig))


def _criteria_chart(roadmap: Roadmap) -> Chart:
    lang = roadmap.lang
    years = [row.year for row in roadmap.criteria]
    fig, axes = plt.subplots(2, 2, figsize=(7.5, 5.0))
    labels = {"problem_regions": t("problem_regions", lang), "max_min_ratio": t("max_min_short", lang),
              "williamson": t("williamson_short", lang), "theil_t_weighted": t("theil_short", lang)}
    for ax, (key, label) in zip(axes.flat, labels.items(), strict=True):
        ax.plot(years, [r.baseline[key] for r in roadmap.criteria], color=BASELINE_COLOUR, linestyle="--",
                marker="o", markersize=3, label=t("baseline", lang))
        ax.plot(years, [r.plan[key] for r in roadmap.criteria], color=PLAN_COLOUR, marker="o", markersize=3,
                label=t("plan", lang))
        ax.set_title(label)
        _numbers(ax.yaxis, lang)
        if key == "problem_regions":
            ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_xticks(years)
        ax.tick_params(axis="x", labelrotation=45)
        ax.grid(alpha=0.3)
    axes.flat[0].legend(loc="best")
    return _chart("criteria", t("criteria_by_year", lang), fig, fig.suptitle)


def _allocation_chart(roadmap: Roadmap) -> Chart:
    lang = roadmap.lang
    totals: dict[str, dict[str, float]] = {}
    for m in roadmap.measures:
        totals.setdefault(m.region, {"equity": 0.0, "efficiency": 0.0})[m.part] += m.total_bn
    regions = sorted(totals, key=lambda r: sum(totals[r].values()))
    fig, ax = plt.subplots(figsize=(7.5, max(2.5, 0.28 * len(regions) + 1.0)))
    left = [0.0] * len(regions)
    for part in ("equity", "efficiency"):
        values = [totals[r][part] for r in regions]
        ax.barh(regions, values, left=left, color=PART_COLOURS[part], label=t(part, lang))
        left = [a + b for a, b in zip(left, values, strict=True)]
    ax.set_xlabel(t("bn_kzt", lang))
    _numbers(ax.xaxis, lang)
    ax.legend(loc="lower right")
    ax.grid(axis="x", alpha=0.3)
    return _chart("allocation", t("chart_allocation", lang), fig, ax.set_title)


def _effect_chart(roadmap: Roadmap) -> Chart:
    lang = roadmap.lang
    year = roadmap.horizon_year
    effects: dict[str, float] = {}
    for m in roadmap.measures:
        effects[m.region] = m.effect.grp_per_capita_change_pct
    regions = sorted(effects, key=lambda r: effects[r])
    fig, ax = plt.subplots(figsize=(7.5, max(2.5, 0.28 * len(regions) + 1.0)))
    ax.barh(regions, [effects[r] for r in regions],
            color=[PLAN_COLOUR if effects[r] >= 0 else "#b22222" for r in regions])
    ax.axvline(0, color="black", linewidth=0.8)
    _numbers(ax.xaxis, lang)
    ax.grid(axis="x", alpha=0.3)
    return _chart("effect", t("chart_effect", lang, year=year), fig, ax.set_title)
