"""Push a parsed SCIM filter (and sort) down to SQL when every leaf maps to a column.

The caller supplies `column_for(key)`, `key` being an attribute path in the schema's spelling
(`userName`, `name.familyName`, `meta.lastModified`,
`urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber`), returning a column
expression, a `Column` (expression + converter for stored forms such as epoch milliseconds), or
None. If any leaf is unmapped, or the filter uses a value filter (`emails[...]`), the result is
None and the caller filters in memory (`matching.matches`) over a bounded candidate set.

Every leaf is two-valued (never SQL NULL), so `not (...)` means what it means in memory:
`not (title eq "x")` also matches users without a title. Case-insensitive attributes compare
through `lower()` on both sides; substring tests use `substr`/`replace`, not LIKE, because
SQLite's LIKE ignores case and PostgreSQL's does not. Known difference: SQLite's `lower()`
folds ASCII only, and string ordering (`gt`, sorting) follows the database's collation.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, and_, case, false, func, not_, or_, true
from sqlalchemy.sql.elements import ColumnElement

from idplane.scim.filters import And, Compare, Expr, Not, Or, Present, Visitor, Within
from idplane.scim.listing import Sort
from idplane.scim.schemas import AttrRef


@dataclass(frozen=True)
class Column:
    """A column and how to turn a filter literal (str/bool/number/datetime) into its stored form."""

    expr: Any
    convert: Callable[[Any], Any] | None = None


ColumnFor = Callable[[str], Any]


class Unmapped(Exception):
    """Some part of the filter has no column; the caller falls back to in-memory filtering."""


def to_predicate(expr: Expr, column_for: ColumnFor) -> ColumnElement[bool] | None:
    """A SQLAlchemy boolean expression equivalent to `expr`, or None when it cannot be built."""
    try:
        return _Translator(column_for).visit(expr)
    except Unmapped:
        return None


def to_order_by(sort: Sort, column_for: ColumnFor) -> list[Any] | None:
    """ORDER BY clauses for `sort` (unassigned last when ascending, first when descending)."""
    try:
        column = _column(column_for, sort.ref)
    except Unmapped:
        return None
    assigned = _assigned(column, sort.ref)  # null and "" both sort as "no value", as in memory
    value = func.lower(column.expr) if _folds_case(sort.ref) else column.expr
    value = case((assigned, value), else_=None)  # ties among the unassigned keep caller order
    missing = not_(assigned)
    if sort.descending:
        return [missing.desc(), value.desc()]
    return [missing, value]


class _Translator(Visitor[ColumnElement[bool]]):
    def __init__(self, column_for: ColumnFor):
        self.column_for = column_for

    def compare(self, node: Compare) -> ColumnElement[bool]:
        column = _column(self.column_for, node.ref)
        if node.value is None:
            assigned = _assigned(column, node.ref)
            return assigned if node.op == "ne" else not_(assigned)
        col, value = _operands(column, node.ref, node.value)
        if node.op == "ne":
            return or_(column.expr.is_(None), col != value)
        return and_(column.expr.is_not(None), _test(node.op, col, value))

    def present(self, node: Present) -> ColumnElement[bool]:
        return _assigned(_column(self.column_for, node.ref), node.ref)

    def and_(self, node: And) -> ColumnElement[bool]:
        return and_(self.visit(node.left), self.visit(node.right))

    def or_(self, node: Or) -> ColumnElement[bool]:
        return or_(self.visit(node.left), self.visit(node.right))

    def not_(self, node: Not) -> ColumnElement[bool]:
        return not_(self.visit(node.expr))

    def within(self, node: Within) -> ColumnElement[bool]:
        raise Unmapped(node.ref.key)


def _column(column_for: ColumnFor, ref: AttrRef) -> Column:
    found = column_for(ref.key)
    if found is None:
        raise Unmapped(ref.key)
    return found if isinstance(found, Column) else Column(found)


def _folds_case(ref: AttrRef) -> bool:
    return ref.leaf.type in ("string", "reference") and not ref.leaf.case_exact


def _assigned(column: Column, ref: AttrRef) -> ColumnElement[bool]:
    if ref.leaf.type in ("string", "reference", "binary"):
        return and_(column.expr.is_not(None), column.expr != "")
    return column.expr.is_not(None)


def _operands(column: Column, ref: AttrRef, value: Any) -> tuple[Any, Any]:
    if column.convert is not None:
        return column.expr, column.convert(value)
    if isinstance(value, datetime):
        return column.expr, _stored_datetime(column.expr, value)
    if isinstance(value, str) and _folds_case(ref):
        return func.lower(column.expr), value.lower()
    return column.expr, value


def _stored_datetime(expr: Any, value: datetime) -> Any:
    kind = getattr(expr, "type", None)
    if isinstance(kind, DateTime):
        utc = value.astimezone(UTC)
        return utc if kind.timezone else utc.replace(tzinfo=None)
    return value.isoformat()


def _test(op: str, col: Any, value: Any) -> ColumnElement[bool]:
    if op == "eq":
        return col == value
    if op in ("co", "sw", "ew"):
        if value == "":
            return true()
        if op == "co":
            # replace() is case-sensitive on both SQLite and PostgreSQL, unlike LIKE.
            return func.replace(col, value, "") != col
        if op == "sw":
            return func.substr(col, 1, len(value)) == value
        length = func.length(col)
        return and_(length >= len(value), func.substr(col, length - len(value) + 1) == value)
    comparisons = {"gt": col > value, "ge": col >= value, "lt": col < value, "le": col <= value}
    return comparisons.get(op, false())
