"""Keep Dockerfile, docker-compose.yml and .dockerignore honest without a Docker engine.

Each test checks one promise the files make against the code they package: the command
they run exists, the port and the health route are the app's, every environment variable
they set is one the app reads.
"""

import ast
import configparser
import fnmatch
import importlib
import json
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.support.live_server import LiveServer

ROOT = Path(__file__).resolve().parents[2]
# Variables that configure Python and pip, not the shop.
TOOLING_ENV_PREFIXES = ("PYTHON", "PIP_")


# --------------------------------------------------------------------------- parsing


def dockerfile_instructions():
    """(INSTRUCTION, arguments) pairs, continuation lines joined and comments dropped."""
    instructions, pending = [], ""
    for raw in (ROOT / "Dockerfile").read_text().splitlines():
        line = raw.strip()
        if line.startswith("#") or (not line and not pending):
            continue
        if line.endswith("\\"):
            pending += line[:-1].strip() + " "
            continue
        keyword, _, arguments = (pending + line).partition(" ")
        instructions.append((keyword.upper(), arguments.strip()))
        pending = ""
    assert not pending, "the Dockerfile ends inside a continued line"
    return instructions


def instruction_args(keyword):
    return [args for name, args in dockerfile_instructions() if name == keyword]


def single(keyword):
    found = instruction_args(keyword)
    assert len(found) == 1, f"expected exactly one {keyword} in the Dockerfile, found {found}"
    return found[0]


def dockerfile_env():
    env = {}
    for args in instruction_args("ENV"):
        for token in shlex.split(args):
            name, sep, value = token.partition("=")
            assert sep, f"use ENV NAME=value, not the legacy form: {args!r}"
            env[name] = value
    return env


def exec_form(args):
    command = json.loads(args)
    assert isinstance(command, list) and all(isinstance(p, str) for p in command), args
    return command


def healthcheck_command():
    args = single("HEALTHCHECK")
    options, sep, command = args.partition("CMD ")
    assert sep, "HEALTHCHECK needs a CMD"
    return options, exec_form(command)


def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def shop_services():
    """Compose services that run the shop image (built from this Dockerfile)."""
    services = compose()["services"]
    return {name: s for name, s in services.items() if "build" in s}


def compose_environment(service):
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.partition("=")[::2] for item in env)
    return env


def env_names_read_by_the_app():
    """Every literal name the shopapp package reads from the environment.

    Finds ``os.environ.get("X")``, ``os.getenv("X")``, ``os.environ["X"]`` and the config
    helpers ``env_int("X", ...)`` / ``env_bool("X", ...)`` (any function named ``env_*``).
    """
    names = set()
    for path in (ROOT / "shopapp").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Call) and node.args:
                func = node.func
                func_name = (
                    func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                )
                reads_env = func_name in ("getenv", "get") and "environ" in ast.unparse(func)
                reads_env = reads_env or func_name == "getenv" or func_name.startswith("env_")
                first = node.args[0]
                if reads_env and isinstance(first, ast.Constant) and isinstance(first.value, str):
                    names.add(first.value)
            elif isinstance(node, ast.Subscript) and ast.unparse(node.value) == "os.environ":
                if isinstance(node.slice, ast.Constant):
                    names.add(node.slice.value)
    return names


def default_port():
    """SHOP_PORT's default in shopapp/config.py (``env_int("SHOP_PORT", 8000)``)."""
    tree = ast.parse((ROOT / "shopapp" / "config.py").read_text())
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and len(node.args) >= 2
            and isinstance(node.args[0], ast.Constant)
            and node.args[0].value == "SHOP_PORT"
        ):
            return int(ast.literal_eval(node.args[1]))
    raise AssertionError("shopapp/config.py has no SHOP_PORT default")


def console_scripts():
    parser = configparser.ConfigParser()
    parser.read(ROOT / "setup.cfg")
    lines = parser["options.entry_points"]["console_scripts"].strip().splitlines()
    return dict(
        (name.strip(), target.strip()) for name, _, target in (ln.partition("=") for ln in lines)
    )


