"""Labels in Kazakh, Russian and English, and numbers written the way each language writes them.

The words live in gettext catalogs, engine/locale/<lang>/LC_MESSAGES/messages.po (engine.core.i18n_catalog),
managed with Babel (``make locale``); the app and every export take them from here through :func:`t` and
:func:`tn`, so a planner who switches language sees the same terms everywhere. A message id no catalog has
shows the English entry, then the id itself; tests/core/test_catalogs.py fails on either.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field

from engine.core.i18n_catalog import messages, plural_index

LANGUAGES = ("kk", "ru", "en")
LANGUAGE_NAMES = {"kk": "Қазақша", "ru": "Русский", "en": "English"}






#: Labels added here while the catalogs are being edited elsewhere are still shown; scripts/text_to_po.py
#: moves them into the catalogs (and the catalog test fails until it has).
_TEXT: dict[str, tuple[str, str, str]] = {}


class _Values(string.Formatter):
    """``str.format`` that writes numbers the way ``lang`` does: ``{share:.1%}`` is ``1,5\u00a0%`` in Russian."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def format_field(self, value: object, format_spec: str) -> str:
        if isinstance(value, float) and not format_spec:  # a bare float: its digits, the language's signs
            return format_value(value, self.lang, sig=6)
        if isinstance(value, bool) or not isinstance(value, int | float) or not format_spec:
            return super().format_field(value, format_spec)
        match = re.fullmatch(r"([+]?)(,?)(?:\.(\d+))?([fgeG%]?)", format_spec)
        if match is None:
            return super().format_field(value, format_spec)
        sign, group, digits, kind = match.groups()
        places = int(digits) if digits is not None else None
        if kind in ("g", "G", "e"):
            return format_value(value, self.lang, sig=places or 6, sign=bool(sign), group=bool(group))
        return format_value(value, self.lang, 6 if places is None else places, percent=kind == "%",
                            sign=bool(sign), group=bool(group) or kind == "%")


def _lookup(key: str, lang: str) -> str | tuple[str, ...] | None:
    lang = lang if lang in LANGUAGES else "en"
    found = messages(lang).get(key) or messages("en").get(key)
    if found is None and key in _TEXT:
        found = _TEXT[key][LANGUAGES.index(lang)] or _TEXT[key][2]
    return found


def _render(text: str, lang: str, values: dict[str, object]) -> str:
    if not values:
        return text
    return _Values(lang).vformat(text, (), {k: _shown(v, lang) for k, v in values.items()})


def _shown(value: object, lang: str) -> object:
    """A value of a message as ``lang`` writes it: a :class:`Text` rendered, a list of values joined by '; '."""
    if isinstance(value, Text):
        return value.render(lang)
    if isinstance(value, list):
        return "; ".join(str(_shown(v, lang)) for v in value)
    if isinstance(value, LocalText):  # a rules text (a parameter's unit) carries its own translations
        return local(value, lang)
    return value


@dataclass(frozen=True)
class Text:
    """A message id with its values, written in a language only when shown; a value may be a Text too.

    ``str()`` is the English text (the command line); the app and the documents call :meth:`render`.
    """

    key: str
    values: dict[str, object] = field(default_factory=dict, compare=False, hash=False)

    def render(self, lang: str = "en") -> str:
        return t(self.key, lang, **self.values)

    def __str__(self) -> str:
        return self.render("en")

    def to_json(self) -> dict[str, object]:
        """The message id and its values, for a client that translates (nested Texts likewise)."""
        return {"message_id": self.key, "values": {k: json_value(v) for k, v in self.values.items()}}


def json_value(value: object) -> object:
    """A value of a message for JSON: a :class:`Text` as its id and values, a list item by item."""
    if isinstance(value, Text):
        return value.to_json()
    if isinstance(value, list):
        return [json_value(v) for v in value]
    if isinstance(value, LocalText):  # a rules text: every language it carries
        return {"texts": dict(value.texts)}
    return value


def t(key: str, lang: str = "en", **values: object) -> str:
    """The label ``key`` in ``lang`` (falling back to English, then to the key), formatted with ``values``."""
    found = _lookup(key, lang)
    if found is None:
        text = key
    else:
        text = found if isinstance(found, str) else found[0]
    return _render(text, lang, values)


