from flask.views import MethodView
from flask_jwt_extended import current_user

from ..api import Blueprint
from ..api.links import id_link, link, links
from ..auth.access import protected
from ..database.transactions import transactional
from ..extensions import db
from . import service
from .schemas import CartItemAddSchema, CartItemSchema, CartItemUpdateSchema, CartSchema

ITEM_PATH = "/api/v1/cart/items/{item_id}"
blp = Blueprint("cart", __name__, url_prefix="/api/v1/cart", description="The shopper's cart")


@blp.route("")
class Cart(MethodView):
    @protected(blp)
    @blp.response(200, CartSchema)
    def get(self):
        """Show the cart and its subtotal"""
        return service.cart_summary(service.cart_lines(db.session, current_user.id))


@blp.route("/items")
class CartItems(MethodView):
    @protected(blp)
    @transactional()
    @blp.arguments(CartItemAddSchema)
    @blp.response(201, CartItemSchema)
    @blp.doc(**links(
        201,
        UpdateLine=id_link(ITEM_PATH, "put", "Change the line's quantity", "item_id"),
        RemoveLine=id_link(ITEM_PATH, "delete", "Remove the line", "item_id"),
        PlaceOrder=link("/api/v1/orders", "post", "Check out the cart"),
    ))
    @blp.alt_response(400, response="BAD_REQUEST",
                      description="Unknown or inactive product, or not enough stock")
    def post(self, data):
        """Add a product to the cart (adds to the quantity of an existing line)"""
        return service.add_item(db.session, current_user.id, data["product_id"], data["quantity"])


@blp.route("/items/<int(max=2147483647):item_id>")
class CartItemById(MethodView):
    @protected(blp)
    @transactional()
    @blp.arguments(CartItemUpdateSchema)
    @blp.response(200, CartItemSchema)
    @blp.alt_response(400, response="BAD_REQUEST", description="Not enough stock")
    @blp.alt_response(404, response="NOT_FOUND")
    def put(self, data, item_id):
        """Change a cart line's quantity"""
        return service.set_quantity(db.session, current_user.id, item_id, data["quantity"])

    @protected(blp)
    @transactional()
    @blp.response(204)
    @blp.alt_response(404, response="NOT_FOUND")
    def delete(self, item_id):
        """Remove a line from the cart"""
        service.remove_item(db.session, current_user.id, item_id)
