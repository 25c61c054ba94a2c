"""order status history

Revision ID: 0003_order_status_history
Revises: 0002
Create Date: 2026-12-02 12:45:00

``order_status_history`` records every change of an order's status (checkout, admin
moves, cancellations) with its time, actor and from/to states.

Orders placed before this migration get one backfilled row, their checkout (from null to
``pending``, by the shopper, at the order's ``created_at``); moves made before the
migration were never recorded and are not invented.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0003_order_status_history'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'order_status_history',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('order_id', sa.Integer(), nullable=False),
        sa.Column('from_status', sa.String(length=20), nullable=True),
        sa.Column('to_status', sa.String(length=20), nullable=False),
        sa.Column('actor_id', sa.Integer(), nullable=True),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['actor_id'], ['users.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['order_id'], ['orders.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sqlite_autoincrement=True,
    )
    op.create_index('ix_order_status_history_order_id', 'order_status_history', ['order_id'])
    op.execute(
        "INSERT INTO order_status_history (order_id, from_status, to_status, actor_id, at) "
        "SELECT id, NULL, 'pending', user_id, created_at FROM orders ORDER BY id"
    )


def downgrade():
    op.drop_index('ix_order_status_history_order_id', table_name='order_status_history')
    op.drop_table('order_status_history')
