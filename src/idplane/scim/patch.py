"""SCIM PATCH (RFC 7644 section 3.5.2) applied to a resource dict, returning a new dict.

Accepted beyond the letter of the RFC, because real IdPs send it: `op` in any case ("Replace"),
`"True"`/`"False"` for booleans, a bare id for `manager`, a path-less `replace` whose value
mixes attribute names, dotted paths, URN-qualified keys and extension objects (Okta's
`{"active": false}`), Azure's `remove` of `members` with a value list (removes just those),
and `add` to `emails[type eq "work"].value` when no work email exists yet (creates it).
ReadOnly attributes echoed unchanged in a path-less value (Okta sends `id`) are ignored.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from typing import Any

from idplane.platform.errors import Invalid
from idplane.scim.filters import And, Compare, Expr, PatchPath, parse_path
from idplane.scim.matching import comparable, matches
from idplane.scim.schemas import PATCH_OP, Attribute, AttrRef, ResourceSchema
from idplane.scim.values import (
    coerce,
    coerce_one,
    declared_schemas,
    find_key,
    get,
    is_present,
    put,
    values_at,
)

OPS = ("add", "remove", "replace")
MAX_OPERATIONS = 1000


@dataclass(frozen=True)
class PatchResult:
    resource: dict[str, Any]
    changed: frozenset[str]  # top-level attributes, extension ones as "urn:...:User:department"


def operations_of(body: Any) -> list[dict[str, Any]]:
    """The `Operations` of a PatchOp request body, after checking the envelope."""
    if not isinstance(body, dict):
        raise _syntax("The request body must be a JSON object.")
    declared = get(body, "schemas")
    if not isinstance(declared, list) or PATCH_OP.lower() not in [str(s).lower() for s in declared]:
        raise _syntax(f"'schemas' must be [\"{PATCH_OP}\"].")
    operations = get(body, "Operations")
    if not isinstance(operations, list) or not operations:
        raise _syntax("'Operations' must be a non-empty list.")
    if len(operations) > MAX_OPERATIONS:
        raise _syntax(f"At most {MAX_OPERATIONS} operations are accepted.")
    return operations


def apply_patch(
    resource: dict[str, Any], operations: list[Any], schema: ResourceSchema
) -> PatchResult:
    """Apply every operation in order, all or nothing; `resource` is never mutated."""
    work = copy.deepcopy(resource)
    patcher = _Patcher(work, schema)
    for operation in operations:
        patcher.apply(operation)
    for extension in schema.extensions:
        if not is_present(get(work, extension)):
            put(work, extension, None)
    _check_required_kept(resource, work, schema)
    if find_key(work, "schemas") is not None or find_key(resource, "schemas") is not None:
        put(work, "schemas", declared_schemas(work, schema))
    return PatchResult(work, _changed(resource, work, schema))


class _Patcher:
    def __init__(self, resource: dict[str, Any], schema: ResourceSchema):
        self.resource, self.schema = resource, schema

    def apply(self, operation: Any) -> None:
        if not isinstance(operation, dict):
            raise _syntax("Each operation must be a JSON object.")
        op = get(operation, "op")
        if not isinstance(op, str) or op.strip().lower() not in OPS:
            raise _syntax(f"Unknown op {op!r}; expected add, remove or replace.")
        op = op.strip().lower()
        path, value = get(operation, "path"), get(operation, "value")
        has_value = find_key(operation, "value") is not None
        if path is not None and not isinstance(path, str):
            raise Invalid("'path' must be a string.", scim_type="invalidPath")
        if path is None or not path.strip():
            self.without_path(op, value)
            return
        if op != "remove" and not has_value:
            raise Invalid(f"'{op}' needs a value.", scim_type="invalidValue")
        self.at(op, parse_path(path, self.schema), value, path, explicit=True)

    def without_path(self, op: str, value: Any) -> None:
        if op == "remove":
            raise Invalid("'remove' needs a path.", scim_type="noTarget")
        if not isinstance(value, dict):
            raise Invalid(f"'{op}' without a path needs an object value.", scim_type="invalidValue")
        for key, item in value.items():
            if key.lower() == self.schema.core.lower():
                self.without_path(op, item)  # the core attributes nested under their URN
            elif key.lower() != "schemas":
                self.at(op, parse_path(key, self.schema), item, key, explicit=False)

    def at(self, op: str, path: PatchPath, value: Any, text: str, explicit: bool) -> None:
        if path.ref is None:
            self.extension(op, path.extension or "", value)
            return
        ref = path.ref
        if self.read_only(ref, path, value, text, explicit):
            return
        holder = self.holder(ref.extension, create=op != "remove")
        if holder is None:
            return
        if path.filter is not None:
            self.filtered(op, holder, ref.attribute, path.filter, path.sub, value)
        elif ref.sub is not None:
            self.sub(op, holder, ref.attribute, ref.sub, value)
        else:
            self.whole(op, holder, ref.attribute, value)

    def extension(self, op: str, urn: str, value: Any) -> None:
        if op == "remove" or value is None:
            put(self.resource, urn, None)
            return
        if not isinstance(value, dict):
            raise Invalid(f"'{urn}' must be an object.", scim_type="invalidValue")
        for key, item in value.items():
            attribute = self.schema.attribute(key, urn)
            if key.lower() == "schemas":  # scim2 clients serialise the extension with its own
                continue
            if attribute is None:
                raise Invalid(f"Unknown attribute '{key}' in {urn}.", scim_type="invalidPath")
            self.at(op, PatchPath(AttrRef(attribute, None, urn), urn), item, key, explicit=False)

    def read_only(
        self, ref: AttrRef, path: PatchPath, value: Any, text: str, explicit: bool
    ) -> bool:
        """True to skip an unchanged echo; raises for a real attempt to write a readOnly value."""
        target = path.sub or ref.sub
        if not (ref.attribute.read_only or (target is not None and target.read_only)):
            current = self.current(ref)
            if ref.attribute.mutability == "immutable" and is_present(current) and current != value:
                raise Invalid(f"'{text}' is immutable.", scim_type="mutability")
            return False
        if not explicit and path.filter is None and self.current(ref) == value:
            return True
        raise Invalid(f"'{text}' is readOnly.", scim_type="mutability")

    def current(self, ref: AttrRef) -> Any:
        found = values_at(self.resource, ref)
        return found if ref.attribute.multi_valued else (found[0] if found else None)

    def holder(self, extension: str | None, create: bool) -> dict[str, Any] | None:
        if extension is None:
            return self.resource
        found = get(self.resource, extension)
        if not isinstance(found, dict) and create:
            put(self.resource, extension, None)
            found = self.resource[extension] = {}
        return found if isinstance(found, dict) else None

    def whole(self, op: str, holder: dict[str, Any], attribute: Attribute, value: Any) -> None:
        current = get(holder, attribute.name)
        if op == "remove":
            if attribute.multi_valued and is_present(value) and isinstance(current, list):
                # Azure: {"op": "Remove", "path": "members", "value": [{"value": "id"}]}
                gone = {_identity(attribute, e) for e in coerce(attribute, value) or []}
                value = [e for e in current if _identity(attribute, e) not in gone]
                put(holder, attribute.name, value)
            else:
                put(holder, attribute.name, None)
            return
        new = coerce(attribute, value)
        if new is None:
            if op == "replace":
                put(holder, attribute.name, None)
            return
        if attribute.multi_valued:
            elements = current if (op == "add" and isinstance(current, list)) else []
            merged, touched = _merge_elements(attribute, elements, new)
            put(holder, attribute.name, _one_primary(attribute, merged, touched))
        elif attribute.is_complex:
            element = current if isinstance(current, dict) else {}
            _merge_into(attribute, element, new)
            put(holder, attribute.name, element)
        else:
            put(holder, attribute.name, new)

    def sub(self, op: str, holder: dict, attribute: Attribute, sub: Attribute, value: Any) -> None:
        elements = _elements(get(holder, attribute.name))
        if op != "remove" and not elements:
            elements = [{}]
        for element in elements:
            _merge_into(attribute, element, {sub.name: None if op == "remove" else value})
        self.store(holder, attribute, elements, elements)

    def filtered(
        self,
        op: str,
        holder: dict[str, Any],
        attribute: Attribute,
        expr: Expr,
        sub: Attribute | None,
        value: Any,
    ) -> None:
        elements = _elements(get(holder, attribute.name))
        matched = [e for e in elements if matches(expr, e)]
        if not matched:
            seed = _seed(expr) if op == "add" else None
            if seed is None:
                raise Invalid("No value matches the path's filter.", scim_type="noTarget")
            matched = [seed]
            elements.append(seed)
        if op == "remove" and sub is None:
            self.store(holder, attribute, [e for e in elements if not _among(e, matched)], [])
            return
        update = {sub.name: value} if sub is not None else coerce_one(attribute, value) or {}
        if op == "remove":
            update = dict.fromkeys(update)
        for element in matched:
            _merge_into(attribute, element, update)
        self.store(holder, attribute, elements, matched)

    def store(self, holder: dict, attribute: Attribute, elements: list, touched: list) -> None:
        kept = [e for e in elements if is_present(e)]
        if attribute.multi_valued:
            put(holder, attribute.name, _one_primary(attribute, kept, touched))
        else:
            put(holder, attribute.name, kept[0] if kept else None)


def _merge_into(attribute: Attribute, element: dict[str, Any], update: dict[str, Any]) -> None:
    """Set sub-attributes of one element; immutable ones may be set once, never changed."""
    for key, item in update.items():
        sub = attribute.sub(key)
        if sub is None:
            raise Invalid(f"'{attribute.name}' has no '{key}'.", scim_type="invalidPath")
        if sub.read_only:
            raise Invalid(f"'{attribute.name}.{sub.name}' is readOnly.", scim_type="mutability")
        new = coerce_one(sub, item)
        old = get(element, sub.name)
        if sub.mutability == "immutable" and is_present(old) and old != new:
            raise Invalid(f"'{attribute.name}.{sub.name}' is immutable.", scim_type="mutability")
        put(element, sub.name, new)


def _merge_elements(attribute: Attribute, current: list, new: list) -> tuple[list, list]:
    """`add` to a multi-valued attribute: append, merging into an element with the same identity."""
    merged, touched = list(current), []
    index: dict[Any, Any] = {}
    for element in merged:
        index.setdefault(_identity(attribute, element), element)
    for element in new:
        key = _identity(attribute, element)
        existing = index.get(key)
        if isinstance(existing, dict) and isinstance(element, dict):
            _merge_into(attribute, existing, element)
            touched.append(existing)
        elif key not in index:
            merged.append(element)
            touched.append(element)
            index[key] = element
    return merged, touched


def _identity(attribute: Attribute, element: Any) -> Any:
    """Two elements are the same value when their `value` agrees (per its case rule)."""
    if isinstance(element, dict):
        value_sub = attribute.sub("value")
        value = get(element, "value")
        if value_sub is not None and value is not None:
            return ("value", comparable(value_sub, value))
        return json.dumps(element, sort_keys=True, default=str)
    return comparable(attribute, element)


def _one_primary(attribute: Attribute, elements: list, touched: list) -> list:
    """RFC 7644 3.5.2: setting a value's primary to true clears it on the others."""
    if attribute.sub("primary") is None:
        return elements
    primaries = [e for e in elements if get(e, "primary") is True]
    if len(primaries) > 1:
        fresh = [e for e in primaries if _among(e, touched)]
        keeper = (fresh or primaries)[-1]
        for element in primaries:
            if element is not keeper:
                put(element, "primary", False)
    return elements


