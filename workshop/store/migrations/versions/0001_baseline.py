"""The schema as create_all made it before Alembic: every install from before is at this one.

Each table and index is made only where it is missing, as create_all did at each start: a
database made by an older version (before some table existed) is completed, not refused.

Revision ID: 0001_baseline
Revises: (none)
Create Date: 2026-12-04 16:35:27.631968
"""

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = "0001_baseline"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "facilitator",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("organisation", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("password_hash", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("session_epoch", sa.Integer(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        if_not_exists=True,
    )
    op.create_index(
        op.f("ix_facilitator_email"), "facilitator", ["email"], unique=True, if_not_exists=True
    )

    op.create_table(
        "project",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("description", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["facilitator.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        if_not_exists=True,
    )
    op.create_index(
        op.f("ix_project_owner_id"), "project", ["owner_id"], unique=False, if_not_exists=True
    )

    op.create_table(
        "experiment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("description", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["project.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        if_not_exists=True,
    )
    op.create_index(
        op.f("ix_experiment_project_id"),
        "experiment",
        ["project_id"],
        unique=False,
        if_not_exists=True,
    )

    op.create_table(
        "round",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("experiment_id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("questionnaire_id", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("questionnaire_version", sa.Integer(), nullable=False),
        sa.Column("questionnaire_source", sa.Text(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("step_index", sa.Integer(), nullable=False),
        sa.Column("furthest_index", sa.Integer(), nullable=False),
        sa.Column("step_count", sa.Integer(), nullable=False),
        sa.Column("join_token", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("join_code", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("started_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("ended_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["experiment_id"],
            ["experiment.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        if_not_exists=True,
    )
    op.create_index(
        op.f("ix_round_experiment_id"), "round", ["experiment_id"], unique=False, if_not_exists=True
    )
    op.create_index(
        op.f("ix_round_join_code"), "round", ["join_code"], unique=True, if_not_exists=True
    )
    op.create_index(
        op.f("ix_round_join_token"), "round", ["join_token"], unique=True, if_not_exists=True
    )

    op.create_table(
        "mapdisplay",
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("map_shown", sa.Boolean(), nullable=False),
        sa.Column("measures_shown", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["round.id"],
        ),
        sa.PrimaryKeyConstraint("round_id"),
        if_not_exists=True,
    )
    op.create_table(
        "participant",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("token", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("display_name", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=True),
        sa.Column("join_attempt", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("consented_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("last_seen_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["round.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("join_attempt"),
        sa.UniqueConstraint("round_id", "number"),
        if_not_exists=True,
    )
    op.create_index(
        op.f("ix_participant_round_id"),
        "participant",
        ["round_id"],
        unique=False,
        if_not_exists=True,
    )
    op.create_index(
        op.f("ix_participant_token"), "participant", ["token"], unique=True, if_not_exists=True
    )

    op.create_table(
        "reflection",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("experiment_id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=True),
        sa.Column("tried", sa.Text(), nullable=False),
        sa.Column("noticed", sa.Text(), nullable=False),
        sa.Column("change", sa.Text(), nullable=False),
        sa.Column("updated_by", sa.Integer(), nullable=True),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["experiment_id"],
            ["experiment.id"],
        ),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["round.id"],
        ),
        sa.ForeignKeyConstraint(
            ["updated_by"],
            ["facilitator.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        if_not_exists=True,
    )
    op.create_index(
        op.f("ix_reflection_experiment_id"),
        "reflection",
        ["experiment_id"],
        unique=False,
        if_not_exists=True,
    )
    op.create_index(
        op.f("ix_reflection_round_id"), "reflection", ["round_id"], unique=False, if_not_exists=True
    )

    op.create_table(
        "revealedstep",
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("step_id", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("revealed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["round.id"],
        ),
        sa.PrimaryKeyConstraint("round_id", "step_id"),
        if_not_exists=True,
    )
    op.create_table(
        "roundevent",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("facilitator_id", sa.Integer(), nullable=False),
        sa.Column("action", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("detail", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["facilitator_id"],
            ["facilitator.id"],
        ),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["round.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        if_not_exists=True,
    )
    op.create_index(
        op.f("ix_roundevent_round_id"), "roundevent", ["round_id"], unique=False, if_not_exists=True
    )

    op.create_table(
        "runsheetstep",
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("step_id", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("updated_by", sa.Integer(), nullable=True),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["round.id"],
        ),
        sa.ForeignKeyConstraint(
            ["updated_by"],
            ["facilitator.id"],
        ),
        sa.PrimaryKeyConstraint("round_id", "step_id"),
        if_not_exists=True,
    )
    op.create_table(
        "selfpaced",
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("closes_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("joins_round_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["joins_round_id"],
            ["round.id"],
        ),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["round.id"],
        ),
        sa.PrimaryKeyConstraint("round_id"),
        if_not_exists=True,
    )
    op.create_table(
        "steptimer",
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("step_index", sa.Integer(), nullable=False),
        sa.Column("ends_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["round.id"],
        ),
        sa.PrimaryKeyConstraint("round_id"),
        if_not_exists=True,
    )
    op.create_table(
        "supporter",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("facilitator_id", sa.Integer(), nullable=False),
        sa.Column("invited_by", sa.Integer(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["facilitator_id"],
            ["facilitator.id"],
        ),
        sa.ForeignKeyConstraint(
            ["invited_by"],
            ["facilitator.id"],
        ),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["round.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("round_id", "facilitator_id"),
        if_not_exists=True,
    )
    op.create_index(
        op.f("ix_supporter_facilitator_id"),
        "supporter",
        ["facilitator_id"],
        unique=False,
        if_not_exists=True,
    )
    op.create_index(
        op.f("ix_supporter_round_id"), "supporter", ["round_id"], unique=False, if_not_exists=True
    )

    op.create_table(
        "actor",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("layer", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=True),
        sa.Column("added_by", sa.Integer(), nullable=True),
        sa.Column("step_id", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("merged_into", sa.Integer(), nullable=True),
        sa.Column("hidden", sa.Boolean(), nullable=False),
        sa.Column("x", sa.Float(), nullable=True),
        sa.Column("y", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(
            ["added_by"],
            ["participant.id"],
        ),
        sa.ForeignKeyConstraint(
            ["merged_into"],
            ["actor.id"],
        ),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["round.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("round_id", "key"),
        if_not_exists=True,
    )
    op.create_index(
        op.f("ix_actor_added_by"), "actor", ["added_by"], unique=False, if_not_exists=True
    )
    op.create_index(
        op.f("ix_actor_round_id"), "actor", ["round_id"], unique=False, if_not_exists=True
    )

    op.create_table(
        "answer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("step_id", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("value", sa.JSON(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participant.id"],
        ),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["round.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("participant_id", "step_id"),
        if_not_exists=True,
    )
    op.create_index(
        op.f("ix_answer_participant_id"),
        "answer",
        ["participant_id"],
        unique=False,
        if_not_exists=True,
    )
    op.create_index(
        op.f("ix_answer_round_id"), "answer", ["round_id"], unique=False, if_not_exists=True
    )

    op.create_table(
        "helprequest",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("step_number", sa.Integer(), nullable=False),
        sa.Column("message", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("handled_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("handled_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["handled_by"],
            ["facilitator.id"],
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participant.id"],
        ),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["round.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        if_not_exists=True,
    )
    op.create_index(
        op.f("ix_helprequest_participant_id"),
        "helprequest",
        ["participant_id"],
        unique=False,
        if_not_exists=True,
    )
    op.create_index(
        op.f("ix_helprequest_round_id"),
        "helprequest",
        ["round_id"],
        unique=False,
        if_not_exists=True,
    )

    op.create_table(
        "presence",
        sa.Column("sid", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("connected_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participant.id"],
        ),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["round.id"],
        ),
        sa.PrimaryKeyConstraint("sid"),
        if_not_exists=True,
    )
    op.create_index(
        op.f("ix_presence_participant_id"),
        "presence",
        ["participant_id"],
        unique=False,
        if_not_exists=True,
    )
    op.create_index(
        op.f("ix_presence_round_id"), "presence", ["round_id"], unique=False, if_not_exists=True
    )

    op.create_table(
        "progress",
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("step_index", sa.Integer(), nullable=False),
        sa.Column("furthest_index", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participant.id"],
        ),
        sa.PrimaryKeyConstraint("participant_id"),
        if_not_exists=True,
    )
    op.create_table(
        "removal",
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("removed_by", sa.Integer(), nullable=False),
        sa.Column("answers_kept", sa.Boolean(), nullable=False),
        sa.Column("removed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participant.id"],
        ),
        sa.ForeignKeyConstraint(
            ["removed_by"],
            ["facilitator.id"],
        ),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["round.id"],
        ),
        sa.PrimaryKeyConstraint("participant_id"),
        if_not_exists=True,
    )
    op.create_index(
        op.f("ix_removal_round_id"), "removal", ["round_id"], unique=False, if_not_exists=True
    )

    op.create_table(
        "actorrating",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("step_id", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["actor.id"],
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participant.id"],
        ),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["round.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("participant_id", "step_id", "actor_id"),
        if_not_exists=True,
    )
    op.create_index(
        op.f("ix_actorrating_actor_id"),
        "actorrating",
        ["actor_id"],
        unique=False,
        if_not_exists=True,
    )
    op.create_index(
        op.f("ix_actorrating_participant_id"),
        "actorrating",
        ["participant_id"],
        unique=False,
        if_not_exists=True,
    )
    op.create_index(
        op.f("ix_actorrating_round_id"),
        "actorrating",
        ["round_id"],
        unique=False,
        if_not_exists=True,
    )

    op.create_table(
        "hiddenanswer",
        sa.Column("answer_id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("hidden_by", sa.Integer(), nullable=False),
        sa.Column("hidden_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["answer_id"],
            ["answer.id"],
        ),
        sa.ForeignKeyConstraint(
            ["hidden_by"],
            ["facilitator.id"],
        ),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["round.id"],
        ),
        sa.PrimaryKeyConstraint("answer_id"),
        if_not_exists=True,
    )
    op.create_index(
        op.f("ix_hiddenanswer_round_id"),
        "hiddenanswer",
        ["round_id"],
        unique=False,
        if_not_exists=True,
    )

    op.create_table(
        "tie",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("added_by", sa.Integer(), nullable=True),
        sa.Column("step_id", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["added_by"],
            ["participant.id"],
        ),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["round.id"],
        ),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["actor.id"],
        ),
        sa.ForeignKeyConstraint(
            ["target_id"],
            ["actor.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("added_by", "step_id", "source_id", "target_id", "kind"),
        if_not_exists=True,
    )
    op.create_index(op.f("ix_tie_added_by"), "tie", ["added_by"], unique=False, if_not_exists=True)
    op.create_index(op.f("ix_tie_round_id"), "tie", ["round_id"], unique=False, if_not_exists=True)
    op.create_index(
        op.f("ix_tie_source_id"), "tie", ["source_id"], unique=False, if_not_exists=True
    )
    op.create_index(
        op.f("ix_tie_target_id"), "tie", ["target_id"], unique=False, if_not_exists=True
    )


def downgrade() -> None:
    # Migrations go forward only (see the README).
    raise NotImplementedError("Roundtable's migrations go forward only.")
