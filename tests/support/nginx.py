"""nginx in front of shop processes, from deploy/nginx/, for live and tooling tests.

Usage::

    with Nginx(tmp_path / "nginx", ["127.0.0.1:8001", "127.0.0.1:8002"]) as proxy:
        requests.get(proxy.api_url + "/products")

The configuration is written by scripts/nginx_config.py into the folder given (pid file,
logs and temporary files there too), so nginx runs as any user on a free port.
``nginx_binary()`` finds Debian's nginx; ``require_nginx()`` skips a test without it, and
fails it in CI (``.ci/run`` installs nginx), where a missing nginx is a broken setup.
"""

import shutil
import socket
import subprocess
import time
from pathlib import Path

import nginx_config
from tests.support.live_server import free_port
from tests.support.system_tools import unavailable

SBIN_NGINX = Path("/usr/sbin/nginx")


def nginx_binary():
    found = shutil.which("nginx")
    if found:
        return found
    return str(SBIN_NGINX) if SBIN_NGINX.exists() else None


def require_nginx():
    binary = nginx_binary()
    if binary is None:
        unavailable("nginx is not installed (apt-get install nginx; .ci/run installs it)")
    return binary


def nginx_command(binary, conf, *extra):
    """nginx with its prefix, error log and configuration inside ``conf``'s folder."""
    folder = conf.parent
    return [binary, "-p", str(folder), "-e", str(folder / "error.log"), "-c", conf.name,
            *extra]


class Nginx:
    def __init__(self, folder, upstreams):
        self.folder = Path(folder)
        self.upstreams = list(upstreams)
        self.binary = require_nginx()
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.api_url = self.url + "/api/v1"
        self.process = None

    def write_config(self):
        return nginx_config.write_config(self.folder, f"127.0.0.1:{self.port}", self.upstreams)

    def start(self, timeout=15):
        conf = self.write_config()
        self.process = subprocess.Popen(nginx_command(self.binary, conf, "-g", "daemon off;"),
                                        stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"nginx exited early:\n{self.error_log()}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return self
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"nginx did not listen on {self.port}:\n{self.error_log()}")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()  # SIGTERM: nginx's fast shutdown
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def error_log(self):
        path = self.folder / "error.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
