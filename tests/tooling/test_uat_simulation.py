"""scripts/uat_simulation.py against a real waitress server, plus its flag handling."""

import io
import json
import os
import random
import subprocess
import sys
from collections import Counter
from decimal import Decimal

import pytest
import requests

import admin_tools
import operator_credentials
import shop_client
import uat_simulation as uat
from tests.support.accounts import login_headers

SCRIPT = uat.__file__


@pytest.fixture
def server(live_server):
    """conftest's freshly seeded waitress server, on SQLite and (in CI) on PostgreSQL."""
    return live_server


def stock(server):
    products = requests.get(server.api_url + "/products", timeout=10).json()
    return {p["id"]: p["inventory_count"] for p in products}


def set_stock(server, admin_headers, product_id, count):
    """PUT the product's inventory_count, as the admin."""
    response = requests.put(f"{server.api_url}/products/{product_id}",
                            json={"inventory_count": count}, headers=admin_headers, timeout=10)
    assert response.status_code == 200, response.text


def shopper_orders(server, users):
    """Every order the API lists for user1..userN, keyed by email."""
    orders = {}
    for n in range(1, users + 1):
        email = f"user{n}@example.com"
        headers = login_headers(server.api_url, email, "pass123")
        orders[email] = requests.get(server.api_url + "/orders", headers=headers, timeout=10).json()
    return orders


def assert_summary_matches_api(summary, server, stock_before):
    """The summary's orders, units and revenue are exactly what the API shows afterwards."""
    orders = shopper_orders(server, summary["users"])
    listed_ids = {
        email: sorted(o["id"] for o in user_orders) for email, user_orders in orders.items()
    }
    assert {e: sorted(ids) for e, ids in summary["orders_by_user"].items()} == {
        e: ids for e, ids in listed_ids.items() if ids
    }
    all_orders = [o for user_orders in orders.values() for o in user_orders]
    assert summary["orders_placed"] == len(all_orders)
    sold = Counter()
    for order in all_orders:
        for item in order["items"]:
            sold[item["product"]["id"]] += item["quantity"]
    assert summary["units_sold"] == sum(sold.values())
    assert summary["units_sold_by_product"] == {str(k): v for k, v in sorted(sold.items())}
    assert Decimal(summary["revenue"]) == sum(Decimal(o["total_amount"]) for o in all_orders)
    stock_after = stock(server)
    for product_id, before in stock_before.items():
        assert stock_after[product_id] == before - sold[product_id]


# --------------------------------------------------------------------------- no server


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("http://localhost:8000", "http://localhost:8000/api/v1"),
        ("http://localhost:8000/", "http://localhost:8000/api/v1"),
        ("http://localhost:8000/api", "http://localhost:8000/api/v1"),
        ("http://localhost:8000/api/", "http://localhost:8000/api/v1"),
        ("https://shop.example/api/v1/", "https://shop.example/api/v1"),
        ("http://proxy/shop", "http://proxy/shop/api/v1"),
    ],
)
def test_base_url_is_normalised_to_api_v1(given, expected):
    assert shop_client.normalise_base_url(given) == expected


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--iterations", "0"], "argument --iterations: must be at least 1"),
        (["--users", "many"], "argument --users: expected a whole number"),
        (["--purchase-mode", "some"], "argument --purchase-mode: invalid choice"),
        (["--default-product-quantity", "-1"], "argument --default-product-quantity"),
        (["--product-quantity", "5"], "argument --product-quantity: expected KEY=QTY"),
        (["--product-quantity", "5=0"], "argument --product-quantity: must be at least 1"),
        (["--delay", "-2"], "argument --delay: must be zero or more seconds"),
        (["--base-url", "localhost:8000"], "argument --base-url: expected an http(s) URL"),
    ],
)
def test_bad_flag_values_are_argparse_errors(argv, message, capsys):
    assert uat.main(argv) == 2
    err = capsys.readouterr().err
    assert "usage: uat_simulation.py" in err
    assert message in err
    assert "Traceback" not in err


def test_bad_flag_value_exits_2_from_the_command_line():
    result = subprocess.run(
        [sys.executable, SCRIPT, "--concurrency", "zero"], capture_output=True, text=True
    )
    assert result.returncode == 2
    assert "argument --concurrency: expected a whole number, got 'zero'" in result.stderr
    assert "Traceback" not in result.stderr


def test_unreachable_server_fails_without_a_traceback(capsys):
    assert uat.main(["--base-url", "http://127.0.0.1:9", "--timeout", "2"]) == 1
    assert "cannot list products" in capsys.readouterr().err


