"""federation sign-in: federated users' domains (Keystone's per-IdP domain), shadow users

Revision ID: 1500_federation_signin
Revises: 0001_foundation
Create Date: 2026-12-04 16:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "1500_federation_signin"
down_revision: str | Sequence[str] | None = "0001_foundation"
branch_labels: str | Sequence[str] | None = ("federation_signin",)
depends_on: str | Sequence[str] | None = ["0500_federation"]


def _federation_users() -> None:
    op.create_table(
        "federation_users",
        sa.Column("user_id", sa.String(length=64), nullable=False),
        sa.Column("account_id", sa.String(length=64), nullable=False),
        sa.Column("idp_id", sa.String(length=64), nullable=False),
        sa.Column("protocol_id", sa.String(length=64), nullable=False),
        sa.Column("unique_id", sa.String(length=255), nullable=False),
        sa.Column("display_name", sa.String(length=255), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id", "idp_id"],
            [
                "federation_identity_providers.account_id",
                "federation_identity_providers.id",
            ],
            name=op.f("fk_federation_users_account_id_federation_identity_providers"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["iam_users.id"],
            name=op.f("fk_federation_users_user_id_iam_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_federation_users")),
        sa.UniqueConstraint(
            "account_id",
            "idp_id",
            "unique_id",
            name=op.f("uq_federation_users_account_id_idp_id_unique_id"),
        ),
    )


def upgrade() -> None:
    op.create_table(
        "federation_domains",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("account_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("description", sa.String(length=255), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_federation_domains_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_federation_domains")),
        sa.UniqueConstraint("id", name=op.f("uq_federation_domains_id")),
    )
    op.create_index("ix_federation_domains_page", "federation_domains", ["account_id", "seq"])
    with op.batch_alter_table("federation_identity_providers") as batch:
        batch.add_column(sa.Column("domain_id", sa.String(length=64), nullable=True))
        batch.create_index(
            batch.f("ix_federation_identity_providers_domain_id"), ["domain_id"], unique=False
        )
    _federation_users()
    op.create_table(
        "federation_saml_assertions",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("account_id", sa.String(length=64), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_federation_saml_assertions_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_federation_saml_assertions")),
    )
    op.create_index(
        op.f("ix_federation_saml_assertions_expires_at"),
        "federation_saml_assertions",
        ["expires_at"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(
        op.f("ix_federation_saml_assertions_expires_at"), table_name="federation_saml_assertions"
    )
    op.drop_table("federation_saml_assertions")
    op.drop_table("federation_users")
    with op.batch_alter_table("federation_identity_providers") as batch:
        batch.drop_index(batch.f("ix_federation_identity_providers_domain_id"))
        batch.drop_column("domain_id")
    op.drop_index("ix_federation_domains_page", table_name="federation_domains")
    op.drop_table("federation_domains")
