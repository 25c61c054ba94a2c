"""shared settings: values written once by whichever process comes first

Revision ID: 0007_shared_settings
Revises: 0006_order_items_sales_index
Create Date: 2026-12-02 13:30:00

``shared_settings`` holds values every process on the database must agree on, each
written once (insert-or-nothing on the primary key, see ``shopapp/database/write_once.py``):
the marker that the demo catalog was seeded, the generated signing keys. A database already seeded before this
migration gets its marker here, so upgrading never seeds a second catalog.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0007_shared_settings'
down_revision = '0006_order_items_sales_index'
branch_labels = None
depends_on = None


def upgrade():
    table = op.create_table(
        'shared_settings',
        sa.Column('name', sa.String(length=64), nullable=False),
        sa.Column('value', sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint('name'),
    )
    if op.get_bind().execute(sa.text("SELECT count(*) FROM products")).scalar():
        op.bulk_insert(table, [{"name": "catalog seeded", "value": "before migration 0007"}])


def downgrade():
    op.drop_table('shared_settings')
