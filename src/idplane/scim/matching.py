"""In-memory evaluation of a parsed SCIM filter against a resource dict (RFC 7644 3.4.2.2).

Case rules come from each attribute's `caseExact`; dateTime attributes order as instants;
a multi-valued attribute matches when any of its values does; `ne` is the negation of `eq`
(so an absent attribute is "not equal"). Unassigned means null, empty string or empty list.
"""

from __future__ import annotations

import operator
from datetime import datetime
from typing import Any

from idplane.scim.filters import (
    And,
    Compare,
    Expr,
    Not,
    Or,
    Present,
    Visitor,
    Within,
    parse_datetime,
)
from idplane.scim.schemas import Attribute
from idplane.scim.values import get, is_present, values_at

_ORDER = {"gt": operator.gt, "ge": operator.ge, "lt": operator.lt, "le": operator.le}


def matches(expr: Expr, resource: dict[str, Any]) -> bool:
    """Whether `resource` (a SCIM representation, or one element inside a value filter) matches."""
    return _Matcher(resource).visit(expr)


def comparable(attribute: Attribute, value: Any) -> Any:
    """`value` in the form it compares in: a datetime, or lower case when not caseExact."""
    if attribute.type == "dateTime":
        return parse_datetime(value)
    if isinstance(value, str) and not attribute.case_exact:
        return value.lower()
    return value


class _Matcher(Visitor[bool]):
    def __init__(self, resource: dict[str, Any]):
        self.resource = resource

    def compare(self, node: Compare) -> bool:
        values = values_at(self.resource, node.ref)
        if node.value is None:
            assigned = any(is_present(v) for v in values)
            return assigned if node.op == "ne" else not assigned
        test = "eq" if node.op == "ne" else node.op
        hit = any(_test(test, node.ref.leaf, v, node.value) for v in values)
        return not hit if node.op == "ne" else hit

    def present(self, node: Present) -> bool:
        return any(is_present(v) for v in values_at(self.resource, node.ref))

    def and_(self, node: And) -> bool:
        return self.visit(node.left) and self.visit(node.right)

    def or_(self, node: Or) -> bool:
        return self.visit(node.left) or self.visit(node.right)

    def not_(self, node: Not) -> bool:
        return not self.visit(node.expr)

    def within(self, node: Within) -> bool:
        top = get(self.resource, node.ref.extension) if node.ref.extension else self.resource
        elements = get(top, node.ref.attribute.name)
        if not isinstance(elements, list):
            elements = [elements]
        return any(isinstance(e, dict) and matches(node.expr, e) for e in elements)


def _test(op: str, attribute: Attribute, actual: Any, expected: Any) -> bool:
    if isinstance(expected, datetime):
        actual = parse_datetime(actual)
        if actual is None:
            return False
    elif isinstance(expected, bool) or isinstance(actual, bool):
        return op == "eq" and actual is expected
    elif isinstance(expected, int | float):
        if not isinstance(actual, int | float):
            return False
    elif isinstance(actual, str):
        if not attribute.case_exact:
            actual, expected = actual.lower(), expected.lower()
    else:
        return False
    if op == "eq":
        return actual == expected
    if op == "co":
        return expected in actual
    if op == "sw":
        return actual.startswith(expected)
    if op == "ew":
        return actual.endswith(expected)
    return _ORDER[op](actual, expected)
