#!/usr/bin/env python3
"""Shopper flows over HTTP against a running shop: a CI smoke test and a burn-in load.

Each flow is one shopper (``user1@example.com``, ``user2@example.com``, ... with the
password ``pass123``, registered on first use) logging in, emptying their cart, adding
products, checking out and finding the order in their order list. A 400 from the API
(not enough stock, a product gone inactive) is logged with its ``detail`` and the flow
goes on; anything else fails that flow.

    python scripts/uat_simulation.py --base-url http://localhost:8000 \\
        --iterations 5 --users 8 --concurrency 8 --verify --json uat-summary.json

Exit code: 0 when every flow passed and every check held, 1 otherwise, 2 for bad flags.
``--verify`` compares the stock the admin sees before and after the run with the units
sold, so it assumes nobody else is shopping on that server meanwhile.

Only the standard library and ``requests`` are needed; ``main(argv)`` returns the exit
code so tests can run it in-process.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
import threading
import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import requests

from operator_credentials import MissingPassword, admin_email, admin_password
from shop_client import ApiError, ShopClient, add_base_url_argument

PROG = "uat_simulation.py"
DEMO_SHOPPER_PASSWORD = "pass123"
# A 429 (rate limit) is retried this many times, waiting for Retry-After (capped).
RATE_LIMIT_RETRIES = 3
RATE_LIMIT_MAX_WAIT = 10.0
CENT = Decimal("0.01")


# --------------------------------------------------------------------------- flags


def positive_int(value):
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {value!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {number}")
    return number


def non_negative_float(value):
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of seconds, got {value!r}") from None
    if not math.isfinite(number) or number < 0:
        raise argparse.ArgumentTypeError(f"must be zero or more seconds, got {value!r}")
    return number


def product_quantity_arg(value):
    """``KEY=QTY`` where KEY is a product id or an exact product name (any case)."""
    key, sep, quantity = value.rpartition("=")
    key = key.strip()
    if not sep or not key:
        raise argparse.ArgumentTypeError(f"expected KEY=QTY (product id or name), got {value!r}")
    return key, positive_int(quantity.strip())


def build_parser():
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Run shopper flows (login, cart, checkout) against a running shop.",
    )
    add_base_url_argument(parser)
    parser.add_argument(
        "--iterations", type=positive_int, default=1, help="rounds of flows (default: 1)"
    )
    parser.add_argument(
        "--users",
        type=positive_int,
        default=3,
        help="shoppers user1@example.com ... userN@example.com, password pass123, "
        "registered on first use (default: 3)",
    )
    parser.add_argument(
        "--cart-actions",
        type=positive_int,
        default=2,
        help="random mode: products added per flow (default: 2)",
    )
    parser.add_argument(
        "--purchase-mode",
        choices=("random", "all"),
        default="random",
        help="random: random in-stock products; all: every product with stock (default: random)",
    )
    parser.add_argument(
        "--default-product-quantity",
        type=positive_int,
        default=1,
        help="units per product added, capped at the stock (default: 1)",
    )
    parser.add_argument(
        "--product-quantity",
        type=product_quantity_arg,
        action="append",
        default=[],
        metavar="KEY=QTY",
        help="override the quantity for a product id or exact name (case-insensitive); repeatable",
    )
    parser.add_argument(
        "--delay",
        type=non_negative_float,
        default=0.0,
        help="seconds to wait between iterations (default: 0)",
    )
    parser.add_argument(
        "--concurrency",
        type=positive_int,
        default=1,
        help="shoppers running in parallel threads (default: 1)",
    )
    parser.add_argument(
        "--seed", type=int, default=None, help="seed for the random choices (default: random)"
    )
    parser.add_argument(
        "--verify",
        action="store_true",
        help="as admin, check stock before - units sold == stock after for every product",
    )
    parser.add_argument(
        "--admin-email",
        default=None,
        help="admin for --verify (default: $SHOP_ADMIN_EMAIL or admin@example.com)",
    )
    parser.add_argument(
        "--admin-password",
        default=None,
        help="admin password for --verify (default: $SHOP_ADMIN_PASSWORD, else a prompt)",
    )
    parser.add_argument(
        "--json", type=Path, default=None, metavar="PATH", help="write the summary as JSON"
    )
    parser.add_argument(
        "--timeout",
        type=non_negative_float,
        default=30.0,
        help="seconds before one HTTP request gives up (default: 30)",
    )
    return parser


# --------------------------------------------------------------------------- HTTP


class LatencyStats:
    """Latency and status counts per endpoint template (``POST /cart/items``), thread-safe."""

    def __init__(self):
        self._lock = threading.Lock()
        self._seconds = defaultdict(list)
        self._statuses = defaultdict(Counter)

    def record(self, endpoint, seconds, status):
        with self._lock:
            self._seconds[endpoint].append(seconds)
            self._statuses[endpoint][str(status)] += 1

    def summary(self):
        with self._lock:
            return {
                endpoint: {
                    "calls": len(samples),
                    "p50_ms": round(percentile(samples, 50) * 1000, 1),
                    "p95_ms": round(percentile(samples, 95) * 1000, 1),
                    "statuses": dict(sorted(self._statuses[endpoint].items())),
                }
                for endpoint, samples in sorted(self._seconds.items())
            }


def percentile(samples, pct):
    """Nearest-rank percentile: the smallest sample with ``pct`` % of samples at or below it."""
    ordered = sorted(samples)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


class MeasuredClient(ShopClient):
    """The shop's client that records each request's latency and status in ``stats``, and
    waits out a 429 (rate limit) before asking again."""

    def __init__(self, base_url, stats, timeout):
        super().__init__(base_url, timeout)
        self.stats = stats

    def send(self, endpoint, method, url, json_body):
        for attempt in range(RATE_LIMIT_RETRIES + 1):
            started = time.perf_counter()
            try:
                response = super().send(endpoint, method, url, json_body)
            except requests.RequestException:
                self.stats.record(endpoint, time.perf_counter() - started, "error")
                raise
            self.stats.record(endpoint, time.perf_counter() - started, response.status_code)
            if response.status_code != 429 or attempt == RATE_LIMIT_RETRIES:
                return response
            time.sleep(retry_after(response))


def retry_after(response):
    try:
        return min(max(float(response.headers.get("Retry-After", "1")), 0.1), RATE_LIMIT_MAX_WAIT)
    except ValueError:
        return 1.0


def plural(count, noun):
    return f"{count} {noun}{'' if count == 1 else 's'}"


def money(value):
    return Decimal(str(value)).quantize(CENT)


# --------------------------------------------------------------------------- flows


@dataclass
class FlowResult:
    user: str
    iteration: int
    error: str | None = None
    order_id: int | None = None
    units: int = 0
    revenue: Decimal = Decimal("0.00")
    sold: Counter = field(default_factory=Counter)
    rejections: list = field(default_factory=list)
    note: str = ""

    @property
    def ok(self):
        return self.error is None


class Shopper:
    def __init__(self, index, base_url, stats, timeout):
        self.index = index
        self.email = f"user{index}@example.com"
        self.api = MeasuredClient(base_url, stats, timeout)
        self._registered = False

    def login(self):
        """Log in, registering the demo shopper the first time it is missing."""
        try:
            self.api.login(self.email, DEMO_SHOPPER_PASSWORD)
            return
        except ApiError as exc:
            if exc.status != 401 or self._registered:
                raise
        try:
            self.api.call(
                "POST",
                "/auth/register",
                201,
                json_body={
                    "email": self.email,
                    "password": DEMO_SHOPPER_PASSWORD,
                    "full_name": f"UAT Shopper {self.index}",
                },
            )
        except ApiError as exc:
            if exc.status != 400:  # 400: already registered (a wrong password, then)
                raise
        self._registered = True
        self.api.login(self.email, DEMO_SHOPPER_PASSWORD)


class Simulation:
    def __init__(self, args, reporter, stats, quantities):
        self.args = args
        self.reporter = reporter
        self.stats = stats
        self.quantities = quantities  # resolved overrides: product id -> quantity

    def wanted(self, product):
        return self.quantities.get(product["id"], self.args.default_product_quantity)

    def plan(self, products, rng):
        """The (product, quantity) adds for one flow, each capped at the remaining stock."""
        remaining = {p["id"]: p["inventory_count"] for p in products if p["inventory_count"] > 0}
        by_id = {p["id"]: p for p in products}
        if self.args.purchase_mode == "all":
            return [
                (by_id[pid], min(self.wanted(by_id[pid]), left)) for pid, left in remaining.items()
            ]
        plan = []
        for _ in range(self.args.cart_actions):
            in_stock = sorted(pid for pid, left in remaining.items() if left > 0)
            if not in_stock:
                break
            product = by_id[rng.choice(in_stock)]
            quantity = min(self.wanted(product), remaining[product["id"]])
            remaining[product["id"]] -= quantity
            plan.append((product, quantity))
        return plan

    def run_flow(self, shopper, iteration, rng):
        result = FlowResult(shopper.email, iteration)
        try:
            self._flow(shopper, result, rng)
        except ApiError as exc:
            result.error = str(exc)
        except Exception as exc:  # a malformed response must fail the flow, not the run
            result.error = f"unexpected {type(exc).__name__}: {exc}"
        return result

    def _flow(self, shopper, result, rng):
        api = shopper.api
        shopper.login()
        self._empty_cart(api)
        products = api.call("GET", "/products", 200)
        for product, quantity in self.plan(products, rng):
            try:
                api.call(
                    "POST",
                    "/cart/items",
                    201,
                    json_body={"product_id": product["id"], "quantity": quantity},
                )
            except ApiError as exc:
                if exc.status != 400:
                    raise
                self._rejected(result, exc)
        cart = api.call("GET", "/cart", 200)
        if not cart["items"]:
            result.note = "nothing to buy"
            return
        try:
            order = api.call(
                "POST",
                "/orders",
                201,
                json_body={"shipping_address": f"{shopper.index} UAT Street, Testville"},
            )
        except ApiError as exc:
            if exc.status != 400:
                raise
            self._rejected(result, exc)
            result.note = "checkout rejected"
            self._empty_cart(api)  # so the next flow starts clean
            return
        # Counted before the checks: the stock moved even if a check below fails.
        result.order_id = order["id"]
        for item in order["items"]:
            result.sold[item["product"]["id"]] += item["quantity"]
        result.units = sum(result.sold.values())
        result.revenue = money(order["total_amount"])
        self._check_order(order, cart)
        listed = api.call("GET", "/orders", 200)
        if order["id"] not in {o["id"] for o in listed}:
            raise ApiError("GET /orders", 200, f"order {order['id']} is missing from the list")

    def _empty_cart(self, api):
        for item in api.call("GET", "/cart", 200)["items"]:
            api.call("DELETE", "/cart/items/{id}", 204, id=item["id"])

    def _rejected(self, result, exc):
        result.rejections.append({"endpoint": exc.endpoint, "detail": exc.message})
        self.reporter.log(f"{result.user} #{result.iteration}: {exc.endpoint} 400: {exc.message}")

    @staticmethod
    def _check_order(order, cart):
        """The order is the cart: same lines, and its total is the sum of its lines."""
        in_cart = Counter()
        for item in cart["items"]:
            in_cart[item["product"]["id"]] += item["quantity"]
        ordered = Counter()
        for item in order["items"]:
            ordered[item["product"]["id"]] += item["quantity"]
        if ordered != in_cart:
            raise ApiError(
                "POST /orders", 201, f"order lines {dict(ordered)} differ from cart {dict(in_cart)}"
            )
        lines = sum(money(i["unit_price"]) * i["quantity"] for i in order["items"])
        if money(order["total_amount"]) != lines:
            raise ApiError(
                "POST /orders",
                201,
                f"total_amount {order['total_amount']} is not the sum of its lines ({lines})",
            )


# --------------------------------------------------------------------------- output


class Reporter:
    """A progress bar on a terminal, one plain line per flow otherwise."""

    BAR_WIDTH = 30

    def __init__(self, total, stream=None, tty=None):
        self.stream = stream or sys.stdout
        self.tty = self.stream.isatty() if tty is None else tty
        self.total = total
        self.done = 0
        self.orders = 0
        self.failures = 0
        self._lock = threading.Lock()

    def start(self):
        with self._lock:
            self._draw()

    def log(self, message):
        with self._lock:
            if self.tty:
                self.stream.write("\r\033[K")
            self.stream.write(message + "\n")
            self._draw()

    def flow_done(self, result):
        with self._lock:
            self.done += 1
            self.orders += result.order_id is not None
            self.failures += not result.ok
            if self.tty:
                if not result.ok:
                    self.stream.write(f"\r\033[K{self._line(result)}\n")
                self._draw()
            else:
                self.stream.write(self._line(result) + "\n")
                self.stream.flush()

    def finish(self):
        if self.tty:
            self.stream.write("\n")
            self.stream.flush()

    def _line(self, result):
        head = f"[{self.done}/{self.total}] {result.user} #{result.iteration}"
        if not result.ok:
            return f"{head} FAILED: {result.error}"
        if result.order_id is None:
            return f"{head} ok: no order ({result.note})"
        return f"{head} ok: order {result.order_id}, {result.units} units, {result.revenue}"

    def _draw(self):
        if not self.tty:
            return
        filled = self.BAR_WIDTH * self.done // max(self.total, 1)
        bar = "#" * filled + "-" * (self.BAR_WIDTH - filled)
        self.stream.write(
            f"\r[{bar}] {self.done}/{self.total} flows | orders {self.orders}"
            f" | failures {self.failures}"
        )
        self.stream.flush()


def print_summary(summary, stream):
    write = stream.write
    write(f"\nUAT summary: {summary['base_url']} (seed {summary['seed']})\n")
    write(f"  flows:          {summary['flows']} ({summary['failed_flows']} failed)\n")
    write(f"  orders placed:  {summary['orders_placed']}\n")
    write(f"  units sold:     {summary['units_sold']}\n")
    write(f"  revenue:        {summary['revenue']}\n")
    write(f"  rejected (400): {len(summary['rejections'])}\n")
    write(f"  duration:       {summary['duration_seconds']} s\n")
    write("  latency per endpoint:\n")
    width = max((len(e) for e in summary["latency"]), default=10)
    write(f"    {'endpoint':<{width}}  {'calls':>6}  {'p50 ms':>8}  {'p95 ms':>8}\n")
    for endpoint, row in summary["latency"].items():
        write(
            f"    {endpoint:<{width}}  {row['calls']:>6}  {row['p50_ms']:>8}  {row['p95_ms']:>8}\n"
        )
    for failure in summary["failures"]:
        write(f"  FAILED {failure['user']} #{failure['iteration']}: {failure['error']}\n")
    verify = summary["verify"]
    if verify is not None:
        if verify["ok"]:
            write(
                f"  verify: OK, stock before - units sold == stock after for "
                f"{verify['products_checked']} products\n"
            )
        else:
            write("  verify: BROKEN\n")
            for problem in verify["problems"]:
                write(f"    {problem}\n")
    write(f"  result: {'PASS' if summary['exit_code'] == 0 else 'FAIL'}\n")
    stream.flush()


# --------------------------------------------------------------------------- verify


def admin_stock(api):
    return {p["id"]: p["inventory_count"] for p in api.call("GET", "/products", 200)}


def verify_stock(api, before, sold):
    """Stock before minus units sold must equal stock after, for every product."""
    after = admin_stock(api)
    problems = []
    for product_id in sorted(set(before) | set(sold)):
        if product_id not in before:
            problems.append(f"product {product_id}: sold {sold[product_id]} but not listed before")
            continue
        if product_id not in after:  # deactivated meanwhile: admins can still read it
            after[product_id] = api.call("GET", "/products/{id}", 200, id=product_id)[
                "inventory_count"
            ]
        expected = before[product_id] - sold[product_id]
        if after[product_id] != expected:
            problems.append(
                f"product {product_id}: before {before[product_id]} - sold {sold[product_id]}"
                f" = {expected}, but the stock is {after[product_id]}"
            )
    return {"ok": not problems, "products_checked": len(before), "problems": problems}


def resolve_quantities(overrides, products):
    """Map each ``KEY=QTY`` to a product id; raise ValueError for a key matching nothing.

    KEY is an id when it is the id of a listed product, else an exact name (any case).
    An override by id wins over one by name for the same product; a later one wins over
    an earlier one of the same kind.
    """
    ids = {p["id"] for p in products}
    by_name = {p["name"].lower(): p["id"] for p in products}
    by_id_key = {}
    by_name_key = {}
    for key, quantity in overrides:
        if key.isdigit() and int(key) in ids:
            by_id_key[int(key)] = quantity
        elif key.lower() in by_name:
            by_name_key[by_name[key.lower()]] = quantity
        else:
            raise ValueError(
                f"--product-quantity {key}={quantity}: no listed product has id or name {key!r}"
            )
    return {**by_name_key, **by_id_key}


# --------------------------------------------------------------------------- main


class CannotStart(Exception):
    """The run cannot begin: the message for stderr, and the exit code (2: a usage error)."""

    def __init__(self, message, exit_code):
        super().__init__(message)
        self.exit_code = exit_code


@dataclass
class Setup:
    """What a run starts from, made by ``prepare``."""

    args: argparse.Namespace
    seed: int
    stats: LatencyStats
    quantities: dict = field(default_factory=dict)  # product id -> units per add
    shoppers: list = field(default_factory=list)
    admin: MeasuredClient | None = None  # --verify only, like stock_before
    stock_before: dict | None = None

    def close(self):
        for shopper in self.shoppers:
            shopper.api.close()
        if self.admin is not None:
            self.admin.close()


@dataclass
class Outcome:
    """What the flows did, as ``run`` saw it."""

    results: list
    duration: float
    interrupted: bool


def prepare(args):
    """The seed, the quantity overrides resolved against the catalog, the shoppers and, for
    --verify, the admin's login and the stock before. Raises CannotStart."""
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(2**32)
    setup = Setup(args, seed, LatencyStats())
    catalog = list_catalog(args, setup.stats)
    try:
        setup.quantities = resolve_quantities(args.product_quantity, catalog)
    except ValueError as exc:
        raise CannotStart(f"{PROG}: error: {exc}", 2) from None
    if args.verify:
        setup.admin, setup.stock_before = admin_and_stock(args, setup.stats)
    setup.shoppers = [
        Shopper(i, args.base_url, setup.stats, args.timeout) for i in range(1, args.users + 1)
    ]
    return setup


