"""A group's attributes: how display names are compared and which attribute paths
`update_group` may write."""

from __future__ import annotations

import hashlib
from typing import Annotated

from pydantic import StringConstraints

from idplane.identitystore.directory.attributes import Attribute, AttributeTable, Value, text
from idplane.identitystore.groups.tables import PREFIX, Group
from idplane.instances.schemas import NO_NUL

DisplayName = Annotated[str, StringConstraints(min_length=1, max_length=1024, pattern=NO_NUL)]
Description = Annotated[str, StringConstraints(max_length=1024, pattern=NO_NUL)]


class NewGroup(Value):
    """Everything `create_group` takes (CreateGroupReqBody)."""

    display_name: DisplayName
    description: Description | None = None


def folded(display_name: str) -> str:
    """Display names compare case-insensitively."""
    return display_name.casefold()


def name_key(display_name: str) -> str:
    return hashlib.sha256(folded(display_name).encode()).hexdigest()


def name_prefix(display_name: str) -> str:
    return folded(display_name)[:PREFIX]


def set_display_name(group: Group, value: str) -> None:
    group.display_name = value
    group.name_key = name_key(value)
    group.name_prefix = name_prefix(value)


def set_description(group: Group, value: str | None) -> None:
    group.description = value or None


GROUP_ATTRIBUTES = AttributeTable(
    "group",
    [
        Attribute("display_name", text(1, 1024), set_display_name, required=True),
        Attribute("description", text(0, 1024), set_description),
    ],
    read_only=(
        "group_id",
        "id",
        "identity_store_id",
        "external_id",
        "external_ids",
        "members",
        "created_at",
        "created_by",
        "updated_at",
        "updated_by",
    ),
)
