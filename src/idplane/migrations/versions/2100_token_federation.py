"""tokens: what a federated token shows of its sign-in (Keystone's user.OS-FEDERATION)

Revision ID: 2100_token_federation
Revises: 0001_foundation
Create Date: 2026-12-05 05:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "2100_token_federation"
down_revision: str | Sequence[str] | None = "0001_foundation"
branch_labels: str | Sequence[str] | None = ("loop",)
depends_on: str | Sequence[str] | None = ["0001_foundation"]


def upgrade() -> None:
    with op.batch_alter_table("tokens", schema=None) as batch_op:
        batch_op.add_column(sa.Column("federation", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("tokens", schema=None) as batch_op:
        batch_op.drop_column("federation")
