"""The SCIM filter and attribute-path grammar (RFC 7644 sections 3.4.2.2 and 3.5.2).

`parse_filter` turns `userName eq "bjensen" and emails[type eq "work"]` into an AST whose leaves
carry resolved attribute definitions, so evaluators (in memory, SQL) know each attribute's type
and case rule without another look-up. `parse_path` reads a PATCH path
(`members[value eq "x"]`, `emails[type eq "work"].value`, an extension URN). Operators and
attribute names are case-insensitive. Input is bounded in length and nesting depth.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar

from idplane.platform import jsonbody
from idplane.platform.errors import Invalid
from idplane.scim.schemas import Attribute, AttrRef, ResourceSchema

MAX_LENGTH = 4096
MAX_DEPTH = 16
COMPARISONS = frozenset({"eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le"})
ORDERINGS = frozenset({"gt", "ge", "lt", "le"})
SUBSTRINGS = frozenset({"co", "sw", "ew"})
STRING_TYPES = frozenset({"string", "reference", "binary"})


@dataclass(frozen=True)
class Compare:
    """`ref op value`; `value` is already of the attribute's type (a datetime for dates)."""

    ref: AttrRef
    op: str
    value: Any


@dataclass(frozen=True)
class Present:
    ref: AttrRef


@dataclass(frozen=True)
class And:
    left: Expr
    right: Expr


@dataclass(frozen=True)
class Or:
    left: Expr
    right: Expr


@dataclass(frozen=True)
class Not:
    expr: Expr


@dataclass(frozen=True)
class Within:
    """`emails[type eq "work"]`: some element of `ref` matches `expr` (element-relative refs)."""

    ref: AttrRef
    expr: Expr


Expr = Compare | Present | And | Or | Not | Within


@dataclass(frozen=True)
class PatchPath:
    """A PATCH target: an attribute (optionally filtered, then a sub-attribute) or an extension."""

    ref: AttrRef | None
    extension: str | None
    filter: Expr | None = None
    sub: Attribute | None = None


T = TypeVar("T")


class Visitor(Generic[T]):
    """Dispatch on the node type; methods visit children themselves (so `and` can short-cut)."""

    def visit(self, expr: Expr) -> T:
        match expr:
            case Compare():
                return self.compare(expr)
            case Present():
                return self.present(expr)
            case And():
                return self.and_(expr)
            case Or():
                return self.or_(expr)
            case Not():
                return self.not_(expr)
            case Within():
                return self.within(expr)
        raise TypeError(f"not a filter node: {expr!r}")

    def compare(self, node: Compare) -> T:
        raise NotImplementedError

    def present(self, node: Present) -> T:
        raise NotImplementedError

    def and_(self, node: And) -> T:
        raise NotImplementedError

    def or_(self, node: Or) -> T:
        raise NotImplementedError

    def not_(self, node: Not) -> T:
        raise NotImplementedError

    def within(self, node: Within) -> T:
        raise NotImplementedError


def parse_filter(text: Any, schema: ResourceSchema) -> Expr:
    """Parse a `filter` query parameter; any fault is 400 `invalidFilter`."""
    parser = _Parser(text, schema, "invalidFilter")
    expr = parser.filter(None)
    parser.expect_end()
    return expr


def parse_path(text: Any, schema: ResourceSchema) -> PatchPath:
    """Parse a PATCH `path`; any fault is 400 `invalidPath`."""
    parser = _Parser(text, schema, "invalidPath")
    extension = schema.extension_urn(parser.text.strip())
    if extension:
        return PatchPath(None, extension)
    ref = schema.resolve(parser.expect("word").text, "invalidPath")
    path = PatchPath(ref, ref.extension)
    if parser.accept("["):
        if ref.sub is not None or not (ref.attribute.is_complex and ref.attribute.multi_valued):
            parser.fail(f"'{ref.key}' cannot take a value filter")
        with parser.nested():
            path = replace(path, filter=parser.filter(ref.attribute))
        parser.expect("]")
        if parser.accept("."):
            name = parser.expect("word").text
            path = replace(path, sub=ref.attribute.sub(name) or parser.fail(f"unknown '{name}'"))
    parser.expect_end()
    return path


