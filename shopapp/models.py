"""The shop's tables. Money is ``Numeric(10, 2)`` read and written as ``Decimal``."""

from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .extensions import db
from .orders.statuses import PENDING

MONEY = Numeric(10, 2, asdecimal=True)


def utcnow():
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """A timestamp stored in UTC and always read back timezone-aware.

    SQLite keeps no timezone, so values are normalised to UTC on the way in and tagged
    UTC on the way out; PostgreSQL stores ``timestamptz`` and gives the same answer.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is not None:
            value = value.astimezone(UTC)
        if value is not None and dialect.name == "sqlite":
            value = value.replace(tzinfo=None)
        return value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


# Ids are never reused on SQLite either, so a token for a user removed by a reset can
# never match a newer user.
NO_ID_REUSE = {"sqlite_autoincrement": True}


class User(db.Model):
    __tablename__ = "users"
    __table_args__ = (NO_ID_REUSE,)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True, nullable=False)
    full_name: Mapped[str | None] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(256), nullable=False)
    is_admin: Mapped[bool] = mapped_column(default=False, nullable=False)
    # Bumped when the password changes: tokens carry it and stop working when it moves.
    token_version: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)


class Product(db.Model):
    """A catalog entry. DELETE is a soft delete (``deleted_at``) so order history keeps it."""

    __tablename__ = "products"
    __table_args__ = (
        CheckConstraint("inventory_count >= 0", name="ck_products_inventory_nonnegative"),
        CheckConstraint("price > 0", name="ck_products_price_positive"),
        Index("ix_products_active_name", "is_active", "name"),
        # Catalog pages sorted by id, price or age read their rows in index order instead
        # of sorting the whole catalog (migration 0002; docs/PERFORMANCE.md).
        Index("ix_products_active_id", "is_active", "id"),
        Index("ix_products_active_price", "is_active", "price", "id"),
        Index("ix_products_active_created", "is_active", "created_at", "id"),
        NO_ID_REUSE,
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    description: Mapped[str] = mapped_column(Text, default="", nullable=False)
    price: Mapped[Decimal] = mapped_column(MONEY, nullable=False)
    inventory_count: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    image_url: Mapped[str | None] = mapped_column(String(500))
    is_active: Mapped[bool] = mapped_column(default=True, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class CatalogVersion(db.Model):
    """One row (id 1) whose ``version`` moves with every write to ``products``.

    Database triggers (migration 0002) bump it inside the writing transaction, whoever
    writes: so any process can tell with one primary-key read whether a catalog answer it
    cached is still current (``shopapp.products.catalog_cache``).
    """

    __tablename__ = "catalog_version"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger, nullable=False)


class CartItem(db.Model):
    __tablename__ = "cart_items"
    __table_args__ = (
        UniqueConstraint("user_id", "product_id", name="uq_cart_items_user_product"),
        CheckConstraint("quantity >= 1", name="ck_cart_items_quantity_positive"),
        NO_ID_REUSE,
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True
    )
    product_id: Mapped[int] = mapped_column(
        ForeignKey("products.id", ondelete="CASCADE"), nullable=False
    )
    quantity: Mapped[int] = mapped_column(Integer, nullable=False)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    product: Mapped[Product] = relationship(lazy="joined", innerjoin=True)


class Order(db.Model):
    __tablename__ = "orders"
    __table_args__ = (
        UniqueConstraint("user_id", "idempotency_key", name="uq_orders_user_idempotency_key"),
        Index("ix_orders_user_created", "user_id", "created_at"),
        Index("ix_orders_status_created", "status", "created_at"),
        # GET /admin/stats reads a window of days from this index alone, status and total
        # included (migration 0004; docs/PERFORMANCE.md).
        Index("ix_orders_created_status_total", "created_at", "status", "total_amount"),
        NO_ID_REUSE,
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), nullable=False
    )
    status: Mapped[str] = mapped_column(String(20), default=PENDING, nullable=False)
    total_amount: Mapped[Decimal] = mapped_column(MONEY, nullable=False)
    shipping_address: Mapped[str | None] = mapped_column(String(500))
    idempotency_key: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    items: Mapped[list["OrderItem"]] = relationship(
        back_populates="order", lazy="selectin", order_by="OrderItem.id"
    )
    user: Mapped[User] = relationship(lazy="select")
    status_history: Mapped[list["OrderStatusChange"]] = relationship(
        lazy="select", order_by="OrderStatusChange.id", passive_deletes=True
    )


class OrderItem(db.Model):
    """An order line; name and unit price are frozen copies taken at checkout."""

    __tablename__ = "order_items"
    __table_args__ = (
        # GET /admin/stats sums the lines of a window's orders from this index alone
        # (migration 0006; docs/PERFORMANCE.md).
        Index("ix_order_items_order_sales", "order_id", "product_id", "quantity", "unit_price"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(
        ForeignKey("orders.id", ondelete="CASCADE"), nullable=False, index=True
    )
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), nullable=False)
    product_name: Mapped[str] = mapped_column(String(200), nullable=False)
    quantity: Mapped[int] = mapped_column(Integer, nullable=False)
    unit_price: Mapped[Decimal] = mapped_column(MONEY, nullable=False)

    order: Mapped[Order] = relationship(back_populates="items")
    product: Mapped[Product] = relationship(lazy="joined", innerjoin=True)


class StockMovement(db.Model):
    """Append-only ledger: initial stock plus the sum of deltas is the inventory count."""

    __tablename__ = "stock_movements"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    product_id: Mapped[int] = mapped_column(
        ForeignKey("products.id", ondelete="CASCADE"), nullable=False, index=True
    )
    delta: Mapped[int] = mapped_column(Integer, nullable=False)
    reason: Mapped[str] = mapped_column(String(200), nullable=False)
    resulting_count: Mapped[int] = mapped_column(Integer, nullable=False)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)


class OrderStatusChange(db.Model):
    """Append-only history of an order's states: checkout (from ``None``), admin moves and
    cancellations, written in the transaction that makes the change."""

    __tablename__ = "order_status_history"
    __table_args__ = (NO_ID_REUSE,)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(
        ForeignKey("orders.id", ondelete="CASCADE"), nullable=False, index=True
    )
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20), nullable=False)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    actor: Mapped[User | None] = relationship(lazy="joined")


class RevokedToken(db.Model):
    """JWT ids revoked by logout, kept until the token would have expired anyway."""

    __tablename__ = "revoked_tokens"

    jti: Mapped[str] = mapped_column(String(64), primary_key=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, index=True)


class SharedSetting(db.Model):
    """A value every process on the database agrees on, written once by whichever process
    comes first (``shopapp/database/write_once.py``)."""

    __tablename__ = "shared_settings"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text, nullable=False)
