"""Kept measures: the last measures of each round's map, worked out off the request.

Revision ID: 0004_kept_measures
Revises: 0003_one_time_links
Create Date: 2026-12-07 08:00:00.000000
"""

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = "0004_kept_measures"
down_revision = "0003_one_time_links"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "keptmeasures",
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("shape", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("worked_out_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["round_id"], ["round.id"]),
        sa.PrimaryKeyConstraint("round_id"),
    )


def downgrade() -> None:
    op.drop_table("keptmeasures")