def tn(key: str, plural: str, count: int, lang: str = "en", **values: object) -> str:
    """The label ``key`` in the plural form ``count`` takes in ``lang`` (ngettext), formatted with ``count``.

    >>> tn("problems_found", "problems_found", 5, "ru")
    'Найдено 5 ошибок'
    """
    lang = lang if lang in LANGUAGES else "en"
    found = messages(lang).get(key) or messages("en").get(key)
    if isinstance(found, tuple):
        index = plural_index(lang, count)
        text = found[min(index, len(found) - 1)]
    else:
        text = found or (key if count == 1 else plural)
    return _render(text, lang, {"count": count, **values})


def message_text(key: str, values: dict[str, object] | None, lang: str) -> str:
    """The message ``key`` in ``lang`` with ``values`` as the JSON gives them: a nested message is a mapping of
    ``message_id`` and ``values`` (:meth:`Text.to_json`), written in ``lang`` too."""
    def shown(value: object) -> object:
        if isinstance(value, dict) and "message_id" in value:
            return message_text(str(value["message_id"]), value.get("values"), lang)  # type: ignore[arg-type]
        if isinstance(value, dict) and "texts" in value:
            texts = value["texts"]
            return texts.get(lang) or texts.get("en", "")  # type: ignore[union-attr]
        if isinstance(value, list):
            return "; ".join(str(shown(v)) for v in value)
        return value

    return t(key, lang, **{k: shown(v) for k, v in (values or {}).items()})


class LocalText(str):
    """A text of the rules in English (the string itself) that carries its Kazakh and Russian too.

    Code that only needs a string reads it as English; whatever a planner reads goes through :func:`local`.
    """

    texts: dict[str, str]

    def __new__(cls, texts: dict[str, str]) -> LocalText:
        text = super().__new__(cls, texts["en"])
        text.texts = dict(texts)
        return text

    def __reduce__(self):  # type: ignore[no-untyped-def] - rules cross into worker processes
        return (LocalText, (self.texts,))


def local(text: object, lang: str) -> str:
    """``text`` in ``lang`` when it is a :class:`LocalText` with that language, else the text itself."""
    if isinstance(text, LocalText):
        return text.texts.get(lang) or str(text)
    return "" if text is None else str(text)


def read_local_text(value: object) -> str | None:
    """A rules text: a plain string, or a mapping ``{en, kk, ru}`` of non-empty strings (a :class:`LocalText`).

    Whitespace runs become one space (YAML's folded blocks). ``None`` when the value is neither.
    """
    if isinstance(value, str):
        return " ".join(value.split()) or None
    if isinstance(value, dict) and set(value) == set(LANGUAGES):
        texts = {lang: " ".join(str(value[lang]).split()) for lang in LANGUAGES if isinstance(value[lang], str)}
        if len(texts) == len(LANGUAGES) and all(texts.values()):
            return LocalText(texts)
    return None


def indicator_name(indicator: str, lang: str = "en") -> str:
    """The human name of an indicator id in ``lang``; an id's suffix (``_2022bnd``, ``_quarterly_q3``) is named too.

    >>> indicator_name("grp_per_capita_2022bnd", "en")
    'GRP per capita (2022 boundaries)'
    """
    if has_text(indicator):
        return t(indicator, lang)
    for suffix, key in (("_2022bnd", "indicator_suffix_2022bnd"), ("_jan_jul", "indicator_suffix_jan_jul"),
                        ("_jan_jun", "indicator_suffix_jan_jun"), ("_polygon_derived", "indicator_suffix_polygon")):
        if indicator.endswith(suffix) and indicator != suffix:
            return t(key, lang, name=indicator_name(indicator.removesuffix(suffix), lang))
    base, _, quarter = indicator.rpartition("_quarterly_q")
    if base and quarter.isdigit():
        return t("indicator_suffix_quarter", lang, name=indicator_name(base, lang), quarter=quarter)
    return indicator


def data_unit(unit: str, lang: str = "en") -> str:
    """A unit of the data's catalogue (``thousand KZT per person``) in ``lang``, or as written when unknown."""
    return t(unit, lang) if has_text(unit) else unit


def has_text(key: str) -> bool:
    return key in messages("en") or key in _TEXT


def all_keys() -> list[str]:
    return sorted(set(messages("en")) | set(_TEXT))


#: Plotly's ``separators`` (decimal sign, then the thousands separator) for each language
PLOTLY_SEPARATORS = {"kk": ",\u00a0", "ru": ",\u00a0", "en": ".,"}


def _locale(lang: str) -> str:
    return lang if lang in LANGUAGES else "en"


