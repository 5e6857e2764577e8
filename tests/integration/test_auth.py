"""Staff sign-in, sessions, throttling, the password policy, disabled accounts and API tokens.

Failed sign-ins are throttled per account AND per client IP, so every test that fails a sign-in
does it from its own loopback address (127.0.0.x, see authz_support.next_client_ip) or on its own
server; 127.0.0.1 never collects failures.
"""

import re
import uuid

import pytest

from authz_support import (ADMIN_EMAIL, ADMIN_PASSWORD, ROLE_GRANTS, TOKEN_GRANTS, World,
                           all_pages, anonymous, create_token, demo_login, login_from,
                           login_principal, next_client_ip, token_principal)
from conftest import DEMO, DEMO_PASSWORD, backends, demo_users, make_server

LOGIN = "/api/v1/auth/login"
STRONG = "Qz7!mPx2#Lw9"


@pytest.fixture(scope="module", params=backends())
def world(request, tmp_path_factory):
    srv = make_server(tmp_path_factory.mktemp("auth-" + request.param), request.param).start()
    try:
        yield World(srv)
    finally:
        srv.stop()


def _code(r):
    return r.json()["error"]["code"]


def _cookie_parts(set_cookie):
    parts = [p.strip() for p in set_cookie.split(";")]
    name, value = parts[0].split("=", 1)
    attrs = {}
    for p in parts[1:]:
        k, _, v = p.partition("=")
        attrs[k.lower()] = v
    return name, value, attrs


# ----------------------------------------------------------------------------------------------
# Sign-in


def test_login_sets_an_http_only_lax_session_cookie(world):
    email = demo_users("hr")[0]["email"]
    r = login_from(world.base, email, DEMO_PASSWORD)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["user"]["email"] == email and body["user"]["role"] == "hr"
    assert body["user"]["last_login_at"]
    assert len(body["csrf_token"]) >= 16
    name, value, attrs = _cookie_parts(r.headers["Set-Cookie"])
    assert name == "zm_session" and len(value) >= 32
    assert "httponly" in attrs
    assert attrs.get("samesite") == "Lax"
    assert attrs.get("path") == "/"
    assert "secure" not in attrs, "plain-http sign-in must not mark the cookie Secure"
    assert int(attrs["max-age"]) > 0
    assert value not in r.text, "the session secret must only travel in the cookie"
    # The cookie signs the next request in.
    p = login_principal(world.base, "hr", email, DEMO_PASSWORD)
    me = p.send("GET", "/api/v1/me").json()
    assert me["user"]["email"] == email and me["csrf_token"] == p.csrf


def test_login_email_is_case_insensitive(world):
    email = demo_users("hr")[1]["email"]
    r = login_from(world.base, "  " + email.upper() + " ", DEMO_PASSWORD)
    assert r.status_code == 200, r.text
    assert r.json()["user"]["email"] == email


def test_wrong_password_and_unknown_email_get_the_same_401(world):
    ip = next_client_ip()
    email = demo_users("auditor")[1]["email"]
    wrong = login_from(world.base, email, "Wrong-Passw0rd!", ip)
    unknown = login_from(world.base, "nobody.here@xinghai.example", "Wrong-Passw0rd!", ip)
    assert wrong.status_code == unknown.status_code == 401
    assert _code(wrong) == "invalid_credentials"
    assert wrong.json() == unknown.json(), "the answer must not reveal which accounts exist"
    assert "Set-Cookie" not in wrong.headers and "Set-Cookie" not in unknown.headers


def test_account_lockout_after_five_failures(fresh_server):
    base = fresh_server.url
    victim = demo_users("hr")[2]["email"]
    ip_x, ip_y = next_client_ip(), next_client_ip()
    for i in range(5):
        r = login_from(base, victim, f"Wrong-Passw0rd-{i}!", ip_x)
        assert r.status_code == 401 and _code(r) == "invalid_credentials", (i, r.text)
    # The 6th attempt is refused even with the right password ...
    r = login_from(base, victim, DEMO_PASSWORD, ip_x)
    assert r.status_code == 429 and _code(r) == "too_many_requests", r.text
    assert "Set-Cookie" not in r.headers
    # ... and from another address too: the account itself is locked.
    r = login_from(base, victim, DEMO_PASSWORD, ip_y)
    assert r.status_code == 429 and _code(r) == "too_many_requests", r.text
    # Other accounts are not affected from a clean address.
    r = login_from(base, demo_users("hr")[0]["email"], DEMO_PASSWORD, ip_y)
    assert r.status_code == 200, r.text


