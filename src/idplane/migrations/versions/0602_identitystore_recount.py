"""identitystore: recount the directory counts

A store whose first user or group was created over SCIM counted it twice (the first count of
the store included the new row, and the reservation added it again). The counts now answer
SCIM's unfiltered totalResults as well as the quotas, so every store is counted once more.

Revision ID: 0602_identitystore_recount
Revises: 0601_identitystore_counts
Create Date: 2026-12-05 08:50:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0602_identitystore_recount"
down_revision: str | Sequence[str] | None = "0601_identitystore_counts"
branch_labels: str | Sequence[str] | None = ("identitystore_recount",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute(
        "UPDATE identity_store_directory_counts SET "
        "users = (SELECT count(*) FROM identity_store_users AS u "
        "WHERE u.identity_store_id = identity_store_directory_counts.identity_store_id), "
        "groups = (SELECT count(*) FROM identity_store_groups AS g "
        "WHERE g.identity_store_id = identity_store_directory_counts.identity_store_id)"
    )


def downgrade() -> None:
    pass  # the counts stay right
