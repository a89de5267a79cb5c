"""Comments: a fingerprint of the body and the context tokens the model saw

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27 13:10:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("comments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("fingerprint", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("signals", sa.JSON(), nullable=True))
        batch_op.create_index(
            "ix_comments_created_fingerprint",
            ["created_at", "post_id", "fingerprint"],
            unique=False,
        )
        batch_op.create_index("ix_comments_email", ["email"], unique=False)


def downgrade():
    with op.batch_alter_table("comments", schema=None) as batch_op:
        batch_op.drop_index("ix_comments_email")
        batch_op.drop_index("ix_comments_created_fingerprint")
        batch_op.drop_column("signals")
        batch_op.drop_column("fingerprint")
