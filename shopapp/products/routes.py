from flask import current_app, request
from flask.views import MethodView
from flask_jwt_extended import current_user, verify_jwt_in_request

from ..api import Blueprint
from ..api.links import id_link, link, links
from ..api.pagination import (
    PAGINATION_HEADER,
    PAGINATION_HEADER_DOC,
    count_rows,
    fetch_page,
    wants_page,
)
from ..auth.access import protected
from ..database.transactions import transactional
from ..extensions import db
from . import catalog_cache, service
from .schemas import CatalogQuerySchema, ProductSchema, ProductUpdateSchema

# Schemas are built once: webargs would build one per request from a class.
CATALOG_QUERY = CatalogQuerySchema()
PRODUCT = ProductSchema()
PRODUCT_LIST = ProductSchema(many=True)
PRODUCT_UPDATE = ProductUpdateSchema(partial=True)

PRODUCT_PATH = "/api/v1/products/{product_id}"
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


CATALOG_HEADERS_DOC = {
    **PAGINATION_HEADER_DOC,
    "ETag": {"description": "Present without query parameters: a strong validator of the "
             "whole catalog, for If-None-Match", "schema": {"type": "string"}},
}


def encoded_catalog(session):
    """The whole active catalog as the JSON bytes the view below would send."""
    rows = session.scalars(service.catalog_statement()).all()
    return current_app.json.response(PRODUCT_LIST.dump(rows)).get_data()


@blp.route("")
class Products(MethodView):
    @catalog_cache.serve_full_catalog_from_cache(encoded_catalog)
    @blp.arguments(CATALOG_QUERY, location="query")
    @blp.response(200, PRODUCT_LIST, headers=CATALOG_HEADERS_DOC)
    @blp.alt_response(304, description="Not Modified: without query parameters, when the "
                      "request's If-None-Match names the current catalog ETag (no body)")
    def get(self, query):
        """List active products (search, sort and paging are optional)"""
        search = query.get("q")
        statement = service.catalog_statement(search=search, sort=query["sort"])
        if not wants_page(query):
            return db.session.scalars(statement).all()
        total = catalog_cache.catalog_cache().total(
            catalog_cache.read_version(), search or "",
            lambda: count_rows(db.session, statement))
        rows, header = fetch_page(db.session, statement, query.get("page"),
                                  query.get("page_size"), total=total)
        return rows, 200, {PAGINATION_HEADER: header}

    @protected(blp, admin=True)
    @transactional()
    @blp.arguments(PRODUCT)
    @blp.response(201, PRODUCT)
    @blp.doc(**links(
        201,
        GetProduct=id_link(PRODUCT_PATH, "get", "The new product", "product_id"),
        UpdateProduct=id_link(PRODUCT_PATH, "put", "Change the new product", "product_id"),
        DeleteProduct=id_link(PRODUCT_PATH, "delete", "Remove the new product", "product_id"),
        AddToCart=link("/api/v1/cart/items", "post", "Put the new product in the cart",
                       request_body={"product_id": "$response.body#/id", "quantity": 1}),
        AdjustStock=id_link("/api/v1/admin/products/{product_id}/stock", "post",
                            "Restock or write off the new product", "product_id"),
    ))
    @blp.alt_response(400, response="BAD_REQUEST", description="Malformed JSON body")
    def post(self, fields):
        """Create a product"""
        return service.create_product(db.session, fields, actor_id=current_user.id)


@blp.route("/<int(max=2147483647):product_id>")
class ProductById(MethodView):
    @blp.response(200, PRODUCT)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, product_id):
        """Show one product (admins also see inactive ones)"""
        return service.get_product(db.session, product_id, include_inactive=caller_is_admin())

    @protected(blp, admin=True)
    @transactional()
    @blp.arguments(PRODUCT_UPDATE)
    @blp.response(200, PRODUCT)
    @blp.alt_response(400, response="BAD_REQUEST", description="Malformed JSON body")
    @blp.alt_response(404, response="NOT_FOUND")
    def put(self, fields, product_id):
        """Change any of a product's fields"""
        product = service.get_product(db.session, product_id, include_inactive=True)
        return service.update_product(db.session, product, fields, actor_id=current_user.id)

    @protected(blp, admin=True)
    @transactional()
    @blp.response(204)
    @blp.alt_response(404, response="NOT_FOUND")
    def delete(self, product_id):
        """Delete a product (order history keeps it)"""
        product = service.get_product(db.session, product_id, include_inactive=True)
        service.delete_product(db.session, product)
