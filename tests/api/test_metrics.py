"""GET /metrics: Prometheus text that parses, counters that move, and who may read it."""

import pytest
from prometheus_client.parser import text_string_to_metric_families

ALLOWED = ["127.0.0.1", "10.8.0.0/16"]
# Metrics are off unless the config lists who may read them.
with_metrics = pytest.mark.parametrize(
    "app", [{"METRICS_ALLOWED_ADDRESSES": ALLOWED}], indirect=True, ids=["metrics"])


def samples(client):
    """{(sample name, sorted labels): value} from a scrape, parsed by prometheus_client."""
    response = client.get("/metrics")
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.content_type.startswith("text/plain")
    found = {}
    for family in text_string_to_metric_families(response.get_data(as_text=True)):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


def requests_counted(found, route, method, status):
    key = ("shop_http_requests_total",
           (("method", method), ("route", route), ("status", str(status))))
    return found.get(key, 0)


@with_metrics
def test_requests_are_counted_by_route_template_method_and_status(client):
    before = samples(client)
    assert client.get("/api/v1/products").status_code == 200
    assert client.get("/api/v1/products/999999").status_code == 404
    assert client.get("/api/v1/products/999998").status_code == 404
    assert client.get("/api/v1/no-such-resource").status_code == 404
    after = samples(client)
    assert (requests_counted(after, "/api/v1/products", "GET", 200)
            - requests_counted(before, "/api/v1/products", "GET", 200)) == 1
    by_id = "/api/v1/products/<int(max=2147483647):product_id>"
    assert (requests_counted(after, by_id, "GET", 404)
            - requests_counted(before, by_id, "GET", 404)) == 2
    assert requests_counted(after, "unmatched", "GET", 404) >= 1
    histogram_count = ("shop_http_request_duration_seconds_count",
                       (("method", "GET"), ("route", "/api/v1/products")))
    assert after[histogram_count] - before.get(histogram_count, 0) == 1
    assert ("shop_db_pool_connections_in_use", ()) in after


@with_metrics
def test_orders_placed_and_checkouts_refused_by_reason(client, shopper_headers):
    product = client.get("/api/v1/products").json[0]
    before = samples(client)
    assert client.post("/api/v1/orders", json={}, headers=shopper_headers).status_code == 400
    client.post("/api/v1/cart/items", json={"product_id": product["id"], "quantity": 1},
                headers=shopper_headers)
    assert client.post("/api/v1/orders", json={}, headers=shopper_headers).status_code == 201
    after = samples(client)

    def grew(name, labels=()):
        return after.get((name, labels), 0) - before.get((name, labels), 0)

    assert grew("shop_orders_placed_total") == 1
    assert grew("shop_checkouts_refused_total", (("reason", "empty_cart"),)) == 1
    assert grew("shop_checkouts_refused_total", (("reason", "out_of_stock"),)) == 0


@with_metrics
def test_an_address_not_listed_is_refused(client):
    outside = client.get("/metrics", environ_base={"REMOTE_ADDR": "192.0.2.7"})
    assert outside.status_code == 403
    assert "detail" in outside.json
    inside = client.get("/metrics", environ_base={"REMOTE_ADDR": "10.8.3.4"})
    assert inside.status_code == 200


def test_metrics_are_off_by_default(client):
    response = client.get("/metrics")
    assert response.status_code == 404
    assert response.json["status"] == 404
