#!/usr/bin/env python3
"""What the back office's reads cost with many orders: GET /admin/stats and the CSV export.

    python scripts/bench_backoffice.py                          # SQLite, 1,000 and 100,000 orders
    python scripts/bench_backoffice.py --sizes 1000,100000 --repeats 5
    python scripts/bench_backoffice.py --database-url postgresql+psycopg://.../bench_db

For each size the database is emptied (a fresh SQLite file; on PostgreSQL the ``public``
schema of the given database is DROPPED and rebuilt, so give it a database of its own),
migrated, seeded, and filled with that many orders by bulk inserts: spread over the last
400 UTC days, statuses mixed (a tenth cancelled), one or two lines each, 200 shoppers.

Then, through the app's WSGI interface (Flask's test client, no server):

* GET /admin/stats?days=30 and ?days=366: the median wall time of ``--repeats`` requests
  and the number of SQL statements one request sends, plus each statement's query plan
  (``EXPLAIN QUERY PLAN`` on SQLite, ``EXPLAIN`` on PostgreSQL), printed once per size;
* GET /admin/orders/export.csv of every line, in a child process of its own: the wall
  time, the lines and bytes streamed, and how far the child's resident memory (VmRSS,
  sampled after every chunk) rose above what it was before the download started.

Timing lives here, never in the test suite; the figures go in docs/PERFORMANCE.md.
"""

import argparse
import json
import logging
import random
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from scratch_database import empty_database

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

ADMIN_EMAIL, ADMIN_PASSWORD = "admin@example.com", "bench-admin-password"
SHOPPERS = 200
SPREAD_DAYS = 400
BATCH = 5000
# Status mix of the generated orders: (status, weight).
STATUS_MIX = (("pending", 15), ("paid", 15), ("shipped", 20), ("delivered", 40),
              ("cancelled", 10))


def build_app(url, instance_path):
    from shopapp import create_app

    logging.disable(logging.INFO)  # the request log would dominate the timings
    return create_app({
        "ENV_NAME": "testing", "INSTANCE_PATH": str(instance_path),
        "SQLALCHEMY_DATABASE_URI": url, "ADMIN_EMAIL": ADMIN_EMAIL,
        "ADMIN_PASSWORD": ADMIN_PASSWORD,
    })


def prepare(app):
    from flask_migrate import upgrade

    from shopapp.extensions import db
    from shopapp.seed import seed

    with app.app_context():
        upgrade()
        seed(db.session, ADMIN_EMAIL, ADMIN_PASSWORD)


def chunks(rows, size=BATCH):
    for start in range(0, len(rows), size):
        yield rows[start:start + size]


def fill(app, order_count, seed=14):
    """``order_count`` orders by bulk INSERTs (explicit ids, so lines need no read-back)."""
    from sqlalchemy import func, insert, select, text

    from shopapp.auth.passwords import hash_password
    from shopapp.extensions import db
    from shopapp.tables import ORDER_ITEMS, ORDERS, PRODUCTS, USERS

    rng = random.Random(seed)
    now = datetime.now(UTC)
    statuses = [status for status, weight in STATUS_MIX for _ in range(weight)]
    with app.app_context():
        connection = db.session.connection()
        products = connection.execute(select(PRODUCTS.c.id, PRODUCTS.c.name,
                                             PRODUCTS.c.price)).all()
        password = hash_password("bench-shopper")
        first_user = (connection.scalar(select(func.max(USERS.c.id))) or 0) + 1
        connection.execute(insert(USERS), [
            {"id": first_user + number, "email": f"shopper{number}@bench.example",
             "password_hash": password, "is_admin": False, "token_version": 0,
             "created_at": now}
            for number in range(SHOPPERS)
        ])
        orders, lines = [], []
        for order_id in range(1, order_count + 1):
            bought = rng.sample(products, rng.choice((1, 2)))
            quantities = [rng.randint(1, 3) for _ in bought]
            pairs = list(zip(bought, quantities, strict=True))
            total = sum((p.price * q for p, q in pairs), Decimal("0.00"))
            orders.append({
                "id": order_id, "user_id": first_user + rng.randrange(SHOPPERS),
                "status": rng.choice(statuses), "total_amount": total,
                "created_at": now - timedelta(seconds=rng.randrange(SPREAD_DAYS * 86400)),
            })
            lines.extend({"order_id": order_id, "product_id": p.id, "product_name": p.name,
                          "quantity": q, "unit_price": p.price}
                         for p, q in pairs)
        for batch in chunks(orders):
            connection.execute(insert(ORDERS), batch)
        for batch in chunks(lines):
            connection.execute(insert(ORDER_ITEMS), batch)
        if connection.dialect.name == "postgresql":
            for table in ("users", "orders", "order_items"):
                connection.execute(text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT max(id) FROM {table}))"))
        db.session.commit()
        # Planner statistics and (PostgreSQL) the visibility map, as autovacuum would
        # leave them: index-only scans need the latter.
        maintenance = db.engine.execution_options(isolation_level="AUTOCOMMIT")
        with maintenance.connect() as autocommit:
            autocommit.execute(text("VACUUM ANALYZE" if connection.dialect.name ==
                                    "postgresql" else "ANALYZE"))
    return len(lines)


