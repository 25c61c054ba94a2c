#!/usr/bin/env python3
"""Benchmark the shop against the yardstick's two floors, in the same run (``make bench``).

    python scripts/bench.py                      # 3 runs of everything below, then medians
    python scripts/bench.py --runs 1 --quick     # one short run (a smoke test of the setup)
    python scripts/bench.py --memory             # also RSS after 3 x 100,000 requests (~8 min)
    python scripts/bench.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/bench \\
        --only-oversell                          # the racing-checkout check on PostgreSQL
    python scripts/bench.py --replicas 2 --database-url postgresql+psycopg://...  # several
                                                 # processes behind nginx (below)

Each run starts, one after the other and each pinned to core 0 (``taskset -c 0``), the bare
WSGI floor, the Flask + SQLAlchemy floor and the shop (fresh SQLite database,
RATELIMIT_ENABLED=false), and runs the yardstick ``load.py`` (pinned to core 1) against
each. For the shop it then measures, the same way as the yardstick's scenario d (server
CPU from /proc over sequential keep-alive requests, median of 3 repeats), what load.py
does not: GET /products with a matching If-None-Match (304), GET /cart with 3 lines, a
catalog page with 12 and with 10,000 products, and GET /orders page 1 for a user with 10
and with 1,000 orders. The summary prints every figure next to its target ratio.

``--replicas N`` measures instead what running several processes costs and buys: CPU-ms
per add+order flow (the yardstick's scenario d) of one pinned shop process on SQLite and
then on ``--database-url`` (PostgreSQL), in the same run; then orders/s and the flow's p99
(scenario c) through nginx (deploy/nginx/, via scripts/nginx_config.py) in front of 1, 2,
... N processes on that database. The processes and nginx are not pinned there: two
processes on one core would measure nothing.

The yardstick lives in bench/ in this repository (``--bench-dir`` or
SHOP_BENCH_DIR to change it). Full results go to ``--out`` (default /tmp/shop-bench-<time>)
as JSON. Needs wrk for the GET loads (``apt-get install wrk``; load.py falls back to
Python threads without it).
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import importlib.util
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from operator_credentials import DEFAULT_ADMIN_EMAIL
from shop_client import ShopClient
from shopapp.config import DEMO_ADMIN_PASSWORD

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_BENCH_DIR = Path(os.environ.get("SHOP_BENCH_DIR") or REPO_ROOT / "bench")
# The shop bench starts seeds its admin with the shop's defaults.
ADMIN_EMAIL = DEFAULT_ADMIN_EMAIL
ADMIN_PASSWORD = DEMO_ADMIN_PASSWORD
SHOPPER_PASSWORD = "benchpass123"
SERVER_CPU = "0"
ALL_CPUS = ",".join(str(cpu) for cpu in sorted(os.sched_getaffinity(0)))
CLIENT_CPU = 1
SEQUENTIAL_COUNT = 2000
CPU_REPEATS = 3
BIG_CATALOG = 10_000
MANY_ORDERS = 1_000
FEW_ORDERS = 10


# --------------------------------------------------------------------------- servers


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """A server process pinned to core 0, stopped (by its own pid) on exit."""

    def __init__(self, name, command, port, cwd, env, log_path, ready_path, cpus=SERVER_CPU):
        self.name, self.command, self.port, self.cwd = name, command, port, cwd
        self.env, self.log_path, self.ready_path = env, log_path, ready_path
        self.cpus = cpus
        self.process = None

    def __enter__(self):
        self.log = open(self.log_path, "ab")
        self.process = subprocess.Popen(
            ["taskset", "-c", self.cpus, *self.command], cwd=self.cwd, env=self.env,
            stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited early; see {self.log_path}")
            with contextlib.suppress(OSError, http.client.HTTPException):
                status, _, _ = http_get(self.port, self.ready_path)
                if status == 200:
                    return self
            time.sleep(0.2)
        raise RuntimeError(f"{self.name} did not answer on port {self.port}")

    @property
    def pid(self):
        return self.process.pid  # taskset execs the server, so this is the server itself

    @property
    def base_url(self):
        return f"http://127.0.0.1:{self.port}/api/v1"

    def __exit__(self, *exc):
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.kill(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()


def floor_server(kind, workdir, bench_dir):
    port = free_port()
    target = {"raw": "raw_wsgi:app", "flask": "flask_sqla:app"}[kind]
    env = {**os.environ, "FLOOR_DB": str(workdir / "floor_flask.db")}
    command = [sys.executable, "-m", "waitress", f"--listen=127.0.0.1:{port}", target]
    return Server(f"{kind} floor", command, port, bench_dir / "floors", env,
                  workdir / f"floor-{kind}.log", "/api/v1/products")


def shop_server(workdir, code_dir, database_url=None, threads=None, cpus=SERVER_CPU):
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url or f"sqlite:///{workdir / 'shop.db'}",
        "SHOP_INSTANCE_PATH": str(workdir / "instance"),
        "SHOP_HOST": "127.0.0.1",
        "SHOP_PORT": str(port),
        "RATELIMIT_ENABLED": "false",
        "PYTHONPATH": str(code_dir),
    }
    if threads:
        env["SHOP_THREADS"] = str(threads)
    command = [sys.executable, "-m", "shopapp", "serve"]
    return Server("shop", command, port, code_dir, env, workdir / f"shop-{port}.log",
                  "/api/v1/system/info", cpus)


def nginx_front(workdir, shops):
    """nginx (deploy/nginx/) in front of ``shops``, unpinned; its pid is nginx's master."""
    from nginx_config import write_config  # scripts/, beside this file

    port = free_port()
    conf = write_config(workdir / "nginx", f"127.0.0.1:{port}",
                        [f"127.0.0.1:{shop.port}" for shop in shops])
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    command = [nginx, "-p", str(conf.parent), "-e", str(conf.parent / "error.log"),
               "-c", conf.name, "-g", "daemon off;"]
    return Server("nginx", command, port, conf.parent, dict(os.environ),
                  workdir / "nginx.log", "/api/v1/system/info", ALL_CPUS)


