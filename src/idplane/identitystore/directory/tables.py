"""Every table of the identity store's directory (for `idplane.tables.load_all_tables()`), and
the directory's own: how many users and groups each identity store holds.

`DirectoryCounts` makes the 100,000-user and 100,000-group quotas one conditional UPDATE
(`users = users + 1 WHERE users < quota`) instead of a count of up to 100,000 rows on every
creation. Its row lock serializes creations per store, and CHECKs keep it from going negative.
It is kept by `DirectoryService.reserve()` and `delete_principal()`; code that writes users or
groups around the service (bulk loads) must call `DirectoryService.recount()` afterwards.
"""

from sqlalchemy import CheckConstraint, ForeignKey, Integer
from sqlalchemy.orm import Mapped, mapped_column

from idplane.identitystore.groups.tables import Group, GroupExternalId
from idplane.identitystore.memberships.tables import GroupMembership
from idplane.identitystore.users.tables import User, UserExternalId
from idplane.platform.db import Base

__all__ = [
    "DirectoryCounts",
    "Group",
    "GroupExternalId",
    "GroupMembership",
    "User",
    "UserExternalId",
]


class DirectoryCounts(Base):
    __tablename__ = "identity_store_directory_counts"
    __table_args__ = (
        CheckConstraint("users >= 0", name="users_not_negative"),
        CheckConstraint("groups >= 0", name="groups_not_negative"),
    )

    identity_store_id: Mapped[str] = mapped_column(
        ForeignKey("identity_stores.id", ondelete="CASCADE"), primary_key=True
    )
    users: Mapped[int] = mapped_column(Integer)
    groups: Mapped[int] = mapped_column(Integer)
