"""Values made safe for JSON: what every ``--json`` output and the app's job results pass through."""

from __future__ import annotations

import math
from typing import Any

import numpy as np


def json_safe(value: Any) -> Any:
    """``value`` with NaN and infinities as None, tuples and arrays as lists, numpy scalars as Python numbers
    and mapping keys as strings (recursively).

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
    if isinstance(value, list | tuple | np.ndarray):
        return [json_safe(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value
