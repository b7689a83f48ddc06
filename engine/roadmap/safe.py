"""Safe exports: text cells that a spreadsheet would run as formulas, and file names made from user input.

A text starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is run as a formula (or DDE
command) by spreadsheet programs when a CSV is opened; OWASP's advice is to prefix such cells with a
single quote. Numbers are left alone, so negative numbers stay numeric.
"""

from __future__ import annotations

import re
import unicodedata

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
MAX_FILENAME_CHARS = 80
_WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$",
                     *(f"COM{i}" for i in "123456789¹²³"), *(f"LPT{i}" for i in "123456789¹²³")}
_UNSAFE_CHARS = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')


def neutralise_cell(value: object) -> object:
    """``value`` with a leading ``'`` when it is text a spreadsheet would run as a formula; other values as they are.

    >>> neutralise_cell("=HYPERLINK(\\"http://x\\")")
    '\\'=HYPERLINK("http://x")'
    >>> neutralise_cell(-2.5), neutralise_cell("Astana")
    (-2.5, 'Astana')
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def safe_filename(text: str, fallback: str = "roadmap", max_chars: int = MAX_FILENAME_CHARS) -> str:
    """A file name stem from user text: no path separators, control characters or characters Windows
    refuses, no leading dots or dashes, at most ``max_chars`` characters, never a Windows device name.

    Letters of any script are kept (a Kazakh or Russian scenario name stays readable).

    >>> safe_filename("../../etc/passwd")
    'etc_passwd'
    >>> safe_filename("Концепция 2025–2030")
    'Концепция_2025–2030'
    >>> safe_filename("CON"), safe_filename("  "), safe_filename("=HYPERLINK(1)")
    ('_CON', 'roadmap', 'HYPERLINK(1)')
    """
    cleaned = unicodedata.normalize("NFKC", str(text))
    cleaned = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in cleaned)
    cleaned = _UNSAFE_CHARS.sub(" ", cleaned)
    cleaned = re.sub(r"\s+", "_", cleaned.strip())
    cleaned = re.sub(r"_+", "_", cleaned)
    # Leading dots hide a file or climb folders; leading dashes read as options; '=' and friends as formulas.
    cleaned = cleaned.lstrip("._-=+@").rstrip("._ ")
    cleaned = cleaned[:max_chars].rstrip("._ ")
    if not cleaned:
        cleaned = fallback
    if cleaned.split(".")[0].upper() in _WINDOWS_RESERVED:
        cleaned = "_" + cleaned
    return cleaned[:max_chars]


def export_filename(scenario_name: str, lang: str, extension: str) -> str:
    """The file name of a roadmap export: ``roadmap_<scenario>_<lang>.<extension>``, safe on every system.

    >>> export_filename("Plan/2030", "kk", "pdf")
    'roadmap_Plan_2030_kk.pdf'
    """
    return f"roadmap_{safe_filename(scenario_name, fallback='scenario')}_{safe_filename(lang, 'en', 5)}.{extension}"
