"""Keyset paging: `limit` + opaque 24-character `marker`, answered with `page_info`.

Every paged table has an integer surrogate primary key `seq` (its public id is a unique
column); the marker is the `seq` of the last row served, so a page costs the same whatever
the size of the table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, bindparam
from sqlalchemy.orm import Session

from idplane.platform.errors import Invalid

_MARKER = re.compile(r"^[0-9a-f]{24}$")
# `seq` is an INTEGER column: 32-bit signed on PostgreSQL. A marker past it names no row, and
# binding it would overflow (OverflowError on SQLite, `integer out of range` on PostgreSQL).
MAX_SEQ = 2**31 - 1


@dataclass(frozen=True)
class PageRequest:
    limit: int
    after: int | None


@dataclass
class Page:
    rows: list[Any]
    next_marker: str | None

    def page_info(self) -> dict[str, Any]:
        return {"next_marker": self.next_marker, "current_count": len(self.rows)}


def encode_marker(seq: int) -> str:
    return f"{seq:024x}"


def page_request(
    limit: int | None,
    marker: str | None,
    *,
    default: int = 100,
    maximum: int = 100,
    error: type[Invalid] = Invalid,
    code: str | None = None,
) -> PageRequest:
    """Validates `limit` (1..maximum) and `marker` (24 lower-case hex characters)."""
    if limit is None:
        limit = default
    if not 1 <= limit <= maximum:
        raise error(f"limit must be between 1 and {maximum}", code)
    if marker is None or marker == "":
        return PageRequest(limit, None)
    after = int(marker, 16) if _MARKER.match(marker) else None
    if after is None or after > MAX_SEQ:
        raise error("marker must be the 24-character next_marker of a previous page", code)
    return PageRequest(limit, after)


def keyset_page(session: Session, stmt: Select, seq_column: Any, request: PageRequest) -> Page:
    """Runs `stmt` (already filtered) ordered by `seq_column`, one page after the marker.

    `stmt` must select a single entity or row whose `seq` attribute is `seq_column`'s value.
    """
    if request.after is not None:
        stmt = stmt.where(seq_column > request.after)
    stmt = stmt.order_by(seq_column).limit(request.limit + 1)
    rows = list(session.scalars(stmt)) if _is_entity(stmt) else list(session.execute(stmt))
    more = len(rows) > request.limit
    rows = rows[: request.limit]
    next_marker = encode_marker(rows[-1].seq) if more and rows else None
    return Page(rows, next_marker)


def _is_entity(stmt: Select) -> bool:
    descriptions = stmt.column_descriptions
    return (
        len(descriptions) == 1
        and descriptions[0].get("entity") is not None
        and descriptions[0].get("expr") is descriptions[0].get("entity")
    )


def keyset_statement(stmt: Select, seq_column: Any) -> Select:
    """`stmt` (already filtered) as a page statement to build once, for `prepared_page`: ordered
    by `seq_column`, taking the bind parameters `after` and `limit`."""
    return (
        stmt.where(seq_column > bindparam("after")).order_by(seq_column).limit(bindparam("limit"))
    )


def prepared_page(
    session: Session, stmt: Select, params: dict[str, Any], request: PageRequest
) -> Page:
    """`keyset_page` for a statement of `keyset_statement` built once (a page's statement built
    for each request cost more than running it). A statement of columns, run on the session's
    connection, past the ORM's row processing; its rows have a `seq` attribute."""
    values = {**params, "after": request.after or 0, "limit": request.limit + 1}
    rows = list(session.connection().execute(stmt, values))
    more = len(rows) > request.limit
    rows = rows[: request.limit]
    return Page(rows, encode_marker(rows[-1].seq) if more and rows else None)
