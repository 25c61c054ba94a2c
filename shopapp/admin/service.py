"""Admin rules: role changes that never leave the shop without an admin, the reset, and
the admin's search over every order."""

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import contains_eager, selectinload

from ..api.fields import MAX_ID
from ..auth.emails import lookup_email
from ..database.reset_gate import begin_alone
from ..database.text_search import contains_text
from ..errors import BusinessRuleError, NotFoundError
from ..models import Order, User
from ..orders.service import orders_statement
from ..seed import empty_all_tables, seed


def list_users(session):
    return session.scalars(select(User).order_by(User.created_at.desc(), User.id.desc())).all()


def find_user_by_email(session, email):
    user = session.scalar(select(User).where(User.email == lookup_email(email)))
    if user is None:
        raise NotFoundError(f"No user with email {email}")
    return user


def set_admin(session, target_id, is_admin, actor_id=None):
    """Grant or remove admin rights. ``actor_id`` is None for the CLI (no self-rule)."""
    user = session.get(User, target_id)
    if user is None:
        raise NotFoundError("User not found")
    if is_admin:
        user.is_admin = True
        session.commit()
        return user
    if actor_id is not None and target_id == actor_id:
        raise BusinessRuleError("You cannot remove your own admin role")
    # Lock every admin row first (PostgreSQL) so two racing demotions cannot both pass.
    session.execute(select(User.id).where(User.is_admin.is_(True)).with_for_update())
    other_admins = (
        select(func.count()).select_from(User)
        .where(User.is_admin.is_(True), User.id != target_id)
        .scalar_subquery()
    )
    session.execute(
        update(User)
        .where(User.id == target_id, other_admins > 0)
        .values(is_admin=False)
        .execution_options(synchronize_session=False)
    )
    session.commit()
    session.refresh(user)
    if user.is_admin:
        raise BusinessRuleError("Cannot remove the last admin")
    return user


def reset_store(session, admin_email, admin_password):
    """Empty every table and reseed, in one transaction: requests see before or after.

    The transaction holds the reset gate exclusively (``database/reset_gate.py``): every
    other transaction, in any process, ends before it or begins after it.
    """
    begin_alone(session)
    empty_all_tables(session)
    seed(session, admin_email, admin_password)


def admin_orders_statement(status=None, search=None):
    """Every user's orders, newest first, with customer and status history loaded.

    ``search`` is an order id (a leading "#" allowed) or part of the customer's email,
    in any case."""
    statement = (
        orders_statement()
        .join(Order.user)
        .options(contains_eager(Order.user), selectinload(Order.status_history))
    )
    if status:
        statement = statement.where(Order.status == status)
    search = (search or "").strip()
    if search:
        matches = contains_text(User.email, search)
        number = search.removeprefix("#")
        if number.isascii() and number.isdigit() and int(number) <= MAX_ID:
            matches = or_(Order.id == int(number), matches)
        statement = statement.where(matches)
    return statement
