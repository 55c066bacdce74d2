"""The one JSON parser for what clients send: every request body and every JSON document
carried inside one (policies, attribute values). It refuses, before anything is stored, what
the stores cannot hold alike or the parser cannot survive: nesting deeper than MAX_DEPTH (the
C parser recurses), NUL characters (PostgreSQL text refuses them, SQLite keeps them) and lone
surrogates (they cannot be encoded as UTF-8)."""

from __future__ import annotations

import json
import re
from typing import Any

MAX_DEPTH = 64
_STRINGS = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKETS = re.compile(r"[\[\]{}]")


class MalformedJson(json.JSONDecodeError):
    """Not JSON, or JSON the server refuses; a ValueError, so callers map it like any other."""

    def __init__(self, reason: str, doc: str = "", pos: int = 0, *, bad_value: bool = False):
        super().__init__(reason, doc, pos)
        self.reason = reason
        self.bad_value = bad_value  # well-formed JSON carrying a string no store can hold


def loads(raw: bytes | str) -> Any:
    """The parsed value of `raw`, or MalformedJson saying why not."""
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            raise MalformedJson("the body is not UTF-8", "", error.start) from None
    if _depth(raw) > MAX_DEPTH:
        raise MalformedJson(f"nesting deeper than {MAX_DEPTH} levels")
    try:
        value = json.loads(raw)
    except RecursionError:
        raise MalformedJson(f"nesting deeper than {MAX_DEPTH} levels") from None
    except MalformedJson:
        raise
    except json.JSONDecodeError as error:
        raise MalformedJson(error.msg, "", error.pos) from None
    except ValueError as error:  # e.g. an integer of more than 4300 digits
        raise MalformedJson(str(error)) from None
    _check_text(value)
    return value


def _depth(text: str) -> int:
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return 0  # the common case: too few brackets to nest too deep
    depth = deepest = 0
    for bracket in _BRACKETS.findall(_STRINGS.sub("", text)):
        depth += 1 if bracket in "[{" else -1
        deepest = max(deepest, depth)
    return deepest


def _check_text(value: Any) -> None:
    """Every key and string in `value` (nesting is already bounded)."""
    if isinstance(value, str):
        _check_string(value)
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_string(key)
            _check_text(item)
    elif isinstance(value, list):
        for item in value:
            _check_text(item)


def _check_string(text: str) -> None:
    if "\x00" in text:
        raise MalformedJson("strings must not contain NUL characters", bad_value=True)
    if not text.isascii():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            raise MalformedJson(
                "strings must not contain lone surrogates", bad_value=True
            ) from None
