"""Where revoked token ids (jti) live: the database by default, Redis when REDIS_URL is set.

Either way every process of the shop sees a revocation at once; entries expire when the
token would have expired anyway.
"""

from datetime import UTC, datetime

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from ..models import RevokedToken
from .identity import authenticated_user, authenticated_user_and_revoked

REDIS_PREFIX = "shop:revoked:"


class DatabaseRevocations:
    def __init__(self, db):
        self.db = db

    def revoke(self, jti, expires_at):
        session = self.db.session
        now = datetime.now(UTC)
        # Housekeeping: forget revocations of tokens that have expired by themselves.
        session.execute(delete(RevokedToken).where(RevokedToken.expires_at < now))
        session.add(RevokedToken(jti=jti, expires_at=expires_at))
        try:
            session.commit()
        except IntegrityError:  # revoked twice: already done
            session.rollback()

    def is_revoked(self, jti):
        return self.db.session.scalar(
            select(RevokedToken.jti).where(RevokedToken.jti == jti)
        ) is not None

    def user_and_revoked(self, session, user_id, jti):
        """(the user or None, whether ``jti`` is revoked), in one query."""
        user, revoked = authenticated_user_and_revoked(session.connection(), user_id, jti)
        return user, self.is_revoked(jti) if revoked is None else revoked


class RedisRevocations:
    def __init__(self, redis_client):
        self.redis = redis_client

    def revoke(self, jti, expires_at):
        seconds = max(1, int((expires_at - datetime.now(UTC)).total_seconds()) + 1)
        self.redis.set(REDIS_PREFIX + jti, "1", ex=seconds)

    def is_revoked(self, jti):
        return self.redis.exists(REDIS_PREFIX + jti) == 1

    def user_and_revoked(self, session, user_id, jti):
        return authenticated_user(session.connection(), user_id), self.is_revoked(jti)


def revocation_store(app, db):
    url = app.config.get("REDIS_URL")
    if url:
        import redis

        return RedisRevocations(redis.Redis.from_url(url, socket_timeout=2))
    return DatabaseRevocations(db)
