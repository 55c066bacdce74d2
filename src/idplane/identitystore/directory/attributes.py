"""Update by attribute operations (`PUT .../users/{id}`, `PUT .../groups/{id}`).

A request carries 1-100 `{attribute_path, attribute_value}` operations, applied in order to one
row inside one transaction (all or nothing):

- `attribute_path` names an attribute of the SDK's model by its wire name (`display_name`,
  `name.given_name`, `enterprise.manager.value`); the camelCase spelling other clients use
  (`displayName`, `name.givenName`) is accepted too. Any other path is 400; a path the model
  has but that cannot be written (`user_id`, `created_at`, `enabled`...) is 400 as well.
- `attribute_value` is the new value: the string itself for a string attribute, the JSON text
  of the object or list for the others. A null value (or an empty string, for an optional
  attribute) removes the attribute; removing a required one is 400.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, model_validator
from pydantic.alias_generators import to_camel

from idplane.instances.errors import invalid
from idplane.instances.schemas import NO_NUL  # every string stored or looked up: no NUL
from idplane.platform import jsonbody

Parser = Callable[[str], Any]
Assigner = Callable[[Any, Any], None]


class Value(BaseModel):
    """A nested value (a name, an email...): snake_case wire names, camelCase accepted."""

    model_config = ConfigDict(extra="ignore", alias_generator=to_camel, populate_by_name=True)


@dataclass(frozen=True)
class Operation:
    path: str
    value: str | None


@dataclass(frozen=True)
class Attribute:
    path: str
    parse: Parser
    assign: Assigner  # (row, parsed value or None for removal)
    required: bool = False


def text(minimum: int = 1, maximum: int = 1024) -> Parser:
    def parse(raw: str) -> str:
        if not minimum <= len(raw) <= maximum:
            raise ValueError(f"must be {minimum} to {maximum} characters long")
        if "\x00" in raw:
            raise ValueError("must not contain NUL characters")
        return raw

    return parse


def json_value(shape: Any) -> Parser:
    """Parses the JSON text of an object or list and validates it against `shape`."""
    adapter = TypeAdapter(shape)

    def parse(raw: str) -> Any:
        try:
            decoded = jsonbody.loads(raw)
        except ValueError:
            raise ValueError("must be the JSON text of the value") from None
        return adapter.validate_python(decoded)

    return parse


def column(name: str) -> Assigner:
    def assign(row: Any, value: Any) -> None:
        setattr(row, name, value)

    return assign


class AttributeTable:
    """The writable attributes of one resource, and the known ones that are read-only."""

    def __init__(
        self,
        resource: str,
        attributes: Iterable[Attribute],
        read_only: Iterable[str] = (),
        aliases: dict[str, str] | None = None,
    ):
        self.resource = resource
        self.attributes = {attribute.path: attribute for attribute in attributes}
        self.read_only = set(read_only)
        self.aliases = aliases or {}

    def apply(self, row: Any, operations: Iterable[Operation]) -> None:
        for operation in operations:
            attribute = self._resolve(operation.path)
            attribute.assign(row, self._parse(attribute, operation.value))

    def _resolve(self, path: str) -> Attribute:
        canonical = canonical_path(path, self.aliases)
        if canonical in self.attributes:
            return self.attributes[canonical]
        if canonical in self.read_only:
            raise invalid(f"attribute_path {path} of a {self.resource} cannot be updated")
        raise invalid(f"attribute_path {path} is not an attribute of a {self.resource}")

    def _parse(self, attribute: Attribute, raw: str | None) -> Any:
        removal = raw is None or (raw == "" and not attribute.required)
        if removal and attribute.required:
            raise invalid(f"attribute {attribute.path} is required and cannot be removed")
        if removal:
            return None
        try:
            return attribute.parse(raw or "")
        except (ValueError, ValidationError) as error:
            raise invalid(f"attribute_value of {attribute.path} {_reason(error)}") from None


def canonical_path(path: str, aliases: dict[str, str]) -> str:
    """`name.givenName` -> `name.given_name`, then the resource's own aliases."""
    snake = ".".join(_snake(part) for part in path.strip().split("."))
    return aliases.get(snake, snake)


def _snake(part: str) -> str:
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", part).lower()


def _reason(error: Exception) -> str:
    if isinstance(error, ValidationError):
        first = error.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ()))
        return f"is invalid ({where + ': ' if where else ''}{first.get('msg', 'invalid')})"
    return str(error)


class ExternalId(Value):
    issuer: str = Field(min_length=1, max_length=100, pattern=NO_NUL)
    id: str = Field(min_length=1, max_length=256, pattern=NO_NUL)


class UniqueAttribute(Value):
    attribute_path: str = Field(min_length=1, max_length=255, pattern=NO_NUL)
    attribute_value: str = Field(min_length=1, max_length=255, pattern=NO_NUL)


class AlternateIdentifier(Value):
    """How `retrieve-user-id` / `retrieve-group-id` name a principal: by an external id or by
    a unique attribute, exactly one of the two."""

    external_id: ExternalId | None = None
    unique_attribute: UniqueAttribute | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> AlternateIdentifier:
        if (self.external_id is None) == (self.unique_attribute is None):
            raise ValueError("give exactly one of external_id and unique_attribute")
        return self