def exposed_port():
    [port] = single("EXPOSE").split()
    return int(port.split("/")[0])


@pytest.fixture(scope="module")
def app_routes(tmp_path_factory, request):
    """The URL rules of an app built by the factory, on a throwaway SQLite database."""
    instance = tmp_path_factory.mktemp("docker-files-instance")
    monkeypatch = pytest.MonkeyPatch()
    request.addfinalizer(monkeypatch.undo)
    monkeypatch.setenv("SHOP_INSTANCE_PATH", str(instance))
    from shopapp import create_app

    app = create_app(
        {"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{instance / 'shop.db'}"}
    )
    return app, {rule.rule for rule in app.url_map.iter_rules()}


# --------------------------------------------------------------------------- Dockerfile


def test_base_image_is_python_311_slim():
    assert instruction_args("FROM")[-1].split()[0] == "python:3.11-slim"


def test_package_is_installed_not_editable_with_the_postgres_driver():
    installs = [args for args in instruction_args("RUN") if "pip install" in args]
    assert installs, "the Dockerfile never runs pip install"
    for args in installs:
        assert not re.search(r"(^|\s)(-e|--editable)(\s|$)", args), args
    assert any("[postgres]" in args for args in installs), (
        "compose's postgres profile needs psycopg"
    )
    extras = configparser.ConfigParser()
    extras.read(ROOT / "setup.cfg")
    assert "psycopg" in extras["options.extras_require"]["postgres"]


def test_dependencies_come_from_the_hash_checked_run_lock():
    installs = [args for args in instruction_args("RUN") if "pip install" in args]
    assert any("--require-hashes -r /tmp/src/requirements/run.txt" in args for args in installs)
    # The package itself must not resolve anything the lock did not pin.
    package_installs = [args for args in installs if "/tmp/src[" in args]
    assert package_installs and all("--no-deps" in args for args in package_installs)


def test_runs_as_a_non_root_user_before_the_command():
    order = [name for name, _ in dockerfile_instructions()]
    users = instruction_args("USER")
    assert users, "the container would run as root"
    assert users[-1].split(":")[0] not in ("root", "0")
    assert max(i for i, name in enumerate(order) if name == "USER") < order.index("CMD")


def test_cmd_is_a_console_script_of_the_package(app_routes):
    command = exec_form(single("CMD"))
    assert command[:2] == ["shop", "serve"]
    scripts = console_scripts()
    assert command[0] in scripts, f"{command[0]!r} is not in setup.cfg console_scripts"
    module_path, _, function = scripts[command[0]].partition(":")
    module_file = ROOT.joinpath(*module_path.split("."))
    assert module_file.with_suffix(".py").exists() or (module_file / "__init__.py").exists()
    assert callable(getattr(importlib.import_module(module_path), function))
    app, _ = app_routes
    assert command[1] in app.cli.list_commands(None), f"no {command[1]!r} command"


def test_exposed_port_is_the_default_port():
    assert exposed_port() == default_port() == 8000
    assert int(dockerfile_env().get("SHOP_PORT", default_port())) == exposed_port()


def test_healthcheck_probes_a_real_route_with_python(app_routes):
    options, command = healthcheck_command()
    assert "--interval=" in options and "--timeout=" in options
    assert command[:2] == ["python", "-c"], "slim images have no curl: use python's urllib"
    code = command[2]
    compile(code, "<healthcheck>", "exec")  # valid Python
    [path] = re.findall(r"'(/[\w/-]*)'", code)
    _, routes = app_routes
    assert path in routes
    assert path == "/healthz"
    [port] = re.findall(r"'SHOP_PORT', '(\d+)'", code)
    assert int(port) == exposed_port()


@pytest.mark.live
def test_healthcheck_command_passes_against_a_live_server(tmp_path):
    """Run the exact HEALTHCHECK command; SHOP_PORT points it at the test server's port."""
    _, command = healthcheck_command()
    with LiveServer(tmp_path) as server:
        env = {"SHOP_PORT": str(server.port), "PATH": ""}
        healthy = subprocess.run([sys.executable, *command[1:]], env=env, timeout=30)
    assert healthy.returncode == 0
    unhealthy = subprocess.run([sys.executable, *command[1:]], env=env, timeout=30)
    assert unhealthy.returncode != 0  # the server is gone


