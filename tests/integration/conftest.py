"""Shared fixtures: real `zhimian serve` processes on 127.0.0.1 with fresh data dirs.

Environment:
  ZHIMIAN_BIN          the server binary (default: build/zhimian)
  ZHIMIAN_TEST_PG_URL  a PostgreSQL server URL (scripts/pg-test-cluster.sh); when set, the
                       `backend` fixture also runs tests on PostgreSQL, each server on a new
                       database.
Run with Debian's python: /usr/bin/python3 -m pytest tests/integration
"""

import json
import os
import pathlib
import signal
import socket
import subprocess
import tempfile
import time
import urllib.parse
import uuid

import pytest
import requests

ROOT = pathlib.Path(__file__).resolve().parents[2]
BIN = os.environ.get("ZHIMIAN_BIN", str(ROOT / "build" / "zhimian"))
PG_URL = os.environ.get("ZHIMIAN_TEST_PG_URL", "")
ADMIN_EMAIL = "admin@example.com"
ADMIN_PASSWORD = "Zhimian-Test-2026!"
DEMO = json.loads((ROOT / "src" / "cli" / "demo_data.json").read_text(encoding="utf-8"))
DEMO_PASSWORD = DEMO["demo_password"]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def new_pg_database():
    """Creates an empty database on the test cluster; returns its URL."""
    name = "zm_" + uuid.uuid4().hex[:12]
    subprocess.run(["psql", PG_URL, "-v", "ON_ERROR_STOP=1", "-qc", f"CREATE DATABASE {name}"],
                   check=True, capture_output=True)
    parts = urllib.parse.urlsplit(PG_URL)
    return urllib.parse.urlunsplit(parts._replace(path="/" + name))


class Server:
    """One server process. Logs go to <data_dir>/server.log."""

    def __init__(self, data_dir, db_url=None, demo=True, env=None, extra_args=()):
        self.data_dir = pathlib.Path(data_dir)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.db_url = db_url
        self.demo = demo
        self.env = dict(os.environ)
        # No in-process job workers unless a test asks for them (env={"ZHIMIAN_JOB_WORKERS":
        # "1"}): background automation would move applications on while a test looks at them.
        self.env.update({"ZHIMIAN_ADMIN_EMAIL": ADMIN_EMAIL,
                         "ZHIMIAN_ADMIN_PASSWORD": ADMIN_PASSWORD,
                         "ZHIMIAN_WEB_DIR": str(self.data_dir / "no-web"),
                         "ZHIMIAN_JOB_WORKERS": "0"})
        self.env.update(env or {})
        self.extra_args = list(extra_args)
        self.port = None
        self.proc = None

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def cli_args(self):
        args = ["--data-dir", str(self.data_dir)]
        if self.db_url:
            args += ["--db", self.db_url]
        return args

    def start(self, timeout=120):  # generous: CI machines are shared and --demo hashes passwords
        self.port = free_port()
        args = [BIN, "serve", "--listen", f"127.0.0.1:{self.port}"] + self.cli_args()
        if self.demo:
            args.append("--demo")
        self.log = open(self.data_dir / "server.log", "ab")
        self.proc = subprocess.Popen(args + self.extra_args, env=self.env, stdout=self.log,
                                     stderr=subprocess.STDOUT)
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("server exited with %s; log:\n%s" % (
                    self.proc.returncode, (self.data_dir / "server.log").read_text(errors="replace")[-4000:]))
            try:
                if requests.get(self.url + "/readyz", timeout=1).status_code == 200:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.05)
        raise RuntimeError("server did not become ready")

    def stop(self, sig=signal.SIGTERM, timeout=30):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode if self.proc else None

    def kill(self):
        return self.stop(signal.SIGKILL)

    def run_cli(self, *args, check=False):
        """Runs another subcommand (migrate, audit verify, backup ...) on the same database."""
        return subprocess.run([BIN, *args, *self.cli_args()], env=self.env, capture_output=True,
                              text=True, check=check, timeout=120)


class Client:
    """An HTTP client acting as one principal (session cookie + CSRF, bearer token, or nobody)."""

    def __init__(self, base_url, token=None):
        self.base = base_url
        self.s = requests.Session()
        self.csrf = None
        if token:
            self.s.headers["Authorization"] = "Bearer " + token

    def login(self, email, password):
        r = self.s.post(self.base + "/api/v1/auth/login", json={"email": email, "password": password})
        assert r.status_code == 200, r.text
        self.csrf = r.json()["csrf_token"]
        return r

    def request(self, method, path, **kw):
        headers = kw.pop("headers", {})
        if self.csrf and method.upper() in ("POST", "PUT", "PATCH", "DELETE"):
            headers.setdefault("X-CSRF-Token", self.csrf)
        return self.s.request(method, self.base + path, headers=headers, timeout=30, **kw)

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, **kw):
        return self.request("POST", path, **kw)

    def put(self, path, **kw):
        return self.request("PUT", path, **kw)

    def patch(self, path, **kw):
        return self.request("PATCH", path, **kw)

    def delete(self, path, **kw):
        return self.request("DELETE", path, **kw)


def demo_users(role):
    return [u for u in DEMO["users"] if u["role"] == role]


def backends():
    return ["sqlite", "postgres"] if PG_URL else ["sqlite"]


def make_server(tmp_path, backend="sqlite", **kw):
    db_url = new_pg_database() if backend == "postgres" else None
    return Server(tmp_path / "data", db_url=db_url, **kw)


@pytest.fixture(params=backends())
def backend(request):
    return request.param


@pytest.fixture
def fresh_server(tmp_path, backend):
    """A new server with the demo organisation, on each available backend; stopped afterwards."""
    srv = make_server(tmp_path, backend).start()
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def demo_server(tmp_path_factory):
    """One shared demo server on SQLite for tests that do not depend on a pristine state."""
    srv = Server(tmp_path_factory.mktemp("demo") / "data").start()
    yield srv
    srv.stop()


@pytest.fixture
def admin(demo_server):
    c = Client(demo_server.url)
    c.login(ADMIN_EMAIL, ADMIN_PASSWORD)
    return c


def login_as(server, email, password=None):
    c = Client(server.url)
    c.login(email, password or DEMO_PASSWORD)
    return c
