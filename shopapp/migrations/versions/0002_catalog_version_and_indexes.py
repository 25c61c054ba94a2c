"""catalog version counter and catalog sort indexes

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 15:00:00

``catalog_version`` holds one row whose ``version`` moves with every write to
``products``, by database triggers: checkouts, admin edits, resets, the CLI and plain SQL
all move it, in the writing transaction. A process that caches the catalog answer reads
this one row to know whether its copy is current (see ``shopapp/catalog_cache.py``).

The indexes let a catalog page sorted by id, price or age read its first rows in order
instead of sorting every active product (name already had one).
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

SQLITE_EVENTS = ("INSERT", "UPDATE", "DELETE")

POSTGRES_FUNCTION = """
CREATE FUNCTION bump_catalog_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE catalog_version SET version = version + 1 WHERE id = 1;
    RETURN NULL;
END
$$
"""


def create_triggers():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(POSTGRES_FUNCTION)
        # Once per statement: a checkout's one UPDATE of many products bumps it once.
        op.execute(
            "CREATE TRIGGER products_bump_catalog_version "
            "AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON products "
            "FOR EACH STATEMENT EXECUTE FUNCTION bump_catalog_version()"
        )
        return
    for event in SQLITE_EVENTS:  # SQLite only has row triggers
        op.execute(
            f"CREATE TRIGGER products_bump_catalog_version_{event.lower()} "
            f"AFTER {event} ON products "
            "BEGIN UPDATE catalog_version SET version = version + 1 WHERE id = 1; END"
        )


def drop_triggers():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS products_bump_catalog_version ON products")
        op.execute("DROP FUNCTION IF EXISTS bump_catalog_version()")
        return
    for event in SQLITE_EVENTS:
        op.execute(f"DROP TRIGGER IF EXISTS products_bump_catalog_version_{event.lower()}")


def upgrade():
    catalog_version = op.create_table(
        'catalog_version',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('version', sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    op.bulk_insert(catalog_version, [{'id': 1, 'version': 0}])
    # Plain CREATE INDEX (no batch mode): a rebuilt products table would lose its triggers.
    op.create_index('ix_products_active_id', 'products', ['is_active', 'id'])
    op.create_index('ix_products_active_price', 'products', ['is_active', 'price', 'id'])
    op.create_index('ix_products_active_created', 'products', ['is_active', 'created_at', 'id'])
    create_triggers()


def downgrade():
    drop_triggers()
    op.drop_index('ix_products_active_created', table_name='products')
    op.drop_index('ix_products_active_price', table_name='products')
    op.drop_index('ix_products_active_id', table_name='products')
    op.drop_table('catalog_version')
