"""After checkouts under load (live servers, kills, resets): the product to buy, and what a
half-written checkout would leave behind in the database."""

import requests
from sqlalchemy import func, select

from shopapp.extensions import db
from shopapp.models import Order, OrderItem, Product, StockMovement


def cheapest_product(api):
    """The seeded product with the most stock (ids differ between databases)."""
    products = requests.get(f"{api}/products", timeout=10).json()
    return max(products, key=lambda product: product["inventory_count"])["id"]


def consistency_problems(app):
    """Everything that would betray a half-written checkout, as a list of messages."""
    problems = []
    with app.app_context():
        session = db.session
        empty_orders = session.scalars(
            select(Order.id).where(~Order.items.any())).all()
        if empty_orders:
            problems.append(f"orders without lines: {empty_orders}")
        ledger = dict(session.execute(select(StockMovement.product_id,
                                             func.sum(StockMovement.delta))
                                      .group_by(StockMovement.product_id)).all())
        for product_id, count in session.execute(select(Product.id, Product.inventory_count)):
            if count < 0:
                problems.append(f"product {product_id} has negative stock {count}")
            if ledger.get(product_id, 0) != count:
                problems.append(f"product {product_id}: ledger {ledger.get(product_id)} != {count}")
        sold = dict(session.execute(select(OrderItem.order_id, func.sum(OrderItem.quantity))
                                    .group_by(OrderItem.order_id)).all())
        moved = dict(session.execute(select(StockMovement.order_id, -func.sum(StockMovement.delta))
                                     .where(StockMovement.reason == "checkout")
                                     .group_by(StockMovement.order_id)).all())
        if sold != moved:
            problems.append("order lines and checkout movements disagree")
    return problems


def order_ids(app):
    """The ids of every order in the app's database."""
    with app.app_context():
        return set(db.session.scalars(select(Order.id)).all())
