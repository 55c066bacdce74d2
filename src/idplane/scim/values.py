"""Reading and checking attribute values of SCIM resources (plain dicts).

Keys are matched case-insensitively (RFC 7643 section 2.1) and written in the schema's spelling.
`coerce` checks an incoming value against an attribute definition and accepts the forms real
IdPs send: `"True"`/`"False"` strings for booleans, a bare id for a complex attribute that has a
`value` sub-attribute (Azure's `manager`), a single object where a list is expected.
"""

from __future__ import annotations

from typing import Any

from idplane.platform.errors import Invalid
from idplane.scim.filters import parse_datetime
from idplane.scim.schemas import Attribute, AttrRef, ResourceSchema

INVALID_VALUE = "invalidValue"


def find_key(obj: dict[str, Any], name: str) -> str | None:
    """The key of `obj` spelling `name` in any case."""
    if name in obj:
        return name
    lowered = name.lower()
    return next((key for key in obj if key.lower() == lowered), None)


def get(obj: Any, name: str) -> Any:
    if not isinstance(obj, dict):
        return None
    key = find_key(obj, name)
    return None if key is None else obj[key]


def put(obj: dict[str, Any], name: str, value: Any) -> None:
    """Set `name` in its canonical spelling (dropping other spellings); None unassigns it."""
    key = find_key(obj, name)
    while key is not None:
        del obj[key]
        key = find_key(obj, name)
    if is_present(value):
        obj[name] = value


def container(resource: dict[str, Any], extension: str | None) -> Any:
    return resource if extension is None else get(resource, extension)


def values_at(obj: Any, ref: AttrRef) -> list[Any]:
    """Every value `ref` reaches in `obj`, multi-valued attributes flattened."""
    top = get(container(obj, ref.extension), ref.attribute.name)
    items = top if isinstance(top, list) else [top]
    if ref.sub is not None:
        items = [get(item, ref.sub.name) for item in items]
    return [item for item in items if item is not None]


def is_present(value: Any) -> bool:
    """RFC 7643 section 2.5: null, an empty array and an empty string are unassigned."""
    if isinstance(value, dict):
        return any(is_present(v) for v in value.values())
    if isinstance(value, list):
        return any(is_present(v) for v in value)
    return value is not None and value != ""


def coerce(attribute: Attribute, value: Any) -> Any:
    """`value` checked against `attribute`; readOnly sub-attributes are dropped (RFC 7643 2.2)."""
    if value is None:
        return None
    if not attribute.multi_valued:
        if isinstance(value, list):
            raise _bad(attribute, "is single-valued")
        return coerce_one(attribute, value)
    items = value if isinstance(value, list) else [value]
    out = [item for item in (coerce_one(attribute, v) for v in items) if item is not None]
    if sum(1 for item in out if isinstance(item, dict) and item.get("primary") is True) > 1:
        raise _bad(attribute, "has more than one primary value")
    return out or None


def coerce_one(attribute: Attribute, value: Any) -> Any:
    """One (element) value of `attribute`, converted where an IdP's spelling is unambiguous."""
    if value is None:
        return None
    if attribute.is_complex:
        return _complex(attribute, value)
    kind = attribute.type
    if kind == "boolean":
        if isinstance(value, str) and value.strip().lower() in ("true", "false"):
            return value.strip().lower() == "true"
        if isinstance(value, bool):
            return value
    elif kind == "integer":
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    elif kind == "decimal":
        if isinstance(value, int | float) and not isinstance(value, bool):
            return value
    elif kind == "dateTime":
        if isinstance(value, str) and parse_datetime(value) is not None:
            return value
    elif isinstance(value, str):
        return value
    raise _bad(attribute, f"must be of type {kind}")


def _complex(attribute: Attribute, value: Any) -> dict[str, Any] | None:
    if not isinstance(value, dict):
        if attribute.sub("value") is None or isinstance(value, list):
            raise _bad(attribute, "must be an object")
        value = {"value": value}
    out: dict[str, Any] = {}
    for key, item in value.items():
        sub = attribute.sub(key)
        if sub is None:
            raise _bad(attribute, f"has no sub-attribute '{key}'")
        if not sub.read_only:
            put(out, sub.name, coerce_one(sub, item))
    return out or None


def _bad(attribute: Attribute, why: str) -> Invalid:
    return Invalid(f"Attribute '{attribute.name}' {why}.", scim_type=INVALID_VALUE)


def declared_schemas(resource: dict[str, Any], schema: ResourceSchema) -> list[str]:
    """The `schemas` list a resource should carry: core, then each extension it holds."""
    return [schema.core] + [urn for urn in schema.extensions if is_present(get(resource, urn))]


def normalize_resource(body: Any, schema: ResourceSchema) -> dict[str, Any]:
    """A POST/PUT body checked and cleaned: typed values, canonical keys, readOnly dropped.

    Unknown attributes are refused (invalidValue) rather than silently lost; `id`, `meta` and
    other readOnly attributes a client echoes back are ignored, as RFC 7643 2.2 says.
    """
    if not isinstance(body, dict):
        raise Invalid("The request body must be a JSON object.", scim_type="invalidSyntax")
    declared = get(body, "schemas")
    if not isinstance(declared, list) or schema.core.lower() not in _lowered(declared):
        raise Invalid(f"'schemas' must list {schema.core}.", scim_type="invalidSyntax")
    out: dict[str, Any] = {}
    for key, value in body.items():
        if key.lower() == "schemas":
            continue
        extension = schema.extension_urn(key)
        if extension is None:
            _put_checked(out, schema, None, key, value)
            continue
        if value is not None and not isinstance(value, dict):
            raise Invalid(f"'{extension}' must be an object.", scim_type=INVALID_VALUE)
        target: dict[str, Any] = {}
        for name, item in (value or {}).items():
            if name.lower() != "schemas":  # some clients repeat the extension's URN inside it
                _put_checked(target, schema, extension, name, item)
        put(out, extension, target)
    check_required(out, schema)
    out["schemas"] = declared_schemas(out, schema)
    return out


def check_required(resource: dict[str, Any], schema: ResourceSchema) -> None:
    """Required attributes (and required sub-attributes of present values) must be present."""
    for extension in (None, *schema.extensions):
        holder = container(resource, extension)
        if holder is None:
            if extension in schema.required_extensions:
                raise Invalid(f"'{extension}' is required.", scim_type=INVALID_VALUE)
            continue
        for attribute in schema.attributes(extension):
            value = get(holder, attribute.name)
            if attribute.required and not attribute.read_only and not is_present(value):
                raise Invalid(f"'{attribute.name}' is required.", scim_type=INVALID_VALUE)
            for element in value if isinstance(value, list) else [value]:
                _check_required_subs(attribute, element)


def _check_required_subs(attribute: Attribute, element: Any) -> None:
    if not isinstance(element, dict):
        return
    for sub in attribute.sub_attributes:
        if sub.required and not sub.read_only and not is_present(get(element, sub.name)):
            raise Invalid(f"'{attribute.name}.{sub.name}' is required.", scim_type=INVALID_VALUE)


def _put_checked(
    out: dict[str, Any], schema: ResourceSchema, extension: str | None, key: str, value: Any
) -> None:
    attribute = schema.attribute(key, extension)
    if attribute is None:
        where = f" in {extension}" if extension else ""
        raise Invalid(f"Unknown attribute '{key}'{where}.", scim_type=INVALID_VALUE)
    if not attribute.read_only:
        put(out, attribute.name, coerce(attribute, value))


def _lowered(items: list[Any]) -> set[str]:
    return {item.lower() for item in items if isinstance(item, str)}
