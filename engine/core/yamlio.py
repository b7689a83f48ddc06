"""Safe YAML reading for rules and scenarios.

PyYAML's safe loader still keeps the last of two duplicate keys silently, reads ``1e9`` as a string and
expands aliases without limit (a few lines can expand to gigabytes). Planners' files need none of
aliases, so this loader refuses them, refuses duplicate keys, and reads ``1e9`` as a number.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

MAX_YAML_BYTES = 1024 * 1024


class YamlProblem(Exception):
    """A YAML document that cannot be accepted; the message says where and why."""


class _StrictLoader(yaml.SafeLoader):
    pass


def _no_alias(self: _StrictLoader, *args: Any, **kwargs: Any) -> Any:
    raise YamlProblem("YAML aliases and anchors (& and *) are not accepted")


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    mapping: dict = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in mapping:
            line = key_node.start_mark.line + 1
            raise YamlProblem(f"line {line}: duplicate key '{key}'")
        mapping[key] = loader.construct_object(value_node, deep=deep)
    return mapping


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_StrictLoader.compose_node = (lambda self, parent, index:  # type: ignore[method-assign]
                              _no_alias(self) if self.check_event(yaml.events.AliasEvent)
                              else yaml.SafeLoader.compose_node(self, parent, index))
_StrictLoader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(\d+(\.\d*)?|\.\d+)[eE][-+]?\d+$"),
    list("-+0123456789."),
)


def parse_yaml(text: str, name: str) -> Any:
    """Parse one YAML document strictly; raise :class:`YamlProblem` naming ``name`` on any problem."""
    if len(text.encode("utf-8", "ignore")) > MAX_YAML_BYTES:
        raise YamlProblem(f"{name}: file is larger than {MAX_YAML_BYTES // 1024} KB")
    try:
        return yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - a SafeLoader subclass
    except YamlProblem as exc:
        raise YamlProblem(f"{name}: {exc}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise YamlProblem(f"{name}: {where}not valid YAML: {problem}") from None


def read_yaml(path: Path) -> Any:
    if not path.exists():
        raise YamlProblem(f"{path}: file not found")
    if path.stat().st_size > MAX_YAML_BYTES:
        raise YamlProblem(f"{path}: file is larger than {MAX_YAML_BYTES // 1024} KB")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise YamlProblem(f"{path}: not UTF-8 text") from None
    return parse_yaml(text, str(path))