def test_instance_folder_is_a_volume_the_app_uses():
    env = dockerfile_env()
    instance = env.get("SHOP_INSTANCE_PATH")
    assert instance, "set SHOP_INSTANCE_PATH so the database lands in the volume"
    volumes = [v for args in instruction_args("VOLUME") for v in json.loads(args)]
    assert instance in volumes
    chowns = [args for args in instruction_args("RUN") if "chown" in args and instance in args]
    assert chowns, f"{instance} must belong to the non-root user"


def test_storefront_is_copied_where_the_app_looks():
    static = dockerfile_env().get("SHOP_STATIC_FOLDER")
    assert static, "an installed package has no static/ beside it: set SHOP_STATIC_FOLDER"
    copies = [args.split() for args in instruction_args("COPY")]
    assert ["static", static] in copies


def test_dockerfile_env_names_are_config_keys():
    names = {n for n in dockerfile_env() if not n.startswith(TOOLING_ENV_PREFIXES)}
    unknown = names - env_names_read_by_the_app()
    assert not unknown, f"the app never reads {sorted(unknown)}"


def test_copied_files_exist_and_are_not_dockerignored():
    ignored = [
        line.strip().rstrip("/")
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    for args in instruction_args("COPY"):
        *sources, _destination = args.split()
        for source in (s for s in sources if not s.startswith("--")):
            assert (ROOT / source).exists(), f"COPY {source}: no such file"
            hits = [pattern for pattern in ignored if fnmatch.fnmatch(source, pattern)]
            assert not hits, f"COPY {source} but .dockerignore excludes it ({hits})"
    for private in (".git", "instance", "*.db", ".venv"):
        assert private in ignored, f".dockerignore should exclude {private}"


# --------------------------------------------------------------------------- compose


def test_compose_runs_the_shop_on_8000_with_a_named_volume():
    spec = compose()
    shop = spec["services"]["shop"]
    assert f"8000:{exposed_port()}" in [str(p) for p in shop["ports"]]
    assert "profiles" not in shop, "the default service must start without a profile"
    instance = dockerfile_env()["SHOP_INSTANCE_PATH"]
    mounts = dict(v.split(":")[:2][::-1] for v in shop["volumes"])
    assert mounts[instance] in spec["volumes"], "mount a named volume on the instance folder"


def test_compose_postgres_profile():
    services = compose()["services"]
    [database] = [s for s in services.values() if str(s.get("image", "")).startswith("postgres")]
    assert database["image"] == "postgres:16"
    assert "postgres" in database["profiles"]
    database_name = next(name for name, s in services.items() if s is database)
    on_postgres = [
        (name, s) for name, s in shop_services().items()
        if "DATABASE_URL" in compose_environment(s) and "postgres" in s.get("profiles", ())
    ]
    assert len(on_postgres) == 1
    name, shop = on_postgres[0]
    assert shop["profiles"] == ["postgres"]
    url = compose_environment(shop)["DATABASE_URL"]
    assert url.startswith("postgresql+psycopg://")
    assert f"@{database_name}:5432/" in url, "point DATABASE_URL at the compose service"
    assert database_name in shop["depends_on"]
    host_ports = [str(p).split(":")[0] for s in services.values() for p in s.get("ports", ())]
    assert len(host_ports) == len(set(host_ports)), "two services publish the same host port"


def test_compose_env_names_are_config_keys():
    known = env_names_read_by_the_app()
    assert {"DATABASE_URL", "SHOP_PORT", "SHOP_INSTANCE_PATH", "ADMIN_PASSWORD"} <= known
    for name, service in shop_services().items():
        unknown = set(compose_environment(service)) - known
        assert not unknown, f"service {name} sets {sorted(unknown)}, which the app never reads"


def test_compose_builds_this_dockerfile():
    for service in shop_services().values():
        assert service["build"] in (".", {"context": "."})
