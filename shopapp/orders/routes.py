from datetime import timedelta

from flask import current_app
from flask.views import MethodView
from flask_jwt_extended import current_user

from ..api import Blueprint
from ..api.links import id_link, links
from ..api.pagination import PAGINATION_HEADER_DOC, PageQuerySchema, list_or_page
from ..auth.access import protected
from ..database.transactions import transactional
from ..errors import ShopError
from ..extensions import db
from ..web import metrics
from . import lifecycle, service
from .schemas import IdempotencyHeaderSchema, OrderCreateSchema, OrderSchema

blp = Blueprint("orders", __name__, url_prefix="/api/v1/orders", description="Checkout and history")


@blp.route("")
class Orders(MethodView):
    @protected(blp)
    @blp.arguments(PageQuerySchema, location="query")
    @blp.response(200, OrderSchema(many=True), headers=PAGINATION_HEADER_DOC)
    def get(self, query):
        """List your orders, newest first"""
        statement = service.orders_statement(user_id=current_user.id)
        return list_or_page(db.session, statement, query)

    @protected(blp)
    @transactional()
    @blp.arguments(IdempotencyHeaderSchema, location="headers")
    @blp.arguments(OrderCreateSchema, required=False)
    @blp.response(201, OrderSchema)
    @blp.doc(**links(
        201,
        GetOrder=id_link("/api/v1/orders/{order_id}", "get", "The new order", "order_id"),
        CancelOrder=id_link("/api/v1/orders/{order_id}/cancel", "post", "Cancel the new order",
                            "order_id"),
        MoveOrder=id_link("/api/v1/admin/orders/{order_id}", "patch",
                          "An admin moves the new order on", "order_id"),
    ))
    @blp.alt_response(400, response="BAD_REQUEST", description="Cart empty or not enough stock")
    @blp.alt_response(409, response="CONFLICT",
                      description="Idempotency-Key reused for another cart")
    def post(self, headers, data):
        """Place an order from the cart"""
        try:
            order = service.place_order(
                db.session,
                current_user.id,
                shipping_address=(data or {}).get("shipping_address"),
                idempotency_key=headers.get("idempotency_key"),
                key_lifetime=timedelta(hours=current_app.config["IDEMPOTENCY_KEY_HOURS"]),
            )
        except ShopError as error:
            metrics.checkout_refused(getattr(error, "checkout_refusal", "other"))
            raise
        if not service.is_replay(order):
            metrics.order_placed()
        return order


@blp.route("/<int(max=2147483647):order_id>")
class OrderById(MethodView):
    @protected(blp)
    @blp.response(200, OrderSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, order_id):
        """Show one of your orders"""
        return service.get_order(db.session, order_id, user_id=current_user.id)


@blp.route("/<int(max=2147483647):order_id>/cancel")
class OrderCancel(MethodView):
    @protected(blp)
    @transactional()
    @blp.response(200, OrderSchema)
    @blp.alt_response(400, response="BAD_REQUEST",
                      description="The order can no longer be cancelled")
    @blp.alt_response(404, response="NOT_FOUND")
    def post(self, order_id):
        """Cancel an order (yours while pending; admins also paid ones); stock is restored"""
        by_admin = current_user.is_admin
        order = service.get_order(db.session, order_id,
                                  user_id=None if by_admin else current_user.id)
        return lifecycle.cancel(db.session, order, current_user.id, by_admin=by_admin)
