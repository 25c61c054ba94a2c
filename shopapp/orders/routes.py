from flask import request
from flask.views import MethodView
from flask_jwt_extended import current_user

from ..auth.access import protected
from ..extensions import Blueprint, db
from ..pagination import PAGINATION_HEADER, PAGINATION_HEADER_DOC, fetch_page, wants_page
from . import service
from .schemas import OrderCreateSchema, OrderListQuerySchema, OrderSchema

blp = Blueprint("orders", __name__, url_prefix="/api/v1/orders", description="Checkout and history")

IDEMPOTENCY_HEADER = "Idempotency-Key"


@blp.route("")
class Orders(MethodView):
    @protected(blp)
    @blp.arguments(OrderListQuerySchema, location="query")
    @blp.response(200, OrderSchema(many=True), headers=PAGINATION_HEADER_DOC)
    def get(self, query):
        """List your orders, newest first"""
        statement = service.orders_statement(user_id=current_user.id)
        if not wants_page(query):
            return db.session.scalars(statement).all()
        rows, header = fetch_page(db.session, statement, query.get("page"),
                                  query.get("page_size"))
        return rows, 200, {PAGINATION_HEADER: header}

    @protected(blp)
    @blp.arguments(OrderCreateSchema, required=False)
    @blp.response(201, OrderSchema)
    @blp.alt_response(400, response="BAD_REQUEST", description="Cart empty or not enough stock")
    @blp.alt_response(409, response="CONFLICT",
                      description="Idempotency-Key reused for another cart")
    @blp.doc(parameters=[{
        "in": "header", "name": IDEMPOTENCY_HEADER, "required": False,
        "schema": {"type": "string", "maxLength": 200},
        "description": "Retries with the same key within 24 h return the first order",
    }])
    def post(self, data):
        """Place an order from the cart"""
        return service.place_order(
            db.session,
            current_user.id,
            shipping_address=(data or {}).get("shipping_address"),
            idempotency_key=request.headers.get(IDEMPOTENCY_HEADER) or None,
        )


@blp.route("/<int(max=2147483647):order_id>")
class OrderById(MethodView):
    @protected(blp)
    @blp.response(200, OrderSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, order_id):
        """Show one of your orders"""
        return service.get_order(db.session, order_id, user_id=current_user.id)
