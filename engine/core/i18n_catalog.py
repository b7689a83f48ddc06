"""Where the gettext catalogs live and how they are read: engine/locale/<lang>/LC_MESSAGES/messages.po.

The catalogs are read with Babel at run time (``make locale`` also compiles them to .mo as a check); a
message id is a key such as ``page_data``, and the English catalog holds the English text.
"""

from __future__ import annotations

import gettext
from functools import cache
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parents[1] / "locale"
DOMAIN = "messages"
#: the functions ``pybabel extract`` reads message ids from: t(id), tn(id, plural id, n), N_(id), Text(id),
#: problem(file, id) (engine.core.errors), YamlProblem(id) (engine.core.yamlio), explain(kind, id) and
#: Explanation(kind, text, id) (the optimizer's explanations); the Makefile's ``locale`` target passes the same list
KEYWORDS = {"t": None, "tn": (1, 2), "N_": None, "Text": None, "problem": (2,), "YamlProblem": None,
            "explain": (2,), "Explanation": (3,)}
#: gettext plural rules (CLDR): Kazakh and English two forms, Russian three
PLURAL_FORMS = {
    "kk": (2, "(n != 1)"),
    "en": (2, "(n != 1)"),
    "ru": (3, "(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2)"),
}


def catalog_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def read_catalog(lang: str):  # noqa: ANN201 - a babel Catalog
    """The catalog of ``lang`` as Babel reads it (read once per process)."""
    from babel.messages.pofile import read_po

    with catalog_path(lang).open("rb") as handle:
        return read_po(handle, locale=lang, domain=DOMAIN)


@cache
def messages(lang: str) -> dict[str, str | tuple[str, ...]]:
    """Message id -> its text (or its plural forms) in ``lang``, leaving out empty and fuzzy entries."""
    out: dict[str, str | tuple[str, ...]] = {}
    for message in read_catalog(lang):
        if not message.id or message.fuzzy:
            continue
        key = message.id[0] if isinstance(message.id, tuple) else message.id
        text = tuple(message.string) if isinstance(message.string, tuple | list) else message.string
        if text and (isinstance(text, str) or all(text)):
            out[key] = text
    return out


@cache
def _plural_rule(lang: str):  # noqa: ANN202 - the catalog's Plural-Forms expression as a function of n
    return gettext.c2py(read_catalog(lang).plural_expr)


def plural_index(lang: str, count: int) -> int:
    """Which plural form ``count`` takes in ``lang``, by the catalog's own Plural-Forms rule."""
    return int(_plural_rule(lang)(abs(int(count))))