def list_catalog(args, stats):
    anonymous = MeasuredClient(args.base_url, stats, args.timeout)
    try:
        return anonymous.call("GET", "/products", 200)
    except ApiError as exc:
        raise CannotStart(f"error: cannot list products at {args.base_url}: {exc}", 1) from None
    finally:
        anonymous.close()


def admin_and_stock(args, stats):
    """For --verify: the admin's logged-in client and the stock it sees before the run."""
    email = admin_email(args.admin_email)
    try:
        password = admin_password(email, args.admin_password)
    except MissingPassword as exc:
        raise CannotStart(f"{PROG}: error: {exc}", 2) from None
    admin = MeasuredClient(args.base_url, stats, args.timeout)
    try:
        admin.login(email, password)
        return admin, admin_stock(admin)
    except ApiError as exc:
        admin.close()
        raise CannotStart(f"error: --verify needs an admin login ({email}): {exc}", 1) from None


def run(setup, out):
    """Every flow: ``--iterations`` rounds of one flow per shopper, with progress on ``out``.
    Ctrl-C stops it, keeping the flows that finished."""
    args = setup.args
    total = args.iterations * args.users
    out.write(
        f"UAT: {total} flows ({plural(args.iterations, 'iteration')} x "
        f"{plural(args.users, 'user')}, "
        f"{args.purchase_mode} mode, concurrency {args.concurrency}, seed {setup.seed}) "
        f"against {args.base_url}\n"
    )
    reporter = Reporter(total, out)
    reporter.start()
    simulation = Simulation(args, reporter, setup.stats, setup.quantities)
    results = []
    started = time.perf_counter()
    interrupted = False
    pool = ThreadPoolExecutor(max_workers=args.concurrency)
    try:
        for iteration in range(1, args.iterations + 1):
            for result in run_round(pool, simulation, setup, iteration):
                results.append(result)
                reporter.flow_done(result)
            if iteration < args.iterations and args.delay:
                time.sleep(args.delay)
    except KeyboardInterrupt:
        interrupted = True
        reporter.log("interrupted: summarising the flows that finished")
    finally:
        pool.shutdown(wait=not interrupted, cancel_futures=True)
        reporter.finish()
    return Outcome(results, time.perf_counter() - started, interrupted)


