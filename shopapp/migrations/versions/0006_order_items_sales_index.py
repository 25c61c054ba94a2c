"""covering index for the back office's top sellers

Revision ID: 0006_order_items_sales_index
Revises: 0005_canonical_emails
Create Date: 2026-12-02 13:40:00

``GET /admin/stats`` sums the lines of the orders in a window of days. With
``(order_id, product_id, quantity, unit_price)`` the lines of those orders are read from
this index alone, instead of scanning every line the shop ever sold.
"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0006_order_items_sales_index'
down_revision = '0005_canonical_emails'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_order_items_order_sales', 'order_items',
                    ['order_id', 'product_id', 'quantity', 'unit_price'])


def downgrade():
    op.drop_index('ix_order_items_order_sales', table_name='order_items')
