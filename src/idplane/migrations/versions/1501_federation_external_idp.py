"""identity store external identity source: external SAML IdP, its certificates, SP certificates

Revision ID: 1501_federation_external_idp
Revises: 1500_federation_signin
Create Date: 2026-12-04 16:55:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "1501_federation_external_idp"
down_revision: str | Sequence[str] | None = "1500_federation_signin"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = ["0400_identitycenter"]


def upgrade() -> None:
    op.create_table(
        "store_ext_idps",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("identity_store_id", sa.String(length=12), nullable=False),
        sa.Column("entity_id", sa.String(length=1024), nullable=False),
        sa.Column("login_url", sa.String(length=1024), nullable=False),
        sa.Column("want_request_signed", sa.Boolean(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["identity_store_id"],
            ["identity_stores.id"],
            name=op.f("fk_store_ext_idps_identity_store_id_identity_stores"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_store_ext_idps")),
        sa.UniqueConstraint("id", name=op.f("uq_store_ext_idps_id")),
        sa.UniqueConstraint("identity_store_id", name=op.f("uq_store_ext_idps_identity_store_id")),
    )
    op.create_table(
        "store_ext_idp_certs",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("idp_id", sa.String(length=64), nullable=False),
        sa.Column("pem", sa.Text(), nullable=False),
        sa.Column("certificate_use", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["idp_id"],
            ["store_ext_idps.id"],
            name=op.f("fk_store_ext_idp_certs_idp_id_store_ext_idps"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_store_ext_idp_certs")),
        sa.UniqueConstraint("id", name=op.f("uq_store_ext_idp_certs_id")),
    )
    op.create_index(
        "ix_store_ext_idp_certs_idp",
        "store_ext_idp_certs",
        ["idp_id", "seq"],
    )
    op.create_table(
        "store_sp_certs",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("identity_store_id", sa.String(length=12), nullable=False),
        sa.Column("pem", sa.Text(), nullable=False),
        sa.Column("key_sealed", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["identity_store_id"],
            ["identity_stores.id"],
            name=op.f("fk_store_sp_certs_identity_store_id_identity_stores"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_store_sp_certs")),
        sa.UniqueConstraint("id", name=op.f("uq_store_sp_certs_id")),
    )
    op.create_index("ix_store_sp_certs_store", "store_sp_certs", ["identity_store_id", "seq"])


def downgrade() -> None:
    op.drop_index("ix_store_sp_certs_store", table_name="store_sp_certs")
    op.drop_table("store_sp_certs")
    op.drop_index("ix_store_ext_idp_certs_idp", table_name="store_ext_idp_certs")
    op.drop_table("store_ext_idp_certs")
    op.drop_table("store_ext_idps")
