"""Orders written straight into the database, on chosen days, for the back office's figures."""

from decimal import Decimal

from shopapp.models import Order, OrderItem


def insert_order(session, user_id, lines, created_at, status="pending"):
    """An order placed at ``created_at``; ``lines`` is [(product, quantity, unit_price)].

    Stock is left alone: these tests are about what the shop sold, not what it holds."""
    total = sum((Decimal(price) * quantity for _, quantity, price in lines), Decimal("0.00"))
    order = Order(user_id=user_id, status=status, total_amount=total, created_at=created_at)
    order.items = [
        OrderItem(product_id=product.id, product_name=product.name, quantity=quantity,
                  unit_price=Decimal(price))
        for product, quantity, price in lines
    ]
    session.add(order)
    session.commit()
    return order
