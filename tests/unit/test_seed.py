"""The seed adds one catalog, ever, even when seeders race without the start-up lock."""

import threading
from unittest import mock

from sqlalchemy import func, select

from shopapp import seed as seed_module
from shopapp.extensions import db
from shopapp.models import Product, SharedSetting, StockMovement, User
from shopapp.seed import CATALOG, CATALOG_MARKER, empty_all_tables, seed
from tests.support.accounts import ADMIN_EMAIL, ADMIN_PASSWORD


def counts(session):
    session.rollback()  # a fresh snapshot
    return (session.scalar(select(func.count()).select_from(Product)),
            session.scalar(select(func.count()).select_from(StockMovement)),
            session.scalar(select(func.count()).select_from(User).where(User.is_admin)))


def seed_in_thread(app, errors):
    def run():
        with app.app_context():
            try:
                seed(db.session, ADMIN_EMAIL, ADMIN_PASSWORD)
            except Exception as error:  # reported by the test, not lost in the thread
                errors.append(error)
            finally:
                db.session.remove()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_two_seeders_racing_without_a_lock_add_one_catalog_and_one_admin(app, session):
    empty_all_tables(session)
    session.commit()
    first_is_adding, release_first = threading.Event(), threading.Event()
    real_catalog = seed_module.catalog_products

    def catalog_after_a_pause():
        # The first seeder has claimed the catalog but not committed: the old seed's
        # "no products yet?" check would now let the second one add a catalog too.
        if not first_is_adding.is_set():
            first_is_adding.set()
            release_first.wait(timeout=30)
        return real_catalog()

    errors = []
    with mock.patch.object(seed_module, "catalog_products", catalog_after_a_pause):
        first = seed_in_thread(app, errors)
        assert first_is_adding.wait(timeout=30)
        second = seed_in_thread(app, errors)
        second.join(timeout=0.5)  # the second seeder waits for the first's claim
        release_first.set()
        first.join(timeout=60)
        second.join(timeout=60)
    assert errors == []
    assert counts(session) == (len(CATALOG), len(CATALOG), 1)


def test_seeding_again_adds_nothing_even_when_every_product_was_deleted(app, session):
    seed(session, ADMIN_EMAIL, ADMIN_PASSWORD)
    assert counts(session) == (len(CATALOG), len(CATALOG), 1)
    session.execute(StockMovement.__table__.delete())
    session.execute(Product.__table__.delete())
    session.commit()
    seed(session, ADMIN_EMAIL, ADMIN_PASSWORD)
    assert counts(session) == (0, 0, 1)


def test_emptying_the_tables_clears_the_marker_so_a_reset_reseeds(app, session):
    assert session.get(SharedSetting, CATALOG_MARKER) is not None
    empty_all_tables(session)
    assert session.get(SharedSetting, CATALOG_MARKER) is None
    seed(session, ADMIN_EMAIL, ADMIN_PASSWORD)
    assert counts(session) == (len(CATALOG), len(CATALOG), 1)
