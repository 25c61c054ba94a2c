"""The files for running several processes (deploy/nginx/, the Procfile, the compose
profile `scale`) keep their promises: nginx accepts the configuration, it sends the
headers the shop sends for the storefront, and every port and address lines up."""

import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

import nginx_config
from shopapp.config import Config
from shopapp.web.security_headers import ALWAYS, STOREFRONT_CSP
from tests.support.nginx import nginx_command, require_nginx
from tests.support.system_tools import unavailable

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "deploy" / "nginx" / "shop.conf.template"
PLACEHOLDERS = {"SHOP_NGINX_LISTEN", "SHOP_STATIC_ROOT", "SHOP_UPSTREAMS_FILE"}


def template():
    return TEMPLATE.read_text()


def directives(name, text=None):
    """The arguments of every ``name ...;`` directive in the template."""
    pattern = re.compile(rf"^\s*{re.escape(name)}\s+([^;]*);", re.MULTILINE)
    return [match.group(1).strip() for match in pattern.finditer(text or template())]


def location_block(path):
    """The text of ``location <path> { ... }`` (no nested blocks in the template)."""
    match = re.search(rf"location {re.escape(path)} \{{(.*?)\n    \}}", template(), re.DOTALL)
    assert match, f"no `location {path}` in {TEMPLATE.name}"
    return match.group(1)


def added_headers(block):
    return {name.lower(): value.strip('"') for name, value in
            (re.match(r'(\S+)\s+(".*?"|\S+)', args).groups()
             for args in directives("add_header", block))}


def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def scale_services():
    return {name: service for name, service in compose()["services"].items()
            if "scale" in service.get("profiles", ())}


