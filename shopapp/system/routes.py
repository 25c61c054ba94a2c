from importlib.metadata import PackageNotFoundError, version

from flask.views import MethodView
from sqlalchemy import text

from ..api import Blueprint
from ..errors import error_response
from ..extensions import db
from .schemas import HealthSchema, InfoSchema

blp = Blueprint("system", __name__, description="Version and health")


def package_version():
    try:
        return version("shopapp")
    except PackageNotFoundError:
        return "0+unknown"


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
        """Report whether the process and its database are up"""
        try:
            db.session.execute(text("SELECT 1"))
        except Exception:  # noqa: BLE001 - any failure here means "database down"
            db.session.rollback()
            return error_response(503, "The database is unreachable.")
        return {"status": "ok", "database": "ok"}
