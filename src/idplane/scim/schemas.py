"""The SCIM discovery documents and the attribute model read from them.

`/Schemas`, `/ResourceTypes` and `/ServiceProviderConfig` are package data (`data/*.json`); the
same attribute definitions give the filter, PATCH, projection and sorting code their types,
case rules, mutability and returnability, so there is no second copy of the schema in code.
The common attributes (`id`, `externalId`, `meta`, `schemas`) live in `data/common.json`:
RFC 7643 section 3.1 defines them outside any schema, so they are not served under /Schemas.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from idplane.platform.errors import Invalid, NotFound

CORE_USER = "urn:ietf:params:scim:schemas:core:2.0:User"
CORE_GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group"
ENTERPRISE_USER = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
LIST_RESPONSE = "urn:ietf:params:scim:api:messages:2.0:ListResponse"


@dataclass(frozen=True)
class Attribute:
    """One attribute definition (RFC 7643 section 7), as published under /Schemas."""

    name: str
    type: str
    multi_valued: bool = False
    required: bool = False
    case_exact: bool = False
    mutability: str = "readWrite"
    returned: str = "default"
    uniqueness: str = "none"
    sub_attributes: tuple[Attribute, ...] = ()

    @classmethod
    def from_document(cls, doc: dict[str, Any]) -> Attribute:
        return cls(
            name=doc["name"],
            type=doc["type"],
            multi_valued=doc.get("multiValued", False),
            required=doc.get("required", False),
            case_exact=doc.get("caseExact", False),
            mutability=doc.get("mutability", "readWrite"),
            returned=doc.get("returned", "default"),
            uniqueness=doc.get("uniqueness", "none"),
            sub_attributes=tuple(cls.from_document(s) for s in doc.get("subAttributes", ())),
        )

    @property
    def is_complex(self) -> bool:
        return self.type == "complex"

    @property
    def read_only(self) -> bool:
        return self.mutability == "readOnly"

    def sub(self, name: str) -> Attribute | None:
        lowered = name.lower()
        return next((s for s in self.sub_attributes if s.name.lower() == lowered), None)


@dataclass(frozen=True)
class AttrRef:
    """A resolved attribute path: `name`, `name.familyName`, `urn:...:User:manager.value`.

    `extension` is the URN key under which an extension attribute sits in the resource; inside a
    value filter (`emails[type eq "work"]`) refs are relative to one element and have none.
    """

    attribute: Attribute
    sub: Attribute | None = None
    extension: str | None = None

    @property
    def leaf(self) -> Attribute:
        return self.sub or self.attribute

    @property
    def key(self) -> str:
        """The canonical spelling, as handed to a caller's `column_for`."""
        path = self.attribute.name + (f".{self.sub.name}" if self.sub else "")
        return f"{self.extension}:{path}" if self.extension else path

    @property
    def top_key(self) -> str:
        name = self.attribute.name
        return f"{self.extension}:{name}" if self.extension else name


@dataclass(frozen=True)
class ResourceSchema:
    """A resource type's attributes: common + core schema, and each extension under its URN."""

    name: str
    core: str
    extensions: tuple[str, ...]
    required_extensions: tuple[str, ...]
    _attributes: dict[str | None, dict[str, Attribute]] = field(repr=False)

    def attributes(self, extension: str | None = None) -> tuple[Attribute, ...]:
        return tuple(self._attributes[extension].values())

    def attribute(self, name: str, extension: str | None = None) -> Attribute | None:
        return self._attributes[extension].get(name.lower())

    def extension_urn(self, text: str) -> str | None:
        """The canonical URN when `text` names one of this resource's extensions."""
        lowered = text.lower()
        return next((urn for urn in self.extensions if urn.lower() == lowered), None)

    def resolve(self, text: str, scim_type: str) -> AttrRef:
        """Resolve `attr`, `attr.sub` or `urn:...:attr[.sub]`; unknown ones are 400 `scim_type`."""
        extension, rest = self._split_urn(text, scim_type)
        parts = rest.split(".")
        attribute = self.attribute(parts[0], extension) if len(parts) <= 2 else None
        if attribute is None:
            raise Invalid(f"Unknown attribute '{text}' of {self.name}.", scim_type=scim_type)
        if len(parts) == 1:
            return AttrRef(attribute, None, extension)
        sub = attribute.sub(parts[1])
        if sub is None:
            raise Invalid(f"Unknown sub-attribute '{text}' of {self.name}.", scim_type=scim_type)
        return AttrRef(attribute, sub, extension)

    def _split_urn(self, text: str, scim_type: str) -> tuple[str | None, str]:
        if not text.lower().startswith("urn:"):
            return None, text
        lowered = text.lower()
        for urn in sorted((self.core, *self.extensions), key=len, reverse=True):
            if lowered.startswith(urn.lower() + ":"):
                return (None if urn == self.core else urn), text[len(urn) + 1 :]
        raise Invalid(f"Unknown schema in attribute path '{text}'.", scim_type=scim_type)