# --------------------------------------------------------------------------- HTTP helpers


def http_get(port, path, headers=None, connection=None):
    conn = connection or http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
    except (http.client.RemoteDisconnected, ConnectionResetError):
        conn.close()  # the server dropped an idle keep-alive connection: once more, fresh
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
    body = response.read()
    if connection is None:
        conn.close()
    return response.status, response.headers, body  # headers: case-insensitive


def logged_in(server, email, password):
    """A client of ``server``'s API logged in as ``email``. Close it when the set-up is done:
    an idle keep-alive connection is one more thing the measured server keeps."""
    client = ShopClient(server.base_url, timeout=60)
    client.login(email, password)
    return client


def new_shopper(server, tag):
    """A client logged in as a shopper registered for this measurement."""
    email = f"bench-{tag}-{time.monotonic_ns()}@example.com"
    client = ShopClient(server.base_url, timeout=60)
    client.call("POST", "/auth/register", 201,
                json_body={"email": email, "password": SHOPPER_PASSWORD})
    client.login(email, SHOPPER_PASSWORD)
    return client


def bearer(client):
    """``client``'s credentials, for the measured requests (sent over http.client)."""
    return {"Authorization": f"Bearer {client.token}"}


def add_to_cart(client, product_id):
    client.call("POST", "/cart/items", 201, json_body={"product_id": product_id, "quantity": 1})


# --------------------------------------------------------------------------- measurements


