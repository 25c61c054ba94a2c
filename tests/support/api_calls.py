"""Small API calls many test modules make (through Flask's test client)."""

CART_ITEMS = "/api/v1/cart/items"


def add(client, headers, product_id, quantity=1):
    """POST /cart/items: put ``quantity`` of the product in the caller's cart."""
    return client.post(CART_ITEMS, headers=headers,
                       json={"product_id": product_id, "quantity": quantity})
