"""Helpers and fixtures for the robustness suites (bad input, PII at rest, audit, durability, CLI).

Import the fixtures you need into a test module (`from robustness_support import demo_template`);
pytest picks up fixtures that are module globals.

`demo_template` loads the demo organisation once per session into a stopped data dir; `server_copy`
starts a new server on a private copy of it (about 0.1 s instead of ~3 s for a fresh demo load).
"""

import contextlib
import pathlib
import random
import shutil
import uuid

import pytest

from conftest import (ADMIN_EMAIL, ADMIN_PASSWORD, BIN, DEMO, DEMO_PASSWORD, PG_URL, Client,
                      Server, demo_users, login_as, make_server, new_pg_database)

__all__ = [
    "ADMIN_EMAIL", "ADMIN_PASSWORD", "BIN", "DEMO", "DEMO_PASSWORD", "PG_URL", "Client", "Server",
    "demo_users", "login_as", "make_server", "new_pg_database",
    "assert_error", "detail_fields", "list_all", "snapshot", "audit_head_seq", "nothing_stored",
    "demo_template", "server_copy", "admin_client", "quick_client", "staff_client", "unique", "unique_email", "unique_phone",
    "national_id", "resident_id_check_digit", "files_under", "sqlite_query",
]

DB_FILES = ("zhimian.db", "zhimian.db-wal", "zhimian.db-shm", "master.key")


# ---------------------------------------------------------------------------- error shape


def assert_error(r, status, code=None, field=None, fields=None, request_id=True):
    """Checks the DESIGN §5 error shape and returns the `error` object.

    status: the expected HTTP status (or a collection of acceptable ones);
    code: the expected error code; field: a path that must appear in details;
    fields: the exact list of detail paths (order-insensitive)."""
    statuses = status if isinstance(status, (set, tuple, list, frozenset)) else {status}
    assert r.status_code in statuses, f"expected {status}, got {r.status_code}: {r.text[:500]}"
    assert r.status_code < 500
    ctype = r.headers.get("Content-Type", "")
    assert ctype.startswith("application/json"), f"error body is {ctype!r}: {r.text[:200]}"
    body = r.json()
    assert isinstance(body, dict) and set(body) == {"error"}, body
    err = body["error"]
    assert {"code", "message", "details"} <= set(err), err
    assert isinstance(err["code"], str) and err["code"], err
    assert isinstance(err["message"], str) and err["message"].strip(), err
    assert isinstance(err["details"], list), err
    for d in err["details"]:
        assert isinstance(d, dict) and isinstance(d.get("field"), str) and isinstance(
            d.get("message"), str) and d["message"].strip(), err
    if code is not None:
        assert err["code"] == code, err
    if field is not None:
        assert field in detail_fields(err), f"no detail for {field!r}: {err}"
    if fields is not None:
        assert sorted(detail_fields(err)) == sorted(fields), err
    if request_id:
        assert r.headers.get("X-Request-Id"), "error response without X-Request-Id"
    return err


def detail_fields(err):
    return [d["field"] for d in err["details"]]


# ---------------------------------------------------------------------------- state snapshots


def list_all(client, path, limit=200):
    """Every item of a paginated list (follows next_cursor)."""
    items, cursor = [], None
    sep = "&" if "?" in path else "?"
    for _ in range(1000):
        url = f"{path}{sep}limit={limit}" + (f"&cursor={cursor}" if cursor else "")
        r = client.get(url)
        assert r.status_code == 200, (url, r.status_code, r.text[:300])
        page = r.json()
        items += page["items"]
        cursor = page["next_cursor"]
        if not cursor:
            return items
    raise AssertionError("pagination does not end: " + path)


def snapshot(client, path):
    """A comparable picture of one resource: all pages of a list, or one document (status + body)."""
    r = client.get(path)
    if r.status_code == 200 and isinstance(r.json(), dict) and "items" in r.json():
        return ("list", list_all(client, path))
    return ("doc", r.status_code, r.text)


def audit_head_seq(admin):
    r = admin.get("/api/v1/audit-log?limit=1")
    assert r.status_code == 200, r.text
    items = r.json()["items"]
    return items[0]["seq"] if items else 0


@contextlib.contextmanager
def nothing_stored(admin, *paths):
    """Asserts that the listed resources and the audit log's head are the same after the block."""
    before = {p: snapshot(admin, p) for p in paths}
    seq = audit_head_seq(admin)
    yield
    assert audit_head_seq(admin) == seq, "a refused request wrote to the audit log"
    for p in paths:
        assert snapshot(admin, p) == before[p], f"{p} changed after a refused request"


# ---------------------------------------------------------------------------- servers


_TEMPLATE = {}


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory):
    """A stopped SQLite data dir holding the demo organisation (zhimian.db + master.key).

    Made once per test process: each module that imports this fixture gets its own fixture
    definition, so the cache lives here rather than in pytest's session scope."""
    if "data" not in _TEMPLATE:
        data = tmp_path_factory.mktemp("demo-template") / "data"
        srv = Server(data).start()
        rc = srv.stop()
        assert rc == 0, f"template server exited with {rc}"
        _TEMPLATE["data"] = data
    return _TEMPLATE["data"]


def server_copy(template, dest, **kw):
    """A (not yet started) Server on a private copy of a template data dir."""
    dest = pathlib.Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    for name in DB_FILES:
        src = pathlib.Path(template) / name
        if src.exists():
            shutil.copy2(src, dest / name)
    kw.setdefault("demo", False)
    return Server(dest, **kw)


def quick_client(srv, token=None):
    """A Client that closes its connection after every request. An idle keep-alive connection
    holds up the server's exit after SIGTERM by the keep-alive timeout (5 s; pinned as a bug in
    test_durability.py), which would slow down every test that stops a server."""
    c = Client(srv.url, token=token)
    c.s.headers["Connection"] = "close"
    return c


def admin_client(srv):
    c = quick_client(srv)
    c.login(ADMIN_EMAIL, ADMIN_PASSWORD)
    return c


def staff_client(srv, email, password=None):
    c = quick_client(srv)
    c.login(email, password or DEMO_PASSWORD)
    return c


# ---------------------------------------------------------------------------- data


def unique(prefix=""):
    return prefix + uuid.uuid4().hex[:10]


def unique_email(prefix="cand"):
    return f"{prefix}.{uuid.uuid4().hex[:12]}@example.com"


def unique_phone():
    """A random mainland mobile number, 11 digits starting with 13x/15x/18x."""
    return random.choice(["139", "158", "186", "137"]) + "".join(
        random.choice("0123456789") for _ in range(8))


def resident_id_check_digit(first17):
    """ISO 7064 MOD 11-2 check character of a mainland resident ID (GB 11643-1999)."""
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    assert len(first17) == 17 and first17.isdigit()
    total = sum(int(c) * w for c, w in zip(first17, weights))
    return "10X98765432"[total % 11]


def national_id(region="110105", birth="19880514"):
    """A checksum-valid 18-character resident ID with a random sequence number."""
    first17 = region + birth + "".join(random.choice("0123456789") for _ in range(3))
    return first17 + resident_id_check_digit(first17)


# ---------------------------------------------------------------------------- low level


def files_under(root):
    return sorted(p for p in pathlib.Path(root).rglob("*") if p.is_file())


def sqlite_query(db_path, sql, params=()):
    import sqlite3
    con = sqlite3.connect(str(db_path))
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()
