"""One-off: write the labels of engine/core/i18n.py's ``_TEXT`` (key -> (kk, ru, en)) as gettext catalogs.

Run once, when ``t()`` moved to the catalogs: ``python scripts/text_to_po.py`` writes
engine/locale/<lang>/LC_MESSAGES/messages.po for kk, ru and en (message id = the key) and
engine/core/message_ids.py, the one place that declares the ids code builds at run time (``t(f"basis_{b}")``),
so ``pybabel extract`` finds every id. Entries already in a catalog are kept; keys new in ``_TEXT`` are added.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from engine.core.i18n_catalog import KEYWORDS, LOCALE_DIR, PLURAL_FORMS, catalog_path  # noqa: E402


def literal_ids() -> set[str]:
    found: set[str] = set()
    for folder in ("engine", "ui"):
        for _file, _line, message, _comments, _context in extract_from_dir(
                ROOT / folder, [("**.py", "python")], keywords=KEYWORDS):
            if not _file.endswith("message_ids.py"):  # the declarations this script writes
                found.add(message[0] if isinstance(message, tuple) else message)
    for _file, _line, message, _comments, _context in extract_from_dir(
            ROOT, [("streamlit_app.py", "python")], keywords=KEYWORDS):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


def main() -> None:
    from engine.core.i18n import _TEXT

    for index, lang in enumerate(("kk", "ru", "en")):
        path = catalog_path(lang)
        if path.exists():
            with path.open("rb") as handle:
                catalog = read_po(handle, locale=lang)
        else:
            catalog = Catalog(locale=lang, project="kz-regional-roadmap", domain="messages")
        catalog.plural_forms  # noqa: B018 - the locale's plural rule is read before the header is written
        catalog._num_plurals, catalog._plural_expr = PLURAL_FORMS[lang]
        catalog.fuzzy = False  # the header is ours, not a machine's guess
        catalog.project, catalog.version = "kz-regional-roadmap", "0.1.0"
        catalog.copyright_holder, catalog.msgid_bugs_address = "kz-regional-roadmap", ""
        for key, texts in _TEXT.items():
            if key not in catalog:
                catalog.add(key, texts[index])
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as handle:
            write_po(handle, catalog, width=120, omit_header=False, sort_output=False)
    from engine.core.message_ids import DYNAMIC_IDS  # ids declared before: kept, so a rerun only adds

    dynamic = sorted((set(_TEXT) | set(DYNAMIC_IDS)) - literal_ids())
    lines = ['"""Message ids that code builds at run time (``t(f"basis_{basis}")``, ``t(direction)``), declared here',
             'so that ``pybabel extract`` (and the catalog test) finds them. ``N_`` marks an id and returns it."""',
             "", "", "def N_(message: str) -> str:  # noqa: N802 - the gettext convention", "    return message",
             "", "", "DYNAMIC_IDS = ("]
    lines += [f"    N_({key!r})," for key in dynamic] + [")", ""]
    (ROOT / "engine/core/message_ids.py").write_text("\n".join(lines), encoding="utf-8")
    print(f"{len(_TEXT)} ids, {len(dynamic)} of them built at run time, in {LOCALE_DIR}")


if __name__ == "__main__":
    main()
