"""Catalog rules: visibility, search and sort, soft delete, stock changes with a ledger."""

from sqlalchemy import delete, or_, select, update

from ..database.text_search import contains_text
from ..errors import BusinessRuleError, ConflictError, NotFoundError
from ..models import CartItem, Product, StockMovement, utcnow
from ..tables import NOT_DELETED, is_deleted, is_purchasable
from .ledger import record_stock_changes
from .schemas import MAX_STOCK

# Ties are broken by id in the same direction, so each order matches an index
# (is_active, column, id) read forwards or backwards: a page never sorts the catalog.
SORT_COLUMNS = {
    "id": (Product.id.asc(),),
    "name": (Product.name.asc(), Product.id.asc()),
    "-name": (Product.name.desc(), Product.id.desc()),
    "price": (Product.price.asc(), Product.id.asc()),
    "-price": (Product.price.desc(), Product.id.desc()),
    "created_at": (Product.created_at.asc(), Product.id.asc()),
    "-created_at": (Product.created_at.desc(), Product.id.desc()),
}


def catalog_statement(include_inactive=False, search=None, sort="id"):
    """The public catalog (active products), or with ``include_inactive`` every product
    that is not deleted."""
    status = None if include_inactive else "active"
    return products_statement(status=status, search=search, sort=sort)


def products_statement(status=None, include_deleted=False, search=None, sort="id"):
    """Products by ``status`` ("active", "inactive" or None for both), deleted ones only
    with ``include_deleted``, filtered by ``search`` in name or description."""
    statement = select(Product)
    if not include_deleted:
        statement = statement.where(NOT_DELETED)
    if status is not None:
        statement = statement.where(Product.is_active.is_(status == "active"))
    if search:
        statement = statement.where(
            or_(contains_text(Product.name, search), contains_text(Product.description, search))
        )
    return statement.order_by(*SORT_COLUMNS[sort])


def get_product(session, product_id, include_inactive=False):
    product = session.get(Product, product_id)
    if product is None or is_deleted(product):
        raise NotFoundError("Product not found")
    if not include_inactive and not is_purchasable(product):
        raise NotFoundError("Product not found")
    return product


def create_product(session, fields, actor_id=None):
    product = Product(**fields)
    session.add(product)
    session.flush()
    record_stock_changes(session.connection(),
                         [(product.id, product.inventory_count, product.inventory_count)],
                         "initial stock", user_id=actor_id)
    session.commit()
    return product


# A stock write that loses a compare-and-set race is retried this many times.
SET_STOCK_ATTEMPTS = 20


def set_stock(session, product, new_count, actor_id=None, reason="stock set by admin"):
    """Set an absolute stock level, recording the difference in the ledger.

    A compare-and-set on the old value (retried on a lost race) keeps the ledger exact
    with concurrent checkouts, on SQLite and PostgreSQL alike.
    """
    for _ in range(SET_STOCK_ATTEMPTS):
        old_count = session.scalar(
            select(Product.inventory_count).where(Product.id == product.id)
        )
        changed = session.execute(
            update(Product)
            .where(Product.id == product.id, Product.inventory_count == old_count)
            .values(inventory_count=new_count)
        ).rowcount
        if changed:
            if new_count != old_count:
                record_stock_changes(session.connection(),
                                     [(product.id, new_count - old_count, new_count)], reason,
                                     user_id=actor_id)
            return
        session.rollback()
    raise ConflictError("The stock changed too often while updating; try again.")


def adjust_stock(session, product_id, delta, reason, actor_id=None):
    """Add (restock) or remove (write-off) units atomically; never below zero, nor above
    the most a product may hold (MAX_STOCK, the inventory_count the API documents)."""
    row = session.execute(
        update(Product)
        .where(Product.id == product_id, NOT_DELETED, Product.inventory_count + delta >= 0,
               Product.inventory_count + delta <= MAX_STOCK)
        .values(inventory_count=Product.inventory_count + delta)
        .returning(Product.inventory_count)
        .execution_options(synchronize_session=False)
    ).one_or_none()
    if row is None:
        session.rollback()
        product = get_product(session, product_id, include_inactive=True)
        if delta > 0:
            raise BusinessRuleError(
                f"Cannot add {delta} units: {product.name} would hold more than {MAX_STOCK}")
        raise BusinessRuleError(
            f"Cannot remove {-delta} units: only {product.inventory_count} left for "
            f"{product.name}"
        )
    record_stock_changes(session.connection(), [(product_id, delta, row.inventory_count)],
                         reason, user_id=actor_id)
    session.commit()
    return session.get(Product, product_id)


def stock_movements(session, product_id):
    get_product(session, product_id, include_inactive=True)
    return select(StockMovement).where(StockMovement.product_id == product_id).order_by(
        StockMovement.id.desc()
    )


def update_product(session, product, fields, actor_id=None):
    new_count = fields.pop("inventory_count", None)
    if new_count is not None:
        # First, because a lost race rolls back and retries; nothing else is pending yet.
        set_stock(session, product, new_count, actor_id)
    for name, value in fields.items():
        setattr(product, name, value)
    session.commit()
    session.refresh(product)
    return product


def delete_product(session, product):
    """Soft delete: hidden everywhere, kept for order history; cart lines are dropped."""
    product.deleted_at = utcnow()
    product.is_active = False
    session.execute(delete(CartItem).where(CartItem.product_id == product.id))
    session.commit()
