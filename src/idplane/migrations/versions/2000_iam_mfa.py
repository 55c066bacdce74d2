"""iam mfa: virtual MFA devices (sealed seed, last accepted time step) and login protection

Revision ID: 2000_iam_mfa
Revises: 0001_foundation
Create Date: 2026-12-05 05:13:32.954564
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "2000_iam_mfa"
down_revision: str | Sequence[str] | None = "0001_foundation"
branch_labels: str | Sequence[str] | None = ("iam_mfa",)
depends_on: str | Sequence[str] | None = ["0200_iam_directory"]


def upgrade() -> None:
    op.create_table(
        "iam_login_protects",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("user_id", sa.String(length=64), nullable=False),
        sa.Column("account_id", sa.String(length=64), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("verification_method", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_iam_login_protects_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["iam_users.id"],
            name=op.f("fk_iam_login_protects_user_id_iam_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_iam_login_protects")),
        sa.UniqueConstraint("user_id", name=op.f("uq_iam_login_protects_user_id")),
    )
    with op.batch_alter_table("iam_login_protects", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_iam_login_protects_account_id"), ["account_id"], unique=False
        )

    op.create_table(
        "iam_mfa_devices",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("serial_number", sa.String(length=256), nullable=False),
        sa.Column("account_id", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("seed_sealed", sa.String(length=512), nullable=False),
        sa.Column("bound", sa.Boolean(), nullable=False),
        sa.Column("last_step", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_iam_mfa_devices_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["iam_users.id"],
            name=op.f("fk_iam_mfa_devices_user_id_iam_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_iam_mfa_devices")),
        sa.UniqueConstraint("serial_number", name=op.f("uq_iam_mfa_devices_serial_number")),
        sa.UniqueConstraint("user_id", name=op.f("uq_iam_mfa_devices_user_id")),
    )
    with op.batch_alter_table("iam_mfa_devices", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_iam_mfa_devices_account_id"), ["account_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("iam_mfa_devices", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_iam_mfa_devices_account_id"))

    op.drop_table("iam_mfa_devices")
    with op.batch_alter_table("iam_login_protects", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_iam_login_protects_account_id"))

    op.drop_table("iam_login_protects")