def test_ip_lockout_across_accounts(fresh_server):
    base = fresh_server.url
    accounts = [u["email"] for u in DEMO["users"] if u["role"] in ("hr", "auditor")]
    ip_z, ip_w = next_client_ip(), next_client_ip()
    for email in accounts[:5]:  # one failure per account: no account reaches the limit
        r = login_from(base, email, "Wrong-Passw0rd!", ip_z)
        assert r.status_code == 401, r.text
    r = login_from(base, accounts[5], DEMO_PASSWORD, ip_z)
    assert r.status_code == 429 and _code(r) == "too_many_requests", r.text
    r = login_from(base, ADMIN_EMAIL, ADMIN_PASSWORD, ip_z)
    assert r.status_code == 429, r.text
    # The same accounts sign in from another address.
    for email in (accounts[5], accounts[0]):
        r = login_from(base, email, DEMO_PASSWORD, ip_w)
        assert r.status_code == 200, (email, r.text)


# ----------------------------------------------------------------------------------------------
# Sessions


def test_logout_ends_the_session(world):
    email = demo_users("manager")[2]["email"]
    p = login_principal(world.base, "mgr", email, DEMO_PASSWORD)
    other = login_principal(world.base, "mgr-2", email, DEMO_PASSWORD)
    assert p.send("GET", "/api/v1/me").status_code == 200
    r = p.send("POST", "/api/v1/auth/logout")
    assert r.status_code == 204, r.text
    name, value, attrs = _cookie_parts(r.headers["Set-Cookie"])
    assert name == "zm_session" and value == "" and attrs.get("max-age") == "0"
    r = p.send("GET", "/api/v1/me")
    assert r.status_code == 401 and _code(r) == "unauthenticated", r.text
    r = p.send("GET", "/api/v1/applications")
    assert r.status_code == 401
    r = p.send("PATCH", f"/api/v1/users/{world.patch_user}", {"name": "x"})
    assert r.status_code == 401
    # Only that session ended.
    assert other.send("GET", "/api/v1/me").status_code == 200


def test_me_permissions_match_the_role_grants(world):
    for role, grants in ROLE_GRANTS.items():
        for user in demo_users(role)[:1]:
            p = demo_login(world.base, user["email"])
            r = p.send("GET", "/api/v1/me")
            assert r.status_code == 200, r.text
            me = r.json()
            assert set(me["permissions"]) == set(grants), role
            assert len(me["permissions"]) == len(set(me["permissions"]))
            assert me["user"]["role"] == role and me["csrf_token"] == p.csrf
            if role == "manager":
                names = {d["name"]: d["id"] for d in all_pages(world.admin, "/api/v1/departments")}
                refs = {d["ref"]: names[d["name"]] for d in DEMO["departments"]}
                assert set(me["user"]["department_ids"]) == {refs[ref] for ref in
                                                             user["department_refs"]}
    me = world.admin.get("/api/v1/me").json()
    assert set(me["permissions"]) == set(ROLE_GRANTS["admin"])
    for scopes, grant in ((["read"], "read"), (["read", "write"], "write")):
        tok = token_principal(world.base, grant, create_token(world.admin, "me", scopes)["token"],
                              grant)
        r = tok.send("GET", "/api/v1/me")
        assert r.status_code == 200, r.text
        me = r.json()
        assert me["user"] is None
        assert set(me["permissions"]) == set(TOKEN_GRANTS[grant])
    assert anonymous(world.base).send("GET", "/api/v1/me").status_code == 401


def test_role_and_department_changes_apply_to_open_sessions(world):
    w = world
    body = w.user_body("hr")
    uid = w.create_user(**{k: v for k, v in body.items() if k != "role"})["id"]
    p = login_principal(w.base, "changing", body["email"], body["password"])
    assert p.send("GET", f"/api/v1/jobs/{w.job_a}").status_code == 200
    assert w.admin.patch(f"/api/v1/users/{uid}", json={"role": "auditor"}).status_code == 200
    me = p.send("GET", "/api/v1/me").json()
    assert set(me["permissions"]) == set(ROLE_GRANTS["auditor"])
    r = p.send("POST", "/api/v1/jobs", w.job_body())
    assert r.status_code == 403 and _code(r) == "forbidden"
    r = w.admin.patch(f"/api/v1/users/{uid}", json={"role": "manager",
                                                     "department_ids": [w.dept_b]})
    assert r.status_code == 200, r.text
    assert p.send("GET", f"/api/v1/jobs/{w.job_a}").status_code == 404
    assert p.send("GET", f"/api/v1/jobs/{w.job_b}").status_code == 200
    r = w.admin.patch(f"/api/v1/users/{uid}", json={"department_ids": [w.dept_a]})
    assert r.status_code == 200, r.text
    assert p.send("GET", f"/api/v1/jobs/{w.job_a}").status_code == 200
    assert p.send("GET", f"/api/v1/jobs/{w.job_b}").status_code == 404


# ----------------------------------------------------------------------------------------------
# Password policy


