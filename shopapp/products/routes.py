from flask import request
from flask.views import MethodView
from flask_jwt_extended import current_user, verify_jwt_in_request

from ..auth.access import protected
from ..extensions import Blueprint, db
from ..pagination import PAGINATION_HEADER, PAGINATION_HEADER_DOC, fetch_page, wants_page
from . import service
from .schemas import CatalogQuerySchema, ProductSchema, ProductUpdateSchema

blp = Blueprint(
    "products", __name__, url_prefix="/api/v1/products", description="The catalog"
)


def caller_is_admin():
    """Admins also see inactive products; a missing or bad token just means 'not admin'."""
    if "Authorization" not in request.headers:
        return False
    try:
        verify_jwt_in_request(optional=True)
    except Exception:  # noqa: BLE001 - any token problem simply means an anonymous view
        return False
    return current_user is not None and current_user.is_admin


@blp.route("")
class Products(MethodView):
    @blp.arguments(CatalogQuerySchema, location="query")
    @blp.response(200, ProductSchema(many=True), headers=PAGINATION_HEADER_DOC)
    def get(self, query):
        """List active products (search, sort and paging are optional)"""
        statement = service.catalog_statement(search=query.get("q"), sort=query["sort"])
        if not wants_page(query):
            return db.session.scalars(statement).all()
        rows, header = fetch_page(db.session, statement, query.get("page"),
                                  query.get("page_size"))
        return rows, 200, {PAGINATION_HEADER: header}

    @protected(blp, admin=True)
    @blp.arguments(ProductSchema)
    @blp.response(201, ProductSchema)
    @blp.alt_response(400, response="BAD_REQUEST", description="Malformed JSON body")
    def post(self, fields):
        """Create a product"""
        return service.create_product(db.session, fields, actor_id=current_user.id)


@blp.route("/<int(max=2147483647):product_id>")
class ProductById(MethodView):
    @blp.response(200, ProductSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, product_id):
        """Show one product (admins also see inactive ones)"""
        return service.get_product(db.session, product_id, include_inactive=caller_is_admin())

    @protected(blp, admin=True)
    @blp.arguments(ProductUpdateSchema(partial=True))
    @blp.response(200, ProductSchema)
    @blp.alt_response(400, response="BAD_REQUEST", description="Malformed JSON body")
    @blp.alt_response(404, response="NOT_FOUND")
    def put(self, fields, product_id):
        """Change any of a product's fields"""
        product = service.get_product(db.session, product_id, include_inactive=True)
        return service.update_product(db.session, product, fields, actor_id=current_user.id)

    @protected(blp, admin=True)
    @blp.response(204)
    @blp.alt_response(404, response="NOT_FOUND")
    def delete(self, product_id):
        """Delete a product (order history keeps it)"""
        product = service.get_product(db.session, product_id, include_inactive=True)
        service.delete_product(db.session, product)
