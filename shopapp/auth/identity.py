"""Who is calling: the token's user, read once per request as a read-only snapshot.

Every authenticated request needs the user (roles are read from the database, never
trusted from the token), so it is one Core statement into a small frozen record rather
than an ORM object; a view that changes the user loads the entity itself.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, exists, select

from ..models import RevokedToken, User

USERS = User.__table__
USER_COLUMNS = (USERS.c.id, USERS.c.email, USERS.c.full_name, USERS.c.is_admin,
                USERS.c.token_version, USERS.c.created_at)
USER_ROW = select(*USER_COLUMNS).where(USERS.c.id == bindparam("user_id"))
# With revocations in the database, both questions are answered by one statement.
USER_ROW_AND_REVOKED = select(
    *USER_COLUMNS, exists().where(RevokedToken.jti == bindparam("jti")).label("revoked")
).where(USERS.c.id == bindparam("user_id"))


@dataclass(frozen=True)
class AuthenticatedUser:
    id: int
    email: str
    full_name: str | None
    is_admin: bool
    token_version: int
    created_at: datetime


def user_row(connection, user_id):
    """The user as an AuthenticatedUser, or None when there is no such user."""
    row = connection.execute(USER_ROW, {"user_id": user_id}).first()
    return None if row is None else AuthenticatedUser(*row)


def user_row_and_revoked(connection, user_id, jti):
    """(the user or None, whether ``jti`` is revoked; None when there is no user)."""
    row = connection.execute(USER_ROW_AND_REVOKED, {"user_id": user_id, "jti": jti}).first()
    if row is None:
        return None, None
    return AuthenticatedUser(*row[:-1]), bool(row[-1])