def load_yardstick(bench_dir):
    spec = importlib.util.spec_from_file_location("yardstick_load", bench_dir / "load.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run_load(bench_dir, server, out_path, extra, label):
    command = [sys.executable, str(bench_dir / "load.py"), server.base_url,
               "--admin-email", ADMIN_EMAIL, "--admin-password", ADMIN_PASSWORD,
               "--server-pid", str(server.pid), "--client-cpu", str(CLIENT_CPU),
               "--label", label, "--json", str(out_path), *extra]
    print(f"\n$ {' '.join(command)}", flush=True)
    subprocess.run(command, check=True)
    return json.loads(out_path.read_text())


def sequential_cpu(yardstick, server, path, headers=None, expect=200, count=SEQUENTIAL_COUNT):
    """Server CPU-ms per request over ``count`` sequential keep-alive GETs (median of 3)."""
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    runs = []
    for _ in range(CPU_REPEATS):
        for _ in range(50):
            http_get(server.port, path, headers, conn)
        time.sleep(0.2)
        before = yardstick.cpu_snapshot(server.pid)
        started = time.perf_counter()
        errors = sum(http_get(server.port, path, headers, conn)[0] != expect
                     for _ in range(count))
        wall = time.perf_counter() - started
        time.sleep(0.2)
        after = yardstick.cpu_snapshot(server.pid)
        ticks_ms, schedstat_ms, _ = yardstick.cpu_delta_ms(before, after)
        runs.append({"cpu_ms_per_req": round(ticks_ms / count, 4),
                     "schedstat_cpu_ms_per_req": None if schedstat_ms is None
                     else round(schedstat_ms / count, 4),
                     "wall_ms_per_req": round(1000 * wall / count, 4), "errors": errors})
    conn.close()
    return {"path": path, "runs": runs,
            "median_cpu_ms_per_req": statistics.median(r["cpu_ms_per_req"] for r in runs),
            "errors": sum(r["errors"] for r in runs)}


def place_orders(client, product_ids, count):
    """``count`` orders of 1 to 3 lines each, through the API, then ``client`` is closed."""
    for number in range(count):
        for product_id in product_ids[: 1 + number % 3]:
            add_to_cart(client, product_id)
        client.call("POST", "/orders", 201, json_body={})
    client.close()


def seed_big_catalog(database_url, count=BIG_CATALOG):
    """Insert ``count`` more active products straight into the database (another process:
    this is also a check that the shop notices writes it did not make)."""
    from sqlalchemy import MetaData, create_engine, insert

    engine = create_engine(database_url)
    metadata = MetaData()
    metadata.reflect(engine, only=["products"])
    products = metadata.tables["products"]
    now = datetime.now(UTC).replace(tzinfo=None) if engine.dialect.name == "sqlite" \
        else datetime.now(UTC)
    rows = [{"name": f"Bench Part {number:05d}",
             "description": f"Spare part number {number} for the paging benchmark",
             "price": Decimal(10 + number % 900) + Decimal("0.99"),
             "inventory_count": 5 + number % 50, "image_url": None, "is_active": True,
             "created_at": now} for number in range(count)]
    with engine.begin() as connection:
        connection.execute(insert(products), rows)
    engine.dispose()


def shop_extras(yardstick, server, database_url, quick):
    """What load.py does not measure: 304s, a 3-line cart, paging with small and big data."""
    port = server.port
    results = {}
    status, headers, _ = http_get(port, "/api/v1/products")
    etag = headers.get("ETag")
    results["etag"] = etag
    if etag:
        results["products_304"] = sequential_cpu(yardstick, server, "/api/v1/products",
                                                 {"If-None-Match": etag}, expect=304)
    results["products_200"] = sequential_cpu(yardstick, server, "/api/v1/products")

    products = json.loads(http_get(port, "/api/v1/products")[2])
    stocked = sorted(products, key=lambda p: -p["inventory_count"])[:3]
    ids = [p["id"] for p in stocked]
    with contextlib.closing(logged_in(server, ADMIN_EMAIL, ADMIN_PASSWORD)) as admin:
        for product_id in ids:  # enough stock for the order set-up below
            admin.call("PUT", "/products/{id}", json_body={"inventory_count": 1_000_000},
                       id=product_id)
    with contextlib.closing(new_shopper(server, "cart3")) as cart:
        for product_id in ids:
            add_to_cart(cart, product_id)
    results["cart_3_lines"] = sequential_cpu(yardstick, server, "/api/v1/cart", bearer(cart))

    page = "/api/v1/products?page=1&page_size=20"
    results["catalog_page_small"] = sequential_cpu(yardstick, server, page)

    few, many_shopper = new_shopper(server, "few"), new_shopper(server, "many")
    many = 100 if quick else MANY_ORDERS
    place_orders(few, ids, FEW_ORDERS)
    place_orders(many_shopper, ids, many)
    orders_page = "/api/v1/orders?page=1&page_size=10"  # a full page for both users
    results["orders_page_few"] = sequential_cpu(yardstick, server, orders_page, bearer(few))
    results["orders_page_many"] = sequential_cpu(yardstick, server, orders_page,
                                                 bearer(many_shopper))
    results["orders_many_count"] = many

    seed_big_catalog(database_url)
    _, headers, body = http_get(port, page)
    results["catalog_big_total"] = json.loads(headers.get("X-Pagination", "{}")).get("total")
    results["catalog_page_big"] = sequential_cpu(yardstick, server, page)
    for name, path in (("catalog_page_big_by_price", page + "&sort=-price"),
                       ("catalog_page_big_deep", "/api/v1/products?page=400&page_size=20"),
                       ("catalog_page_big_search", page + "&q=part%2042")):
        results[name] = sequential_cpu(yardstick, server, path,
                                       count=SEQUENTIAL_COUNT // (4 if quick else 2))
    return results


# --------------------------------------------------------------------------- memory

def read_mix(token, etag):
    """The shop's read paths, with varying pages and searches (so no cache can grow)."""
    auth = {"Authorization": f"Bearer {token}"}
    return [
        lambda i: ("/api/v1/products", {}),
        lambda i: ("/api/v1/products", {"If-None-Match": etag}),
        lambda i: ("/api/v1/cart", auth),
        lambda i: ("/api/v1/products/1", {}),
        lambda i: ("/api/v1/orders?page=1&page_size=20", auth),
        lambda i: (f"/api/v1/products?page={1 + i % 7}&page_size=2", {}),
        lambda i: (f"/api/v1/products?page=1&page_size=10&q=helmet{i % 997}", {}),
    ]


def drive(port, mix, count, workers=8):
    """``count`` requests from the mix over ``workers`` keep-alive connections."""
    lock = threading.Lock()
    sent = [0]
    errors = []

    def work():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while True:
            with lock:
                if sent[0] >= count:
                    break
                sent[0] += 1
                number = sent[0]
            path, headers = mix[number % len(mix)](number)
            status = http_get(port, path, headers, conn)[0]
            if status >= 400:
                errors.append(status)
        conn.close()

    threads = [threading.Thread(target=work) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return len(errors)


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return None


def memory_check(server, requests_per_step=100_000, steps=3):
    port = server.port
    products = json.loads(http_get(port, "/api/v1/products")[2])
    with contextlib.closing(new_shopper(server, "memory")) as shopper:
        add_to_cart(shopper, products[0]["id"])
    etag = http_get(port, "/api/v1/products")[1].get("ETag", '"none"')
    mix = read_mix(shopper.token, etag)
    rows = [{"requests": 0, "rss_mib": round(rss_kib(server.pid) / 1024, 1)}]
    for step in range(1, steps + 1):
        started = time.perf_counter()
        errors = drive(port, mix, requests_per_step)
        rows.append({"requests": step * requests_per_step,
                     "rss_mib": round(rss_kib(server.pid) / 1024, 1),
                     "seconds": round(time.perf_counter() - started, 1), "errors": errors})
        print(f"  memory: {rows[-1]}", flush=True)
    return {"steps": rows,
            "growth_2nd_to_3rd_mib": round(rows[3]["rss_mib"] - rows[2]["rss_mib"], 1)
            if steps >= 3 else None}


# --------------------------------------------------------------------------- one run


@contextlib.contextmanager
def scratch_workdir(prefix, keep):
    """A temporary folder for one run's databases and logs (kept with ``--keep``)."""
    workdir = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        yield workdir
    finally:
        if not keep:
            shutil.rmtree(workdir, ignore_errors=True)


def saved(out_dir, name, run):
    (out_dir / name).write_text(json.dumps(run, indent=1, default=str))
    return run


def one_run(args, number, out_dir):
    yardstick = load_yardstick(args.bench_dir)
    quick = ["--duration", "3", "--cpu-get-count", "500", "--cpu-flow-count", "100",
             "--oversell-runs", "1"] if args.quick else ["--duration", str(args.duration)]
    with scratch_workdir(f"shop-bench-{number}-", args.keep) as workdir:
        run = {"run": number, "workdir": str(workdir)}
        if not args.only_oversell:
            for kind in ("raw", "flask"):
                with floor_server(kind, workdir, args.bench_dir) as floor:
                    run[f"floor_{kind}"] = run_load(
                        args.bench_dir, floor, out_dir / f"run{number}-floor-{kind}.json",
                        ["--scenarios", "a,d", *quick, "--cpu-flow-count", "0"],
                        f"{kind} floor, run {number}")
        database_url = args.database_url or f"sqlite:///{workdir / 'shop.db'}"
        with shop_server(workdir, args.code_dir, database_url, args.threads) as shop:
            if args.database_url:  # a shared database: start from the seed
                reset_shared_database(shop)
            scenarios = "e" if args.only_oversell else args.scenarios
            run["shop"] = run_load(args.bench_dir, shop, out_dir / f"run{number}-shop.json",
                                   ["--scenarios", scenarios, "--cart-items", "3", *quick],
                                   f"shop, run {number}")
            if not args.only_oversell:
                run["extras"] = shop_extras(yardstick, shop, database_url, args.quick)
            run["shop_rss_mib_end"] = round(rss_kib(shop.pid) / 1024, 1)
    return saved(out_dir, f"run{number}.json", run)


def reset_shared_database(shop):
    with contextlib.closing(logged_in(shop, ADMIN_EMAIL, ADMIN_PASSWORD)) as admin:
        admin.call("POST", "/admin/reset")


def replicas_run(args, number, out_dir):
    """Flow CPU on SQLite and PostgreSQL, then orders/s behind nginx for 1..N processes."""
    cpu_only = ["--scenarios", "d", "--cpu-get-count", "500",
                "--cpu-flow-count", "100" if args.quick else "300"]
    flows = ["--scenarios", "c", "--duration", "3" if args.quick else str(args.duration)]
    with scratch_workdir(f"shop-bench-replicas-{number}-", args.keep) as workdir:
        run = {"run": number, "workdir": str(workdir), "replicas": {}}
        for name, url in (("sqlite", f"sqlite:///{workdir / 'shop.db'}"),
                          ("postgresql", args.database_url)):
            with shop_server(workdir, args.code_dir, url, args.threads) as shop:
                if name == "postgresql":
                    reset_shared_database(shop)
                run[f"flow_cpu_{name}"] = run_load(
                    args.bench_dir, shop, out_dir / f"run{number}-cpu-{name}.json", cpu_only,
                    f"one shop process on {name}, run {number}")
        for count in range(1, args.replicas + 1):
            with contextlib.ExitStack() as stack:
                shops = [stack.enter_context(shop_server(workdir, args.code_dir,
                                                         args.database_url, args.threads,
                                                         ALL_CPUS))
                         for _ in range(count)]
                reset_shared_database(shops[0])
                front = stack.enter_context(nginx_front(workdir, shops))
                run["replicas"][count] = run_load(
                    args.bench_dir, front, out_dir / f"run{number}-replicas-{count}.json",
                    flows, f"{count} shop process(es) behind nginx on PostgreSQL, run {number}")
    return saved(out_dir, f"run{number}-replicas.json", run)


def replica_figures(run):
    flow = {name: dig(run, f"flow_cpu_{name}", "results", "d_cpu_cost",
                      "add_order_flow_median_cpu_ms_per_flow")
            for name in ("sqlite", "postgresql")}
    fig = {"flow_cpu_sqlite": flow["sqlite"], "flow_cpu_postgresql": flow["postgresql"],
           "ratio_flow_postgresql_vs_sqlite": None if not all(flow.values())
           else round(flow["postgresql"] / flow["sqlite"], 2)}
    for count, result in run["replicas"].items():
        for concurrency in ("c1", "c8"):
            write = dig(result, "results", "c_write_flow", concurrency) or {}
            fig[f"orders_per_s_{concurrency}_x{count}"] = write.get("orders_per_s")
            fig[f"flow_p99_{concurrency}_x{count}"] = dig(write, "flow", "p99_ms")
            fig[f"errors_{concurrency}_x{count}"] = write.get("errors")
    return fig


def print_replica_summary(all_figures):
    print("\n== several processes (flow CPU: one process pinned to core 0; behind nginx: "
          "nothing pinned but the load, on core 1)")
    keys = sorted({key for fig in all_figures for key in fig}, key=lambda k: (k[:6], k))
    for key in keys:
        runs = [fig.get(key) for fig in all_figures]
        shown = median_of(runs) if all(not isinstance(v, dict) for v in runs) else ""
        print(f"{key:<40}{' '.join(map(str, runs)):>40}{shown!s:>10}")
    print("target: ratio_flow_postgresql_vs_sqlite <= 1.5")


def memory_run(args):
    """RSS of a freshly started shop (12 products) after each 100,000 requests."""
    with scratch_workdir("shop-bench-memory-", args.keep) as workdir:
        with shop_server(workdir, args.code_dir, args.database_url, args.threads) as shop:
            result = memory_check(shop)
    return saved(args.out, "memory.json", result)


# --------------------------------------------------------------------------- summary


def dig(data, *keys):
    for key in keys:
        if not isinstance(data, dict) or key not in data:
            return None
        data = data[key]
    return data


def figures(run):
    """The issue's figures for one run (None where not measured)."""
    shop = dig(run, "shop", "results") or {}
    extras = run.get("extras") or {}
    fig = {
        "raw_floor_get": dig(run, "floor_raw", "results", "d_cpu_cost",
                             "get_products_median_cpu_ms_per_req"),
        "flask_floor_get": dig(run, "floor_flask", "results", "d_cpu_cost",
                               "get_products_median_cpu_ms_per_req"),
        "products_get": dig(shop, "d_cpu_cost", "get_products_median_cpu_ms_per_req"),
        "products_rps_c1": dig(shop, "a_get_products", "c1", "rps"),
        "products_304": dig(extras, "products_304", "median_cpu_ms_per_req"),
        "cart_3_lines": dig(extras, "cart_3_lines", "median_cpu_ms_per_req"),
        "cart_wrk_c1": dig(shop, "b_get_cart", "c1", "server_cpu_ms_per_req"),
        "flow_cpu": dig(shop, "d_cpu_cost", "add_order_flow_median_cpu_ms_per_flow"),
        "orders_per_s_c8": dig(shop, "c_write_flow", "c8", "orders_per_s"),
        "flow_p99_c8": dig(shop, "c_write_flow", "c8", "flow", "p99_ms"),
        "page_small": dig(extras, "catalog_page_small", "median_cpu_ms_per_req"),
        "page_big": dig(extras, "catalog_page_big", "median_cpu_ms_per_req"),
        "page_big_by_price": dig(extras, "catalog_page_big_by_price", "median_cpu_ms_per_req"),
        "page_big_deep": dig(extras, "catalog_page_big_deep", "median_cpu_ms_per_req"),
        "page_big_search": dig(extras, "catalog_page_big_search", "median_cpu_ms_per_req"),
        "orders_page_few": dig(extras, "orders_page_few", "median_cpu_ms_per_req"),
        "orders_page_many": dig(extras, "orders_page_many", "median_cpu_ms_per_req"),
        "rss_end_mib": run.get("shop_rss_mib_end"),
    }
    oversell = shop.get("e_oversell") or []
    if oversell:
        fig["oversell"] = [
            {"ok": r["orders_succeeded"], "statuses": r["order_status"],
             "final": r["final_inventory"], "conserved": r["conserved"],
             "slowest_s": round(r["order_latency"]["max_ms"] / 1000, 2)} for r in oversell]
    ratio = lambda a, b: None if not a or not b else round(a / b, 2)  # noqa: E731
    fig["ratio_products_vs_flask"] = ratio(fig["products_get"], fig["flask_floor_get"])
    fig["ratio_304_vs_raw"] = ratio(fig["products_304"], fig["raw_floor_get"])
    fig["ratio_cart_vs_flask"] = ratio(fig["cart_3_lines"], fig["flask_floor_get"])
    fig["ratio_page_big_vs_small"] = ratio(fig["page_big"], fig["page_small"])
    fig["ratio_orders_many_vs_few"] = ratio(fig["orders_page_many"], fig["orders_page_few"])
    if run.get("memory"):
        fig["memory"] = run["memory"]
    return fig


TARGETS = [
    ("products_get", "GET /products CPU-ms/req", "ratio_products_vs_flask", "<= 1.3 x flask floor"),
    ("products_304", "GET /products 304 CPU-ms/req", "ratio_304_vs_raw", "<= 2.5 x raw floor"),
    ("cart_3_lines", "GET /cart (3 lines) CPU-ms/req", "ratio_cart_vs_flask",
     "<= 1.2 ms and <= 2 x flask floor"),
    ("flow_cpu", "add+order CPU-ms/flow", None, "<= 4 ms"),
    ("orders_per_s_c8", "orders/s at concurrency 8", None, ">= 200"),
    ("page_big", "page of 20, 10k products CPU-ms/req", "ratio_page_big_vs_small",
     "<= 1.5 x the 12-product page"),
    ("orders_page_many", "GET /orders page 1, 1,000 orders", "ratio_orders_many_vs_few",
     "~ 1 x the 10-order user"),
]


def median_of(values):
    values = [v for v in values if v is not None]
    return round(statistics.median(values), 4) if values else None


def print_summary(all_figures):
    print("\n== summary (server on core 0, load on core 1; CPU-ms from /proc)")
    print(f"{'figure':<40}{'runs':>26}{'median':>10}   ratio (median)   target")
    for key, label in (("raw_floor_get", "bare WSGI floor CPU-ms/req"),
                       ("flask_floor_get", "Flask + SQLAlchemy floor CPU-ms/req")):
        runs = [f.get(key) for f in all_figures]
        print(f"{label:<40}{' '.join(map(str, runs)):>26}{median_of(runs)!s:>10}")
    for key, label, ratio_key, target in TARGETS:
        runs = [f.get(key) for f in all_figures]
        ratio = median_of([f.get(ratio_key) for f in all_figures]) if ratio_key else ""
        print(f"{label:<40}{' '.join(map(str, runs)):>26}{median_of(runs)!s:>10}"
              f"   {ratio!s:<16} {target}")
    for key, label in (("page_big_by_price", "page of 20 by -price, 10k products"),
                       ("page_big_deep", "page 400 of 20, 10k products"),
                       ("page_big_search", "search page, 10k products"),
                       ("cart_wrk_c1", "GET /cart (load.py b, c1) CPU-ms/req"),
                       ("products_rps_c1", "GET /products req/s at c1"),
                       ("flow_p99_c8", "add+order flow p99 ms at c8"),
                       ("rss_end_mib", "shop RSS at the end, MiB")):
        runs = [f.get(key) for f in all_figures]
        print(f"{label:<40}{' '.join(map(str, runs)):>26}{median_of(runs)!s:>10}")
    for number, fig in enumerate(all_figures, 1):
        for volley in fig.get("oversell", []):
            print(f"oversell run {number}: {volley}")
        if fig.get("memory"):
            print(f"memory run {number}: {fig['memory']}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--duration", type=float, default=10, help="seconds per timed load")
    parser.add_argument("--quick", action="store_true", help="short loads, for a smoke test")
    parser.add_argument("--memory", action="store_true",
                        help="also RSS of a fresh shop after 3 x 100,000 read requests")
    parser.add_argument("--scenarios", default="a,b,c,d,e", help="load.py scenarios for the shop")
    parser.add_argument("--database-url", help="run the shop on this database (reset first)")
    parser.add_argument("--only-oversell", action="store_true",
                        help="only load.py scenario e against the shop")
    parser.add_argument("--threads", type=int, help="SHOP_THREADS for the shop")
    parser.add_argument("--replicas", type=int, metavar="N",
                        help="several processes behind nginx on --database-url (see above)")
    parser.add_argument("--bench-dir", type=Path, default=DEFAULT_BENCH_DIR)
    parser.add_argument("--code-dir", type=Path, default=REPO_ROOT,
                        help="the shop's source tree to serve (default: this repository)")
    parser.add_argument("--out", type=Path)
    parser.add_argument("--keep", action="store_true", help="keep the temporary databases")
    args = parser.parse_args(argv)
    if not (args.bench_dir / "load.py").exists():
        parser.error(f"no load.py in {args.bench_dir} (use --bench-dir)")
    if not shutil.which("taskset"):
        parser.error("taskset is needed (util-linux)")
    if args.replicas and not (args.database_url or "").startswith("postgresql"):
        parser.error("--replicas needs --database-url postgresql+psycopg://...")
    os.sched_setaffinity(0, {CLIENT_CPU})
    args.out = args.out or Path(tempfile.gettempdir()) / time.strftime("shop-bench-%Y%m%d-%H%M%S")
    args.out.mkdir(parents=True, exist_ok=True)
    all_figures = []
    if args.replicas:
        for number in range(1, args.runs + 1):
            all_figures.append(replica_figures(replicas_run(args, number, args.out)))
            print(f"\n-- run {number}: {json.dumps(all_figures[-1])}", flush=True)
        print_replica_summary(all_figures)
        (args.out / "summary-replicas.json").write_text(json.dumps(all_figures, indent=1))
        print(f"\nJSON in {args.out}")
        return 0
    for number in range(1, args.runs + 1):
        run = one_run(args, number, args.out)
        all_figures.append(figures(run))
        print(f"\n-- run {number} figures: {json.dumps(all_figures[-1], default=str)}", flush=True)
    if args.memory:
        all_figures[-1]["memory"] = memory_run(args)
    print_summary(all_figures)
    (args.out / "summary.json").write_text(json.dumps(all_figures, indent=1, default=str))
    print(f"\nJSON in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
