"""Every page in Kazakh and Russian, in a real browser: no raw message id and no untranslated English sentence.

Each page of the app is opened with ``?lang=kk`` and ``?lang=ru``; every tab is opened and every expander
unfolded, and the text on screen is checked by tests/e2e/english.py (citations and proper names allowed); the
file uploader's text while a file is dragged over it is checked with a drag started by hand.
Skipped, saying why, without /usr/bin/chromium or playwright, as tests/e2e/test_browser.py is.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from engine.core.i18n import t
from tests.e2e.english import english_runs, raw_ids

CHROMIUM = Path("/usr/bin/chromium")
WAIT_MS = 120_000
PAGES = {"data": "page_data", "diagnosis": "page_diagnosis", "whatif": "page_whatif", "frontier": "page_frontier",
         "robustness": "page_robustness", "roadmap": "page_roadmap", "scenarios": "page_scenarios",
         "monitoring": "page_monitoring", "workshop_participant": "page_ws_participant",
         "workshop_facilitator": "page_ws_facilitator"}

sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
if not CHROMIUM.exists():
    pytest.skip(f"no browser at {CHROMIUM}: install Debian's chromium (make test does, through "
                "scripts/system-deps.sh)", allow_module_level=True)


def settled(page) -> None:  # noqa: ANN001 - a playwright page
    """Wait until the script has finished running (Streamlit's status widget shows nothing)."""
    time.sleep(0.5)
    page.wait_for_function(
        "() => !document.querySelector(\"[data-testid='stStatusWidget']\") "
        "&& !document.querySelector(\"[data-testid='stSpinner']\")", timeout=WAIT_MS)
    time.sleep(0.3)


def screen_text(page) -> str:  # noqa: ANN001
    """What the planner reads, leaving out code blocks (a scenario's YAML is the file format a planner edits)."""
    return page.evaluate("""() => {
        const copy = document.querySelector("[data-testid='stApp']").cloneNode(true);
        copy.querySelectorAll("[data-testid='stCode']").forEach(e => e.remove());
        document.body.appendChild(copy);  // innerText needs the copy laid out
        const text = copy.innerText;
        copy.remove();
        return text;
    }""")


def unfold(page, lang: str) -> None:  # noqa: ANN001
    """Open every closed expander but the dataset's list of sources (a bibliography: it cites in the language of
    the sources)."""
    for _ in range(20):  # a click may rerun the script and redraw the page: look again after each one
        try:
            closed = [s for s in page.locator("[data-testid='stMain'] [data-testid='stExpander'] "
                                              "details:not([open]) summary").all()
                      if t("sources", lang) not in s.inner_text(timeout=5_000)]
            if not closed:
                return
            closed[0].click(timeout=5_000)
        except sync_api.TimeoutError:  # the expander was redrawn while we looked: look again
            pass
        settled(page)


def walk(page, lang: str) -> list[str]:  # noqa: ANN001
    """The text of the page with each tab open in turn and every expander unfolded."""
    texts = []
    unfold(page, lang)
    settled(page)
    texts.append(screen_text(page))
    tabs = page.locator("[data-testid='stMain'] [role='tab']")
    for index in range(tabs.count()):
        tabs.nth(index).click()
        settled(page)
        unfold(page, lang)
        settled(page)
        texts.append(screen_text(page))
    return texts


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_every_page_speaks_the_language(app_url, browser, lang):
    page = browser.new_page()
    page.set_default_timeout(WAIT_MS)
    found: dict[str, list[str]] = {}
    for path, title in PAGES.items():
        page.goto(f"{app_url}/{path}?lang={lang}")
        page.get_by_role("heading", name=t(title, lang)).first.wait_for()
        settled(page)
        for text in walk(page, lang):
            # the language menu names every language in its own words; "English" is one of them
            text = text.replace("English", "")
            wrong = [f"id: {i}" for i in raw_ids(text)] + [f"English: {r}" for r in english_runs(text)]
            if wrong:
                found.setdefault(path, [])
                found[path] += [w for w in wrong if w not in found[path]]
    page.close()
    assert found == {}, "\n".join(f"{path}: {w}" for path, words in found.items() for w in words)


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_file_uploader_speaks_the_language_while_a_file_is_dragged(app_url, browser, lang):
    """Streamlit's uploader writes "Drag and drop a file here" in a box it lays over the dropzone only while a
    file is dragged over it, so the walk above never sees it: a drag is started by hand (the events a browser
    sends, carrying a file) and the box's own text must be hidden and the catalog's words drawn instead."""
    page = browser.new_page()
    page.set_default_timeout(WAIT_MS)
    page.goto(f"{app_url}/data?lang={lang}")
    page.get_by_role("heading", name=t("page_data", lang)).first.wait_for()
    settled(page)
    zone = page.locator("[data-testid='stFileUploaderDropzone']").first
    dragged = page.evaluate_handle("() => { const d = new DataTransfer();"
                                   " d.items.add(new File(['x'], 'table.csv', {type: 'text/csv'})); return d; }")
    zone.dispatch_event("dragenter", {"dataTransfer": dragged})
    zone.dispatch_event("dragover", {"dataTransfer": dragged})
    box = zone.locator(":scope > div:not([data-testid]) > span")
    box.wait_for()
    style = box.evaluate("e => ({size: getComputedStyle(e).fontSize, after: getComputedStyle(e, '::after').content})")
    # the built-in words are still in the page (so innerText has them) but drawn at no size
    assert style == {"size": "0px", "after": f'"{t("uploader_drop", lang)}"'}
    drawn = style["after"].strip('"')
    assert raw_ids(drawn) == [] and english_runs(drawn) == []
    shown = zone.evaluate("""e => [...e.querySelectorAll("[data-testid='stFileUploaderDropzoneInstructions'] > *,"
                                                         + " button > *")]
                                  .filter(c => getComputedStyle(c).display !== 'none').map(c => c.innerText)""")
    assert shown == []  # the button's and the limit's built-in words are not displayed either
    page.close()