def parse_datetime(value: Any) -> datetime | None:
    """An RFC 3339 date-time as an aware datetime (naive values are taken as UTC)."""
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.strip())
        except ValueError:
            return None
    else:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


@dataclass(frozen=True)
class _Token:
    kind: str  # one of ( ) [ ] . str num word end
    text: str
    pos: int


_TOKEN = re.compile(
    r"""\s*(?:
      (?P<punct>[()\[\].])
    | (?P<str>"(?:[^"\\]|\\.)*")
    | (?P<num>-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)
    | (?P<word>[A-Za-z$][A-Za-z0-9_$:.\-]*)
    )""",
    re.VERBOSE,
)


def _tokenize(text: str, scim_type: str) -> list[_Token]:
    tokens: list[_Token] = []
    pos, end = 0, len(text.rstrip())
    while pos < end:
        found = _TOKEN.match(text, pos, end)
        if found is None:
            start = len(text) - len(text[pos:].lstrip())
            raise Invalid(f"Unexpected character at position {start}.", scim_type=scim_type)
        kind = found.lastgroup or "punct"
        value = found.group(kind)
        tokens.append(_Token(value if kind == "punct" else kind, value, found.start(kind)))
        pos = found.end()
    tokens.append(_Token("end", "", len(text)))
    return tokens