@pytest.mark.parametrize("password,why", [
    ("Ab1!xyz", "too short"),
    ("x" * 120 + "Ab1!xyz#Q", "too long"),
    ("abcdefghij12345", "two classes: lower + digit"),
    ("ABCDEFGHIJ!!!!!", "two classes: upper + symbol"),
    ("Li.Ming-2026!x", "contains the e-mail's local part"),
])
def test_password_policy_on_create_user(world, password, why):
    email = f"li.ming.{uuid.uuid4().hex[:6]}@example.com"
    if "local part" in why:
        password = email.split("@")[0].title() + "-2026!x"
    body = {"email": email, "name": "李明", "role": "hr", "password": password}
    r = world.admin.post("/api/v1/users", json=body)
    assert r.status_code == 400, (why, r.text)
    err = r.json()["error"]
    assert err["code"] == "validation_failed", why
    assert "password" in {d["field"] for d in err["details"]}, (why, err)
    assert password not in r.text, "the refused password is echoed back"
    assert email not in {u["email"] for u in all_pages(world.admin, "/api/v1/users")}


def test_password_policy_accepts_a_strong_password_and_applies_on_patch(world):
    email = f"wang.fang.{uuid.uuid4().hex[:6]}@example.com"
    r = world.admin.post("/api/v1/users", json={"email": email, "name": "王芳", "role": "auditor",
                                                "password": STRONG})
    assert r.status_code == 201, r.text
    assert "password" not in r.json()
    uid = r.json()["id"]
    r = world.admin.patch(f"/api/v1/users/{uid}", json={"password": "weakpassword"})
    assert r.status_code == 400 and _code(r) == "validation_failed"
    assert "password" in {d["field"] for d in r.json()["error"]["details"]}
    assert login_from(world.base, email, STRONG).status_code == 200


# ----------------------------------------------------------------------------------------------
# Disabled accounts


def test_disabled_user_cannot_sign_in_and_loses_the_session(fresh_server):
    w = World(fresh_server)
    email = f"zhou.qing.{uuid.uuid4().hex[:6]}@example.com"
    r = w.admin.post("/api/v1/users", json={"email": email, "name": "周青", "role": "hr",
                                            "password": STRONG})
    assert r.status_code == 201, r.text
    uid = r.json()["id"]
    p = login_principal(w.base, "zhou", email, STRONG)
    assert p.send("GET", "/api/v1/me").status_code == 200

    r = w.admin.patch(f"/api/v1/users/{uid}", json={"status": "disabled"})
    assert r.status_code == 200 and r.json()["status"] == "disabled", r.text
    r = p.send("GET", "/api/v1/me")
    assert r.status_code == 401 and _code(r) == "unauthenticated", r.text
    assert p.send("POST", "/api/v1/jobs", w.job_body()).status_code == 401
    ip = next_client_ip()
    disabled = login_from(w.base, email, STRONG, ip)
    wrong = login_from(w.base, email, "Wrong-Passw0rd!", ip)
    assert disabled.status_code == 401 and _code(disabled) == "invalid_credentials"
    assert disabled.json() == wrong.json(), "a disabled account must look like a wrong password"
    assert w.admin.get("/api/v1/users?status=disabled").json()["items"][0]["id"] == uid

    r = w.admin.patch(f"/api/v1/users/{uid}", json={"status": "active"})
    assert r.status_code == 200
    assert login_from(w.base, email, STRONG, next_client_ip()).status_code == 200


# ----------------------------------------------------------------------------------------------
# API tokens


def test_api_token_lifecycle(world):
    admin = world.admin
    r = admin.post("/api/v1/api-tokens", json={"name": "EHR 同步", "scopes": ["read"]})
    assert r.status_code == 201, r.text
    created = r.json()
    secret = created["token"]
    assert re.fullmatch(r"zmk_[A-Za-z0-9_-]{43}", secret), secret
    assert secret.startswith(created["prefix"]) and len(created["prefix"]) < len(secret) // 2
    assert created["scopes"] == ["read"] and created["revoked_at"] is None
    assert created["created_by"] == admin.get("/api/v1/me").json()["user"]["id"]
    # Scopes are ["read"] or ["read", "write"].
    for scopes in (["write"], [], ["admin"], ["read", "read"]):
        r = admin.post("/api/v1/api-tokens", json={"name": "bad", "scopes": scopes})
        assert r.status_code == 400 and _code(r) == "validation_failed", (scopes, r.text)
    w_secret = create_token(admin, "ATS 写入", ["read", "write"])
    assert w_secret["scopes"] == ["read", "write"]

    listing = admin.get("/api/v1/api-tokens?limit=200")
    assert listing.status_code == 200
    assert secret not in listing.text and w_secret["token"] not in listing.text
    items = {t["id"]: t for t in listing.json()["items"]}
    assert created["id"] in items and "token" not in items[created["id"]]

    reader = token_principal(world.base, "reader", secret, "read")
    assert reader.send("GET", "/api/v1/jobs").status_code == 200
    r = reader.send("POST", "/api/v1/jobs", world.job_body())
    assert r.status_code == 403 and _code(r) == "forbidden", r.text
    assert reader.send("GET", "/api/v1/users").status_code == 403
    assert reader.send("GET", "/api/v1/api-tokens").status_code == 403
    writer = token_principal(world.base, "writer", w_secret["token"], "write")
    assert writer.send("POST", "/api/v1/jobs", world.job_body()).status_code == 201
    used = {t["id"]: t for t in admin.get("/api/v1/api-tokens?limit=200").json()["items"]}
    assert used[created["id"]]["last_used_at"] is not None

    r = admin.delete(f"/api/v1/api-tokens/{created['id']}")
    assert r.status_code == 204, r.text
    r = reader.send("GET", "/api/v1/jobs")
    assert r.status_code == 401 and _code(r) == "unauthenticated", r.text
    after = {t["id"]: t for t in admin.get("/api/v1/api-tokens?limit=200").json()["items"]}
    assert after[created["id"]]["revoked_at"] is not None
    assert admin.delete(f"/api/v1/api-tokens/{created['id']}").status_code == 404
    # The other token still works.
    assert writer.send("GET", "/api/v1/jobs").status_code == 200


