"""Demo data: a motorsport helmet shop's catalog and the admin account. Idempotent."""

from decimal import Decimal

from sqlalchemy import delete, select, text

from .auth.emails import lookup_email
from .auth.passwords import hash_password
from .database.write_once import claim, insert_unless_present
from .models import (
    CartItem,
    Order,
    OrderItem,
    OrderStatusChange,
    Product,
    RevokedToken,
    SharedSetting,
    StockMovement,
    User,
    utcnow,
)
from .products.ledger import record_stock_changes

CATALOG_MARKER = "catalog seeded"  # shared_settings row: the demo catalog was added
CATALOG = [
    ("Apex GP Carbon Helmet", "apex-gp-carbon", "899.00", 15,
     "Pre-preg carbon full-face shell, FIA 8860 homologated, with a ducted spoiler."),
    ("Circuit Pro Full-Face Helmet", "circuit-pro", "549.00", 25,
     "Composite fibreglass shell for track days, wide-view aperture and five vents."),
    ("Rally Stage Open-Face Helmet", "rally-stage", "329.00", 30,
     "Open-face rally helmet with intercom channels and a removable peak."),
    ("Karting Junior Helmet", "karting-junior", "159.00", 40,
     "Lightweight CMR-rated helmet sized for young karters."),
    ("Endurance Iridium Night Visor", "endurance-night-visor", "89.00", 50,
     "Anti-scratch iridium visor tuned for dusk-to-dawn stints."),
    ("Clear Anti-Fog Visor", "clear-antifog-visor", "59.00", 60,
     "Optically correct clear visor with a permanent anti-fog coating."),
    ("HANS Head Restraint", "hans-restraint", "649.00", 10,
     "Carbon head-and-neck support device, 20-degree angle, FIA 8858."),
    ("Fireproof Nomex Balaclava", "fireproof-balaclava", "49.00", 80,
     "Two-layer Nomex balaclava, FIA 8856-2018, flat seams."),
    ("Pit-to-Car Helmet Intercom", "intercom-kit", "199.00", 20,
     "In-helmet speakers and boom mic for clear pit-to-car radio."),
    ("Padded Helmet Bag", "helmet-bag", "79.00", 35,
     "Fleece-lined bag with a visor pocket and a drawstring closure."),
    ("Drift Series Replica Helmet", "drift-replica", "699.00", 8,
     "Hand-painted replica of a championship drift livery, full-face composite shell."),
    ("Helmet Care Kit", "care-kit", "29.00", 100,
     "Visor cleaner, microfibre cloth and liner refresher spray."),
]


def catalog_products():
    return [
        Product(
            name=name,
            description=description,
            price=Decimal(price),
            inventory_count=stock,
            image_url=f"/images/products/{slug}.svg",
            is_active=True,
        )
        for name, slug, price, stock, description in CATALOG
    ]


def seed(session, admin_email, admin_password):
    """Add the catalog once ever, and the admin when missing; commits.

    Safe without any lock (the start-up lock in readiness.py is the first line, this the
    second): the catalog comes with its marker row in ``shared_settings`` and the admin is
    inserted unless its email exists, both insert-or-nothing in this transaction
    (``database/write_once.py``), so of two seeders racing only one adds them. Deleting
    every product does not bring the demo catalog back; a reset does (it clears the marker).
    """
    if claim(session, CATALOG_MARKER, utcnow().isoformat()):
        products = catalog_products()
        session.add_all(products)
        session.flush()
        record_stock_changes(
            session.connection(),
            [(product.id, product.inventory_count, product.inventory_count)
             for product in products],
            "initial stock",
        )
    admin_email = lookup_email(admin_email)
    if session.scalar(select(User.id).where(User.email == admin_email)) is None:
        insert_unless_present(session, User, "email", {
            "email": admin_email, "full_name": "Shop admin", "is_admin": True,
            "password_hash": hash_password(admin_password),
        })
    session.commit()


# Children before parents, so foreign keys hold at every step.
TABLES_IN_DELETE_ORDER = (StockMovement, OrderStatusChange, OrderItem, Order, CartItem,
                          RevokedToken, Product, User)


def empty_all_tables(session):
    """Delete every row in the current transaction, and the catalog's seed marker
    (other shared settings, such as the signing keys, outlive a reset).

    On PostgreSQL one TRUNCATE empties all the tables at once; it needs no other lock when
    the transaction holds the reset gate (``database.reset_gate.begin_alone``), as
    ``admin.service.reset_store`` does. Identities are not restarted, so ids are never
    reused. SQLite's single writer already serialises this.
    """
    session.execute(delete(SharedSetting).where(SharedSetting.name == CATALOG_MARKER))
    if session.get_bind().dialect.name == "postgresql":
        names = ", ".join(model.__tablename__ for model in TABLES_IN_DELETE_ORDER)
        session.execute(text(f"TRUNCATE TABLE {names}"))
        return
    for model in TABLES_IN_DELETE_ORDER:
        session.execute(delete(model))
