from flask.views import MethodView
from flask_jwt_extended import current_user

from ..admin.schemas import MessageSchema
from ..api import Blueprint
from ..auth.access import protected
from ..auth.schemas import PasswordChangeSchema
from ..auth.service import change_password
from ..database.transactions import transactional
from ..extensions import db
from .schemas import UserSchema

blp = Blueprint("users", __name__, url_prefix="/api/v1/users", description="The signed-in user")


@blp.route("/me")
class CurrentUser(MethodView):
    @protected(blp)
    @blp.response(200, UserSchema)
    def get(self):
        """Show the signed-in user"""
        return current_user


@blp.route("/me/password")
class CurrentUserPassword(MethodView):
    @protected(blp)
    @transactional()
    @blp.arguments(PasswordChangeSchema)
    @blp.response(200, MessageSchema)
    @blp.alt_response(400, response="BAD_REQUEST", description="Wrong current password")
    def post(self, data):
        """Change your password (every token issued before stops working)"""
        change_password(db.session, current_user.id, data["current_password"], data["new_password"])
        return {"detail": "Password changed: log in again with the new password."}
