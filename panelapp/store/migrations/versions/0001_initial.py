"""The first schema: panels, members, meetings, cases, papers, declarations, decisions,
deferrals, actions, minutes versions, signing identities and the audit chain.

Revision ID: 0001_initial
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001_initial"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_events",
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("at", sa.String(length=40), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("entity", sa.String(length=64), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=True),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("seq"),
    )
    op.create_table(
        "cases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=64), nullable=False),
        sa.Column("first_name", sa.String(length=100), nullable=False),
        sa.Column("last_name", sa.String(length=100), nullable=False),
        sa.Column("date_of_birth", sa.Date(), nullable=False),
        sa.Column("setting", sa.String(length=200), nullable=False),
        sa.Column("year_group", sa.String(length=16), nullable=False),
        sa.Column("primary_need", sa.String(length=8), nullable=False),
        sa.Column("secondary_need", sa.String(length=8), nullable=True),
        sa.Column("case_officer", sa.String(length=200), nullable=False),
        sa.Column("request_type", sa.String(length=32), nullable=False),
        sa.Column("request_received", sa.Date(), nullable=False),
        sa.Column("review_meeting_date", sa.Date(), nullable=True),
        sa.Column("transfer_year", sa.Integer(), nullable=True),
        sa.Column("post16_transfer", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_cases_reference"), "cases", ["reference"], unique=False)
    op.create_table(
        "panels",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("panel_type", sa.String(length=32), nullable=False),
        sa.Column("council", sa.String(length=200), nullable=False),
        sa.Column("minimum_members", sa.Integer(), nullable=False),
        sa.Column("required_roles", sa.JSON(), nullable=False),
        sa.Column("paper_deadline_days", sa.Integer(), nullable=False),
        sa.Column("naming_mode", sa.String(length=16), nullable=False),
        sa.Column("allow_declared_remained", sa.Boolean(), nullable=False),
        sa.Column("notify_within_working_days", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "store_meta",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )
    op.create_table(
        "clock_exceptions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        op.f("ix_clock_exceptions_case_id"), "clock_exceptions", ["case_id"], unique=False
    )
    op.create_table(
        "meetings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("panel_id", sa.Integer(), nullable=False),
        sa.Column("meeting_date", sa.Date(), nullable=False),
        sa.Column("start_time", sa.Time(), nullable=False),
        sa.Column("venue", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=True),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["panel_id"],
            ["panels.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_meetings_meeting_date"), "meetings", ["meeting_date"], unique=False)
    op.create_index(op.f("ix_meetings_panel_id"), "meetings", ["panel_id"], unique=False)
    op.create_table(
        "members",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("panel_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("organisation", sa.String(length=200), nullable=False),
        sa.Column("roles", sa.JSON(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["panel_id"],
            ["panels.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_members_panel_id"), "members", ["panel_id"], unique=False)
    op.create_table(
        "agenda_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("minutes_allocated", sa.Integer(), nullable=False),
        sa.Column("presenting_officer", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("discussion", sa.Text(), nullable=False),
        sa.Column("carried_from_item_id", sa.Integer(), nullable=True),
        sa.Column("chair_member_id", sa.Integer(), nullable=True),
        sa.Column("chair_reason", sa.Text(), nullable=False),
        sa.Column("opened_at", sa.DateTime(), nullable=True),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["carried_from_item_id"],
            ["agenda_items.id"],
        ),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
        ),
        sa.ForeignKeyConstraint(
            ["chair_member_id"],
            ["members.id"],
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_agenda_items_case_id"), "agenda_items", ["case_id"], unique=False)
    op.create_index(
        op.f("ix_agenda_items_meeting_id"), "agenda_items", ["meeting_id"], unique=False
    )
    op.create_table(
        "attendance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("in_attendance_as", sa.String(length=200), nullable=False),
        sa.Column("arrived_at", sa.Time(), nullable=True),
        sa.Column("left_at", sa.Time(), nullable=True),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("meeting_id", "member_id"),
    )
    op.create_index(op.f("ix_attendance_meeting_id"), "attendance", ["meeting_id"], unique=False)
    op.create_table(
        "minutes_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("naming_mode", sa.String(length=16), nullable=False),
        sa.Column("document", sa.LargeBinary(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("signed_by_member_id", sa.Integer(), nullable=True),
        sa.Column("signed_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
        ),
        sa.ForeignKeyConstraint(
            ["signed_by_member_id"],
            ["members.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("meeting_id", "version"),
    )
    op.create_index(
        op.f("ix_minutes_versions_meeting_id"), "minutes_versions", ["meeting_id"], unique=False
    )
    op.create_table(
        "signing_identities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("common_name", sa.String(length=200), nullable=False),
        sa.Column("fingerprint", sa.String(length=100), nullable=False),
        sa.Column("certificate_pem", sa.LargeBinary(), nullable=False),
        sa.Column("private_key_pem", sa.LargeBinary(), nullable=False),
        sa.Column("origin", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("retired_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        op.f("ix_signing_identities_member_id"), "signing_identities", ["member_id"], unique=False
    )
    op.create_table(
        "actions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("agenda_item_id", sa.Integer(), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("owner", sa.String(length=200), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("done", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agenda_item_id"],
            ["agenda_items.id"],
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_actions_meeting_id"), "actions", ["meeting_id"], unique=False)
    op.create_table(
        "decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agenda_item_id", sa.Integer(), nullable=False),
        sa.Column("outcome", sa.String(length=32), nullable=False),
        sa.Column("rationale", sa.Text(), nullable=False),
        sa.Column("amount_pence", sa.Integer(), nullable=True),
        sa.Column("band", sa.String(length=32), nullable=True),
        sa.Column("band_override_reason", sa.Text(), nullable=True),
        sa.Column("setting", sa.String(length=200), nullable=True),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("review_date", sa.Date(), nullable=True),
        sa.Column("hours_per_week", sa.Float(), nullable=True),
        sa.Column("sections_amended", sa.Text(), nullable=True),
        sa.Column("chaired_by_member_id", sa.Integer(), nullable=False),
        sa.Column("participant_ids", sa.JSON(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["agenda_item_id"],
            ["agenda_items.id"],
        ),
        sa.ForeignKeyConstraint(
            ["chaired_by_member_id"],
            ["members.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("agenda_item_id"),
    )
    op.create_table(
        "declarations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("agenda_item_id", sa.Integer(), nullable=True),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("nature", sa.Text(), nullable=False),
        sa.Column("withdraws", sa.Boolean(), nullable=False),
        sa.Column("before_meeting", sa.Boolean(), nullable=False),
        sa.Column("declared_at", sa.DateTime(), nullable=False),
        sa.Column("left_at", sa.Time(), nullable=True),
        sa.Column("returned_at", sa.Time(), nullable=True),
        sa.ForeignKeyConstraint(
            ["agenda_item_id"],
            ["agenda_items.id"],
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["members.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        op.f("ix_declarations_meeting_id"), "declarations", ["meeting_id"], unique=False
    )
    op.create_table(
        "deferrals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agenda_item_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("information_required", sa.Text(), nullable=False),
        sa.Column("provider", sa.String(length=200), nullable=False),
        sa.Column("return_date", sa.Date(), nullable=False),
        sa.Column("statutory_due", sa.Date(), nullable=True),
        sa.Column("past_due_reason", sa.Text(), nullable=True),
        sa.Column("timescale_risk", sa.Boolean(), nullable=False),
        sa.Column("inquorate_reasons", sa.JSON(), nullable=False),
        sa.Column("chaired_by_member_id", sa.Integer(), nullable=True),
        sa.Column("participant_ids", sa.JSON(), nullable=False),
        sa.Column("relisted_item_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["agenda_item_id"],
            ["agenda_items.id"],
        ),
        sa.ForeignKeyConstraint(
            ["chaired_by_member_id"],
            ["members.id"],
        ),
        sa.ForeignKeyConstraint(
            ["relisted_item_id"],
            ["agenda_items.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("agenda_item_id"),
    )
    op.create_table(
        "papers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("agenda_item_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("file_name", sa.String(length=300), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("pages", sa.Integer(), nullable=True),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agenda_item_id"],
            ["agenda_items.id"],
        ),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_papers_agenda_item_id"), "papers", ["agenda_item_id"], unique=False)
    op.create_index(op.f("ix_papers_case_id"), "papers", ["case_id"], unique=False)
    op.create_index(op.f("ix_papers_sha256"), "papers", ["sha256"], unique=False)
    op.create_table(
        "paper_contents",
        sa.Column("paper_id", sa.Integer(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["paper_id"],
            ["papers.id"],
        ),
        sa.PrimaryKeyConstraint("paper_id"),
    )


def downgrade() -> None:
    raise NotImplementedError("panelapp stores are never downgraded; restore the backup instead")
