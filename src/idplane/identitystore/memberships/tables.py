"""Group memberships: a user in a group, at most once (unique `(group_id, user_id)`).

Both sides reference their principal with ON DELETE CASCADE, so deleting a user or a group
(or the identity store, or the whole Identity Center instance) removes its memberships in the
same statement. The two `(…, seq)` indexes serve the two lists: a group's members and a
user's groups, each keyset-paged.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from idplane.platform.db import Base


class GroupMembership(Base):
    __tablename__ = "identity_store_group_memberships"
    __table_args__ = (
        UniqueConstraint("group_id", "user_id", name="uq_identity_store_group_memberships_pair"),
        Index("ix_identity_store_group_memberships_group_seq", "group_id", "seq"),
        Index("ix_identity_store_group_memberships_user_seq", "user_id", "seq"),
    )

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(36), unique=True)  # UUID
    identity_store_id: Mapped[str] = mapped_column(
        ForeignKey("identity_stores.id", ondelete="CASCADE")
    )
    group_id: Mapped[str] = mapped_column(
        ForeignKey("identity_store_groups.id", ondelete="CASCADE")
    )
    user_id: Mapped[str] = mapped_column(ForeignKey("identity_store_users.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(64))