def test_rendered_configuration_is_accepted_by_nginx(tmp_path):
    binary = require_nginx()
    conf = nginx_config.write_config(
        tmp_path / "nginx", "127.0.0.1:8080", ["127.0.0.1:8001", "127.0.0.1:8002"])
    result = subprocess.run(nginx_command(binary, conf, "-t"), capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "${SHOP_" not in (conf.parent / "shop.conf").read_text()
    assert (conf.parent / "upstreams.conf").read_text().count("server 127.0.0.1:800") == 2


def test_template_placeholders_are_the_documented_ones():
    assert set(re.findall(r"\$\{([A-Z_]+)\}", template())) == PLACEHOLDERS


def test_body_limit_matches_the_shop():
    [limit] = directives("client_max_body_size")
    assert limit == f"{Config.MAX_CONTENT_LENGTH // 1024}k"


def test_slow_clients_are_cut_off_and_answers_buffered():
    for name in ("client_header_timeout", "client_body_timeout", "send_timeout"):
        [value] = directives(name)
        assert int(value.rstrip("s")) <= 30, f"{name} {value} lets a slow client linger"
    assert directives("proxy_buffering") == ["on"]
    assert "off" not in directives("proxy_request_buffering")


def test_upstream_keepalive_and_failover():
    upstream = re.search(r"upstream shop \{(.*?)\n\}", template(), re.DOTALL).group(1)
    assert directives("keepalive", upstream)
    assert directives("proxy_http_version") == ["1.1"]
    assert 'Connection ""' in directives("proxy_set_header")
    [next_upstream] = directives("proxy_next_upstream")
    assert "error" in next_upstream.split()
    # Resending a POST that reached a process could place an order twice.
    assert "non_idempotent" not in next_upstream


def test_forwarded_for_is_replaced_with_the_peer_address():
    assert "X-Forwarded-For $remote_addr" in directives("proxy_set_header")
    assert Config.SHOP_TRUSTED_PROXY is None, "trusting a proxy must stay opt-in"


@pytest.mark.parametrize("path, nginx_location", [("/app.js", "/"), ("/", "= /")])
def test_storefront_headers_are_the_shops(client, path, nginx_location):
    from_shop = client.get(path)
    assert from_shop.status_code == 200
    from_nginx = added_headers(location_block(nginx_location))
    for name in ("Cache-Control", "Content-Security-Policy", *(n for n, _ in ALWAYS)):
        if name in from_shop.headers:
            value = from_nginx.get(name.lower())
            if value and value.startswith("$shop_"):  # the map at the top of the template
                assert STOREFRONT_CSP in template()
                continue
            assert value == from_shop.headers[name], f"{path}: {name}"
    assert from_nginx["cache-control"] == "no-cache"


def test_scale_profile_has_nginx_three_replicas_postgres_and_redis():
    services = scale_services()
    replicas = {name: s for name, s in services.items() if "build" in s}
    assert len(replicas) == 3
    images = {str(s.get("image", "")).split(":")[0] for s in services.values()}
    assert {"nginx", "postgres", "redis"} <= images
    environments = [s["environment"] for s in replicas.values()]
    for key in ("DATABASE_URL", "REDIS_URL", "SHOP_TRUSTED_PROXY"):
        assert len({env[key] for env in environments}) == 1, f"replicas disagree on {key}"
    assert all("ports" not in s for s in replicas.values()), "only nginx may be published"
    upstreams = (ROOT / "deploy" / "nginx" / "upstreams.conf").read_text()
    named = set(re.findall(r"^server ([\w-]+):(\d+)", upstreams, re.MULTILINE))
    assert named == {(name, str(Config.SHOP_PORT)) for name in replicas}


def test_scale_nginx_fills_every_placeholder_with_mounted_files():
    [nginx] = [s for s in scale_services().values() if str(s["image"]).startswith("nginx")]
    env = nginx["environment"]
    assert PLACEHOLDERS <= set(env)
    mounts = {}
    for volume in nginx["volumes"]:
        source, target = volume.split(":")[:2]
        assert (ROOT / source).exists(), f"{source} is mounted but missing"
        mounts[target] = source
    template_target = "/etc/nginx/templates/default.conf.template"
    assert mounts[template_target] == "./deploy/nginx/shop.conf.template"
    assert mounts[env["SHOP_UPSTREAMS_FILE"]] == "./deploy/nginx/upstreams.conf"
    assert mounts[env["SHOP_STATIC_ROOT"]] == "./static"


def compose_command():
    if shutil.which("docker"):
        probe = subprocess.run(["docker", "compose", "version"], capture_output=True)
        if probe.returncode == 0:
            return ["docker", "compose"]
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    return None


def test_docker_compose_parses_the_scale_profile():
    command = compose_command()
    if command is None:
        unavailable("neither `docker compose` nor docker-compose is installed "
                    "(apt-get install docker-compose; .ci/run installs it)")
    result = subprocess.run([*command, "--profile", "scale", "config"], cwd=ROOT,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    parsed = yaml.safe_load(result.stdout)["services"]
    assert {"nginx", "redis", "postgres", "shop"} <= set(parsed)


def procfile():
    entries = {}
    for line in (ROOT / "Procfile").read_text().splitlines():
        match = re.match(r"^([A-Za-z0-9_-]+):\s*(.+)$", line)
        if match:
            entries[match.group(1)] = shlex.split(match.group(2))
    return entries


def test_procfile_nginx_forwards_to_every_shop_process():
    entries = procfile()
    nginx = entries.pop("nginx")
    ports, trusted = set(), set()
    for words in entries.values():
        assert "shop" in words and "serve" in words
        ports.add(words[words.index("--port") + 1])
        trusted |= {w.split("=", 1)[1] for w in words if w.startswith("SHOP_TRUSTED_PROXY=")}
    assert len(ports) == len(entries) >= 2
    upstreams = {nginx[i + 1] for i, word in enumerate(nginx) if word == "--upstream"}
    assert upstreams == {f"127.0.0.1:{port}" for port in ports}
    listen = nginx[nginx.index("--listen") + 1]
    assert trusted == {listen.rsplit(":", 1)[0]}, "the shop must trust nginx's address"
    assert "scripts/nginx_config.py" in nginx


def test_ci_installs_nginx():
    assert re.search(r"missing\+=\(nginx\)", (ROOT / ".ci" / "run").read_text())
