"""The command line: help, exit codes, migrate, demo, backup, first-start admin password,
configuration precedence and the master key file."""

import os
import pathlib
import re
import signal
import sqlite3
import stat
import subprocess
import threading
import time

import pytest
import requests

from conftest import free_port
from robustness_support import (ADMIN_EMAIL, BIN, DEMO_PASSWORD, PG_URL, Server, quick_client,  # noqa: F401
                                admin_client, demo_template, list_all, new_pg_database, server_copy,
                                unique_email)

COMMANDS = ["serve", "worker", "migrate", "demo", "audit", "backup", "train"]


def base_env(**extra):
    """The environment without any ZHIMIAN_* setting of the test runner, plus `extra`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ZHIMIAN_")}
    env.update({"ZHIMIAN_ADMIN_EMAIL": ADMIN_EMAIL, "ZHIMIAN_ADMIN_PASSWORD": "Zhimian-Test-2026!"})
    env.update(extra)
    return env


def cli(*args, env=None, cwd=None, timeout=120):
    return subprocess.run([BIN, *args], env=env or base_env(), cwd=cwd, capture_output=True, text=True,
                          timeout=timeout)


# ---------------------------------------------------------------------------- help and exit codes


@pytest.mark.parametrize("args", [["--help"], ["help"]])
def test_top_level_help(args):
    r = cli(*args)
    assert r.returncode == 0, r.stderr
    assert "Usage: zhimian <command>" in r.stdout
    for cmd in COMMANDS:
        assert cmd in r.stdout


@pytest.mark.parametrize("cmd", COMMANDS)
def test_command_help(cmd):
    r = cli(cmd, "--help")
    assert r.returncode == 0, r.stderr
    assert f"Usage: zhimian {cmd}" in r.stdout, r.stdout
    assert "--data-dir" in r.stdout and "--db" in r.stdout


def test_unknown_command_exits_2():
    r = cli("frobnicate")
    assert r.returncode == 2
    assert "unknown command" in r.stderr and "frobnicate" in r.stderr
    assert "Usage: zhimian <command>" in r.stderr + r.stdout


def test_no_command_exits_2_with_usage():
    r = cli()
    assert r.returncode == 2
    assert "Usage: zhimian <command>" in r.stdout + r.stderr


@pytest.mark.parametrize("args", [["audit"], ["audit", "check"], ["backup"], ["train"]])
def test_incomplete_command_exits_2(args, tmp_path):
    r = cli(*args, "--data-dir", str(tmp_path / "d"))
    assert r.returncode == 2
    assert "Usage:" in r.stdout + r.stderr


def test_option_without_value_exits_2():
    r = cli("migrate", "--data-dir")
    assert r.returncode == 2
    assert "--data-dir" in r.stderr


def test_unknown_option_exits_2(tmp_path):
    r = cli("migrate", "--data-dir", str(tmp_path / "d"), "--bogus")
    assert r.returncode == 2, r.stdout + r.stderr
    assert "--bogus" in r.stderr


# ---------------------------------------------------------------------------- migrate


def schema_of(db):
    con = sqlite3.connect(str(db))
    try:
        tables = sorted(r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'"))
        versions = con.execute("SELECT version FROM schema_migrations ORDER BY version").fetchall()
        return tables, versions
    finally:
        con.close()


def test_migrate_fresh_and_idempotent(tmp_path):
    data = tmp_path / "data"
    r = cli("migrate", "--data-dir", str(data))
    assert r.returncode == 0, r.stderr
    assert "latest schema" in r.stdout
    first = schema_of(data / "zhimian.db")
    assert {"candidates", "audit_log", "jobs", "schema_migrations"} <= set(first[0])
    assert first[1], "no migration recorded"
    for _ in range(2):
        r = cli("migrate", "--data-dir", str(data))
        assert r.returncode == 0, r.stderr
        assert schema_of(data / "zhimian.db") == first
    # An explicit --db URL works the same.
    other = tmp_path / "other.db"
    r = cli("migrate", "--data-dir", str(tmp_path / "keys"), "--db", f"sqlite:{other}")
    assert r.returncode == 0, r.stderr
    assert schema_of(other) == first


def test_migrate_unreachable_database_fails(tmp_path):
    r = cli("migrate", "--data-dir", str(tmp_path / "d"), "--db", "postgresql://nobody:x@127.0.0.1:1/none",
            timeout=60)
    assert r.returncode != 0
    assert r.stderr.strip()


# ---------------------------------------------------------------------------- demo


def count_rows(db, table):
    con = sqlite3.connect(str(db))
    try:
        return con.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
    finally:
        con.close()


def test_demo_on_non_empty_database_fails(demo_template, tmp_path):
    srv = server_copy(demo_template, tmp_path / "data")
    before = count_rows(srv.data_dir / "zhimian.db", "candidates")
    r = srv.run_cli("demo")
    assert r.returncode != 0
    assert "already" in r.stderr or "not empty" in r.stderr, r.stderr
    assert count_rows(srv.data_dir / "zhimian.db", "candidates") == before


def test_demo_prints_the_shared_password(tmp_path):
    r = cli("demo", "--data-dir", str(tmp_path / "data"))
    assert r.returncode == 0, r.stderr
    assert "demo organisation loaded" in r.stdout
    assert DEMO_PASSWORD in r.stdout


# ---------------------------------------------------------------------------- backup


def test_backup_of_a_live_database(demo_template, tmp_path):
    srv = server_copy(demo_template, tmp_path / "data").start()
    stop = threading.Event()
    written = []
    try:
        adm = admin_client(srv)

        def writer():  # keeps writing while the backup runs
            c = admin_client(srv)
            while not stop.is_set():
                r = c.post("/api/v1/candidates", json={"name": "备份期间", "email": unique_email()})
                assert r.status_code == 201
                written.append(r.json()["id"])

        t = threading.Thread(target=writer)
        t.start()
        time.sleep(0.3)
        out = tmp_path / "backups" / "zhimian-backup.db"
        r = srv.run_cli("backup", "--out", str(out))
        stop.set()
        t.join()
        assert r.returncode == 0, r.stderr
        assert str(out) in r.stdout
        assert written
        con = sqlite3.connect(str(out))
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        n_backup = con.execute("SELECT COUNT(*) FROM candidates").fetchone()[0]
        con.close()
        assert not pathlib.Path(str(out) + "-wal").exists()
        n_api = len(list_all(adm, "/api/v1/candidates"))
        # The backup is a consistent snapshot taken while writes went on.
        assert n_api - len(written) <= n_backup <= n_api
        # Quiet now: a second backup holds exactly what the API shows.
        out2 = tmp_path / "backups" / "second.db"
        assert srv.run_cli("backup", "--out", str(out2)).returncode == 0
        assert count_rows(out2, "candidates") == n_api
    finally:
        stop.set()
        srv.stop()
    # The backup plus the master key is a working data dir.
    restored = tmp_path / "restored"
    restored.mkdir()
    (restored / "zhimian.db").write_bytes(out2.read_bytes())
    key = restored / "master.key"
    key.write_bytes((srv.data_dir / "master.key").read_bytes())
    key.chmod(0o600)
    again = Server(restored, demo=False).start()
    try:
        adm = admin_client(again)
        cands = list_all(adm, "/api/v1/candidates")
        assert len(cands) == n_api
        got = adm.get(f"/api/v1/candidates/{written[-1]}")
        assert got.status_code == 200 and got.json()["name"] == "备份期间"
    finally:
        again.stop()
    v = again.run_cli("audit", "verify")
    assert v.returncode == 0, v.stdout + v.stderr


def test_backup_onto_the_database_itself_is_refused(demo_template, tmp_path):
    srv = server_copy(demo_template, tmp_path / "data")
    r = srv.run_cli("backup", "--out", str(srv.data_dir / "zhimian.db"))
    assert r.returncode != 0
    assert "itself" in r.stderr
    assert count_rows(srv.data_dir / "zhimian.db", "candidates") > 0


@pytest.mark.skipif(not PG_URL, reason="ZHIMIAN_TEST_PG_URL not set")
def test_backup_on_postgres_points_to_pg_dump(tmp_path):
    url = new_pg_database()
    r = cli("backup", "--out", str(tmp_path / "x.db"), "--data-dir", str(tmp_path / "d"), "--db", url)
    assert r.returncode != 0
    assert "pg_dump" in r.stdout + r.stderr
    assert not (tmp_path / "x.db").exists()


# ---------------------------------------------------------------------------- first start


PASSWORD_LINE = re.compile(r"password:\s+(\S+)")


def test_first_start_prints_generated_admin_password_once(tmp_path):
    srv = Server(tmp_path / "data", demo=False, env={"ZHIMIAN_ADMIN_PASSWORD": ""})
    log = srv.data_dir / "server.log"
    srv.start()
    try:
        text = log.read_text(errors="replace")
        found = PASSWORD_LINE.findall(text)
        assert len(found) == 1, text[:2000]
        password = found[0]
        assert len(password) >= 10
        c = quick_client(srv)
        c.login(ADMIN_EMAIL, password)
        assert c.get("/api/v1/me").json()["user"]["role"] == "admin"
        r = quick_client(srv).s.post(srv.url + "/api/v1/auth/login",
                                   json={"email": ADMIN_EMAIL, "password": "Zhimian-Test-2026!"})
        assert r.status_code == 401
    finally:
        assert srv.stop() == 0
    # Not logged in the structured log lines, not stored in clear.
    for line in log.read_text(errors="replace").splitlines():
        if line.startswith("{"):
            assert password not in line
    assert password.encode() not in (srv.data_dir / "zhimian.db").read_bytes()

    size = log.stat().st_size
    srv.start()
    try:
        later = log.read_bytes()[size:].decode(errors="replace")
        assert "serving on" in later
        assert not PASSWORD_LINE.search(later), later
        assert password not in later
        quick_client(srv).login(ADMIN_EMAIL, password)
    finally:
        srv.stop()


# ---------------------------------------------------------------------------- configuration


def serve(args, env, cwd=None, port=None, timeout=20):
    """Starts `zhimian serve` with exactly these args; waits until it answers on `port`."""
    proc = subprocess.Popen([BIN, "serve", *args], env=env, cwd=cwd, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise AssertionError("serve exited: " + proc.stdout.read().decode(errors="replace"))
        try:
            if requests.get(f"http://127.0.0.1:{port}/readyz", timeout=1).status_code == 200:
                return proc
        except requests.RequestException:
            pass
        time.sleep(0.05)
    proc.kill()
    raise AssertionError(f"not serving on port {port}")


def stop(proc):
    proc.send_signal(signal.SIGTERM)
    try:
        return proc.wait(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()


def refuses(port):
    try:
        requests.get(f"http://127.0.0.1:{port}/healthz", timeout=1)
        return False
    except requests.ConnectionError:
        return True


def test_config_file_env_and_flags_precedence(tmp_path):
    p_file, p_env, p_flag = free_port(), free_port(), free_port()
    data = tmp_path / "from-config"
    cfg = tmp_path / "zhimian.toml"
    cfg.write_text(f'data_dir = "{data}"\nlog_level = "warn"\n\n[server]\nlisten = "127.0.0.1:{p_file}"\n'
                   f"threads = 4\n", encoding="utf-8")

    # Config file alone: its listen address and data dir are used.
    proc = serve(["--config", str(cfg)], base_env(), port=p_file)
    try:
        assert (data / "zhimian.db").exists() and (data / "master.key").exists()
        assert refuses(p_env)
    finally:
        assert stop(proc) == 0
    # ZHIMIAN_LISTEN beats the file.
    proc = serve(["--config", str(cfg)], base_env(ZHIMIAN_LISTEN=f"127.0.0.1:{p_env}"), port=p_env)
    try:
        assert refuses(p_file)
    finally:
        assert stop(proc) == 0
    # --listen beats the environment.
    proc = serve(["--config", str(cfg), "--listen", f"127.0.0.1:{p_flag}"],
                 base_env(ZHIMIAN_LISTEN=f"127.0.0.1:{p_env}"), port=p_flag)
    try:
        assert refuses(p_env) and refuses(p_file)
    finally:
        assert stop(proc) == 0
    # zhimian.toml in the working directory is read without --config.
    proc = serve([], base_env(), cwd=tmp_path, port=p_file)
    try:
        r = requests.post(f"http://127.0.0.1:{p_file}/api/v1/auth/login",
                          json={"email": ADMIN_EMAIL, "password": "Zhimian-Test-2026!"})
        assert r.status_code == 200
    finally:
        assert stop(proc) == 0


def test_env_listen_without_config(tmp_path):
    port = free_port()
    proc = serve(["--data-dir", str(tmp_path / "d")], base_env(ZHIMIAN_LISTEN=f"127.0.0.1:{port}"),
                 cwd=tmp_path, port=port)
    assert stop(proc) == 0


@pytest.mark.parametrize("content,needle", [
    ("[server\nlisten = 1", "config"),
    ('[server]\nlisten = "no-port"', "listen"),
    ("[server]\nthreads = 0", "threads"),
])
def test_bad_config_file_fails_clearly(tmp_path, content, needle):
    cfg = tmp_path / "bad.toml"
    cfg.write_text(content)
    r = cli("migrate", "--config", str(cfg), "--data-dir", str(tmp_path / "d"))
    assert r.returncode == 2, r.stdout + r.stderr
    assert needle in r.stderr.lower(), r.stderr


def test_missing_config_file_fails(tmp_path):
    r = cli("migrate", "--config", str(tmp_path / "nope.toml"), "--data-dir", str(tmp_path / "d"))
    assert r.returncode == 2
    assert "nope.toml" in r.stderr


def test_bad_listen_env_fails(tmp_path):
    r = cli("serve", "--data-dir", str(tmp_path / "d"), env=base_env(ZHIMIAN_LISTEN="127.0.0.1:99999"))
    assert r.returncode == 2
    assert "port" in r.stderr


# ---------------------------------------------------------------------------- master key


def test_master_key_is_created_0600(tmp_path):
    data = tmp_path / "data"
    r = cli("migrate", "--data-dir", str(data))
    assert r.returncode == 0, r.stderr
    key = data / "master.key"
    mode = stat.S_IMODE(key.stat().st_mode)
    assert mode == 0o600, oct(mode)
    content = key.read_bytes()
    assert 40 <= len(content.strip()) <= 64  # one line of base64 for 32 bytes
    # The key stays the same across runs.
    assert cli("migrate", "--data-dir", str(data)).returncode == 0
    assert key.read_bytes() == content


def test_loose_master_key_permissions_are_refused(tmp_path):
    data = tmp_path / "data"
    assert cli("migrate", "--data-dir", str(data)).returncode == 0
    (data / "master.key").chmod(0o644)
    r = cli("serve", "--data-dir", str(data), "--listen", f"127.0.0.1:{free_port()}", timeout=30)
    assert r.returncode != 0
    assert "chmod 600" in r.stderr, r.stderr
