"""``GET /metrics``: this process's figures in the Prometheus text format.

Each process keeps its own registry (in ``app.extensions``, never a module global, so two
apps in one process never mix their counts) and answers for itself; Prometheus scrapes
every process and adds them up. What is counted:

- ``shop_http_requests_total{route, method, status}``: answers, by the route's template
  (``/api/v1/products/<int:product_id>``, never the raw path, so ids do not explode the
  series; ``unmatched`` for paths no route knows);
- ``shop_http_request_duration_seconds{route, method}``: latency histogram;
- ``shop_orders_placed_total`` (an Idempotency-Key replay is not a new order) and
  ``shop_checkouts_refused_total{reason}`` (``empty_cart``, ``out_of_stock``,
  ``unavailable``, ``idempotency_conflict``);
- ``shop_db_pool_connections_in_use``: connections checked out of the database pool.

The figures are business figures, so the endpoint is off unless METRICS_ALLOWED_ADDRESSES
lists the addresses or networks that may read it (off: 404, as if it did not exist;
another address: 403). It is a plain Flask route, not part of the JSON API, and is left
out of the OpenAPI spec on purpose (docs/API.md, "GET /metrics").
"""

import ipaddress
import time

from flask import current_app, g, request
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client.exposition import CONTENT_TYPE_LATEST, generate_latest

from ..errors import error_response
from ..extensions import db

EXTENSION_KEY = "shop.metrics"
UNMATCHED_ROUTE = "unmatched"


class ShopMetrics:
    """One app's metrics and the registry that exposes them."""

    def __init__(self, pool=None):
        self.registry = registry = CollectorRegistry()
        self.requests = Counter(
            "shop_http_requests", "HTTP answers by route template, method and status",
            ["route", "method", "status"], registry=registry)
        self.latency = Histogram(
            "shop_http_request_duration_seconds", "Time to answer, by route template and method",
            ["route", "method"], registry=registry)
        self.orders_placed = Counter(
            "shop_orders_placed", "Orders placed by checkout", registry=registry)
        self.checkouts_refused = Counter(
            "shop_checkouts_refused", "Checkouts refused, by reason", ["reason"],
            registry=registry)
        self.pool_in_use = Gauge(
            "shop_db_pool_connections_in_use", "Database connections checked out of the pool",
            registry=registry)
        if pool is not None and hasattr(pool, "checkedout"):
            self.pool_in_use.set_function(pool.checkedout)

    def observe(self, route, method, status, seconds):
        self.requests.labels(route, method, str(status)).inc()
        self.latency.labels(route, method).observe(seconds)


def metrics():
    return current_app.extensions[EXTENSION_KEY]


def order_placed():
    metrics().orders_placed.inc()


def checkout_refused(reason):
    metrics().checkouts_refused.labels(reason).inc()


def allowed_networks(config):
    return [ipaddress.ip_network(entry, strict=False)
            for entry in config["METRICS_ALLOWED_ADDRESSES"]]


def may_read_metrics(networks, address):
    try:
        client = ipaddress.ip_address(address or "")
    except ValueError:
        return False
    return any(client in network for network in networks)


def register_metrics(app):
    with app.app_context():
        shop_metrics = app.extensions[EXTENSION_KEY] = ShopMetrics(db.engine.pool)
    networks = allowed_networks(app.config)

    @app.before_request
    def start_clock():
        g.metrics_started = time.perf_counter()

    @app.after_request
    def count_answer(response):
        started = g.get("metrics_started")
        if started is not None:
            rule = request.url_rule
            shop_metrics.observe(rule.rule if rule is not None else UNMATCHED_ROUTE,
                                 request.method, response.status_code,
                                 time.perf_counter() - started)
        return response

    def read_metrics():
        if not networks:
            return error_response(404, "The requested URL was not found on the server.")
        if not may_read_metrics(networks, request.remote_addr):
            return error_response(403, "Metrics are not available to this address.")
        return app.response_class(generate_latest(shop_metrics.registry),
                                  mimetype=None, content_type=CONTENT_TYPE_LATEST)

    app.add_url_rule("/metrics", endpoint="metrics", view_func=read_metrics, methods=["GET"])
