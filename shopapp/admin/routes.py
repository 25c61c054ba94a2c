from flask import current_app
from flask.views import MethodView
from flask_jwt_extended import current_user

from ..auth.access import protected
from ..extensions import Blueprint, db
from ..users.schemas import UserSchema
from . import service
from .schemas import MessageSchema, RoleChangeSchema

blp = Blueprint("admin", __name__, url_prefix="/api/v1/admin", description="Store administration")


@blp.route("/reset")
class Reset(MethodView):
    @protected(blp, admin=True)
    @blp.response(200, MessageSchema)
    def post(self):
        """Empty every table and reseed the demo catalog and admin"""
        config = current_app.config
        service.reset_store(db.session, config["ADMIN_EMAIL"], config["ADMIN_PASSWORD"])
        return {"detail": "Store reset: catalog and admin account reseeded."}


@blp.route("/users")
class Users(MethodView):
    @protected(blp, admin=True)
    @blp.response(200, UserSchema(many=True))
    def get(self):
        """List users, newest first"""
        return service.list_users(db.session)


@blp.route("/users/<int(max=2147483647):user_id>")
class UserById(MethodView):
    @protected(blp, admin=True)
    @blp.arguments(RoleChangeSchema)
    @blp.response(200, UserSchema)
    @blp.alt_response(400, response="BAD_REQUEST", description="Own role or last admin")
    @blp.alt_response(404, response="NOT_FOUND")
    def patch(self, data, user_id):
        """Promote or demote a user"""
        return service.set_admin(db.session, user_id, data["is_admin"], actor_id=current_user.id)
