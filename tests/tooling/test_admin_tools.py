"""scripts/admin_tools.py against a real waitress server: each subcommand, the errors, the menu."""

import os
import subprocess
import sys

import pytest
import requests

import admin_tools
import operator_credentials  # the module admin_tools reads, to patch its prompt
from tests.support.accounts import ADMIN_EMAIL, ADMIN_PASSWORD, login_headers
from tests.support.databases import BACKENDS
from tests.support.live_server import LiveServer

SCRIPT = admin_tools.__file__

pytestmark = pytest.mark.live


@pytest.fixture(scope="module", params=BACKENDS)
def server(request, database_urls, module_app_factory, tmp_path_factory):
    """One server per database for the module; ``fresh_store`` resets it before each test."""
    workdir = tmp_path_factory.mktemp(f"admin-tools-{request.param}")
    url = None
    if request.param == "postgresql":  # shared with other tests: start from a clean seed
        url = database_urls["postgresql"]
        module_app_factory.reseed_database(url)
    env = {"PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"}
    with LiveServer(workdir / "server", database_url=url, env=env) as live:
        yield live


@pytest.fixture(autouse=True)
def fresh_store(server, monkeypatch):
    """Every test starts from the seeded store, with the admin credentials in the env."""
    response = requests.post(
        server.api_url + "/admin/reset", headers=server.admin_headers(), timeout=30
    )
    assert response.status_code == 200, response.text
    monkeypatch.setenv("SHOP_ADMIN_EMAIL", ADMIN_EMAIL)
    monkeypatch.setenv("SHOP_ADMIN_PASSWORD", ADMIN_PASSWORD)


def run(server, *argv):
    return admin_tools.main(["--base-url", server.url, *argv])


def api_get(server, path):
    response = requests.get(
        server.api_url + path, headers=server.admin_headers(), timeout=10
    )
    assert response.status_code == 200, response.text
    return response.json()


def product_id(server, position):
    """The id of the catalog's n-th product: a reset reseeds with new ids."""
    return sorted(p["id"] for p in api_get(server, "/products"))[position]


def register(server, email, password="secret123"):
    response = requests.post(
        server.api_url + "/auth/register",
        json={"email": email, "password": password, "full_name": "Alice Example"},
        timeout=10,
    )
    assert response.status_code == 201, response.text
    return response.json()


def is_admin(server, email):
    return next(u for u in api_get(server, "/admin/users") if u["email"] == email)["is_admin"]


# --------------------------------------------------------------------------- subcommands


def test_inventory_lists_every_product(server, capsys):
    assert run(server, "inventory") == 0
    out = capsys.readouterr().out
    products = api_get(server, "/products")
    for product in products:
        assert product["name"] in out
        assert product["price"] in out
    assert f"{len(products)} products, {sum(p['inventory_count'] for p in products)} units" in out


def test_set_stock(server, capsys):
    pid = product_id(server, 2)
    before = api_get(server, f"/products/{pid}")["inventory_count"]
    assert run(server, "set-stock", str(pid), "42") == 0
    assert api_get(server, f"/products/{pid}")["inventory_count"] == 42
    assert f"stock {before} -> 42" in capsys.readouterr().out


def test_set_price_keeps_exact_decimals(server, capsys):
    pid = product_id(server, 1)
    assert run(server, "set-price", str(pid), "19.9") == 0
    assert api_get(server, f"/products/{pid}")["price"] == "19.90"
    assert "-> 19.90" in capsys.readouterr().out


def test_set_stock_of_inactive_product(server, capsys):
    """Admins can read and restock a product hidden from the catalog."""
    pid = product_id(server, 3)
    headers = server.admin_headers()
    response = requests.put(
        f"{server.api_url}/products/{pid}", json={"is_active": False}, headers=headers, timeout=10
    )
    assert response.status_code == 200, response.text
    assert run(server, "set-stock", str(pid), "7") == 0
    assert api_get(server, f"/products/{pid}")["inventory_count"] == 7


def test_users_lists_accounts(server, capsys):
    register(server, "alice@example.com")
    assert run(server, "users") == 0
    out = capsys.readouterr().out
    assert "alice@example.com" in out
    assert "Alice Example" in out
    assert ADMIN_EMAIL in out
    assert "2 users, 1 admins" in out


def test_promote_and_demote(server, capsys):
    register(server, "alice@example.com")

    assert run(server, "promote", "Alice@Example.com") == 0
    assert is_admin(server, "alice@example.com")
    alice = login_headers(server.api_url, "alice@example.com", "secret123")
    assert requests.get(server.api_url + "/admin/users", headers=alice, timeout=10).ok

    assert run(server, "demote", "alice@example.com") == 0
    assert not is_admin(server, "alice@example.com")
    out = capsys.readouterr().out
    assert "alice@example.com is now an admin" in out
    assert "alice@example.com is no longer an admin" in out


