"""Domain rules tested directly, without HTTP: checkout, cart, stock ledger, roles."""

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from shopapp.admin.service import set_admin
from shopapp.auth.service import authenticate, register_user
from shopapp.cart.service import add_item, cart_lines, cart_summary, set_quantity
from shopapp.errors import BusinessRuleError, NotFoundError, UnauthorizedError
from shopapp.extensions import db
from shopapp.models import Order, Product, StockMovement, User
from shopapp.orders.service import place_order
from shopapp.products.service import create_product, delete_product, set_stock, update_product
from shopapp.tables import PRODUCTS


@pytest.fixture
def buyer(session):
    return register_user(session, "buyer@example.com", "secret1")


@pytest.fixture
def product(session):
    return create_product(session, {"name": "Lid", "price": Decimal("10.00"),
                                    "inventory_count": 5, "description": ""})


def ledger_sum(session, product_id):
    return session.scalar(select(func.sum(StockMovement.delta))
                          .where(StockMovement.product_id == product_id))


def test_place_order_decrements_stock_and_writes_the_ledger(session, buyer, product):
    add_item(session, buyer.id, product.id, 3)
    order = place_order(session, buyer.id, "Somewhere")
    assert order.total_amount == Decimal("30.00")
    assert [(i.product_name, i.quantity, i.unit_price) for i in order.items] == \
        [("Lid", 3, Decimal("10.00"))]
    session.refresh(product)
    assert product.inventory_count == 2
    assert cart_lines(session, buyer.id) == []
    assert ledger_sum(session, product.id) == product.inventory_count


def test_place_order_on_empty_cart_raises(session, buyer):
    with pytest.raises(BusinessRuleError, match="empty"):
        place_order(session, buyer.id)


def test_stale_stock_read_cannot_oversell(session, app, buyer, product):
    """The decrement is conditional in SQL: a stock value read earlier does not matter."""
    other = register_user(session, "other@example.com", "secret1")
    add_item(session, buyer.id, product.id, 5)
    add_item(session, other.id, product.id, 5)
    seen_by_buyer = product.inventory_count  # 5, as both shoppers saw it
    place_order(session, other.id)  # the other shopper wins the race
    assert seen_by_buyer == 5
    with pytest.raises(BusinessRuleError, match="Only 0 left for Lid"):
        place_order(session, buyer.id)
    session.expire_all()
    assert session.get(Product, product.id).inventory_count == 0
    assert session.scalar(select(func.count()).select_from(Order)) == 1
    assert len(cart_lines(session, buyer.id)) == 1  # the loser's cart is untouched


def test_add_item_caps_at_stock_and_rolls_back(session, buyer, product):
    add_item(session, buyer.id, product.id, 4)
    with pytest.raises(BusinessRuleError, match="Only 5 left for Lid"):
        add_item(session, buyer.id, product.id, 2)
    assert cart_lines(session, buyer.id)[0].quantity == 4


@pytest.mark.parametrize("case", ["missing", "inactive", "deleted"])
def test_add_item_refuses_what_cannot_be_sold_and_adds_nothing(session, buyer, product, case):
    expected = {"missing": "Product not found", "inactive": "Lid is not available",
                "deleted": "Product not found"}[case]
    product_id = 999999 if case == "missing" else product.id
    if case == "inactive":
        update_product(session, product, {"is_active": False})
    if case == "deleted":
        delete_product(session, product)
    with pytest.raises(BusinessRuleError) as refused:
        add_item(session, buyer.id, product_id, 1)
    assert refused.value.detail == expected
    assert cart_lines(session, buyer.id) == []


def product_columns(session, product_id):
    return session.execute(select(PRODUCTS).where(PRODUCTS.c.id == product_id)).one()._asdict()


def test_checkout_changes_nothing_of_a_product_but_its_stock(session, buyer, product):
    """The sale's UPDATE sets only inventory_count (PostgreSQL's runs inside CHECKOUT,
    where a parameter named like a column would add to its SET clause)."""
    other = create_product(session, {"name": "Rim", "price": Decimal("4.00"),
                                     "inventory_count": 9, "description": ""})
    before = {product.id: product_columns(session, product.id),
              other.id: product_columns(session, other.id)}
    add_item(session, buyer.id, product.id, 2)
    place_order(session, buyer.id)
    after = {key: product_columns(session, key) for key in before}
    assert after[other.id] == before[other.id]
    assert after[product.id] == {**before[product.id], "inventory_count": 3}


