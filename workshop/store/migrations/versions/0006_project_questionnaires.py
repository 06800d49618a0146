"""Project questionnaires: what the designer keeps (a working copy, and numbered versions).

Revision ID: 0006_project_questionnaires
Revises: 0005_facilitator_sockets
Create Date: 2026-12-07 21:00:00.000000
"""

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = "0006_project_questionnaires"
down_revision = "0005_facilitator_sockets"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "projectquestionnaire",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("slug", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["project_id"], ["project.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("project_id", "slug"),
    )
    op.create_index(
        op.f("ix_projectquestionnaire_project_id"),
        "projectquestionnaire",
        ["project_id"],
        unique=False,
    )
    op.create_table(
        "questionnaireversion",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("questionnaire_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("ready", sa.Boolean(), nullable=False),
        sa.Column("saved_by", sa.Integer(), nullable=False),
        sa.Column("saved_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["questionnaire_id"], ["projectquestionnaire.id"]),
        sa.ForeignKeyConstraint(["saved_by"], ["facilitator.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("questionnaire_id", "number"),
    )
    op.create_index(
        op.f("ix_questionnaireversion_questionnaire_id"),
        "questionnaireversion",
        ["questionnaire_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(
        op.f("ix_questionnaireversion_questionnaire_id"), table_name="questionnaireversion"
    )
    op.drop_table("questionnaireversion")
    op.drop_index(op.f("ix_projectquestionnaire_project_id"), table_name="projectquestionnaire")
    op.drop_table("projectquestionnaire")
