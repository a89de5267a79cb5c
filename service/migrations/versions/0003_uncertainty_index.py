"""Comments: an index covering the dashboard's "most uncertain first" order

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27 11:10:00

"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("comments", schema=None) as batch_op:
        batch_op.create_index(
            "ix_comments_status_scores",
            ["status", "spam_score", "abuse_score", "post_id", "id"],
            unique=False,
        )


def downgrade():
    with op.batch_alter_table("comments", schema=None) as batch_op:
        batch_op.drop_index("ix_comments_status_scores")
