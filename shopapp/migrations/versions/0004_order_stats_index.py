"""index for the back office's sales figures

Revision ID: 0004_order_stats_index
Revises: 0003_order_status_history
Create Date: 2026-12-02 13:00:00

``GET /admin/stats`` aggregates the orders of a window of UTC days. With
``(created_at, status, total_amount)`` it reads only that window's range of this index,
and PostgreSQL can answer the daily sums and the counts by status from the index alone.
"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0004_order_stats_index'
down_revision = '0003_order_status_history'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_orders_created_status_total', 'orders',
                    ['created_at', 'status', 'total_amount'])


def downgrade():
    op.drop_index('ix_orders_created_status_total', table_name='orders')