def test_reset_restores_the_seeded_store(server, capsys):
    first = api_get(server, f"/products/{product_id(server, 0)}")
    register(server, "alice@example.com")
    assert run(server, "set-stock", str(first["id"]), "0") == 0

    assert run(server, "reset", "--yes") == 0

    assert "reset" in capsys.readouterr().out.lower()
    assert [u["email"] for u in api_get(server, "/admin/users")] == [ADMIN_EMAIL]
    reseeded = {p["name"]: p["inventory_count"] for p in api_get(server, "/products")}
    assert reseeded[first["name"]] == first["inventory_count"]


def test_reset_without_yes_changes_nothing(server, capsys):
    register(server, "alice@example.com")
    assert run(server, "reset") == 2
    assert "add --yes to confirm" in capsys.readouterr().err
    assert len(api_get(server, "/admin/users")) == 2


# --------------------------------------------------------------------------- errors


def test_demoting_the_last_admin_prints_the_api_detail(server, capsys):
    assert run(server, "demote", ADMIN_EMAIL) == 1
    err = capsys.readouterr().err
    assert is_admin(server, ADMIN_EMAIL)
    # The same request straight to the API: the tool prints its detail verbatim.
    response = requests.patch(
        server.api_url
        + "/admin/users/"
        + str(next(u["id"] for u in api_get(server, "/admin/users") if u["email"] == ADMIN_EMAIL)),
        json={"is_admin": False},
        headers=server.admin_headers(),
        timeout=10,
    )
    assert response.status_code == 400
    assert err == f"error: {response.json()['detail']}\n"


def test_last_admin_rule_holds_when_the_other_admin_demotes(server, capsys, monkeypatch):
    """alice (admin) demotes the seed admin, then nobody may demote alice."""
    register(server, "alice@example.com")
    assert run(server, "promote", "alice@example.com") == 0
    monkeypatch.setenv("SHOP_ADMIN_EMAIL", "alice@example.com")
    monkeypatch.setenv("SHOP_ADMIN_PASSWORD", "secret123")
    alice = login_headers(server.api_url, "alice@example.com", "secret123")
    try:
        assert run(server, "demote", ADMIN_EMAIL) == 0
        capsys.readouterr()
        assert run(server, "demote", "alice@example.com") == 1
        assert capsys.readouterr().err.startswith("error: ")
        users = requests.get(server.api_url + "/admin/users", headers=alice, timeout=10).json()
        assert [u["email"] for u in users if u["is_admin"]] == ["alice@example.com"]
    finally:  # the next test's reset logs in as the seed admin
        requests.post(server.api_url + "/admin/reset", headers=alice, timeout=30)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["set-stock", "9999", "5"], "error: "),
        (["promote", "nobody@example.com"], "error: no user with the email nobody@example.com"),
    ],
)
def test_not_found_errors_exit_1(server, capsys, argv, message):
    assert run(server, *argv) == 1
    err = capsys.readouterr().err
    assert err.startswith(message)
    assert "Traceback" not in err


def test_wrong_password_exits_1_with_the_detail(server, capsys, monkeypatch):
    monkeypatch.setenv("SHOP_ADMIN_PASSWORD", "wrong-password")
    assert run(server, "inventory") == 1
    response = requests.post(
        server.api_url + "/auth/login",
        json={"email": ADMIN_EMAIL, "password": "wrong-password"},
        timeout=10,
    )
    assert capsys.readouterr().err == f"error: {response.json()['detail']}\n"


def test_a_shopper_is_refused(server, capsys, monkeypatch):
    register(server, "bob@example.com", "bobpass1")
    monkeypatch.setenv("SHOP_ADMIN_EMAIL", "bob@example.com")
    monkeypatch.setenv("SHOP_ADMIN_PASSWORD", "bobpass1")
    assert run(server, "users") == 1
    assert "bob@example.com is not an admin" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["set-stock", "1", "-3"], "argument N: must be at least 0"),
        (["set-price", "1", "0"], "argument PRICE: the price must be more than 0"),
        (["set-price", "1", "9.999"], "argument PRICE: at most two decimal places"),
        (["set-price", "1", "cheap"], "argument PRICE: expected a price"),
        (["set-stock", "one", "3"], "argument ID: expected a whole number"),
        (["frobnicate"], "invalid choice: 'frobnicate'"),
    ],
)
def test_bad_arguments_are_argparse_errors(argv, message, capsys):
    assert admin_tools.main(argv) == 2
    assert message in capsys.readouterr().err


# --------------------------------------------------------------------------- credentials


def test_email_flag_with_password_prompt(server, monkeypatch, capsys):
    monkeypatch.delenv("SHOP_ADMIN_EMAIL")
    monkeypatch.delenv("SHOP_ADMIN_PASSWORD")
    prompts = []

    def fake_getpass(prompt):
        prompts.append(prompt)
        return ADMIN_PASSWORD

    monkeypatch.setattr(operator_credentials.getpass, "getpass", fake_getpass)
    monkeypatch.setattr(operator_credentials, "stdin_is_terminal", lambda: True)
    assert run(server, "--email", ADMIN_EMAIL, "users") == 0
    assert prompts == [f"Password for {ADMIN_EMAIL}: "]


