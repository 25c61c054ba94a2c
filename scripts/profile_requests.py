#!/usr/bin/env python3
"""What one request costs inside the app, without a server: a quick check between bench runs.

    python scripts/profile_requests.py                 # every scenario, CPU-µs per request
    python scripts/profile_requests.py cart flow       # some of them
    python scripts/profile_requests.py flow --profile  # cProfile of one scenario instead
    python scripts/profile_requests.py --database-url postgresql+psycopg://...  # emptied!

Builds the app on a fresh SQLite file in a temporary folder, seeds it, and calls the WSGI
app directly (no waitress, no sockets), so the figures leave out the server's share (about
0.15 ms per request here) and are far less noisy than a loaded server. Scenarios: ``304``
(GET /products with a matching If-None-Match), ``products`` (the cached catalog), ``me``
(GET /users/me: authentication alone), ``cart`` (GET /cart with 3 lines) and ``flow``
(POST /cart/items then POST /orders, per flow). Each figure is the lowest of ``--repeats``
timed loops of process CPU time: noise on a shared machine only ever adds. The yardstick
(scripts/bench.py) stays the measure of record; this is for finding where time goes.
``--database-url`` profiles against another database instead (its schema is dropped
first, so never point it at one you keep); CPU time is this process's, not the server's.
"""

import argparse
import cProfile
import io
import json
import logging
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path

from scratch_database import empty_database

REPO_ROOT = Path(__file__).resolve().parents[1]
COUNTS = {"304": 5000, "products": 5000, "me": 3000, "cart": 3000, "flow": 600}


class InProcessClient:
    """Calls the WSGI app with a hand-built environ: less overhead than Flask's test client."""

    def __init__(self, app):
        self.app = app

    def call(self, method, path, body=None, headers=()):
        data = json.dumps(body).encode() if body is not None else b""
        route, _, query = path.partition("?")
        environ = {
            "REQUEST_METHOD": method, "PATH_INFO": route, "QUERY_STRING": query,
            "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "8000", "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1", "CONTENT_LENGTH": str(len(data)),
            "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(data), "wsgi.errors": sys.stderr,
            "wsgi.version": (1, 0), "wsgi.multithread": True, "wsgi.multiprocess": False,
            "wsgi.run_once": False,
        }
        if body is not None:
            environ["CONTENT_TYPE"] = "application/json"
        for name, value in headers:
            environ["HTTP_" + name.upper().replace("-", "_")] = value
        answer = {}

        def start_response(status, response_headers, exc_info=None):
            answer["status"], answer["headers"] = int(status[:3]), dict(response_headers)

        payload = b"".join(self.app(environ, start_response))
        return answer["status"], answer["headers"], payload

    def expect(self, status, *args, **kwargs):
        got, headers, payload = self.call(*args, **kwargs)
        if got != status:
            raise RuntimeError(f"{args[:2]} -> {got}: {payload[:300]!r}")
        return headers, payload


def build_shop(workdir, database_url=None):
    if database_url:
        empty_database(database_url)
    os.environ.update({
        "SHOP_INSTANCE_PATH": str(workdir),
        "DATABASE_URL": database_url or f"sqlite:///{workdir / 'shop.db'}",
        "RATELIMIT_ENABLED": "false", "SEED_ON_START": "true",
    })
    sys.path.insert(0, str(REPO_ROOT))
    from shopapp import create_app
    from shopapp.extensions import db
    from shopapp.models import Product
    from shopapp.readiness import prepare_database

    app = create_app()
    # Log lines (request log included) go nowhere, but are still formatted and written.
    logging.getLogger().handlers = [logging.StreamHandler(open(os.devnull, "w"))]
    with app.app_context():
        prepare_database()  # what `shop serve` does: migrations, then the demo seed
        for product in db.session.query(Product).limit(3):
            product.inventory_count = 10**7  # enough for every flow
        db.session.commit()
    return app


def shopper_headers(client, email):
    client.expect(201, "POST", "/api/v1/auth/register",
                  {"email": email, "password": "secret123", "full_name": "Bench"})
    _, payload = client.expect(200, "POST", "/api/v1/auth/login",
                               {"email": email, "password": "secret123"})
    return [("Authorization", "Bearer " + json.loads(payload)["access_token"])]


def scenarios(client):
    _, payload = client.expect(200, "GET", "/api/v1/products")
    product_ids = [product["id"] for product in json.loads(payload)[:3]]
    cart_user = shopper_headers(client, "cart@example.com")
    for product_id in product_ids:
        client.expect(201, "POST", "/api/v1/cart/items",
                      {"product_id": product_id, "quantity": 1}, cart_user)
    flow_user = shopper_headers(client, "flow@example.com")

    def not_modified():
        etag = client.expect(200, "GET", "/api/v1/products")[0]["ETag"]
        return lambda: client.expect(304, "GET", "/api/v1/products",
                                     headers=[("If-None-Match", etag)])

    def flow():
        client.expect(201, "POST", "/api/v1/cart/items",
                      {"product_id": product_ids[0], "quantity": 1}, flow_user)
        client.expect(201, "POST", "/api/v1/orders", {}, flow_user)

    return {
        "304": not_modified,  # the ETag changes with every checkout: read it just before
        "products": lambda: lambda: client.expect(200, "GET", "/api/v1/products"),
        "me": lambda: lambda: client.expect(200, "GET", "/api/v1/users/me",
                                            headers=cart_user),
        "cart": lambda: lambda: client.expect(200, "GET", "/api/v1/cart", headers=cart_user),
        "flow": lambda: flow,
    }


def measure(run, count, repeats):
    for _ in range(50):
        run()
    loops = []
    for _ in range(repeats):
        started = time.process_time()
        for _ in range(count):
            run()
        loops.append((time.process_time() - started) / count * 1e6)
    return min(loops), sorted(loops)[len(loops) // 2]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("names", nargs="*", metavar="scenario",
                        help=f"any of {', '.join(COUNTS)} (default: all)")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--scale", type=float, default=1.0, help="multiply the request counts")
    parser.add_argument("--profile", action="store_true", help="cProfile instead of timing")
    parser.add_argument("--database-url", help="a PostgreSQL database to empty and use "
                                               "(default: a new SQLite file)")
    args = parser.parse_args(argv)
    unknown = set(args.names) - set(COUNTS)
    if unknown:
        parser.error(f"unknown scenario(s): {', '.join(sorted(unknown))}")
    with tempfile.TemporaryDirectory() as folder:
        client = InProcessClient(build_shop(Path(folder), args.database_url))
        prepared = scenarios(client)
        for name in args.names or list(COUNTS):
            run, count = prepared[name](), max(1, int(COUNTS[name] * args.scale))
            if args.profile:
                profiler = cProfile.Profile()
                profiler.runcall(lambda run=run, count=count: [run() for _ in range(count)])
                print(f"== {name}: {count} {'flows' if name == 'flow' else 'requests'}")
                pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
                continue
            lowest, median = measure(run, count, args.repeats)
            unit = "flow" if name == "flow" else "request"
            print(f"{name:>9}: {lowest:7.0f} CPU-µs per {unit} (lowest of {args.repeats}; "
                  f"median {median:.0f})")


if __name__ == "__main__":
    main()
