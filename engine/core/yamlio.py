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

from engine.core.errors import Problem, problem

MAX_YAML_BYTES = 1024 * 1024


class YamlProblem(Exception):
    """A YAML document that cannot be accepted; the message says where and why.

    ``key`` and ``values`` are its message id (engine/locale) and values, so a problem made from it
    (:meth:`problem`) reads in the planner's language; ``str()`` is ``file: English text`` as before.
    """

    def __init__(self, key: str, name: str = "", /, **values: object) -> None:
        from engine.core.i18n import t

        self.key, self.name, self.values = key, name, values
        text = t(key, "en", **values)
        super().__init__(f"{name}: {text}" if name else text)

    def named(self, name: str) -> YamlProblem:
        return YamlProblem(self.key, name, **self.values)

    def problem(self, file: str | None = None) -> Problem:
        """The problem in ``file`` (the name it was raised with when not given)."""
        return problem(self.name if file is None else file, self.key, **self.values)


class _StrictLoader(yaml.SafeLoader):
    pass


def _no_alias(self: _StrictLoader, *args: Any, **kwargs: Any) -> Any:
    raise YamlProblem("pr_yaml_alias")


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    mapping: dict = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in mapping:
            line = key_node.start_mark.line + 1
            raise YamlProblem("pr_yaml_duplicate_key", line=line, duplicate=str(key))
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


class _FastStrictLoader(getattr(yaml, "CSafeLoader", _StrictLoader)):  # type: ignore[misc]
    """:class:`_StrictLoader`'s rules on libyaml's parser (rules/ files parse some 10x faster; every command reads
    them). The C parser resolves aliases itself, so an alias shows as a node constructed a second time."""

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        if node in self.constructed_objects or node in self.recursive_objects:
            raise YamlProblem("pr_yaml_alias")
        return super().construct_object(node, deep=deep)


_FastStrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_FastStrictLoader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^[-+]?(\d+(\.\d*)?|\.\d+)[eE][-+]?\d+$"),
    list("-+0123456789."),
)


def parse_yaml(text: str, name: str) -> Any:
    """Parse one YAML document strictly; raise :class:`YamlProblem` naming ``name`` on any problem."""
    if len(text.encode("utf-8", "ignore")) > MAX_YAML_BYTES:
        raise YamlProblem("pr_yaml_too_large", name, kb=MAX_YAML_BYTES // 1024)
    try:
        return yaml.load(text, Loader=_FastStrictLoader)  # noqa: S506 - a SafeLoader subclass
    except YamlProblem as exc:
        raise exc.named(name) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]  # PyYAML's own words, in English
        if mark is not None:
            raise YamlProblem("pr_yaml_invalid_at", name, line=mark.line + 1, reason=reason) from None
        raise YamlProblem("pr_yaml_invalid", name, reason=reason) from None


def read_yaml(path: Path) -> Any:
    if not path.exists():
        raise YamlProblem("pr_file_not_found", str(path))
    if path.stat().st_size > MAX_YAML_BYTES:
        raise YamlProblem("pr_yaml_too_large", str(path), kb=MAX_YAML_BYTES // 1024)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise YamlProblem("pr_not_utf8", str(path)) from None
    return parse_yaml(text, str(path))
