"""One-time links: invitations for people without an account, and new-password links.

Revision ID: 0003_one_time_links
Revises: 0002_chosen_ids
Create Date: 2026-12-07 05:00:00.000000
"""

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = "0003_one_time_links"
down_revision = "0002_chosen_ids"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "onetimelink",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("purpose", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("token_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("email", sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=True),
        sa.Column("role", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True),
        sa.Column("facilitator_id", sa.Integer(), nullable=True),
        sa.Column("made_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("expires_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("used_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["facilitator_id"], ["facilitator.id"]),
        sa.ForeignKeyConstraint(["made_by"], ["facilitator.id"]),
        sa.ForeignKeyConstraint(["round_id"], ["round.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_onetimelink_email"), "onetimelink", ["email"], unique=False)
    op.create_index(
        op.f("ix_onetimelink_facilitator_id"), "onetimelink", ["facilitator_id"], unique=False
    )
    op.create_index(op.f("ix_onetimelink_round_id"), "onetimelink", ["round_id"], unique=False)
    op.create_index(op.f("ix_onetimelink_token_hash"), "onetimelink", ["token_hash"], unique=True)


def downgrade() -> None:
    op.drop_table("onetimelink")