@pytest.mark.parametrize("authorization", [
    "Bearer zmk_" + "A" * 43, "Bearer not-a-token", "Basic YWRtaW46YWRtaW4=", "Bearer ",
])
def test_bad_bearer_credentials_are_401(world, authorization):
    r = anonymous(world.base).send("GET", "/api/v1/jobs", headers={"Authorization": authorization})
    assert r.status_code == 401 and _code(r) == "unauthenticated", r.text


# ----------------------------------------------------------------------------------------------
# Audit


def test_audit_log_records_sign_ins_and_never_secrets(world):
    base, admin = world.base, world.admin
    user = demo_users("hr")[1]
    uid = world.user_ids[user["email"]]
    ip = next_client_ip()
    wrong_pw = "Wr0ng-" + uuid.uuid4().hex
    unknown_pw = "Unkn0wn-" + uuid.uuid4().hex
    assert login_from(base, user["email"], wrong_pw, ip).status_code == 401
    assert login_from(base, "ghost@xinghai.example", unknown_pw, ip).status_code == 401
    ok = login_from(base, user["email"], DEMO_PASSWORD, ip)
    assert ok.status_code == 200
    session_secret, csrf = ok.cookies.get("zm_session"), ok.json()["csrf_token"]
    token_secret = create_token(admin, "audit probe", ["read", "write"])["token"]
    new_pw, changed_pw = "Cr3ate-" + uuid.uuid4().hex, "Ch4nge-" + uuid.uuid4().hex
    r = admin.post("/api/v1/users", json={"email": f"sun.li.{uuid.uuid4().hex[:6]}@example.com",
                                          "name": "孙丽", "role": "auditor", "password": new_pw})
    assert r.status_code == 201, r.text
    assert admin.patch(f"/api/v1/users/{r.json()['id']}",
                       json={"password": changed_pw}).status_code == 200

    auditor = demo_login(base, demo_users("auditor")[2]["email"])
    r = auditor.send("GET", "/api/v1/audit-log?action=auth.login_failed&limit=200")
    assert r.status_code == 200, r.text
    failed = [e for e in r.json()["items"] if e["ip"] == ip]
    assert len(failed) == 2, failed
    assert {e["target_id"] for e in failed} >= {uid}
    assert all(e["actor_type"] == "anonymous" and e["target_type"] == "user" for e in failed)
    r = auditor.send("GET", f"/api/v1/audit-log?action=auth.login&target_id={uid}&limit=200")
    logins = [e for e in r.json()["items"] if e["ip"] == ip]
    assert len(logins) == 1 and logins[0]["actor_id"] == uid and logins[0]["actor_type"] == "user"

    raw, cursor = "", None
    while True:
        r = auditor.send("GET", "/api/v1/audit-log?limit=200" + (f"&cursor={cursor}" if cursor
                                                                  else ""))
        assert r.status_code == 200
        raw += r.text
        cursor = r.json()["next_cursor"]
        if not cursor:
            break
    assert '"auth.login"' in raw and '"auth.login_failed"' in raw
    for what, secret in (("wrong password", wrong_pw), ("password of an unknown e-mail",
                                                        unknown_pw),
                         ("demo password", DEMO_PASSWORD), ("admin password", ADMIN_PASSWORD),
                         ("new user's password", new_pw), ("changed password", changed_pw),
                         ("API token secret", token_secret), ("session cookie", session_secret),
                         ("CSRF token", csrf)):
        assert secret not in raw, f"the audit log contains the {what}"