def _seed(expr: Expr) -> dict[str, Any] | None:
    """The element an `eq`-only filter describes (`type eq "work"`), to create on `add`."""
    if isinstance(expr, Compare) and expr.op == "eq" and isinstance(expr.value, str | bool | int):
        return {expr.ref.attribute.name: expr.value}
    if isinstance(expr, And):
        left, right = _seed(expr.left), _seed(expr.right)
        return {**left, **right} if left is not None and right is not None else None
    return None


def _elements(current: Any) -> list[dict[str, Any]]:
    """The elements of a complex attribute's value, single-valued ones as a list of one."""
    items = current if isinstance(current, list) else [current]
    return [e for e in items if isinstance(e, dict)]


def _among(element: Any, elements: list) -> bool:
    return any(element is e for e in elements)


def _check_required_kept(before: dict, after: dict, schema: ResourceSchema) -> None:
    for attribute in schema.attributes():
        name = attribute.name
        removed = is_present(get(before, name)) and not is_present(get(after, name))
        if attribute.required and removed:
            raise Invalid(f"'{name}' is required.", scim_type="invalidValue")


def _changed(before: dict, after: dict, schema: ResourceSchema) -> frozenset[str]:
    changed = set()
    for extension in (None, *schema.extensions):
        old = get(before, extension) if extension else before
        new = get(after, extension) if extension else after
        for attribute in schema.attributes(extension):
            if attribute.name != "schemas" and get(old, attribute.name) != get(new, attribute.name):
                changed.add(f"{extension}:{attribute.name}" if extension else attribute.name)
    return frozenset(changed)


def _syntax(message: str) -> Invalid:
    return Invalid(message, scim_type="invalidSyntax")
