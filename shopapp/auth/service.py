"""Registration and login rules, independent of HTTP."""

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..errors import BusinessRuleError, NotFoundError, UnauthorizedError
from ..models import User
from .emails import InvalidEmailError, canonical_email, lookup_email
from .passwords import hash_password, verify_password

INVALID_CREDENTIALS = "Invalid email or password."


def register_user(session, email, password, full_name=None):
    """Create a shopper (never an admin). The email is stored canonical, so variants of
    one address are one account; racing duplicates lose on the unique index."""
    try:
        email = canonical_email(email)
    except InvalidEmailError as error:
        raise BusinessRuleError(f"Not a valid email address: {error}") from None
    if session.scalar(select(User.id).where(User.email == email)) is not None:
        raise BusinessRuleError("Email already registered")
    user = User(email=email, full_name=full_name, password_hash=hash_password(password))
    session.add(user)
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        raise BusinessRuleError("Email already registered") from None
    return user


def authenticate(session, email, password):
    user = session.scalar(select(User).where(User.email == lookup_email(email)))
    if user is None:
        # Spend one hash anyway, so timing does not reveal which emails are registered.
        hash_password(password)
        raise UnauthorizedError(INVALID_CREDENTIALS)
    if not verify_password(user.password_hash, password):
        raise UnauthorizedError(INVALID_CREDENTIALS)
    return user


def change_password(session, user_id, current_password, new_password):
    """Set a new password; moving token_version invalidates every token issued before."""
    user = session.get(User, user_id)
    if user is None:
        raise NotFoundError("User not found")
    if not verify_password(user.password_hash, current_password):
        raise BusinessRuleError("The current password is wrong.")
    user.password_hash = hash_password(new_password)
    user.token_version += 1
    session.commit()
    return user
