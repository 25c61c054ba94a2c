"""The catalog: listing, reading, and the admin's create / update / delete."""

import json

import pytest

PRODUCTS = "/api/v1/products"
PRODUCT_FIELDS = {"id", "name", "description", "price", "inventory_count", "image_url",
                  "is_active", "created_at"}


def test_list_shows_the_seeded_catalog_with_money_as_strings(client):
    response = client.get(PRODUCTS)
    assert response.status_code == 200
    products = response.json
    assert len(products) == 12
    for product in products:
        assert set(product) == PRODUCT_FIELDS
        assert isinstance(product["price"], str)
        whole, cents = product["price"].split(".")
        assert whole.isdigit() and len(cents) == 2
        assert product["image_url"].startswith("/images/products/")
        assert product["created_at"].endswith("+00:00")


def test_seed_images_exist_in_static(client):
    for product in client.get(PRODUCTS).json:
        response = client.get(product["image_url"])
        assert response.status_code == 200, product["image_url"]
        response.close()


def test_list_hides_inactive_products(client, make_product):
    hidden = make_product(name="Hidden", is_active=False)
    ids = [product["id"] for product in client.get(PRODUCTS).json]
    assert hidden["id"] not in ids


def test_get_one_product(client):
    first = client.get(PRODUCTS).json[0]
    response = client.get(f"{PRODUCTS}/{first['id']}")
    assert response.status_code == 200
    assert response.json == first


def test_inactive_product_is_404_for_shoppers_but_visible_to_admins(
        client, make_product, shopper_headers, admin_headers):
    hidden = make_product(name="Hidden", is_active=False)
    url = f"{PRODUCTS}/{hidden['id']}"
    assert client.get(url).status_code == 404
    assert client.get(url, headers=shopper_headers).status_code == 404
    assert client.get(url, headers={"Authorization": "Bearer junk"}).status_code == 404
    response = client.get(url, headers=admin_headers)
    assert response.status_code == 200
    assert response.json["is_active"] is False


def test_missing_product_is_404_json(client):
    response = client.get(f"{PRODUCTS}/999999")
    assert response.status_code == 404
    assert response.json["detail"] == "Product not found"


def test_admin_creates_a_product_from_a_numeric_string_or_number(client, admin_headers):
    response = client.post(PRODUCTS, headers=admin_headers, json={
        "name": "Carbon Visor", "description": "Dark", "price": "12.5", "inventory_count": 3,
        "id": 999, "created_at": "1999-01-01T00:00:00+00:00"})
    assert response.status_code == 201
    body = response.json
    assert body["price"] == "12.50"
    assert body["id"] != 999
    assert not body["created_at"].startswith("1999")
    assert body["is_active"] is True
    assert body["image_url"] is None
    number = client.post(PRODUCTS, headers=admin_headers,
                         json={"name": "Pad", "price": 0.1, "inventory_count": 0})
    trailing_zero = client.post(PRODUCTS, headers=admin_headers,
                                json={"name": "Zero", "price": "3.500"})
    assert trailing_zero.json["price"] == "3.50"
    assert number.status_code == 201
    assert number.json["price"] == "0.10"
    assert client.get(f"{PRODUCTS}/{body['id']}").json == body


@pytest.mark.parametrize(
    "body, field",
    [
        ({"name": "X", "price": 0}, "price"),
        ({"name": "X", "price": "-1.00"}, "price"),
        ({"name": "X", "price": "abc"}, "price"),
        ({"name": "X", "price": "NaN"}, "price"),
        ({"name": "X", "price": "1.999"}, "price"),
        ({"name": "X", "price": "1e30"}, "price"),
        ({"name": "X", "price": True}, "price"),
        ({"name": "X", "price": "100000000.00"}, "price"),
        ({"name": "X", "price": "1.00", "inventory_count": -1}, "inventory_count"),
        ({"name": "X", "price": "1.00", "inventory_count": 1.5}, "inventory_count"),
        ({"name": "X", "price": "1.00", "inventory_count": True}, "inventory_count"),
        ({"name": "X", "price": "1.00", "inventory_count": "2x"}, "inventory_count"),
        ({"name": "", "price": "1.00"}, "name"),
        ({"price": "1.00"}, "name"),
        ({"name": "X"}, "price"),
    ],
)
def test_create_validation_is_422(client, admin_headers, body, field):
    response = client.post(PRODUCTS, headers=admin_headers, json=body)
    assert response.status_code == 422
    assert field in response.json["errors"]


