"""Access control decorators that also document the bearer scheme and the 401/403 answers."""

from functools import wraps

from flask_jwt_extended import current_user, verify_jwt_in_request

from ..errors import ForbiddenError

BEARER_SECURITY = [{"bearerAuth": []}]


def _enforce(func, admin, refresh):
    @wraps(func)
    def wrapper(*args, **kwargs):
        verify_jwt_in_request(refresh=refresh)
        # current_user is loaded from the database on every request, so a demoted
        # admin loses access at once; the token's claims are never trusted for roles.
        if admin and not current_user.is_admin:
            raise ForbiddenError("Admin rights required.")
        return func(*args, **kwargs)

    return wrapper


def protected(blp, admin=False, refresh=False):
    """Require a valid bearer token (and admin rights when ``admin``) on a view method.

    ``refresh`` asks for a refresh token instead of an access token. Write views also
    carry ``@transactional()`` (shopapp.database.transactions), below this decorator.
    """

    def decorator(func):
        func.protected = True  # what tests/unit/test_transactions.py looks for
        func = _enforce(func, admin, refresh)
        func = blp.doc(security=BEARER_SECURITY)(func)
        func = blp.alt_response(401, response="UNAUTHORIZED")(func)
        if admin:
            func = blp.alt_response(403, response="FORBIDDEN")(func)
        return func

    return decorator