def test_overrides_resolve_by_id_then_by_name():
    products = [{"id": 1, "name": "Red Helmet"}, {"id": 2, "name": "Blue Gloves"}]
    overrides = [("red helmet", 4), ("1", 2), ("BLUE GLOVES", 3)]
    assert uat.resolve_quantities(overrides, products) == {1: 2, 2: 3}
    with pytest.raises(ValueError, match="no listed product has id or name 'Green'"):
        uat.resolve_quantities([("Green", 1)], products)


def test_percentile_is_nearest_rank():
    samples = [float(n) for n in range(1, 101)]
    assert uat.percentile(samples, 50) == 50.0
    assert uat.percentile(samples, 95) == 95.0
    assert uat.percentile([0.3], 95) == 0.3


# --------------------------------------------------------------------------- live server


@pytest.mark.live
def test_random_mode_from_the_command_line(server, tmp_path):
    """The real CLI (subprocess, no TTY): plain progress lines, a summary, the JSON file."""
    before = stock(server)
    summary_path = tmp_path / "summary.json"
    result = subprocess.run(
        [
            sys.executable,
            SCRIPT,
            "--base-url",
            server.url,  # a bare origin: normalised to /api/v1
            "--iterations",
            "2",
            "--users",
            "3",
            "--cart-actions",
            "3",
            "--seed",
            "42",
            "--json",
            str(summary_path),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "[6/6] user" in result.stdout  # one plain line per flow
    assert "\r" not in result.stdout  # no progress bar without a terminal
    for heading in ("orders placed:", "units sold:", "revenue:", "p50 ms", "p95 ms"):
        assert heading in result.stdout
    assert "result: PASS" in result.stdout

    summary = json.loads(summary_path.read_text())
    assert summary["seed"] == 42
    assert summary["flows"] == 6
    assert summary["failed_flows"] == 0
    assert summary["orders_placed"] == 6  # fresh catalog: every random flow can buy
    assert summary["exit_code"] == 0
    assert {"POST /auth/login", "POST /cart/items", "POST /orders"} <= set(summary["latency"])
    assert_summary_matches_api(summary, server, before)


@pytest.mark.live
def test_all_mode_with_quantity_overrides_by_id_and_by_name(server, tmp_path):
    products = requests.get(server.api_url + "/products", timeout=10).json()
    by_id, by_name, capped = products[0], products[1], products[2]
    # One product with little stock, so its override is capped at what is left.
    set_stock(server, server.admin_headers(), capped["id"], 2)
    before = stock(server)
    summary_path = tmp_path / "summary.json"

    exit_code = uat.main(
        [
            "--base-url",
            server.url + "/api",
            "--purchase-mode",
            "all",
            "--users",
            "1",
            "--default-product-quantity",
            "2",
            "--product-quantity",
            f"{by_id['id']}=3",
            "--product-quantity",
            f"{by_name['name'].upper()}=4",
            "--product-quantity",
            f"{capped['name'].lower()}=50",
            "--json",
            str(summary_path),
        ]
    )

    assert exit_code == 0
    summary = json.loads(summary_path.read_text())
    [order] = shopper_orders(server, 1)["user1@example.com"]
    bought = {item["product"]["id"]: item["quantity"] for item in order["items"]}
    expected = {pid: min(2, left) for pid, left in before.items() if left > 0}
    expected[by_id["id"]] = 3
    expected[by_name["id"]] = 4
    expected[capped["id"]] = 2  # 50 asked, capped at the stock
    assert bought == expected
    assert summary["orders_by_user"] == {"user1@example.com": [order["id"]]}
    assert_summary_matches_api(summary, server, before)


@pytest.mark.live
def test_unknown_product_key_is_a_usage_error(server, capsys):
    assert uat.main(["--base-url", server.url, "--product-quantity", "No Such Thing=2"]) == 2
    assert "no listed product has id or name 'No Such Thing'" in capsys.readouterr().err


@pytest.mark.live
def test_concurrent_shoppers_with_verify(server, tmp_path):
    """8 shoppers racing for scarce stock: 400s are logged, nothing fails, stock adds up."""
    admin = server.admin_headers()
    for product_id in stock(server):
        set_stock(server, admin, product_id, 3)
    before = stock(server)
    summary_path = tmp_path / "summary.json"

    exit_code = uat.main(
        [
            "--base-url",
            server.api_url,
            "--users",
            "8",
            "--concurrency",
            "8",
            "--iterations",
            "3",
            "--cart-actions",
            "3",
            "--default-product-quantity",
            "2",
            "--seed",
            "7",
            "--verify",
            "--admin-password",
            "admin123",
            "--json",
            str(summary_path),
        ]
    )

    summary = json.loads(summary_path.read_text())
    assert exit_code == 0, summary["failures"]
    assert summary["flows"] == 24
    assert summary["failed_flows"] == 0
    assert summary["verify"] == {"ok": True, "products_checked": 12, "problems": []}
    assert summary["orders_placed"] > 0
    assert summary["units_sold"] <= sum(before.values())
    assert_summary_matches_api(summary, server, before)
    # Users beyond the three demo shoppers were generated and registered.
    emails = {
        u["email"]
        for u in requests.get(server.api_url + "/admin/users", headers=admin, timeout=10).json()
    }
    assert {f"user{n}@example.com" for n in range(1, 9)} <= emails


@pytest.mark.live
def test_verify_with_wrong_admin_password_fails_early(server, capsys):
    exit_code = uat.main(
        ["--base-url", server.url, "--verify", "--admin-password", "not-the-password"]
    )
    assert exit_code == 1
    assert "--verify needs an admin login" in capsys.readouterr().err


@pytest.mark.live
def test_verify_without_a_password_or_terminal_is_a_one_line_error_exit_2(server):
    env = {k: v for k, v in os.environ.items() if not k.startswith("SHOP_ADMIN_")}
    result = subprocess.run(
        [sys.executable, SCRIPT, "--base-url", server.url,
         "--verify"],
        capture_output=True, text=True, timeout=60, env=env, stdin=subprocess.DEVNULL)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "SHOP_ADMIN_PASSWORD" in lines[0], result.stderr


def test_both_scripts_default_to_the_same_admin():
    uat_help = " ".join(uat.build_parser().format_help().split())
    assert "$SHOP_ADMIN_EMAIL or admin@example.com" in uat_help
    tools_help = " ".join(admin_tools.build_parser().format_help().split())
    assert "$SHOP_ADMIN_EMAIL, else admin@example.com" in tools_help
    assert operator_credentials.DEFAULT_ADMIN_EMAIL == "admin@example.com"


@pytest.mark.live
def test_a_failed_flow_makes_the_exit_code_non_zero(server, tmp_path):
    """user1 exists with another password: that flow fails, the others pass, exit 1."""
    response = requests.post(
        server.api_url + "/auth/register",
        json={"email": "user1@example.com", "password": "another-password"},
        timeout=10,
    )
    assert response.status_code == 201, response.text
    summary_path = tmp_path / "summary.json"

    exit_code = uat.main(["--base-url", server.url, "--json", str(summary_path)])

    summary = json.loads(summary_path.read_text())
    assert exit_code == 1
    assert summary["exit_code"] == 1
    assert [f["user"] for f in summary["failures"]] == ["user1@example.com"]
    assert "POST /auth/login -> 401" in summary["failures"][0]["error"]
    assert summary["orders_placed"] == 2


def test_progress_bar_on_a_terminal():
    stream = io.StringIO()
    reporter = uat.Reporter(total=4, stream=stream, tty=True)
    reporter.flow_done(uat.FlowResult("user1@example.com", 1, order_id=1, units=2))
    reporter.log("user2@example.com #1: POST /orders 400: Only 1 left for Helmet")
    reporter.flow_done(uat.FlowResult("user2@example.com", 1, error="GET /cart -> 500: boom"))
    reporter.finish()
    output = stream.getvalue()
    assert "\r[" + "#" * 7 + "-" * 23 + "] 1/4 flows | orders 1 | failures 0" in output
    assert "Only 1 left for Helmet\n" in output
    assert "FAILED: GET /cart -> 500: boom" in output
    assert "2/4 flows | orders 1 | failures 1" in output


def plan_for(mode, products, seed="7:1:1", **flags):
    args = uat.build_parser().parse_args(["--purchase-mode", mode, *flags.get("argv", [])])
    simulation = uat.Simulation(args, reporter=None, stats=None, quantities=flags.get("q", {}))
    return [(p["id"], qty) for p, qty in simulation.plan(products, random.Random(seed))]


CATALOG = [
    {"id": 1, "name": "A", "inventory_count": 5},
    {"id": 2, "name": "B", "inventory_count": 0},
    {"id": 3, "name": "C", "inventory_count": 1},
    {"id": 4, "name": "D", "inventory_count": 9},
]


def test_random_plan_is_reproducible_and_capped():
    argv = ["--cart-actions", "6", "--default-product-quantity", "2"]
    first = plan_for("random", CATALOG, argv=argv)
    assert first == plan_for("random", CATALOG, argv=argv)
    assert 2 not in {pid for pid, _ in first}  # out of stock: never picked
    added = Counter()
    for pid, qty in first:
        added[pid] += qty
    stock = {p["id"]: p["inventory_count"] for p in CATALOG}
    assert all(added[pid] <= stock[pid] for pid in added)


def test_all_plan_takes_every_product_with_stock():
    plan = plan_for("all", CATALOG, argv=["--default-product-quantity", "3"], q={4: 20})
    assert plan == [(1, 3), (3, 1), (4, 9)]
