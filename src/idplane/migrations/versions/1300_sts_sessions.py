"""sts: agency sessions; temporary keys and tokens bound to them; agencies' maximum session
duration; the audit trail's agency-session columns

Revision ID: 1300_sts_sessions
Revises: 0001_foundation
Create Date: 2026-12-04 16:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "1300_sts_sessions"
down_revision: str | Sequence[str] | None = "0001_foundation"
branch_labels: str | Sequence[str] | None = ("sts",)
depends_on: str | Sequence[str] | None = ["0200_iam_directory"]


def upgrade() -> None:
    op.create_table(
        "sts_agency_sessions",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("account_id", sa.String(length=64), nullable=False),
        sa.Column("agency_id", sa.String(length=64), nullable=False),
        sa.Column("agency_name", sa.String(length=64), nullable=False),
        sa.Column("session_name", sa.String(length=128), nullable=False),
        sa.Column("trusted_party", sa.String(length=64), nullable=False),
        sa.Column("source_kind", sa.String(length=32), nullable=False),
        sa.Column("source_account_id", sa.String(length=64), nullable=False),
        sa.Column("source_principal_id", sa.String(length=256), nullable=False),
        sa.Column("source_principal_urn", sa.String(length=1024), nullable=False),
        sa.Column("parent_session_id", sa.String(length=64), nullable=True),
        sa.Column("assumed_by_urn", sa.String(length=1024), nullable=False),
        sa.Column("source_identity", sa.String(length=64), nullable=True),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("transitive_tag_keys", sa.JSON(), nullable=False),
        sa.Column("session_policy", sa.JSON(), nullable=True),
        sa.Column("mfa", sa.Boolean(), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_sts_agency_sessions_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["agency_id"],
            ["iam_agencies.id"],
            name=op.f("fk_sts_agency_sessions_agency_id_iam_agencies"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_sts_agency_sessions")),
        sa.UniqueConstraint("id", name=op.f("uq_sts_agency_sessions_id")),
    )
    with op.batch_alter_table("sts_agency_sessions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_sts_agency_sessions_account_id"), ["account_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_sts_agency_sessions_agency_id"), ["agency_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_sts_agency_sessions_expires_at"), ["expires_at"], unique=False
        )
    with op.batch_alter_table("temporary_access_keys", schema=None) as batch_op:
        batch_op.alter_column("user_id", existing_type=sa.String(length=64), nullable=True)
        batch_op.add_column(sa.Column("agency_session_id", sa.String(length=64), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_temporary_access_keys_agency_session_id"),
            ["agency_session_id"],
            unique=False,
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_temporary_access_keys_agency_session_id_sts_agency_sessions"),
            "sts_agency_sessions",
            ["agency_session_id"],
            ["id"],
            ondelete="CASCADE",
        )
    with op.batch_alter_table("tokens", schema=None) as batch_op:
        batch_op.add_column(sa.Column("agency_session_id", sa.String(length=64), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_tokens_agency_session_id"), ["agency_session_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_tokens_agency_session_id_sts_agency_sessions"),
            "sts_agency_sessions",
            ["agency_session_id"],
            ["id"],
            ondelete="CASCADE",
        )
    with op.batch_alter_table("iam_agencies", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("max_session_duration", sa.Integer(), server_default="3600", nullable=False)
        )
        batch_op.add_column(sa.Column("trust_policy", sa.JSON(), nullable=True))
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("agency", sa.String(length=256), nullable=True))
        batch_op.add_column(sa.Column("session_name", sa.String(length=128), nullable=True))
        batch_op.add_column(sa.Column("source_identity", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("original_principal", sa.String(length=1024), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_column("original_principal")
        batch_op.drop_column("source_identity")
        batch_op.drop_column("session_name")
        batch_op.drop_column("agency")
    with op.batch_alter_table("iam_agencies", schema=None) as batch_op:
        batch_op.drop_column("trust_policy")
        batch_op.drop_column("max_session_duration")
    with op.batch_alter_table("tokens", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_tokens_agency_session_id_sts_agency_sessions"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_tokens_agency_session_id"))
        batch_op.drop_column("agency_session_id")
    with op.batch_alter_table("temporary_access_keys", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_temporary_access_keys_agency_session_id_sts_agency_sessions"),
            type_="foreignkey",
        )
        batch_op.drop_index(batch_op.f("ix_temporary_access_keys_agency_session_id"))
        batch_op.drop_column("agency_session_id")
        batch_op.alter_column("user_id", existing_type=sa.String(length=64), nullable=False)
    op.drop_table("sts_agency_sessions")
