"""Who is calling: the token's user, read once per request as a read-only snapshot.

Every authenticated request needs the user (roles are read from the database, never
trusted from the token), so it is one Core statement into a small frozen record rather
than an ORM object; a view that changes the user loads the entity itself.

``AuthenticatedUser`` is kept (not the ORM ``User``) because it is immutable, skips the
identity map, and leaves out ``password_hash`` on purpose; the statement reads exactly its
fields, so a column the caller needs is added in one place, the dataclass.
"""

from dataclasses import dataclass, fields
from datetime import datetime

from sqlalchemy import bindparam, exists, select

from ..models import RevokedToken
from ..tables import USERS


@dataclass(frozen=True)
class AuthenticatedUser:
    id: int
    email: str
    full_name: str | None
    is_admin: bool
    token_version: int
    created_at: datetime


USER_COLUMNS = tuple(USERS.c[field.name] for field in fields(AuthenticatedUser))
USER_ROW = select(*USER_COLUMNS).where(USERS.c.id == bindparam("user_id"))
# With revocations in the database, both questions are answered by one statement.
USER_ROW_AND_REVOKED = select(
    *USER_COLUMNS, exists().where(RevokedToken.jti == bindparam("jti")).label("revoked")
).where(USERS.c.id == bindparam("user_id"))


def authenticated_user(connection, user_id):
    """The user as an AuthenticatedUser, or None when there is no such user."""
    row = connection.execute(USER_ROW, {"user_id": user_id}).first()
    return None if row is None else AuthenticatedUser(*row)


def authenticated_user_and_revoked(connection, user_id, jti):
    """(the user or None, whether ``jti`` is revoked; None when there is no user)."""
    row = connection.execute(USER_ROW_AND_REVOKED, {"user_id": user_id, "jti": jti}).first()
    if row is None:
        return None, None
    return AuthenticatedUser(*row[:-1]), bool(row[-1])