class _Parser:
    def __init__(self, text: Any, schema: ResourceSchema, scim_type: str):
        if not isinstance(text, str) or not text.strip():
            raise Invalid("The expression is empty.", scim_type=scim_type)
        if len(text) > MAX_LENGTH:
            raise Invalid(f"The expression exceeds {MAX_LENGTH} characters.", scim_type=scim_type)
        self.text, self.schema, self.scim_type = text, schema, scim_type
        self.tokens = _tokenize(text, scim_type)
        self.index = 0
        self.depth = 0

    def fail(self, message: str) -> Any:
        where = self.tokens[self.index].pos
        raise Invalid(f"{message} (at position {where}).", scim_type=self.scim_type)

    def peek(self) -> _Token:
        return self.tokens[self.index]

    def accept(self, kind: str, word: str | None = None) -> _Token | None:
        token = self.peek()
        if token.kind != kind or (word is not None and token.text.lower() != word):
            return None
        self.index += 1
        return token

    def expect(self, kind: str) -> _Token:
        token = self.accept(kind)
        if token is None:
            shown = self.peek().text or "end of input"
            self.fail(f"Expected {'an attribute' if kind == 'word' else kind!r}, got '{shown}'")
        return token  # type: ignore[return-value]

    def expect_end(self) -> None:
        if self.peek().kind != "end":
            self.fail(f"Unexpected '{self.peek().text}'")

    def nested(self) -> _Depth:
        return _Depth(self)

    def filter(self, within: Attribute | None) -> Expr:
        terms = [self.conjunction(within)]
        while self.accept("word", "or"):
            terms.append(self.conjunction(within))
        return _balanced(Or, terms)

    def conjunction(self, within: Attribute | None) -> Expr:
        factors = [self.unary(within)]
        while self.accept("word", "and"):
            factors.append(self.unary(within))
        return _balanced(And, factors)

    def unary(self, within: Attribute | None) -> Expr:
        if self.accept("word", "not"):
            with self.nested():
                return Not(self.unary(within))
        if self.accept("("):
            with self.nested():
                node = self.filter(within)
            self.expect(")")
            return node
        return self.attribute_expression(within)

    def attribute_expression(self, within: Attribute | None) -> Expr:
        ref = self.reference(self.expect("word").text, within)
        if within is None and self.accept("["):
            if ref.sub is not None or not ref.attribute.is_complex:
                self.fail(f"'{ref.key}' cannot take a value filter")
            with self.nested():
                inner = self.filter(ref.attribute)
            self.expect("]")
            if not self.accept("."):
                return Within(ref, inner)
            # `emails[type eq "work"].value co "@x"` = `emails[type eq "work" and value co "@x"]`
            name = self.expect("word").text
            sub = ref.attribute.sub(name) or self.fail(f"Unknown sub-attribute '{name}'")
            return Within(ref, And(inner, self.operation(AttrRef(sub))))
        return self.operation(ref)

    def operation(self, ref: AttrRef) -> Expr:
        op = self.expect("word").text.lower()
        if op == "pr":
            return Present(ref)
        if op not in COMPARISONS:
            self.fail(f"Unknown operator '{op}'")
        return self.comparison(ref, op, self.literal())

    def reference(self, text: str, within: Attribute | None) -> AttrRef:
        if within is None:
            return self.schema.resolve(text, self.scim_type)
        # Inside brackets names are the element's sub-attributes; `emails.type` is tolerated.
        prefix = within.name.lower() + "."
        name = text[len(prefix) :] if text.lower().startswith(prefix) else text
        sub = within.sub(name)
        return AttrRef(sub) if sub else self.fail(f"Unknown sub-attribute '{text}'")

    def literal(self) -> Any:
        token = self.peek()
        self.index += 1
        if token.kind in ("str", "num"):
            try:
                return jsonbody.loads(token.text)
            except ValueError:
                self.index -= 1
                self.fail("Malformed literal")
        if token.kind == "word" and token.text.lower() in ("true", "false", "null"):
            return {"true": True, "false": False, "null": None}[token.text.lower()]
        self.index -= 1
        return self.fail("Expected a string, number, true, false or null")

    def comparison(self, ref: AttrRef, op: str, value: Any) -> Compare:
        if ref.leaf.is_complex:
            # A complex attribute compares through its `value` sub-attribute (members eq "id").
            value_sub = ref.leaf.sub("value")
            if value_sub is None or ref.sub is not None:
                self.fail(f"'{ref.key}' is complex; compare one of its sub-attributes")
            ref = replace(ref, sub=value_sub)
        if value is None:
            return Compare(ref, op, None) if op in ("eq", "ne") else self.fail(f"'{op}' null")
        return Compare(ref, op, self.typed(ref.leaf, op, value))

    def typed(self, attribute: Attribute, op: str, value: Any) -> Any:
        kind = attribute.type
        if kind == "boolean":
            if isinstance(value, str) and value.lower() in ("true", "false"):
                value = value.lower() == "true"
            if not isinstance(value, bool) or op not in ("eq", "ne"):
                self.fail(f"'{attribute.name}' is boolean: use eq/ne with true or false")
        elif kind in ("integer", "decimal"):
            if isinstance(value, bool) or not isinstance(value, int | float) or op in SUBSTRINGS:
                self.fail(f"'{attribute.name}' is a number: compare it with a number")
        elif not isinstance(value, str):
            self.fail(f"'{attribute.name}' is a {kind}: compare it with a string")
        elif kind == "dateTime" and op not in SUBSTRINGS:
            return parse_datetime(value) or self.fail(f"'{value}' is not a date-time")
        elif kind == "binary" and op in ORDERINGS:
            self.fail(f"'{attribute.name}' is binary and has no order")
        return value


def _balanced(kind: type[And] | type[Or], items: list[Expr]) -> Expr:
    """A balanced tree: a 4 KiB chain of `or`s stays shallow for recursive evaluators."""
    if len(items) == 1:
        return items[0]
    middle = len(items) // 2
    return kind(_balanced(kind, items[:middle]), _balanced(kind, items[middle:]))


class _Depth:
    def __init__(self, parser: _Parser):
        self.parser = parser

    def __enter__(self) -> None:
        self.parser.depth += 1
        if self.parser.depth > MAX_DEPTH:
            self.parser.fail(f"Nesting deeper than {MAX_DEPTH}")

    def __exit__(self, *exc: object) -> None:
        self.parser.depth -= 1