def format_value(value: float | None, lang: str = "en", decimals: int | None = 1, *, percent: bool = False,
                 sig: int | None = None, sign: bool = False, group: bool = True) -> str:
    """A number written the way ``lang`` writes it (Babel's CLDR data): the one number formatter of the engine.

    ``decimals`` fixes the digits after the decimal sign; ``sig`` asks for that many significant digits
    instead (very small or very large values then in scientific notation); ``percent`` shows a share as a
    percentage (``0.015`` as ``1.5%``, ``1,5\u00a0%`` in Russian); ``sign`` writes ``+`` before positive values.
    ``None`` is written as a dash.

    >>> format_value(14584.4, "ru") == "14\u00a0584,4"
    True
    >>> format_value(0.015, "en", percent=True)
    '1.5%'
    >>> format_value(3.59e-08, "ru", sig=3)
    '3,59E-08'
    """
    from babel import numbers  # Babel's locale data loads on the first number, not when the labels are read

    if value is None:
        return "\u2014"
    locale = _locale(lang)
    value = float(value)
    if value != value or value in (float("inf"), float("-inf")):
        return "\u2014" if value != value else ("\u221e" if value > 0 else "-\u221e")
    if sig is not None:
        shown = abs(value * 100 if percent else value)
        if shown and not 1e-3 <= shown < 10 ** (sig + 4):
            text = numbers.format_scientific(value, "#." + "#" * (sig - 1) + "E00", locale=locale)
            return ("+" + text) if sign and value > 0 else text
        pattern = ("#,##0" if group else "0") + "." + "#" * 12
        rounded = float(f"{(value * 100 if percent else value):.{sig}g}")
        text = numbers.format_decimal(rounded, format=pattern, locale=locale)
        if percent:
            text = _with_percent_sign(text, locale)
    elif percent:
        pattern = _percent_pattern(locale, decimals or 0, group)
        text = numbers.format_percent(value, format=pattern, locale=locale)
    else:
        digits = "0" * (decimals or 0)
        pattern = ("#,##0" if group else "0") + ("." + digits if digits else "")
        text = numbers.format_decimal(value, format=pattern, locale=locale)
    if text.startswith("-") and not text.strip("-0,.\u00a0%E+"):  # -0.0 is written 0.0
        text = text[1:]
    return ("+" + text) if sign and value > 0 else text


def _percent_pattern(locale: str, decimals: int, group: bool) -> str:
    from babel import Locale

    pattern = Locale.parse(locale).percent_formats[None].pattern
    if not group:
        pattern = pattern.replace("#,##", "")
    return pattern.replace("0%", "0" + ("." + "0" * decimals if decimals else "") + "%", 1) if "0%" in pattern \
        else pattern.replace("0\u00a0%", "0" + ("." + "0" * decimals if decimals else "") + "\u00a0%", 1)


def _with_percent_sign(text: str, locale: str) -> str:
    from babel import Locale

    pattern = Locale.parse(locale).percent_formats[None].pattern
    return text + ("\u00a0%" if "\u00a0%" in pattern else "%")


def format_number(value: float, lang: str = "en", decimals: int = 1) -> str:
    """A number to ``decimals`` places: ``1,234.5`` in English, ``1 234,5`` in Kazakh and Russian.

    >>> format_number(14584.4, "ru") == "14\u00a0584,4"
    True
    >>> format_number(14584.4, "en")
    '14,584.4'
    """
    return format_value(value, lang, decimals)


def format_percent(share: float, lang: str = "en", decimals: int = 1) -> str:
    """A share written as a percentage: ``1.5%`` in English and Kazakh, ``1,5\u00a0%`` in Russian (CLDR).

    >>> format_percent(0.015, "en")
    '1.5%'
    """
    return format_value(share, lang, decimals, percent=True)


def format_date(day, lang: str = "en", style: str = "long") -> str:  # noqa: ANN001 - a datetime.date
    """A date as ``lang`` writes it (``1 марта 2025 г.`` in Russian)."""
    from babel import dates

    return dates.format_date(day, style, locale=_locale(lang))


def unit_name(units_frame, unit_id: str, lang: str) -> str:  # noqa: ANN001 - a pandas frame indexed by unit id
    """A unit's name in ``lang`` from the units table, or its id."""
    column = f"name_{lang}"
    if unit_id in units_frame.index and column in units_frame.columns:
        name = units_frame.at[unit_id, column]
        if isinstance(name, str) and name:
            return name
    return unit_id




