"""A seed file as plain data that remembers where each value came from (file, line), so every
error names the line and the field: `world.yaml:12: identity_center.users[1].user_name: ...`."""

from __future__ import annotations

from collections.abc import Set
from typing import Any

import yaml


class SeedError(Exception):
    """A seed file that cannot be applied; nothing of it was written."""


class Located(dict):
    """A mapping of the file, with the line of itself and of each of its keys."""

    line: int = 0
    key_lines: dict[str, int]


class LocatedList(list):
    line: int = 0
    item_lines: list[int]


class _Loader(yaml.SafeLoader):
    pass


def _mapping(loader: _Loader, node: yaml.MappingNode) -> Located:
    loader.flatten_mapping(node)
    result = Located()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in result:
            raise SeedError(
                f"{node.start_mark.name}:{key_node.start_mark.line + 1}: {key}: given twice"
            )
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = value_node.start_mark.line + 1
    return result


def _sequence(loader: _Loader, node: yaml.SequenceNode) -> LocatedList:
    result = LocatedList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _sequence)


def load(text: str, name: str) -> Located:
    try:
        document = yaml.load(text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = f"{mark.line + 1}" if mark else "?"
        raise SeedError(f"{name}:{line}: not valid YAML: {error.problem}") from None
    if document is None:
        document = Located()
    if not isinstance(document, Located):
        raise SeedError(f"{name}:1: a seed file is a mapping (accounts:, organization:, ...)")
    return document


def dump(document: dict[str, Any]) -> str:
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True, default_flow_style=False)


class Cursor:
    """Where the seeder is in the file: `cursor.at("users", 1)` goes down, `cursor.error(...)`
    names the file, the line and the dotted field path."""

    def __init__(self, name: str, value: Any, path: str = "", line: int = 1):
        self.name, self.value, self.path, self.line = name, value, path, line

    def at(self, key: str | int) -> Cursor:
        value, line = None, self.line
        if isinstance(key, int) and isinstance(self.value, LocatedList):
            value, line = self.value[key], self.value.item_lines[key]
            path = f"{self.path}[{key}]"
        elif isinstance(self.value, Located) and isinstance(key, str):
            value, line = self.value.get(key), self.value.key_lines.get(key, self.line)
            path = f"{self.path}.{key}" if self.path else str(key)
        else:
            path = f"{self.path}.{key}"
        return Cursor(self.name, value, path, line)

    def error(self, message: str) -> SeedError:
        where = f" {self.path}:" if self.path else ""
        return SeedError(f"{self.name}:{self.line}:{where} {message}")

    def mapping(self, allowed: set[str], required: Set[str] = frozenset()) -> Located:
        if not isinstance(self.value, Located):
            raise self.error("expected a mapping")
        for key in self.value:
            if key not in allowed:
                raise self.at(key).error(f"unknown field (known: {', '.join(sorted(allowed))})")
        for key in sorted(required - set(self.value)):
            raise self.error(f"missing field {key}")
        return self.value

    def items(self) -> list[Cursor]:
        if self.value is None:
            return []
        if not isinstance(self.value, LocatedList):
            raise self.error("expected a list")
        return [self.at(index) for index in range(len(self.value))]

    def text(self, key: str, default: str | None = None) -> str | None:
        child = self.at(key)
        if child.value is None:
            return default
        if not isinstance(child.value, str | int | float) or isinstance(child.value, bool):
            raise child.error("expected text")
        return str(child.value)

    def required_text(self, key: str) -> str:
        """The text of a field that must be there (`mapping()` has usually said so already)."""
        text = self.text(key)
        if text is None:
            raise self.error(f"missing field {key}")
        return text

    def names(self, key: str) -> list[tuple[Cursor, str]]:
        found = []
        for item in self.at(key).items():
            if not isinstance(item.value, str):
                raise item.error("expected a name")
            found.append((item, item.value))
        return found


def plain(value: Any) -> Any:
    """Located mappings and lists back into plain JSON data."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value
