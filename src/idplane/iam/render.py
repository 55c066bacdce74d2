"""How IAM objects look on the wire, shared by IAM's routers: links and the several time
formats the real API mixes (each noted where it is used)."""

from __future__ import annotations

from datetime import datetime

from idplane.platform.clock import as_utc, epoch_ms


def links(endpoint: str, path: str, paged: bool = False) -> dict:
    """Keystone `links`; list and show results also carry `previous`/`next` (always null)."""
    body: dict = {"self": f"{endpoint}{path}"}
    if paged:
        body.update(previous=None, next=None)
    return body


def ms(moment: datetime | None) -> int | None:
    """Groups: epoch milliseconds as a number."""
    return epoch_ms(as_utc(moment)) if moment else None


def ms_text(moment: datetime | None) -> str | None:
    """Custom policies: epoch milliseconds as a string."""
    return str(epoch_ms(as_utc(moment))) if moment else None


def dotted(moment: datetime | None) -> str | None:
    """OS-USER users: `2020-07-08 02:19:03.0`."""
    return as_utc(moment).strftime("%Y-%m-%d %H:%M:%S.%f")[:-5] if moment else None


def iso_local(moment: datetime | None) -> str | None:
    """Agencies: `2020-01-04T03:37:16.000000` (UTC, no zone designator)."""
    return as_utc(moment).strftime("%Y-%m-%dT%H:%M:%S.%f") if moment else None


def page_of(items: list, page: int | None, per_page: int | None, maximum: int) -> list:
    """`page`/`per_page` paging of the APIs that have it (both or neither, as the real API)."""
    from idplane.platform.errors import Invalid

    if page is None and per_page is None:
        return items
    if page is None or per_page is None:
        raise Invalid("page and per_page must be given together.", "IAM.0007")
    if page < 1 or not 1 <= per_page <= maximum:
        raise Invalid(f"page must be >= 1 and per_page between 1 and {maximum}.", "IAM.0007")
    return items[(page - 1) * per_page : page * per_page]
