"""The What-if page in a real browser: the time from a budget edit to the new figures on screen.

The app is started as ``make run`` starts it (:mod:`bench.app_server`) and driven in Debian's Chromium
(``/usr/bin/chromium``, headless) by Playwright. The page opens on the default scenario; then the yearly
budget is set to each of :data:`BUDGETS` in turn (each new, so no cached result answers) and the time is taken
from the Enter key to the moment the spending metric shows the new total (6 years x the budget). Goal
(issue 18): a median under 1 s. Run by ``python -m bench whatif``; figures in ``bench/results/whatif.json``.
"""

from __future__ import annotations

import re
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.app_server import running_app

CHROMIUM = Path("/usr/bin/chromium")
BUDGETS = (610, 620, 630, 640, 650, 660, 670, 680, 690, 700)
GOAL_S = 1.0
WAIT_MS = 120_000


def run(repeats: int = len(BUDGETS)) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    from engine.core.i18n import format_number, t

    budgets = [BUDGETS[i % len(BUDGETS)] + 1000 * (i // len(BUDGETS)) for i in range(repeats)]
    times: list[float] = []
    with tempfile.TemporaryDirectory() as folder, running_app(Path(folder)) as (url, _), sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                     args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        page = browser.new_page()
        page.set_default_timeout(WAIT_MS)
        started = time.perf_counter()
        page.goto(f"{url}/whatif?lang=en")
        _metric(page, format_number(3000, "en", 0)).wait_for()
        first_s = time.perf_counter() - started
        budget = page.get_by_label(t("budget_per_year", "en"))
        for value in budgets:
            budget.fill(str(value))
            began = time.perf_counter()
            budget.press("Enter")
            _metric(page, format_number(6 * value, "en", 0)).wait_for()
            times.append(time.perf_counter() - began)
        browser.close()
    median = statistics.median(times)
    return {"page": "whatif", "first_figures_s": round(first_s, 3),
            "edit_to_figures": {"median_s": round(median, 3), "min_s": round(min(times), 3),
                                "max_s": round(max(times), 3), "runs": len(times)},
            "times_s": [round(x, 3) for x in times], "goal_median_s": GOAL_S, "goal_met": median <= GOAL_S,
            "method": "Enter in the budget field to the spending metric showing the new 6-year total, each budget "
                      "new (no cached result), one browser tab, the default scenario"}


def _metric(page: Any, text: str) -> Any:
    return page.locator("[data-testid='stMetricValue']").filter(has_text=re.compile(rf"^\s*{re.escape(text)}\s*$"))


def summary(figures: dict[str, Any]) -> str:
    e = figures["edit_to_figures"]
    return (f"What-if page: first figures {figures['first_figures_s']:.2f} s; edit to new figures median "
            f"{e['median_s']:.2f} s (min {e['min_s']:.2f}, max {e['max_s']:.2f}, {e['runs']} edits); goal "
            f"{figures['goal_median_s']:.1f} s: {'met' if figures['goal_met'] else 'not met'}")
