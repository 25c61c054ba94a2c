"""A real waitress server in a subprocess, for integration, browser and tooling tests.

Usage::

    with LiveServer(tmp_path) as server:       # fresh seeded SQLite database in tmp_path
        requests.get(server.api_url + "/products")

``database_url`` points it at another database (PostgreSQL); ``env`` adds variables;
``command`` serves another way (default ``python -m shopapp serve``; ``{port}`` is filled
in); ``ready_status`` is the /healthz status that counts as started.
"""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

from tests.support.accounts import ADMIN_EMAIL, ADMIN_PASSWORD, login_headers

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PortTaken(RuntimeError):
    pass


class LiveServer:
    SHOP_SERVE = (sys.executable, "-m", "shopapp", "serve")

    def __init__(self, workdir, database_url=None, env=None, threads=8, command=None,
                 ready_status=200):
        self.workdir = Path(workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.database_url = database_url or f"sqlite:///{self.workdir / 'shop.db'}"
        self.log_path = self.workdir / "server.log"
        self.env = {
            **os.environ,
            "DATABASE_URL": self.database_url,
            "SHOP_INSTANCE_PATH": str(self.workdir / "instance"),
            "SHOP_HOST": "127.0.0.1",
            "SHOP_THREADS": str(threads),
            "RATELIMIT_ENABLED": "false",
            "PYTHONUNBUFFERED": "1",
            **(env or {}),
        }
        self.process = None
        self.command = command or self.SHOP_SERVE
        self.ready_status = ready_status
        self._use_port(free_port())

    def _use_port(self, port):
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.api_url = self.url + "/api/v1"
        self.env["SHOP_PORT"] = str(port)

    def start(self, timeout=60, attempts=3):
        """Start and wait for /healthz; a port taken meanwhile by another process is retried."""
        for attempt in range(attempts):
            try:
                return self._start_once(timeout)
            except PortTaken:
                if attempt == attempts - 1:
                    raise
                self._use_port(free_port())

    def _start_once(self, timeout):
        log_start = len(self.log())
        self._log = open(self.log_path, "ab")
        self.process = subprocess.Popen(
            [part.format(port=self.port) for part in self.command],
            cwd=PROJECT_ROOT,
            env=self.env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self._log.close()
                this_run = self.log()[log_start:]
                if "Address already in use" in this_run:
                    raise PortTaken(self.port)
                raise RuntimeError(f"server exited early:\n{this_run}")
            try:
                health = requests.get(self.url + "/healthz", timeout=1)
                if health.status_code == self.ready_status:
                    return self
            except requests.ConnectionError:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"server did not become healthy:\n{self.log()}")

    def stop(self, kill=False):
        if self.process and self.process.poll() is None:
            if kill:
                self.process.kill()
            else:
                self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if getattr(self, "_log", None):
            self._log.close()

    def admin_headers(self):
        return login_headers(self.api_url, ADMIN_EMAIL, ADMIN_PASSWORD)

    def reset_store(self):
        """Empty and reseed the database (for servers on a shared PostgreSQL database)."""
        response = requests.post(self.api_url + "/admin/reset", headers=self.admin_headers(),
                                 timeout=60)
        response.raise_for_status()

    def log(self):
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
