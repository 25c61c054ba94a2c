"""Flask extensions, created unbound and bound to the app in the factory.

Customised flask-smorest classes live here too, so customisation has one home.
"""

from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_migrate import Migrate
from flask_smorest import Api as SmorestApi
from flask_smorest import Blueprint as SmorestBlueprint
from flask_smorest import abort
from flask_sqlalchemy import SQLAlchemy
from marshmallow import EXCLUDE
from marshmallow import Schema as MarshmallowSchema
from sqlalchemy.orm import DeclarativeBase
from webargs.flaskparser import FlaskParser, is_json_request

from .apidoc import ATTRIBUTE_FUNCTIONS
from .auth.token_cache import CachingJWTManager
from .errors import NOT_JSON, ErrorSchema, http_exception_response


class Base(DeclarativeBase):
    pass


class Schema(MarshmallowSchema):
    """Base schema: unknown request fields are ignored, as the v1 contract promises."""

    class Meta:
        unknown = EXCLUDE
        ordered = True


class JsonBodyParser(FlaskParser):
    """webargs' parser, except that a body sent as anything but JSON gets 415.

    webargs ignores a body whose Content-Type is not JSON, so a form-encoded login would
    be told "email: Missing data", which sends the client looking in the wrong place.
    """

    def load_json(self, req, schema):
        if not is_json_request(req) and req.get_data(cache=True):
            abort(415, message=NOT_JSON)
        return super().load_json(req, schema)


class Blueprint(SmorestBlueprint):
    """The shop's blueprint."""

    ARGUMENTS_PARSER = JsonBodyParser()

    def arguments(self, schema, **kwargs):
        # webargs builds a new schema per request when given a class: build it once.
        if isinstance(schema, type):
            schema = schema()
        return super().arguments(schema, **kwargs)


class Api(SmorestApi):
    """flask-smorest's Api answering every HTTP error in the shop's one error shape."""

    ERROR_SCHEMA = ErrorSchema

    def handle_http_exception(self, error):
        return http_exception_response(error)

    def init_app(self, app, *, spec_kwargs=None):
        super().init_app(app, spec_kwargs=spec_kwargs)
        # Each init_app builds a new spec: teach each one how our fields are documented.
        for function in ATTRIBUTE_FUNCTIONS:
            self.ma_plugin.converter.add_attribute_function(function)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
jwt = CachingJWTManager()
api = Api()
# Keyed by client address; limits and storage come from the RATELIMIT_* config keys.
limiter = Limiter(key_func=get_remote_address)