def admin_headers(client):
    response = client.post("/api/v1/auth/login",
                           json={"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD})
    assert response.status_code == 200, response.json
    return {"Authorization": f"Bearer {response.json['access_token']}"}


@contextmanager
def recorded_statements(engine):
    from sqlalchemy import event

    statements = []

    def record(_connection, _cursor, statement, parameters, _context, _executemany):
        statements.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def query_plans(app, statements):
    """The plan of every SELECT the request sent, as the database reports it."""
    from shopapp.extensions import db

    plans = []
    with app.app_context():
        raw = db.engine.raw_connection()
        try:
            cursor = raw.cursor()
            explain = "EXPLAIN QUERY PLAN " if db.engine.dialect.name == "sqlite" else "EXPLAIN "
            for statement, parameters in statements:
                if not statement.lstrip().upper().startswith("SELECT"):
                    continue
                cursor.execute(explain + statement, parameters)
                plans.append((" ".join(statement.split()),
                              [" ".join(str(part) for part in row) for row in cursor.fetchall()]))
        finally:
            raw.close()
    return plans


def time_stats(app, client, headers, days, repeats):
    from shopapp.extensions import db

    url = f"/api/v1/admin/stats?days={days}"
    assert client.get(url, headers=headers).status_code == 200  # warm-up
    with app.app_context():
        engine = db.engine
    with recorded_statements(engine) as statements:
        body = client.get(url, headers=headers).json
    timings = []
    for _ in range(repeats):
        started = time.perf_counter()
        response = client.get(url, headers=headers)
        timings.append(time.perf_counter() - started)
        assert response.status_code == 200
    return {"days": days, "median_ms": round(statistics.median(timings) * 1000, 1),
            "min_ms": round(min(timings) * 1000, 1), "statements": len(statements),
            "window_orders": body["totals"]["orders"]}, statements


def resident_kib():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError("no VmRSS in /proc/self/status")


def measure_export(url, instance_path):
    """Run in a child process: stream the whole export once, sampling memory."""
    app = build_app(url, instance_path)
    client = app.test_client()
    headers = admin_headers(client)
    export = "/api/v1/admin/orders/export.csv"
    # Warm-up on an empty range: imports, the connection and the code paths are in memory.
    for _ in client.get(export + "?to=1970-01-01", headers=headers,
                        buffered=False).iter_encoded():
        pass
    before = peak = resident_kib()
    started = time.perf_counter()
    response = client.get(export, headers=headers, buffered=False)
    assert response.status_code == 200
    lines = size = 0
    for chunk in response.iter_encoded():
        lines += chunk.count(b"\n")
        size += len(chunk)
        peak = max(peak, resident_kib())
    response.close()
    seconds = time.perf_counter() - started
    return {"lines": lines - 1, "megabytes": round(size / 2**20, 1),
            "seconds": round(seconds, 2), "rss_before_mb": round(before / 1024, 1),
            "rss_growth_mb": round((peak - before) / 1024, 1)}


def export_in_child(url, instance_path):
    answer = subprocess.run(
        [sys.executable, __file__, "--export-child", url, "--instance", str(instance_path)],
        check=True, capture_output=True, text=True,
    )
    return json.loads(answer.stdout.strip().splitlines()[-1])


def bench_size(base_url, order_count, repeats, workdir):
    url = base_url or f"sqlite:///{workdir / f'bench-{order_count}.db'}"
    empty_database(url)
    app = build_app(url, workdir / "instance")
    prepare(app)
    started = time.perf_counter()
    line_count = fill(app, order_count)
    fill_seconds = time.perf_counter() - started
    client = app.test_client()
    headers = admin_headers(client)
    result = {"orders": order_count, "lines": line_count,
              "fill_seconds": round(fill_seconds, 1), "stats": []}
    for days in (30, 366):
        figures, statements = time_stats(app, client, headers, days, repeats)
        result["stats"].append(figures)
        if days == 30:
            result["plans"] = query_plans(app, statements)
    result["export"] = export_in_child(url, workdir / "instance")
    from shopapp.extensions import db

    with app.app_context():
        db.engine.dispose()
    return result


def print_result(result, backend):
    print(f"\n== {backend}: {result['orders']:,} orders, {result['lines']:,} lines "
          f"(filled in {result['fill_seconds']} s)")
    for figures in result["stats"]:
        print(f"GET /admin/stats?days={figures['days']}: median {figures['median_ms']} ms "
              f"(min {figures['min_ms']}), {figures['statements']} statements, "
              f"{figures['window_orders']:,} orders in the window")
    export = result["export"]
    print(f"GET /admin/orders/export.csv: {export['lines']:,} lines, {export['megabytes']} MB "
          f"in {export['seconds']} s; RSS {export['rss_before_mb']} MB before, "
          f"+{export['rss_growth_mb']} MB at the peak")
    print("query plans of GET /admin/stats?days=30:")
    for statement, plan in result["plans"]:
        print(f"  {statement[:160]}{'...' if len(statement) > 160 else ''}")
        for row in plan:
            print(f"      {row}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="PostgreSQL database to WIPE and use "
                        "(default: fresh SQLite files in a temporary folder)")
    parser.add_argument("--sizes", default="1000,100000",
                        help="comma-separated order counts (default 1000,100000)")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--export-child", help=argparse.SUPPRESS)
    parser.add_argument("--instance", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.export_child:
        print(json.dumps(measure_export(arguments.export_child, arguments.instance)))
        return
    backend = "PostgreSQL" if arguments.database_url else "SQLite"
    with tempfile.TemporaryDirectory() as folder:
        for size in (int(value) for value in arguments.sizes.split(",")):
            print_result(bench_size(arguments.database_url, size, arguments.repeats,
                                    Path(folder)), backend)


if __name__ == "__main__":
    main()
