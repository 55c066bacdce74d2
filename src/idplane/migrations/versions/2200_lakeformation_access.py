"""lakeformation: the cloud services each tenant (project) has authorized to access
LakeFormation (AuthorizeAccessService)

Revision ID: 2200_lakeformation_access
Revises: 0800_lakeformation
Create Date: 2026-12-05 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "2200_lakeformation_access"
down_revision: str | Sequence[str] | None = "0800_lakeformation"
branch_labels: str | Sequence[str] | None = ("lakeformation_access",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "lakeformation_access_services",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("account_id", sa.String(length=64), nullable=False),
        sa.Column("project_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=20), nullable=False),
        sa.Column("granted", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_lakeformation_access_services_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_lakeformation_access_services_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_lakeformation_access_services")),
        sa.UniqueConstraint(
            "project_id",
            "name",
            name=op.f("uq_lakeformation_access_services_project_id_name"),
        ),
    )
    with op.batch_alter_table("lakeformation_access_services", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_lakeformation_access_services_account_id"), ["account_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("lakeformation_access_services", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lakeformation_access_services_account_id"))
    op.drop_table("lakeformation_access_services")
