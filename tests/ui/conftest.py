"""AppTest fixtures: run the real app script from the repository root."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from ui.keys import Key

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def app(monkeypatch) -> AppTest:
    monkeypatch.chdir(ROOT)
    return AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=90)


@pytest.fixture
def open_page(app):
    """A function that opens one page of ``app`` in a language (chosen in the sidebar first)."""
    def opened(page: str, lang: str = "en") -> AppTest:
        app.run()
        app.sidebar.selectbox(key=Key.LANG).set_value(lang).run()
        app.switch_page(page).run()
        return app
    return opened
