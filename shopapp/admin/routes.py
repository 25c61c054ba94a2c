from flask import Response, current_app, stream_with_context
from flask.views import MethodView
from flask_jwt_extended import current_user

from ..api import Blueprint
from ..api.pagination import PAGINATION_HEADER_DOC, PageQuerySchema, list_or_page
from ..auth.access import protected
from ..database.transactions import transactional
from ..extensions import db
from ..models import utcnow
from ..orders import lifecycle
from ..orders.service import get_order
from ..products import service as products
from ..products.schemas import ProductSchema
from ..users.schemas import UserSchema
from . import export, service, stats
from .schemas import (
    AdminOrderQuerySchema,
    AdminOrderSchema,
    AdminProductQuerySchema,
    AdminProductSchema,
    MessageSchema,
    OrderExportQuerySchema,
    OrderStatusSchema,
    RoleChangeSchema,
    StatsQuerySchema,
    StatsSchema,
    StockAdjustmentSchema,
    StockMovementSchema,
)

blp = Blueprint("admin", __name__, url_prefix="/api/v1/admin", description="Store administration")


@blp.route("/reset")
class Reset(MethodView):
    @protected(blp, admin=True)
    @transactional()
    @blp.response(200, MessageSchema)
    def post(self):
        """Empty every table and reseed the demo catalog and admin"""
        config = current_app.config
        service.reset_store(db.session, config["ADMIN_EMAIL"], config["ADMIN_PASSWORD"])
        return {"detail": "Store reset: catalog and admin account reseeded."}


@blp.route("/stats")
class Stats(MethodView):
    @protected(blp, admin=True)
    @blp.arguments(StatsQuerySchema, location="query")
    @blp.response(200, StatsSchema)
    def get(self, query):
        """Show sales per UTC day, orders by status, top sellers and low stock"""
        return stats.shop_stats(db.session, utcnow().date(), query["days"],
                                current_app.config["LOW_STOCK_THRESHOLD"])


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
    @transactional()
    @blp.arguments(RoleChangeSchema)
    @blp.response(200, UserSchema)
    @blp.alt_response(400, response="BAD_REQUEST", description="Own role or last admin")
    @blp.alt_response(404, response="NOT_FOUND")
    def patch(self, data, user_id):
        """Promote or demote a user"""
        return service.set_admin(db.session, user_id, data["is_admin"], actor_id=current_user.id)


@blp.route("/orders")
class Orders(MethodView):
    @protected(blp, admin=True)
    @blp.arguments(AdminOrderQuerySchema, location="query")
    @blp.response(200, AdminOrderSchema(many=True), headers=PAGINATION_HEADER_DOC)
    def get(self, query):
        """List every order, newest first (filter by status, search by id or email)"""
        statement = service.admin_orders_statement(query.get("status"), query.get("q"))
        return list_or_page(db.session, statement, query)


CSV_CONTENT_TYPE = "text/csv; charset=utf-8"


@blp.route("/orders/export.csv")
class OrdersExport(MethodView):
    @protected(blp, admin=True)
    @blp.arguments(OrderExportQuerySchema, location="query")
    @blp.response(200, {"type": "string"}, content_type="text/csv", description=(
        "One row per order line, oldest order first, streamed; header row: "
        + ",".join(export.HEADER)), headers={"Content-Disposition": {
            "description": 'attachment; filename="orders-<from>-<to>.csv"',
            "schema": {"type": "string"}}})
    @blp.alt_response(400, response="BAD_REQUEST", description="'from' after 'to'")
    def get(self, query):
        """Download order lines as CSV (filter by UTC dates and status)"""
        start, end = query.get("from_date"), query.get("to_date")
        statement = export.export_statement(start, end, query.get("status"))
        chunks = stream_with_context(export.csv_chunks(db.session, statement))
        disposition = f'attachment; filename="{export.filename(start, end)}"'
        return Response(chunks, content_type=CSV_CONTENT_TYPE,
                        headers={"Content-Disposition": disposition})


@blp.route("/orders/<int(max=2147483647):order_id>")
class OrderById(MethodView):
    @protected(blp, admin=True)
    @blp.response(200, AdminOrderSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, order_id):
        """Show any order with its customer, next states and status history"""
        return get_order(db.session, order_id)

    @protected(blp, admin=True)
    @transactional()
    @blp.arguments(OrderStatusSchema)
    @blp.response(200, AdminOrderSchema)
    @blp.alt_response(400, response="BAD_REQUEST", description="Illegal status change")
    @blp.alt_response(404, response="NOT_FOUND")
    def patch(self, data, order_id):
        """Move an order to its next status (cancelling restores the stock)"""
        order = get_order(db.session, order_id)
        return lifecycle.change_status(db.session, order, data["status"], current_user.id)


@blp.route("/products")
class AdminProducts(MethodView):
    @protected(blp, admin=True)
    @blp.arguments(AdminProductQuerySchema, location="query")
    @blp.response(200, AdminProductSchema(many=True), headers=PAGINATION_HEADER_DOC)
    def get(self, query):
        """List every product, inactive ones too (search, sort, status filter, paging)"""
        statement = products.products_statement(
            status=query.get("status"), include_deleted=query["include_deleted"],
            search=query.get("q"), sort=query["sort"],
        )
        return list_or_page(db.session, statement, query)


@blp.route("/products/<int(max=2147483647):product_id>/stock")
class ProductStock(MethodView):
    @protected(blp, admin=True)
    @blp.arguments(PageQuerySchema, location="query")
    @blp.response(200, StockMovementSchema(many=True), headers=PAGINATION_HEADER_DOC)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, query, product_id):
        """List a product's stock movements, newest first"""
        return list_or_page(db.session, products.stock_movements(db.session, product_id), query)

    @protected(blp, admin=True)
    @transactional()
    @blp.arguments(StockAdjustmentSchema)
    @blp.response(201, ProductSchema)
    @blp.alt_response(400, response="BAD_REQUEST", description="Would go below zero")
    @blp.alt_response(404, response="NOT_FOUND")
    def post(self, data, product_id):
        """Restock or write off units, recorded in the stock ledger"""
        return products.adjust_stock(db.session, product_id, data["delta"], data["reason"],
                                     actor_id=current_user.id)