def test_a_checkout_short_of_one_line_keeps_nothing(session, buyer, product):
    plenty = create_product(session, {"name": "Rim", "price": Decimal("4.00"),
                                      "inventory_count": 9, "description": ""})
    add_item(session, buyer.id, plenty.id, 2)
    add_item(session, buyer.id, product.id, 4)
    set_stock(session, product, 1)
    session.commit()
    with pytest.raises(BusinessRuleError, match="Only 1 left for Lid"):
        place_order(session, buyer.id)
    session.expire_all()
    assert session.get(Product, plenty.id).inventory_count == 9
    assert session.get(Product, product.id).inventory_count == 1
    assert sorted((line.product["id"], line.quantity) for line in cart_lines(session, buyer.id)) \
        == sorted([(plenty.id, 2), (product.id, 4)])
    assert session.scalar(select(func.count()).select_from(Order)) == 0
    assert ledger_sum(session, plenty.id) == 9
    assert ledger_sum(session, product.id) == 1


def test_set_quantity_checks_stock_and_ownership(session, buyer, product):
    line = add_item(session, buyer.id, product.id, 1)
    assert set_quantity(session, buyer.id, line.id, 5).quantity == 5
    with pytest.raises(BusinessRuleError):
        set_quantity(session, buyer.id, line.id, 6)
    stranger = register_user(session, "s@example.com", "secret1")
    with pytest.raises(NotFoundError):
        set_quantity(session, stranger.id, line.id, 1)


def test_cart_summary_adds_exact_decimals(session, buyer):
    cheap = create_product(session, {"name": "Cheap", "price": Decimal("0.10"),
                                     "inventory_count": 9, "description": ""})
    add_item(session, buyer.id, cheap.id, 3)
    assert cart_summary(cart_lines(session, buyer.id))["subtotal"] == Decimal("0.30")


def test_stock_changes_keep_the_ledger_equal_to_inventory(session, buyer, product):
    set_stock(session, product, 9)
    session.commit()
    update_product(session, product, {"inventory_count": 4, "price": Decimal("11.00")})
    add_item(session, buyer.id, product.id, 2)
    place_order(session, buyer.id)
    session.refresh(product)
    assert product.inventory_count == 2
    deltas = session.scalars(select(StockMovement.delta)
                             .where(StockMovement.product_id == product.id)
                             .order_by(StockMovement.id)).all()
    assert deltas == [5, 4, -5, -2]
    assert ledger_sum(session, product.id) == product.inventory_count


def test_register_never_makes_admins_and_rejects_duplicates(session):
    user = register_user(session, " New@Example.com ", "secret1")
    assert user.email == "new@example.com" and user.is_admin is False
    with pytest.raises(BusinessRuleError, match="already registered"):
        register_user(session, "new@example.com", "secret1")


def test_authenticate(session):
    register_user(session, "auth@example.com", "secret1")
    assert authenticate(session, "AUTH@example.com", "secret1").email == "auth@example.com"
    with pytest.raises(UnauthorizedError):
        authenticate(session, "auth@example.com", "wrong")
    with pytest.raises(UnauthorizedError):
        authenticate(session, "ghost@example.com", "secret1")


def test_role_rules(session, buyer):
    admin = session.scalar(select(User).where(User.is_admin.is_(True)))
    assert set_admin(session, buyer.id, True, actor_id=admin.id).is_admin is True
    with pytest.raises(BusinessRuleError, match="your own"):
        set_admin(session, admin.id, False, actor_id=admin.id)
    assert set_admin(session, admin.id, False, actor_id=buyer.id).is_admin is False
    with pytest.raises(BusinessRuleError, match="last admin"):
        set_admin(session, buyer.id, False)
    db.session.expire_all()
    assert session.get(User, buyer.id).is_admin is True
    with pytest.raises(NotFoundError):
        set_admin(session, 999999, True)
