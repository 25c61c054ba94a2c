"""Flask extensions, created unbound and bound to the app in the factory (``create_app``).

Only instances live here; what they are customised with lives with its job: the Api
class in ``shopapp.api``, the JWT manager in ``shopapp.auth`` (bound by ``auth.init_app``).
"""

from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy.orm import DeclarativeBase

from .api import Api


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
api = Api()
# Keyed by client address; limits and storage come from the RATELIMIT_* config keys.
limiter = Limiter(key_func=get_remote_address)
