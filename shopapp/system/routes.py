from flask import current_app
from flask.views import MethodView

from ..api import Blueprint
from ..errors import error_response
from ..readiness import health_report
from ..version import package_version
from .schemas import HealthSchema, InfoSchema

blp = Blueprint("system", __name__, description="Version and health")


@blp.route("/api/v1/system/info")
class Info(MethodView):
    @blp.response(200, InfoSchema)
    def get(self):
        """Show the running version"""
        return {"version": package_version()}


@blp.route("/healthz")
class Health(MethodView):
    @blp.response(200, HealthSchema)
    @blp.alt_response(503, response="SERVICE_UNAVAILABLE")
    def get(self):
        """Report whether the database is reachable and its schema at the migration head

        503 names the part that is not ready: `database` (unreachable) or `schema`
        (missing or outdated), with a `detail` saying what to do.
        """
        healthy, body = health_report(current_app)
        if healthy:
            return body
        return error_response(503, body.pop("detail"), fields=body)
