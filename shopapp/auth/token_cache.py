"""Verified tokens, kept per process: a token's signature is checked once, not per request.

Verifying an HS256 signature and decoding the claims costs ~0.1 ms, and a shopper sends
the same token with every request until it expires. Whether a signature is valid never
changes for a given token string and key, so the decoded claims are kept (bounded, per
app) and only the expiry is checked again on each use. Revocation and the user's
``token_version`` are still read from the database on every request (``tokens.py``).

Cost: flask-jwt-extended has no public hook around decoding, so ``CachingJWTManager``
overrides its private ``_decode_jwt_from_config`` (the one call every verification path
makes). It is worth it for the measured gain on every authenticated request
(docs/PERFORMANCE.md); tests/unit/test_library_hooks.py fails the moment a release
renames or bypasses the method, and the version range in setup.cfg bounds the risk.
"""

import time
from datetime import timedelta

from flask import current_app
from flask_jwt_extended import JWTManager
from flask_jwt_extended.config import config

EXTENSION_KEY = "shop_verified_tokens"
MAX_TOKENS = 4096


class VerifiedTokens:
    """Decoded claims by encoded token; the oldest entry goes when the cache is full."""

    def __init__(self, size=MAX_TOKENS):
        self.size = size
        self.claims = {}

    def get(self, token, leeway_seconds):
        claims = self.claims.get(token)
        if claims is None:
            return None
        expires = claims.get("exp")
        # The same rule as PyJWT's: expired once exp + leeway is not in the future.
        if expires is not None and expires + leeway_seconds <= time.time():
            self.claims.pop(token, None)
            return None
        return claims

    def put(self, token, claims):
        if len(self.claims) >= self.size:
            try:
                self.claims.pop(next(iter(self.claims)), None)
            except (StopIteration, RuntimeError):  # another thread changed it meanwhile
                pass
        self.claims[token] = claims


def leeway_seconds():
    leeway = config.leeway
    return leeway.total_seconds() if isinstance(leeway, timedelta) else leeway


class CachingJWTManager(JWTManager):
    """flask-jwt-extended's manager, remembering the tokens whose signature it verified."""

    def init_app(self, app, add_context_processor=False):
        super().init_app(app, add_context_processor=add_context_processor)
        app.extensions[EXTENSION_KEY] = VerifiedTokens()

    def _decode_jwt_from_config(self, encoded_token, csrf_value=None, allow_expired=False):
        if csrf_value is not None or allow_expired:
            return super()._decode_jwt_from_config(encoded_token, csrf_value, allow_expired)
        cache = current_app.extensions[EXTENSION_KEY]
        claims = cache.get(encoded_token, leeway_seconds())
        if claims is None:
            # Raises for a bad signature, an expired token, a wrong audience...: not kept.
            claims = super()._decode_jwt_from_config(encoded_token)
            cache.put(encoded_token, claims)
        return dict(claims)
