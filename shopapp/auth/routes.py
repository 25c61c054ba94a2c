from flask import current_app
from flask.views import MethodView

from ..extensions import Blueprint, db
from ..users.schemas import UserSchema
from . import service
from .schemas import LoginSchema, RegisterSchema, TokenSchema
from .tokens import issue_access_token

blp = Blueprint("auth", __name__, url_prefix="/api/v1/auth", description="Accounts and tokens")


@blp.route("/register")
class Register(MethodView):
    @blp.arguments(RegisterSchema)
    @blp.response(201, UserSchema)
    @blp.alt_response(400, response="BAD_REQUEST", description="Email already registered")
    def post(self, data):
        """Create a shopper account"""
        return service.register_user(
            db.session, data["email"], data["password"], data.get("full_name")
        )


@blp.route("/login")
class Login(MethodView):
    @blp.arguments(LoginSchema)
    @blp.response(200, TokenSchema)
    @blp.alt_response(401, response="UNAUTHORIZED", description="Invalid credentials")
    def post(self, data):
        """Trade email and password for a bearer token"""
        user = service.authenticate(db.session, data["email"], data["password"])
        lifetime = current_app.config["JWT_ACCESS_TOKEN_EXPIRES"]
        return {
            "access_token": issue_access_token(user),
            "token_type": "bearer",
            "expires_in": int(lifetime.total_seconds()),
        }
