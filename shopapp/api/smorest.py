"""The shop's flask-smorest classes: one error shape, schemas built once, documented fields."""

import marshmallow as ma
from flask_smorest import Api as SmorestApi
from flask_smorest import Blueprint as SmorestBlueprint
from marshmallow import EXCLUDE

from ..errors import http_exception_response
from .apidoc import ATTRIBUTE_FUNCTIONS


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


class Blueprint(SmorestBlueprint):
    """The shop's blueprint."""

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
