"""The documented tag rules (Tag Management Service's): keys 1-128 characters, values 0-255,
letters (any script), digits, spaces and `_ . : = + - @` (values also `/`), no `_sys_` prefix,
no leading or trailing space, at most 20 tags per resource, keys unique per resource."""

from __future__ import annotations

import re

from idplane.platform.errors import Invalid, QuotaExceeded

MAX_TAGS = 20
_KEY = re.compile(r"^[\w.:=+\-@ ]{1,128}$")
_VALUE = re.compile(r"^[\w.:=+\-@/ ]{0,255}$")
INVALID_TAG = "Organizations.1600"


def check_key(key: str) -> None:
    if not _KEY.match(key or "") or key != key.strip() or key.lower().startswith("_sys_"):
        raise Invalid(
            f"Invalid tag key {key!r}: 1-128 letters, digits, spaces or _.:=+-@, "
            "no leading or trailing space, not starting with _sys_.",
            INVALID_TAG,
        )


def check_value(value: str) -> None:
    if not _VALUE.match(value or "") or value != value.strip():
        raise Invalid(
            f"Invalid tag value {value!r}: 0-255 letters, digits, spaces or _.:=+-@/.",
            INVALID_TAG,
        )


def check_tags(tags: list[dict]) -> dict[str, str]:
    """The tags as a dict, after checking each and refusing duplicate keys."""
    seen: dict[str, str] = {}
    for tag in tags:
        check_key(tag["key"])
        check_value(tag.get("value") or "")
        if tag["key"] in seen:
            raise Invalid(f"Duplicate tag key {tag['key']!r}.", INVALID_TAG)
        seen[tag["key"]] = tag.get("value") or ""
    return seen


def check_count(count: int) -> None:
    if count > MAX_TAGS:
        raise QuotaExceeded(f"A resource can have at most {MAX_TAGS} tags.", "Organizations.1601")
