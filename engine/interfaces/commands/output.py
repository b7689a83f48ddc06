"""Writing a command's JSON: to a file, or to standard output for ``-``."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from engine.core.errors import Problem, ScenarioError


def write_json(target: str | None, payload: dict[str, Any]) -> None:
    """Write ``payload`` to ``target`` (nothing when None); a folder that does not exist is a clear error."""
    if target is None:
        return
    text = json.dumps(payload, ensure_ascii=False, indent=2)
    if target == "-":
        sys.stdout.write(text + "\n")
        return
    path = Path(target)
    if not path.parent.exists():
        raise ScenarioError([Problem(str(path), "the folder to write the JSON to does not exist")])
    try:
        path.write_text(text + "\n", encoding="utf-8")
    except OSError as exc:  # a folder in the way, no permission, a full disk
        raise ScenarioError([Problem(str(path), f"cannot write the JSON: {exc.strerror}")]) from None
