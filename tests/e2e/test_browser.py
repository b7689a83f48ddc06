"""End to end in a real browser: the app started as ``make run`` starts it, Debian's chromium driven by playwright.

A planner opens the what-if page, changes the yearly budget and sees the new plan, switches the language to
Kazakh, opens the roadmap and downloads it as XLSX; the file opens with openpyxl and speaks Kazakh.
No browser is downloaded: the test is skipped, saying why, when /usr/bin/chromium or playwright is missing
(``make test`` installs chromium through scripts/system-deps.sh).
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import openpyxl
import pytest

from engine.core.i18n import t

CHROMIUM = Path("/usr/bin/chromium")
WAIT_MS = 120_000

sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
if not CHROMIUM.exists():
    pytest.skip(f"no browser at {CHROMIUM}: install Debian's chromium (make test does, through "
                "scripts/system-deps.sh)", allow_module_level=True)


def metric_value(page, text: str):
    return page.locator("[data-testid='stMetricValue']").filter(has_text=re.compile(rf"^\s*{re.escape(text)}\s*$"))


def test_budget_language_and_roadmap_download(app_url, browser, tmp_path):
    page = browser.new_page(accept_downloads=True)
    page.set_default_timeout(WAIT_MS)
    page.goto(f"{app_url}/whatif?lang=en")
    metric_value(page, "3,000").wait_for()  # the default plan: 500 bn a year for 2025-2030

    budget = page.get_by_label(t("budget_per_year", "en"))
    budget.fill("800")
    changed = time.perf_counter()
    budget.press("Enter")
    metric_value(page, "4,800").wait_for()
    print(f"what-if: new plan on screen {time.perf_counter() - changed:.2f} s after the change")
    assert page.get_by_text(t("status_optimal", "en")).is_visible()

    page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").first.click()
    page.get_by_role("option", name="Қазақша").click()
    page.get_by_role("heading", name=t("page_whatif", "kk")).wait_for()
    metric_value(page, "4\u00a0800").wait_for()  # the same plan, numbers written the Kazakh way

    page.locator("[data-testid='stSidebarNav']").get_by_text(t("page_roadmap", "kk")).click()
    button = page.get_by_role("button", name=t("download_format", "kk", fmt="XLSX"))
    button.wait_for()
    with page.expect_download() as download:
        button.click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)

    assert saved.name.endswith("_kk.xlsx")
    book = openpyxl.load_workbook(saved, read_only=True)
    cells = " ".join(str(c) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)
                     for c in row if c is not None)
    assert t("part_equity_title", "kk") in cells
    assert "4\u00a0800" in cells or "4800" in cells  # the plan of the new budget, not the default one
    page.close()
