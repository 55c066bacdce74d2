"""Sorting and paging of SCIM list responses (RFC 7644 sections 3.4.2.3 and 3.4.2.4).

`startIndex` is 1-based (values below 1 mean 1), `count` is capped at the advertised
`filter.maxResults` (negative means 0, absent means the maximum). Sorting honours the sort
attribute's case rule and type; resources without a value come last in ascending order and
first in descending order; a multi-valued attribute sorts by its primary (else first) value.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from idplane.platform.errors import Invalid
from idplane.scim.matching import comparable
from idplane.scim.schemas import LIST_RESPONSE, AttrRef, ResourceSchema
from idplane.scim.values import get, is_present


@dataclass(frozen=True)
class Sort:
    ref: AttrRef
    descending: bool = False


@dataclass(frozen=True)
class Page:
    start_index: int
    count: int

    @property
    def offset(self) -> int:
        return self.start_index - 1


def parse_sort(sort_by: str | None, sort_order: str | None, schema: ResourceSchema) -> Sort | None:
    """The requested order, or None when `sortBy` is absent (`sortOrder` alone is ignored)."""
    order = (sort_order or "ascending").strip().lower()
    if order not in ("ascending", "descending"):
        raise Invalid("sortOrder must be 'ascending' or 'descending'.", scim_type="invalidValue")
    if sort_by is None or not sort_by.strip():
        return None
    ref = schema.resolve(sort_by.strip(), "invalidValue")
    if ref.leaf.is_complex:
        value = ref.leaf.sub("value")
        if value is None:
            raise Invalid(f"Cannot sort by complex '{sort_by}'.", scim_type="invalidValue")
        ref = AttrRef(ref.attribute, value, ref.extension)
    return Sort(ref, order == "descending")


def sort_resources(resources: list[dict[str, Any]], sort: Sort | None) -> list[dict[str, Any]]:
    """A stably sorted copy of `resources`."""
    if sort is None:
        return list(resources)
    keyed: list[tuple[Any, dict[str, Any]]] = []
    missing: list[tuple[Any, dict[str, Any]]] = []
    for resource in resources:
        value = sort_value(resource, sort.ref)
        key = comparable(sort.ref.leaf, value) if value is not None else None
        (keyed if key is not None else missing).append((key, resource))
    try:
        keyed.sort(key=lambda pair: pair[0], reverse=sort.descending)
    except TypeError:  # stored values of mixed types: fall back to their text
        keyed.sort(key=lambda pair: str(pair[0]), reverse=sort.descending)
    ordered = [r for _, r in keyed]
    rest = [r for _, r in missing]
    return rest + ordered if sort.descending else ordered + rest


def sort_value(resource: dict[str, Any], ref: AttrRef) -> Any:
    holder = get(resource, ref.extension) if ref.extension else resource
    value = get(holder, ref.attribute.name)
    if isinstance(value, list):
        elements = [e for e in value if is_present(e)]
        primary = [e for e in elements if isinstance(e, dict) and get(e, "primary") is True]
        value = (primary or elements or [None])[0]
    if ref.sub is not None:
        value = get(value, ref.sub.name)
    return value if is_present(value) else None


def page(start_index: Any, count: Any, max_results: int) -> Page:
    """Normalise `startIndex`/`count` query parameters (strings or ints) per RFC 7644 3.4.2.4."""
    start = _integer("startIndex", start_index)
    wanted = _integer("count", count)
    return Page(
        start_index=max(start if start is not None else 1, 1),
        count=max_results if wanted is None else min(max(wanted, 0), max_results),
    )


def page_of(resources: list[dict[str, Any]], window: Page) -> list[dict[str, Any]]:
    return resources[window.offset : window.offset + window.count]


def list_response(
    resources: list[dict[str, Any]], total_results: int, start_index: int
) -> dict[str, Any]:
    """The ListResponse message; integers throughout (Huawei's SDK reads them into str fields)."""
    return {
        "schemas": [LIST_RESPONSE],
        "totalResults": total_results,
        "itemsPerPage": len(resources),
        "startIndex": start_index,
        "Resources": resources,
    }


def _integer(name: str, value: Any) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise Invalid(f"{name} must be an integer.", scim_type="invalidValue")
    try:
        return int(value.strip() if isinstance(value, str) else value)
    except (TypeError, ValueError):
        raise Invalid(f"{name} must be an integer.", scim_type="invalidValue") from None
