from flask.views import MethodView
from flask_jwt_extended import current_user, get_jwt

from ..api import Blueprint
from ..api.links import link, links
from ..database.transactions import transactional
from ..extensions import db
from ..users.schemas import UserSchema
from . import service
from .access import protected
from .limits import login_failures_per_address, login_failures_per_email, registrations_per_address
from .schemas import LoginSchema, LogoutSchema, RegisterSchema, TokenSchema
from .tokens import issue_tokens, revoke_encoded, revoke_payload

blp = Blueprint("auth", __name__, url_prefix="/api/v1/auth", description="Accounts and tokens")


@blp.route("/register")
class Register(MethodView):
    decorators = [registrations_per_address]

    @blp.arguments(RegisterSchema)
    @blp.response(201, UserSchema)
    @blp.doc(**links(201, LogIn=link(
        "/api/v1/auth/login", "post", "Log in with the new account",
        request_body={"email": "$request.body#/email", "password": "$request.body#/password"})))
    @blp.alt_response(400, response="BAD_REQUEST", description="Email already registered")
    @blp.alt_response(429, response="TOO_MANY_REQUESTS")
    def post(self, data):
        """Create a shopper account"""
        return service.register_user(
            db.session, data["email"], data["password"], data.get("full_name")
        )


@blp.route("/login")
class Login(MethodView):
    decorators = [login_failures_per_address, login_failures_per_email]

    @blp.arguments(LoginSchema)
    @blp.response(200, TokenSchema)
    @blp.alt_response(400, response="BAD_REQUEST", description="Malformed JSON body")
    @blp.alt_response(401, response="UNAUTHORIZED", description="Invalid credentials")
    @blp.alt_response(429, response="TOO_MANY_REQUESTS", description="Too many failed logins")
    def post(self, data):
        """Trade email and password for a bearer token and a refresh token"""
        user = service.authenticate(db.session, data["email"], data["password"])
        return issue_tokens(user)


@blp.route("/refresh")
class Refresh(MethodView):
    @protected(blp, refresh=True)
    @transactional()
    @blp.response(200, TokenSchema)
    def post(self):
        """Trade a refresh token (as the bearer token) for a new access token"""
        return issue_tokens(current_user, with_refresh=False)


@blp.route("/logout")
class Logout(MethodView):
    @protected(blp)
    @transactional()
    @blp.arguments(LogoutSchema, required=False)
    @blp.response(204)
    @blp.alt_response(400, response="BAD_REQUEST", description="Malformed JSON body")
    def post(self, data):
        """Revoke the presented access token (and the refresh token given in the body)"""
        revoke_payload(get_jwt())
        refresh_token = (data or {}).get("refresh_token")
        if refresh_token:
            revoke_encoded(refresh_token, current_user.id)