def test_without_email_the_admin_is_the_shops_default(server, monkeypatch, capsys):
    monkeypatch.delenv("SHOP_ADMIN_EMAIL")
    assert run(server, "users") == 0
    assert "admin@example.com" in capsys.readouterr().out


def test_no_password_and_no_terminal_is_a_one_line_error_exit_2(server):
    env = {k: v for k, v in os.environ.items() if not k.startswith("SHOP_ADMIN_")}
    result = subprocess.run([sys.executable, SCRIPT, "--base-url", server.url, "users"],
                            capture_output=True, text=True, timeout=30, env=env,
                            stdin=subprocess.DEVNULL)
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "SHOP_ADMIN_PASSWORD" in lines[0], result.stderr


def test_credentials_from_the_environment_in_a_subprocess(server):
    pid = product_id(server, 4)
    result = subprocess.run(
        [sys.executable, SCRIPT, "--base-url", server.api_url, "set-stock", str(pid), "11"],
        capture_output=True,
        text=True,
        timeout=30,
        env={**os.environ, "SHOP_ADMIN_EMAIL": ADMIN_EMAIL, "SHOP_ADMIN_PASSWORD": ADMIN_PASSWORD},
    )
    assert result.returncode == 0, result.stderr
    assert "stock" in result.stdout and "-> 11" in result.stdout
    assert api_get(server, f"/products/{pid}")["inventory_count"] == 11


# --------------------------------------------------------------------------- menu


def drive_menu(server, monkeypatch, capsys, answers, password=ADMIN_PASSWORD,
               email=ADMIN_EMAIL):
    """Run the interactive menu as ``email`` with ``answers`` typed on stdin and the
    password prompt patched."""
    monkeypatch.delenv("SHOP_ADMIN_EMAIL")
    monkeypatch.delenv("SHOP_ADMIN_PASSWORD")
    monkeypatch.setattr(operator_credentials.getpass, "getpass", lambda prompt: password)
    monkeypatch.setattr(operator_credentials, "stdin_is_terminal", lambda: True)
    monkeypatch.setattr("sys.stdin", __import__("io").StringIO("\n".join(answers) + "\n"))
    exit_code = admin_tools.main(["--base-url", server.url, "--email", email])
    captured = capsys.readouterr()
    return exit_code, captured.out + captured.err


def test_menu_runs_every_action(server, monkeypatch, capsys):
    register(server, "alice@example.com")
    pid = str(product_id(server, 5))
    answers = [
        "1",  # inventory
        "2", pid, "13",  # stock -> 13
        "3", pid, "25.50",  # price -> 25.50
        "4",  # users
        "5", "alice@example.com",  # promote
        "6", "alice@example.com",  # demote
        "6", ADMIN_EMAIL,  # demote yourself: the API's detail, and the menu goes on
        "2", pid, "-1",  # invalid stock: a message, nothing sent
        "9",  # unknown choice
        "q",
    ]  # fmt: skip
    exit_code, out = drive_menu(server, monkeypatch, capsys, answers)

    assert exit_code == 0
    product = api_get(server, f"/products/{pid}")
    assert product["inventory_count"] == 13
    assert product["price"] == "25.50"
    assert not is_admin(server, "alice@example.com")
    assert is_admin(server, ADMIN_EMAIL)
    assert all(p["name"] in out for p in api_get(server, "/products"))  # inventory table
    assert "alice@example.com is now an admin" in out
    assert "alice@example.com is no longer an admin" in out
    assert "Error: You cannot remove your own admin role" in out
    assert "Invalid value: must be at least 0" in out
    assert "Unknown choice '9'" in out
    assert out.count("7) Reset store") == 10  # the menu came back after every action


def test_menu_reset_needs_the_typed_confirmation(server, monkeypatch, capsys):
    register(server, "alice@example.com")
    answers = [
        "7",
        "yes",  # not the confirmation word: cancelled
        "4",
        "7",
        "RESET",  # confirmed
        "4",  # still logged in after the reset
    ]  # fmt: skip  (stdin ends: the menu exits cleanly on EOF)
    exit_code, out = drive_menu(server, monkeypatch, capsys, answers)

    assert exit_code == 0
    assert "Reset cancelled." in out
    assert "Store reset" in out
    assert out.count("alice@example.com") == 1  # listed before the reset, gone after
    assert [u["email"] for u in api_get(server, "/admin/users")] == [ADMIN_EMAIL]


def test_menu_exits_when_the_reset_removed_its_account(server, monkeypatch, capsys):
    register(server, "alice@example.com")
    assert run(server, "promote", "alice@example.com") == 0
    capsys.readouterr()
    answers = ["7", "RESET", "4"]
    exit_code, out = drive_menu(server, monkeypatch, capsys, answers, password="secret123",
                                email="alice@example.com")

    assert exit_code == 1
    assert "error: logged out by the reset: " in out
    assert out.count("7) Reset store") == 1  # no more menu after losing the session