def run_round(pool, simulation, setup, iteration):
    """One flow per shopper, yielded as each finishes."""
    # One shopper runs one flow at a time: their cart is shared by their flows.
    futures = [
        pool.submit(
            simulation.run_flow,
            shopper,
            iteration,
            random.Random(f"{setup.seed}:{iteration}:{shopper.index}"),
        )
        for shopper in setup.shoppers
    ]
    for future in as_completed(futures):
        yield future.result()


def report(setup, outcome, out):
    """Check the stock (--verify), print the summary, write it as JSON (--json); return the
    exit code."""
    sold = Counter()
    for result in outcome.results:
        sold.update(result.sold)
    summary = summarise(setup, outcome, sold, verify_after(setup, sold))
    print_summary(summary, out)
    if setup.args.json:
        setup.args.json.parent.mkdir(parents=True, exist_ok=True)
        setup.args.json.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    return summary["exit_code"]


def verify_after(setup, sold):
    if not setup.args.verify:
        return None
    try:
        return verify_stock(setup.admin, setup.stock_before, sold)
    except ApiError as exc:
        return {"ok": False, "products_checked": 0, "problems": [f"cannot verify: {exc}"]}


def summarise(setup, outcome, sold, verify):
    """The summary that is printed and written as JSON."""
    args, results = setup.args, outcome.results
    failures = [
        {"user": r.user, "iteration": r.iteration, "error": r.error} for r in results if not r.ok
    ]
    broken = bool(failures) or outcome.interrupted or (verify is not None and not verify["ok"])
    orders_by_user = defaultdict(list)
    for r in sorted(results, key=lambda r: (r.iteration, r.user)):
        if r.order_id is not None:
            orders_by_user[r.user].append(r.order_id)
    return {
        "base_url": args.base_url,
        "seed": setup.seed,
        "purchase_mode": args.purchase_mode,
        "iterations": args.iterations,
        "users": args.users,
        "concurrency": args.concurrency,
        "flows": len(results),
        "failed_flows": len(failures),
        "interrupted": outcome.interrupted,
        "orders_placed": sum(r.order_id is not None for r in results),
        "units_sold": sum(sold.values()),
        "revenue": str(sum((r.revenue for r in results), Decimal("0.00")).quantize(CENT)),
        "units_sold_by_product": {str(pid): n for pid, n in sorted(sold.items())},
        "orders_by_user": dict(sorted(orders_by_user.items())),
        "rejections": [
            {"user": r.user, "iteration": r.iteration, **rejection}
            for r in results
            for rejection in r.rejections
        ],
        "failures": failures,
        "latency": setup.stats.summary(),
        "verify": verify,
        "duration_seconds": round(outcome.duration, 2),
        "exit_code": 130 if outcome.interrupted else int(broken),
    }


def main(argv=None, stdout=None):
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:  # argparse already printed usage and the error
        return exc.code
    out = stdout or sys.stdout
    try:
        setup = prepare(args)
    except CannotStart as exc:
        print(exc, file=sys.stderr)
        return exc.exit_code
    try:
        return report(setup, run(setup, out), out)
    finally:
        setup.close()


if __name__ == "__main__":
    sys.exit(main())
