"""Facilitator sockets: each open live connection of a facilitator, so that losing access
(removed from a round's team, signed out) ends it in whichever process holds it.

Revision ID: 0005_facilitator_sockets
Revises: 0004_kept_measures
Create Date: 2026-12-07 13:30:00.000000
"""

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = "0005_facilitator_sockets"
down_revision = "0004_kept_measures"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "facilitatorsocket",
        sa.Column("sid", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("facilitator_id", sa.Integer(), nullable=False),
        sa.Column("connected_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["facilitator_id"], ["facilitator.id"]),
        sa.PrimaryKeyConstraint("sid"),
    )
    op.create_index(
        op.f("ix_facilitatorsocket_facilitator_id"),
        "facilitatorsocket",
        ["facilitator_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_facilitatorsocket_facilitator_id"), table_name="facilitatorsocket")
    op.drop_table("facilitatorsocket")
