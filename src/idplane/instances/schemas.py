"""The path, query and body types every Identity Center and Identity Store API shares (one
copy): ids in paths and queries, paging parameters, the lenient request body and page info.
Checked like bodies, so a stray NUL is a 400, never a 500."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query
from pydantic import BaseModel, ConfigDict, StringConstraints

from idplane.platform.paging import Page

# PostgreSQL text cannot hold NUL characters: such input is a 400, never a database error.
NO_NUL = r"^[^\x00]*$"

# An id in a request body.
Id = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=NO_NUL)]
# Ids in paths: the instance, the identity store and whatever hangs off them.
PathId = Annotated[str, Path(min_length=1, max_length=64, pattern=NO_NUL)]
InstanceId = PathId
StoreId = PathId
QueryId = Annotated[str, Query(min_length=1, max_length=64, pattern=NO_NUL)]
# An optional query filter (a name, a status, an account id).
OptionalQuery = Annotated[str | None, Query(max_length=1024, pattern=NO_NUL)]
Limit = Annotated[int | None, Query()]
Marker = Annotated[str | None, Query(max_length=64, pattern=NO_NUL)]


class Body(BaseModel):
    """Request bodies ignore fields they do not know, as the real service does."""

    model_config = ConfigDict(extra="ignore")


class PageInfo(BaseModel):
    next_marker: str | None = None
    current_count: int


def page_info(page: Page) -> PageInfo:
    return PageInfo(**page.page_info())
