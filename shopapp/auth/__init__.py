"""Accounts and tokens: registration, login, refresh, logout, who is calling, who may.

``init_app(app)`` binds the JWT manager (``jwt``), registers its loaders (every JWT
failure is the shop's JSON 401) and picks the revocation store. ``access.protected`` is
the decorator every authenticated view wears; ``identity`` reads the caller;
``tokens`` issues and revokes; ``token_cache`` keeps verified signatures; ``limits``
holds the abuse limits of the auth endpoints.
"""

from .token_cache import CachingJWTManager

jwt = CachingJWTManager()


def init_app(app):
    from ..extensions import db
    from .revocation import revocation_store
    from .tokens import REVOCATIONS, register_jwt_handlers

    jwt.init_app(app)
    app.extensions[REVOCATIONS] = revocation_store(app, db)
    register_jwt_handlers(jwt)