class Catalog:
    """Every discovery document, and the `ResourceSchema` of each resource type."""

    def __init__(
        self,
        schemas: list[dict[str, Any]],
        resource_types: list[dict[str, Any]],
        config: dict[str, Any],
        common: list[dict[str, Any]],
    ):
        self._schemas = {doc["id"]: doc for doc in schemas}
        self._resource_types = {doc["id"]: doc for doc in resource_types}
        self._config = config
        common_attributes = [Attribute.from_document(doc) for doc in common]
        self._resources = {
            doc["name"]: self._build(doc, common_attributes) for doc in resource_types
        }

    @classmethod
    def load(cls) -> Catalog:
        data = resources.files("idplane.scim") / "data"

        def read(name: str) -> Any:
            return json.loads((data / name).read_text(encoding="utf-8"))

        return cls(
            read("schemas.json"),
            read("resource_types.json"),
            read("service_provider_config.json"),
            read("common.json")["attributes"],
        )

    def resource(self, name: str) -> ResourceSchema:
        return self._resources[name]

    @property
    def max_results(self) -> int:
        """The page size limit advertised as `filter.maxResults`."""
        return int(self._config["filter"]["maxResults"])

    def schema_documents(self, base_url: str) -> list[dict[str, Any]]:
        return [self.schema_document(sid, base_url) for sid in self._schemas]

    def schema_document(self, schema_id: str, base_url: str) -> dict[str, Any]:
        doc = self._schemas.get(schema_id)
        if doc is None:
            raise NotFound(f"Schema {schema_id} not found.")
        return _located(doc, f"{base_url.rstrip('/')}/Schemas/{schema_id}")

    def resource_type_documents(self, base_url: str) -> list[dict[str, Any]]:
        return [self.resource_type_document(rid, base_url) for rid in self._resource_types]

    def resource_type_document(self, type_id: str, base_url: str) -> dict[str, Any]:
        doc = self._resource_types.get(type_id)
        if doc is None:
            raise NotFound(f"ResourceType {type_id} not found.")
        return _located(doc, f"{base_url.rstrip('/')}/ResourceTypes/{type_id}")

    def service_provider_config(self, base_url: str) -> dict[str, Any]:
        return _located(self._config, f"{base_url.rstrip('/')}/ServiceProviderConfig")

    def _build(self, doc: dict[str, Any], common: list[Attribute]) -> ResourceSchema:
        core = doc["schema"]
        core_attributes = common + [
            Attribute.from_document(a) for a in self._schemas[core]["attributes"]
        ]
        declared = doc.get("schemaExtensions", [])
        by_urn: dict[str | None, dict[str, Attribute]] = {None: _by_name(core_attributes)}
        for ext in declared:
            by_urn[ext["schema"]] = _by_name(
                [Attribute.from_document(a) for a in self._schemas[ext["schema"]]["attributes"]]
            )
        return ResourceSchema(
            name=doc["name"],
            core=core,
            extensions=tuple(ext["schema"] for ext in declared),
            required_extensions=tuple(ext["schema"] for ext in declared if ext["required"]),
            _attributes=by_urn,
        )


def _by_name(attributes: list[Attribute]) -> dict[str, Attribute]:
    return {a.name.lower(): a for a in attributes}


def _located(doc: dict[str, Any], location: str) -> dict[str, Any]:
    located = copy.deepcopy(doc)
    located.setdefault("meta", {})["location"] = location
    return located
