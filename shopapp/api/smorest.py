"""The shop's flask-smorest classes: one error shape, schemas built once, documented fields."""

import marshmallow as ma
from flask_smorest import Api as SmorestApi
from flask_smorest import Blueprint as SmorestBlueprint
from flask_smorest import abort
from marshmallow import EXCLUDE
from webargs.flaskparser import FlaskParser, is_json_request

from ..errors import NOT_JSON, http_exception_response
from .apidoc import ATTRIBUTE_FUNCTIONS
from .bounded_json import reject_deep_json


class Schema(ma.Schema):
    """Base schema: unknown request fields are ignored, as the v1 contract promises."""

    class Meta:
        unknown = EXCLUDE
        ordered = True


class ErrorSchema(ma.Schema):
    """The body of every error answer (documentation only)."""

    detail = ma.fields.String(required=True, metadata={"description": "What went wrong"})
    type = ma.fields.String(metadata={"description": "RFC 9457 problem type"})
    title = ma.fields.String(metadata={"description": "HTTP status phrase"})
    status = ma.fields.Integer(metadata={"description": "HTTP status code"})
    errors = ma.fields.Dict(
        keys=ma.fields.String(),
        values=ma.fields.List(ma.fields.String()),
        metadata={"description": "Validation messages per field (422 only)"},
    )


class JsonBodyParser(FlaskParser):
    """webargs' parser, except that a body sent as anything but JSON gets 415, and one
    nested too deeply gets 400 before it is parsed (bounded_json).

    webargs ignores a body whose Content-Type is not JSON, so a form-encoded login would
    be told "email: Missing data", which sends the client looking in the wrong place.
    """

    def load_json(self, req, schema):
        body = req.get_data(cache=True)
        if not is_json_request(req) and body:
            abort(415, message=NOT_JSON)
        reject_deep_json(body)
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
