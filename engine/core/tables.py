"""Reading the tables planners really have: CSV or XLSX, with their quirks.

A table comes back as strings exactly as written (after decoding), each row with its line number in the
file, so that every later message can point at ``file:row``. Numbers are parsed by :func:`parse_number`,
which understands decimal commas and spaces as thousands separators (``1 008,1``).
"""

from __future__ import annotations

import csv
import io
import math
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from engine.core.errors import Problem, problem

#: Files larger than this are refused before they are read (bytes).
MAX_TABLE_BYTES = 20 * 1024 * 1024
#: An XLSX is a zip; refuse one that would unpack to more than this (bytes), a guard against zip bombs.
MAX_XLSX_UNPACKED_BYTES = 200 * 1024 * 1024

_SPACES = re.compile(r"[\s\u00a0\u202f\u2009\u2007']+")
_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")  # most cells of a table: read as they stand


@dataclass(frozen=True)
class RawTable:
    """A table as read: header names and rows of strings, each row with its line number in the file."""

    name: str
    header: list[str]
    rows: list[tuple[int, list[str]]]


def normalise_header(name: object) -> str:
    """Lower-case, trimmed, BOM-free column name with inner spaces as underscores."""
    text = str(name if name is not None else "").replace("\ufeff", "").strip().lower()
    return re.sub(r"\s+", "_", text)


def parse_number(text: object) -> float | None:
    """Parse a number the way planners write it; ``None`` when it is not a number at all.

    Accepts ``1008.1``, ``1 008,1``, ``1\u00a0008,1``, ``1,008.1``, ``1.008,1``, ``-3,5`` and
    ``1e9``. A single comma is read as the decimal separator (the Kazakh and Russian convention);
    where both a comma and a point appear, the last one is the decimal separator.

    >>> parse_number("1 008,1")
    1008.1
    >>> parse_number("1,008.1")
    1008.1
    >>> parse_number("abc") is None
    True
    """
    if text is None:
        return None
    if isinstance(text, bool):
        return None
    if isinstance(text, int | float):
        return float(text)
    if type(text) is str and _PLAIN_NUMBER.fullmatch(text):
        return float(text)
    s = _SPACES.sub("", str(text))
    if not s:
        return None
    if s.lower() in {"nan", "inf", "+inf", "-inf", "infinity", "-infinity"}:
        return float(s.lower().replace("infinity", "inf"))
    has_comma, has_point = "," in s, "." in s
    if has_comma and has_point:
        if s.rfind(",") > s.rfind("."):
            s = s.replace(".", "").replace(",", ".")
        else:
            s = s.replace(",", "")
    elif has_comma:
        s = s.replace(",", ".") if s.count(",") == 1 else s.replace(",", "")
    elif s.count(".") > 1:
        s = s.replace(".", "")
    if not _NUMBER.match(s):
        return None
    return float(s)


def is_finite_number(value: float | None) -> bool:
    return value is not None and math.isfinite(value)


def read_table(path: Path, label: str | None = None, max_bytes: int = MAX_TABLE_BYTES,
               ) -> tuple[RawTable | None, list[Problem]]:
    """Read a CSV or XLSX file into a :class:`RawTable`, or say why it cannot be read."""
    name = label or path.name
    if not path.exists():
        return None, [problem(name, "pr_file_not_found")]
    size = path.stat().st_size
    if size > max_bytes:
        return None, [problem(name, "pr_file_too_large", None, None, f"{size} bytes",
                              mb=max_bytes // (1024 * 1024))]
    data = path.read_bytes()
    return read_table_bytes(data, name, max_bytes=max_bytes)


def read_table_bytes(data: bytes, name: str, max_bytes: int = MAX_TABLE_BYTES,
                     ) -> tuple[RawTable | None, list[Problem]]:
    """Read a table from bytes (an upload, say); see :func:`read_table`."""
    if len(data) > max_bytes:
        return None, [problem(name, "pr_file_too_large", None, None, f"{len(data)} bytes",
                              mb=max_bytes // (1024 * 1024))]
    if not data.strip():
        return None, [problem(name, "pr_file_empty")]
    if data[:4] == b"PK\x03\x04":
        return _read_xlsx(data, name)
    text, undecodable = _decode(data, name)
    if undecodable:
        return None, [undecodable]
    return _read_csv_text(text, name)


def _decode(data: bytes, name: str) -> tuple[str, Problem | None]:
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):  # UTF-16 with its byte order mark: Excel's "Unicode text"
        try:
            return data.decode("utf-16"), None
        except UnicodeDecodeError:
            return "", problem(name, "pr_not_text_utf16")
    if b"\x00" in data[:4096]:
        return "", problem(name, "pr_binary")
    for encoding in ("utf-8-sig", "cp1251"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if encoding == "cp1251" and _looks_binary(text):
            break
        return text, None
    return "", problem(name, "pr_not_decodable")


def _looks_binary(text: str) -> bool:
    control = sum(1 for ch in text[:4096] if ord(ch) < 32 and ch not in "\r\n\t")
    return control > 0


def _sniff_separator(header_line: str) -> str:
    counts = {sep: header_line.count(sep) for sep in (";", "\t", ",")}
    best = max(counts, key=lambda s: counts[s])
    return best if counts[best] > 0 else ","


def _header_and_rows(records: Iterable[tuple[int, list[str]]],
                     ) -> tuple[list[str] | None, list[tuple[int, list[str]]]]:
    """The first record that is not blank as the header (normalised), and the records after it that are not
    blank, stripped, each with its line number; None for the header when every record is blank."""
    header: list[str] | None = None
    rows: list[tuple[int, list[str]]] = []
    for line_no, cells in records:
        if not "".join(cells).strip():
            continue
        if header is None:
            header = [normalise_header(c) for c in cells]
            continue
        rows.append((line_no, [c.strip() for c in cells]))
    return header, rows


def _read_csv_text(text: str, name: str) -> tuple[RawTable | None, list[Problem]]:
    text = text.lstrip("\ufeff")
    if _looks_binary(text):
        return None, [problem(name, "pr_control_chars")]
    lines = text.splitlines()
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        return None, [problem(name, "pr_file_empty")]
    separator = _sniff_separator(lines[first])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    try:
        header, rows = _header_and_rows((reader.line_num, record) for record in reader)
    except csv.Error as exc:
        return None, [problem(name, "pr_bad_csv", reader.line_num, reason=str(exc))]
    if header is None:
        return None, [problem(name, "pr_file_empty")]
    if len(header) < 2:
        return None, [problem(name, "pr_single_column", first + 1, None, lines[first][:60])]
    return RawTable(name, header, rows), []


def _read_xlsx(data: bytes, name: str) -> tuple[RawTable | None, list[Problem]]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
            if unpacked > MAX_XLSX_UNPACKED_BYTES:
                return None, [problem(name, "pr_xlsx_too_large", None, None, f"{unpacked} bytes")]
    except zipfile.BadZipFile:
        return None, [problem(name, "pr_not_xlsx")]
    try:
        import openpyxl  # defusedxml, installed beside it, hardens its XML parsing

        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for corrupt files
        return None, [problem(name, "pr_bad_xlsx", reason=type(exc).__name__)]
    sheet = workbook.worksheets[0]
    header, rows = _header_and_rows((index, ["" if c is None else _cell_text(c) for c in record])
                                    for index, record in enumerate(sheet.iter_rows(values_only=True), start=1))
    workbook.close()
    if header is None:
        return None, [problem(f"{name} [{sheet.title}]", "pr_sheet_empty")]
    return RawTable(f"{name}", header, rows), []


def _cell_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