def test_create_needs_a_token_and_admin_rights(client, shopper_headers):
    body = {"name": "X", "price": "1.00"}
    anonymous = client.post(PRODUCTS, json=body)
    assert anonymous.status_code == 401
    assert anonymous.headers["WWW-Authenticate"] == "Bearer"
    forbidden = client.post(PRODUCTS, json=body, headers=shopper_headers)
    assert forbidden.status_code == 403
    assert forbidden.json["detail"] == "Admin rights required."


def test_update_changes_only_the_given_fields(client, admin_headers, make_product):
    product = make_product(name="Old", price="10.00", inventory_count=5)
    response = client.put(f"{PRODUCTS}/{product['id']}", headers=admin_headers,
                          json={"price": "12.34", "inventory_count": 7})
    assert response.status_code == 200
    assert response.json == {**product, "price": "12.34", "inventory_count": 7}


def test_update_can_deactivate_and_reactivate(client, admin_headers, make_product):
    product = make_product()
    url = f"{PRODUCTS}/{product['id']}"
    client.put(url, headers=admin_headers, json={"is_active": False})
    assert client.get(url).status_code == 404
    client.put(url, headers=admin_headers, json={"is_active": True})
    assert client.get(url).status_code == 200


def test_update_errors(client, admin_headers, shopper_headers, make_product):
    product = make_product()
    url = f"{PRODUCTS}/{product['id']}"
    assert client.put(f"{PRODUCTS}/999999", headers=admin_headers,
                      json={"price": "1.00"}).status_code == 404
    assert client.put(url, json={"price": "1.00"}).status_code == 401
    assert client.put(url, headers=shopper_headers, json={"price": "1.00"}).status_code == 403
    invalid = client.put(url, headers=admin_headers, json={"inventory_count": -3})
    assert invalid.status_code == 422
    assert client.get(url).json["inventory_count"] == product["inventory_count"]


def test_delete_hides_the_product_and_drops_cart_lines(
        client, admin_headers, shopper_headers, make_product):
    product = make_product()
    client.post("/api/v1/cart/items", headers=shopper_headers,
                json={"product_id": product["id"], "quantity": 1})
    url = f"{PRODUCTS}/{product['id']}"
    response = client.delete(url, headers=admin_headers)
    assert response.status_code == 204
    assert response.data == b""
    assert client.get(url).status_code == 404
    assert client.get(url, headers=admin_headers).status_code == 404
    assert client.delete(url, headers=admin_headers).status_code == 404
    assert client.get("/api/v1/cart", headers=shopper_headers).json["items"] == []


def test_delete_needs_admin(client, shopper_headers, make_product):
    product = make_product()
    assert client.delete(f"{PRODUCTS}/{product['id']}").status_code == 401
    assert client.delete(f"{PRODUCTS}/{product['id']}",
                         headers=shopper_headers).status_code == 403


def test_search_matches_name_and_description_case_insensitively(client):
    names = [p["name"] for p in client.get(PRODUCTS + "?q=IRIDIUM").json]
    assert names == ["Endurance Iridium Night Visor"]
    visors = [p["name"] for p in client.get(PRODUCTS + "?q=visor").json]
    assert "Clear Anti-Fog Visor" in visors and "Apex GP Carbon Helmet" not in visors
    by_description = [p["name"] for p in client.get(PRODUCTS + "?q=nomex").json]
    assert by_description == ["Fireproof Nomex Balaclava"]
    assert client.get(PRODUCTS + "?q=%25").json == []


@pytest.mark.parametrize("sort", ["name", "-name", "price", "-price", "created_at"])
def test_sort(client, sort):
    products = client.get(f"{PRODUCTS}?sort={sort}").json
    field = sort.lstrip("-")
    key = (lambda p: float(p["price"])) if field == "price" else (lambda p: p[field])
    assert products == sorted(products, key=key, reverse=sort.startswith("-"))


def test_bad_sort_is_422(client):
    response = client.get(PRODUCTS + "?sort=password")
    assert response.status_code == 422
    assert "sort" in response.json["errors"]


def test_paging_keeps_an_array_body_and_puts_totals_in_a_header(client):
    everything = client.get(PRODUCTS).json
    assert "X-Pagination" not in client.get(PRODUCTS).headers
    page = client.get(PRODUCTS + "?page=2&page_size=5")
    assert page.status_code == 200
    assert page.json == everything[5:10]
    meta = json.loads(page.headers["X-Pagination"])
    assert meta == {"total": 12, "total_pages": 3, "page": 2, "page_size": 5}
    assert client.get(PRODUCTS + "?page=4&page_size=5").json == []
    assert client.get(PRODUCTS + "?page=0").status_code == 422
    assert client.get(PRODUCTS + "?page_size=1000").status_code == 422
