"""Values made safe for JSON, and the one writer of every ``--json`` output (a file, or standard output)."""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path
from typing import Any

from engine.core.errors import ScenarioError, problem


def json_safe(value: Any) -> Any:
    """``value`` with NaN and infinities as None, tuples and arrays as lists, numpy scalars as Python numbers
    and mapping keys as strings (recursively).

    >>> import numpy as np
    >>> json_safe({1: (np.float64("nan"), np.int64(2), [np.bool_(True), float("inf")])})
    {'1': [None, 2, [True, None]]}
    """
    kind = type(value)
    if kind is str or kind is int or kind is bool or value is None:  # most of a large result: answered first
        return value
    if kind is float:
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    np = sys.modules.get("numpy")  # a numpy value exists only once numpy is loaded: no need to load it here
    if isinstance(value, list | tuple) or (np is not None and isinstance(value, np.ndarray)):
        return [json_safe(v) for v in value]
    if np is not None and isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def json_text(payload: Any) -> str:
    """``payload`` as the JSON every command writes: UTF-8 text, indented, no NaN."""
    return json.dumps(json_safe(payload), ensure_ascii=False, indent=2, allow_nan=False)


def write_json(target: str | Path | None, payload: Any) -> None:
    """Write ``payload`` to ``target`` (nothing when None; standard output for ``-``).

    Raises
    ------
    ScenarioError
        When the folder to write to does not exist or the file cannot be written.
    """
    if target is None:
        return
    text = json_text(payload)
    if str(target) == "-":
        sys.stdout.write(text + "\n")
        return
    path = Path(target)
    if not path.parent.exists():
        raise ScenarioError([problem(str(path), "pr_json_folder_missing")])
    try:
        path.write_text(text + "\n", encoding="utf-8")
    except OSError as exc:  # a folder in the way, no permission, a full disk
        raise ScenarioError([problem(str(path), "pr_cannot_write_json", reason=str(exc.strerror))]) from None
