from flask.views import MethodView
from flask_jwt_extended import current_user

from ..auth.access import protected
from ..extensions import Blueprint
from .schemas import UserSchema

blp = Blueprint("users", __name__, url_prefix="/api/v1/users", description="The signed-in user")


@blp.route("/me")
class CurrentUser(MethodView):
    @protected(blp)
    @blp.response(200, UserSchema)
    def get(self):
        """Show the signed-in user"""
        return current_user
