"""docs/openapi.yaml describes the server that runs.

(a) the spec's operations are exactly the served routes (`zhimian routes`), with the same
    permission (x-permission) and token security as the contract;
(b) real responses -- success and errors of the 400/401/403/404/409 families -- validate against
    the operation's response schema for their status (JSON Schema 2020-12, "#/components/..." refs
    resolved against the whole spec), and the request bodies the server accepts validate against
    the spec's request schemas;
(c) GET /api/v1/openapi.json serves docs/openapi.yaml.
"""

import json

import pytest
import requests
from jsonschema import Draft202012Validator, RefResolver

from authz_support import (ADMIN_EMAIL, ADMIN_PASSWORD, AUTHENTICATED, PUBLIC, ROLE_GRANTS,
                           ROUTE_TABLE, TOKEN_GRANTS, World, anonymous, create_token, demo_login, http_session,
                           load_spec, login_principal, matrix_principals, server_routes, token_principal,
                           unique)
from conftest import DEMO_PASSWORD, backends, demo_users, make_server

SPEC = load_spec()
HTTP_METHODS = ("get", "put", "post", "patch", "delete", "head", "options", "trace")
MISSING_ID = "01ARZ3NDEKTSV4RRFFQ69G5FAV"  # well-formed ULID that names nothing


def spec_operations(spec=SPEC):
    ops = {}
    for path, item in spec["paths"].items():
        for method in HTTP_METHODS:
            if method in item:
                ops[(method.upper(), path)] = item[method]
    return ops


# ----------------------------------------------------------------------------------------------
# (a) routes <-> spec


def test_every_route_is_in_the_spec_and_every_operation_is_served():
    served = {(m, p) for m, p, _ in server_routes()}
    documented = set(spec_operations())
    assert not sorted(served - documented), "served but not in docs/openapi.yaml"
    assert not sorted(documented - served), "in docs/openapi.yaml but not served (stale)"


def test_spec_permissions_match_the_contract():
    """x-permission of each operation names what api-resources.md (ROUTE_TABLE) requires, and the
    server declares the same; bearerToken is offered exactly where a token scope grants it."""
    served_access = {(m, p): a for m, p, a in server_routes()}
    token_perms = TOKEN_GRANTS["write"]
    problems = []
    for key, op in spec_operations().items():
        rule = ROUTE_TABLE[key]
        if op.get("x-permission") != rule.access:
            problems.append(f"{key}: x-permission {op.get('x-permission')!r}, contract "
                            f"{rule.access!r}")
        if served_access.get(key) != rule.access:
            problems.append(f"{key}: server declares {served_access.get(key)!r}, contract "
                            f"{rule.access!r}")
        schemes = {name for req in op.get("security", SPEC.get("security", [])) for name in req}
        if rule.access == PUBLIC:
            if schemes:
                problems.append(f"{key}: public operation lists security {schemes}")
            continue
        wants_bearer = rule.access == AUTHENTICATED or rule.access in token_perms
        if ("bearerToken" in schemes) != wants_bearer:
            problems.append(f"{key}: bearerToken listed={'bearerToken' in schemes}, a token "
                            f"may call it={wants_bearer}")
        if "sessionCookie" not in schemes:
            problems.append(f"{key}: sessionCookie not listed")
        unsafe = key[0] in ("POST", "PUT", "PATCH", "DELETE")
        cookie_reqs = [req for req in op.get("security", []) if "sessionCookie" in req]
        if unsafe and not all("csrfToken" in req for req in cookie_reqs):
            problems.append(f"{key}: unsafe operation without csrfToken next to sessionCookie")
    assert not problems, "\n".join(problems)


# ----------------------------------------------------------------------------------------------
# (c) the served spec


def test_served_spec_equals_docs_openapi_yaml(tmp_path):
    srv = make_server(tmp_path, demo=False).start()
    try:
        r = requests.get(srv.url + "/api/v1/openapi.json", timeout=10)
    finally:
        srv.stop()
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("application/json")
    served = r.json()
    assert served == SPEC, "the binary embeds a stale spec: rebuild after editing docs/openapi.yaml"
    assert served["openapi"].startswith("3.1")


# ----------------------------------------------------------------------------------------------
# (b) responses validate against the spec

_RESOLVER = RefResolver.from_schema(SPEC)


def _resolve(obj):
    while isinstance(obj, dict) and "$ref" in obj:
        obj = _RESOLVER.resolve(obj["$ref"])[1]
    return obj


def validate(schema, instance, what):
    validator = Draft202012Validator(schema, resolver=RefResolver.from_schema(SPEC),
                                     format_checker=Draft202012Validator.FORMAT_CHECKER)
    errors = sorted(validator.iter_errors(instance), key=lambda e: list(e.absolute_path))
    if errors:
        lines = [f"{what}: {len(errors)} schema error(s)"]
        for e in errors[:8]:
            lines.append(f"  at /{'/'.join(map(str, e.absolute_path))}: {e.message[:300]}")
        lines.append("  instance: " + json.dumps(instance, ensure_ascii=False)[:600])
        pytest.fail("\n".join(lines), pytrace=False)


class Checker:
    """Sends one request, checks its status, validates the response (and an accepted request
    body) against the spec, and records which (route, status) pairs were covered."""

    def __init__(self):
        self.covered = set()

    def __call__(self, principal, method, template, path, body=None, status=None, code=None,
                 raw=None, headers=None, csrf=True):
        op = spec_operations()[(method, template)]
        if raw is not None:
            h = {"Content-Type": "application/json"}
            h.update(headers or {})
            r = principal.send(method, path, data=raw, headers=h, csrf=csrf)
        else:
            r = principal.send(method, path, body, headers=headers, csrf=csrf)
        what = f"{principal.name} {method} {path} -> {r.status_code}"
        assert r.status_code == status, f"{what}, expected {status}: {r.text[:400]}"
        assert r.headers.get("X-Request-Id"), f"{what}: no X-Request-Id"
        responses = op["responses"]
        assert str(status) in responses, f"{what}: status {status} is not documented"
        response = _resolve(responses[str(status)])
        content = response.get("content")
        if not content:
            assert r.content == b"", f"{what}: documented without a body but has one"
        else:
            ctype = r.headers.get("Content-Type", "").split(";")[0].strip()
            assert ctype in content, f"{what}: Content-Type {ctype!r} not documented"
            schema = content[ctype]["schema"]
            instance = r.json() if ctype == "application/json" else r.text
            validate(schema, instance, what)
        if status < 300 and body is not None and "requestBody" in op:
            req_schema = _resolve(op["requestBody"])["content"]["application/json"]["schema"]
            validate(req_schema, body, f"request body of {method} {template} (accepted)")
        if code is not None:
            got = r.json()["error"]["code"]
            assert got == code, f"{what}: error code {got!r}, expected {code!r}"
        self.covered.add((method, template, status))
        return r


@pytest.fixture(scope="module", params=backends())
def api(request, tmp_path_factory):
    srv = make_server(tmp_path_factory.mktemp("openapi-" + request.param), request.param).start()
    try:
        world = World(srv)
        base = srv.url
        ps = matrix_principals(world, "spec")
        yield srv, world, ps
    finally:
        srv.stop()


def _needs_403(rule):
    """A 403 is reachable when some kind of principal lacks the permission."""
    if rule.access in (PUBLIC, AUTHENTICATED):
        return False
    grant_sets = list(ROLE_GRANTS.values()) + list(TOKEN_GRANTS.values())
    return any(rule.access not in g for g in grant_sets)


def test_responses_validate_against_the_spec(api):
    srv, w, ps = api
    check = Checker()
    admin, hr, mgr_a, mgr_b = ps["admin"], ps["hr"], ps["manager_a"], ps["manager_b"]
    auditor, anon, tok_r, tok_w = ps["auditor"], ps["anonymous"], ps["token_read"], ps["token_write"]

    # ---- system ----
    for path in ("/healthz", "/readyz", "/metrics", "/api/v1/openapi.json"):
        check(anon, "GET", path, path, status=200)

    # ---- auth ----
    t = "/api/v1/auth/login"
    hr2 = demo_users("hr")[1]["email"]
    check(anon, "POST", t, t, {"email": hr2, "password": DEMO_PASSWORD}, status=200)
    check(anon, "POST", t, t, {"email": hr2}, status=400, code="validation_failed")
    check(anon, "POST", t, t, raw="{\"email\": ", status=400, code="invalid_json")
    check(anon, "POST", t, t, raw=json.dumps({"email": hr2, "password": "x"}),
          headers={"Content-Type": "text/plain"}, status=415, code="unsupported_media_type")
    # Failed sign-ins come from their own client address so no other test is throttled.
    locked = w.create_user(role="auditor")
    stranger = anonymous(srv.url)
    stranger.http = http_session("127.0.0.61")
    for _ in range(5):
        check(stranger, "POST", t, t, {"email": locked["email"], "password": "Wrong-Passw0rd!"},
              status=401, code="invalid_credentials")
    check(stranger, "POST", t, t, {"email": locked["email"], "password": "Xh7#kLm9!pQr2"},
          status=429, code="too_many_requests")
    t = "/api/v1/auth/logout"
    throwaway = login_principal(srv.url, "hr-2nd", hr.email, hr.password)
    check(throwaway, "POST", t, t, status=204)
    check(anon, "POST", t, t, status=401, code="unauthenticated")
    check(hr, "POST", t, t, status=403, code="csrf_failed", csrf=False)
    t = "/api/v1/me"
    for p in (admin, mgr_a, tok_r):
        check(p, "GET", t, t, status=200)
    check(anon, "GET", t, t, status=401, code="unauthenticated")

    # ---- departments ----
    t = "/api/v1/departments"
    check(mgr_a, "GET", t, t + "?limit=2", status=200)
    check(admin, "GET", t, t + "?limit=0", status=400, code="validation_failed")
    check(admin, "GET", t, t + "?cursor=nonsense", status=400, code="validation_failed")
    check(anon, "GET", t, t, status=401)
    body = w.department_body()
    check(hr, "POST", t, t, body, status=201)
    check(hr, "POST", t, t, {"name": ""}, status=400, code="validation_failed")
    check(hr, "POST", t, t, {"name": unique("x"), "colour": "red"}, status=400,
          code="validation_failed")
    check(anon, "POST", t, t, w.department_body(), status=401)
    check(mgr_a, "POST", t, t, w.department_body(), status=403, code="forbidden")
    check(hr, "POST", t, t, {"name": w.dept_a_name}, status=409, code="conflict")
    t = "/api/v1/departments/{id}"
    p = f"/api/v1/departments/{w.dept_a}"
    check(tok_r, "GET", t, p, status=200)
    check(anon, "GET", t, p, status=401)
    check(admin, "GET", t, f"/api/v1/departments/{MISSING_ID}", status=404, code="not_found")
    check(admin, "GET", t, "/api/v1/departments/not-an-id", status=404, code="not_found")
    check(hr, "PATCH", t, p, {"description": "更新后的描述"}, status=200)
    check(hr, "PATCH", t, p, {"name": None}, status=400, code="validation_failed")
    check(anon, "PATCH", t, p, {"description": "x"}, status=401)
    check(auditor, "PATCH", t, p, {"description": "x"}, status=403)
    check(hr, "PATCH", t, f"/api/v1/departments/{MISSING_ID}", {"description": "x"},
          status=404)
    check(hr, "PATCH", t, p, {"name": w.dept_b_name}, status=409, code="conflict")
    check(hr, "DELETE", t, f"/api/v1/departments/{w.create_department()['id']}", status=204)
    check(anon, "DELETE", t, p, status=401)
    check(tok_w, "DELETE", t, p, status=403)
    check(hr, "DELETE", t, f"/api/v1/departments/{MISSING_ID}", status=404)
    check(hr, "DELETE", t, p, status=409, code="in_use")

    # ---- users ----
    t = "/api/v1/users"
    check(auditor, "GET", t, t, status=200)
    check(auditor, "GET", t, t + "?limit=500", status=400)
    check(anon, "GET", t, t, status=401)
    check(tok_r, "GET", t, t, status=403)
    body = w.user_body("manager")
    created = check(admin, "POST", t, t, body, status=201).json()
    check(admin, "POST", t, t, w.user_body(password="short"), status=400,
          code="validation_failed")
    check(admin, "POST", t, t, w.user_body("manager", department_ids=[]), status=400)
    check(anon, "POST", t, t, w.user_body(), status=401)
    check(hr, "POST", t, t, w.user_body(), status=403)
    # (the error code is pinned by test_duplicate_user_email_code)
    check(admin, "POST", t, t, w.user_body(email=body["email"]), status=409)
    t = "/api/v1/users/{id}"
    p = f"/api/v1/users/{created['id']}"
    check(mgr_a, "GET", t, p, status=200)
    check(anon, "GET", t, p, status=401)
    check(tok_w, "GET", t, p, status=403)
    check(admin, "GET", t, f"/api/v1/users/{MISSING_ID}", status=404)
    check(admin, "PATCH", t, p, {"name": "新名字", "department_ids": [w.dept_a, w.dept_b]},
          status=200)
    check(admin, "PATCH", t, p, {"status": "sleeping"}, status=400, code="validation_failed")
    check(admin, "PATCH", t, p, {"department_ids": []}, status=400, code="validation_failed")
    check(anon, "PATCH", t, p, {"name": "x"}, status=401)
    check(hr, "PATCH", t, p, {"name": "x"}, status=403)
    check(admin, "PATCH", t, f"/api/v1/users/{MISSING_ID}", {"name": "x"}, status=404)

    # ---- jobs ----
    t = "/api/v1/jobs"
    check(mgr_a, "GET", t, t, status=200)
    check(tok_r, "GET", t, t + "?limit=abc", status=400)
    check(anon, "GET", t, t, status=401)
    job = check(tok_w, "POST", t, t, w.job_body(), status=201).json()
    bad = w.job_body()
    bad["thresholds"] = {"recommend": 50, "review": 70}
    check(hr, "POST", t, t, bad, status=400, code="validation_failed")
    check(hr, "POST", t, t, dict(w.job_body(), department_id=MISSING_ID), status=400)
    check(anon, "POST", t, t, w.job_body(), status=401)
    check(mgr_a, "POST", t, t, w.job_body(), status=403)
    t = "/api/v1/jobs/{id}"
    p = f"/api/v1/jobs/{w.job_a}"
    check(mgr_a, "GET", t, p, status=200)
    check(anon, "GET", t, p, status=401)
    check(mgr_b, "GET", t, p, status=404, code="not_found")
    check(hr, "PATCH", t, f"/api/v1/jobs/{job['id']}", {"status": "open", "location": "北京"},
          status=200)
    check(hr, "PATCH", t, p, {"employment_type": "forever"}, status=400)
    check(anon, "PATCH", t, p, {"status": "open"}, status=401)
    check(tok_r, "PATCH", t, p, {"status": "open"}, status=403)
    check(hr, "PATCH", t, f"/api/v1/jobs/{MISSING_ID}", {"status": "open"}, status=404)
    check(hr, "DELETE", t, f"/api/v1/jobs/{w.create_job()['id']}", status=204)
    check(anon, "DELETE", t, p, status=401)
    check(mgr_a, "DELETE", t, p, status=403)
    check(hr, "DELETE", t, f"/api/v1/jobs/{MISSING_ID}", status=404)
    check(hr, "DELETE", t, p, status=409, code="in_use")
    t = "/api/v1/jobs/{id}/competency-model"
    p = f"/api/v1/jobs/{w.job_a}/competency-model"
    fresh_job = f"/api/v1/jobs/{job['id']}/competency-model"
    check(tok_r, "GET", t, p, status=200)
    check(anon, "GET", t, p, status=401)
    check(admin, "GET", t, fresh_job, status=404)  # no model before the first PUT
    check(mgr_b, "GET", t, p, status=404)
    check(hr, "PUT", t, fresh_job, w.model_put_body(), status=200)
    bad = w.model_put_body()
    bad["dimensions"][0]["weight"] += 10
    r = check(hr, "PUT", t, p, bad, status=400, code="validation_failed")
    assert any(d["field"].startswith("dimensions") for d in r.json()["error"]["details"])
    check(anon, "PUT", t, p, w.model_put_body(), status=401)
    check(auditor, "PUT", t, p, w.model_put_body(), status=403)
    check(hr, "PUT", t, f"/api/v1/jobs/{MISSING_ID}/competency-model", w.model_put_body(),
          status=404)
    t = "/api/v1/jobs/{id}/interview-plan"
    p = f"/api/v1/jobs/{w.job_a}/interview-plan"
    fresh_job = f"/api/v1/jobs/{job['id']}/interview-plan"
    check(mgr_a, "GET", t, p, status=200)
    check(anon, "GET", t, p, status=401)
    check(admin, "GET", t, fresh_job, status=404)
    q_new = w.create_question(job["id"])["id"]
    plan = {"sections": [{"key": "main", "title": "主体", "question_ids": [q_new]}],
            "reanswer_limit": 2, "answer_modes": ["text", "audio"], "expires_in_days": 14}
    check(tok_w, "PUT", t, fresh_job, plan, status=200)
    bad = {"sections": [{"key": "main", "title": "主体", "question_ids": [MISSING_ID]}]}
    check(hr, "PUT", t, p, bad, status=400, code="validation_failed")
    check(anon, "PUT", t, p, plan, status=401)
    check(mgr_a, "PUT", t, p, plan, status=403)
    check(hr, "PUT", t, f"/api/v1/jobs/{MISSING_ID}/interview-plan", plan, status=404)

    # ---- questions ----
    t = "/api/v1/questions"
    check(auditor, "GET", t, t + f"?job_id={w.job_a}&type=scenario", status=200)
    check(auditor, "GET", t, t + "?limit=-1", status=400)
    check(anon, "GET", t, t, status=401)
    scenario_q = w.question_body(w.job_a)
    scenario_q.update(type="scenario", scenario={"title": "客户投诉", "context": "客户来电投诉发货延迟。"})
    check(hr, "POST", t, t, scenario_q, status=201)
    check(hr, "POST", t, t, dict(w.question_body(), type="scenario"), status=400)
    check(anon, "POST", t, t, w.question_body(), status=401)
    check(tok_r, "POST", t, t, w.question_body(), status=403)
    t = "/api/v1/questions/{id}"
    p = f"/api/v1/questions/{w.question_a}"
    check(mgr_b, "GET", t, p, status=200)
    check(anon, "GET", t, p, status=401)
    check(hr, "GET", t, f"/api/v1/questions/{MISSING_ID}", status=404)
    check(hr, "PATCH", t, p, {"tags": ["核心"], "expected_length": {"min": 100, "max": 600}},
          status=200)
    check(hr, "PATCH", t, p, {"answer_seconds": 5}, status=400)
    check(anon, "PATCH", t, p, {"tags": []}, status=401)
    check(mgr_a, "PATCH", t, p, {"tags": []}, status=403)
    check(hr, "PATCH", t, f"/api/v1/questions/{MISSING_ID}", {"tags": []}, status=404)
    check(hr, "DELETE", t, f"/api/v1/questions/{w.create_question()['id']}", status=204)
    check(anon, "DELETE", t, p, status=401)
    check(auditor, "DELETE", t, p, status=403)
    check(hr, "DELETE", t, f"/api/v1/questions/{MISSING_ID}", status=404)
    in_plan = w.plan_a["sections"][0]["question_ids"][0]
    check(hr, "DELETE", t, f"/api/v1/questions/{in_plan}", status=409, code="in_use")

    # ---- candidates ----
    t = "/api/v1/candidates"
    check(admin, "GET", t, t + "?limit=3", status=200)
    check(mgr_a, "GET", t, t, status=200)  # masked
    check(admin, "GET", t, t + "?cursor=x", status=400)
    check(anon, "GET", t, t, status=401)
    check(auditor, "GET", t, t, status=403)
    body = w.candidate_body()
    cand = check(hr, "POST", t, t, body, status=201).json()
    check(hr, "POST", t, t, {"name": "无联系方式"}, status=400, code="validation_failed")
    check(anon, "POST", t, t, w.candidate_body(), status=401)
    check(mgr_a, "POST", t, t, w.candidate_body(), status=403)
    r = check(tok_w, "POST", t, t, dict(w.candidate_body(), email=body["email"].upper()),
              status=409, code="duplicate_candidate")
    assert cand["id"] in json.dumps(r.json()["error"]["details"])
    t = "/api/v1/candidates/{id}"
    p = f"/api/v1/candidates/{w.candidate_a}"
    check(hr, "GET", t, p, status=200)
    check(mgr_a, "GET", t, p, status=200)
    check(anon, "GET", t, p, status=401)
    check(auditor, "GET", t, p, status=403)
    check(mgr_b, "GET", t, p, status=404)
    check(hr, "PATCH", t, f"/api/v1/candidates/{cand['id']}", {"tags": ["复试"], "phone": None},
          status=200)
    check(hr, "PATCH", t, p, {"email": None, "phone": None}, status=400)
    check(anon, "PATCH", t, p, {"tags": []}, status=401)
    check(tok_r, "PATCH", t, p, {"tags": []}, status=403)
    check(hr, "PATCH", t, f"/api/v1/candidates/{MISSING_ID}", {"tags": []}, status=404)
    check(hr, "PATCH", t, p, {"email": body["email"]}, status=409, code="duplicate_candidate")
    check(hr, "DELETE", t, f"/api/v1/candidates/{w.create_candidate()['id']}", status=204)
    check(anon, "DELETE", t, p, status=401)
    check(mgr_a, "DELETE", t, p, status=403)
    check(hr, "DELETE", t, f"/api/v1/candidates/{MISSING_ID}", status=404)

    # ---- applications ----
    t = "/api/v1/applications"
    check(mgr_a, "GET", t, t + "?stage=new", status=200)
    check(tok_r, "GET", t, t + "?limit=201", status=400)
    check(anon, "GET", t, t, status=401)
    check(auditor, "GET", t, t, status=403)
    body = {"candidate_id": cand["id"], "job_id": w.job_a, "stage": "screening", "source": "官网"}
    check(hr, "POST", t, t, body, status=201)
    check(hr, "POST", t, t, {"candidate_id": cand["id"], "job_id": MISSING_ID}, status=400)
    check(anon, "POST", t, t, body, status=401)
    check(mgr_a, "POST", t, t, body, status=403)
    check(hr, "POST", t, t, body, status=409, code="duplicate_application")
    t = "/api/v1/applications/{id}"
    p = f"/api/v1/applications/{w.app_a}"
    check(mgr_a, "GET", t, p, status=200)
    check(anon, "GET", t, p, status=401)
    check(auditor, "GET", t, p, status=403)
    check(mgr_b, "GET", t, p, status=404)
    check(mgr_a, "PATCH", t, p, {"stage": "second_round"}, status=200)
    check(mgr_a, "PATCH", t, p, {"stage": "celebrating"}, status=400)
    check(anon, "PATCH", t, p, {"stage": "offer"}, status=401)
    check(tok_r, "PATCH", t, p, {"stage": "offer"}, status=403)
    check(mgr_b, "PATCH", t, p, {"stage": "offer"}, status=404)

    # ---- API tokens ----
    t = "/api/v1/api-tokens"
    check(admin, "GET", t, t, status=200)
    check(admin, "GET", t, t + "?limit=0", status=400)
    check(anon, "GET", t, t, status=401)
    check(hr, "GET", t, t, status=403)
    tok = check(admin, "POST", t, t, {"name": "EHR 同步", "scopes": ["read", "write"]},
                status=201).json()
    check(admin, "POST", t, t, {"name": "bad", "scopes": ["admin"]}, status=400)
    check(anon, "POST", t, t, {"name": "x", "scopes": ["read"]}, status=401)
    check(tok_w, "POST", t, t, {"name": "x", "scopes": ["read"]}, status=403)
    t = "/api/v1/api-tokens/{id}"
    check(admin, "DELETE", t, f"/api/v1/api-tokens/{tok['id']}", status=204)
    check(anon, "DELETE", t, f"/api/v1/api-tokens/{tok['id']}", status=401)
    check(auditor, "DELETE", t, f"/api/v1/api-tokens/{tok['id']}", status=403)
    check(admin, "DELETE", t, f"/api/v1/api-tokens/{MISSING_ID}", status=404)

    # ---- audit log ----
    t = "/api/v1/audit-log"
    # (api_token.create entries are pinned by test_audit_entries_of_token_creation_have_before)
    for target in ("job", "candidate", "application", "user", "department", "question"):
        check(auditor, "GET", t, t + f"?target_type={target}&limit=100", status=200)
    check(auditor, "GET", t, t + "?action=auth.login_failed", status=200)
    check(auditor, "GET", t, t + "?since=yesterday", status=400, code="validation_failed")
    check(anon, "GET", t, t, status=401)
    check(hr, "GET", t, t, status=403)

    # ---- coverage: every route's success; the error families of every create/update ----
    missing = []
    for (method, template), rule in ROUTE_TABLE.items():
        need = {rule.success}
        op = spec_operations()[(method, template)]
        if rule.access != PUBLIC:
            need.add(401)
        is_list = any(_resolve(x).get("name") == "limit" for x in op.get("parameters", []))
        if (method in ("POST", "PUT", "PATCH") and "requestBody" in op) or is_list:
            need.add(400)
        if _needs_403(rule):
            need.add(403)
        if "{id}" in template:
            need.add(404)
        if "409" in op["responses"]:
            need.add(409)
        for status in sorted(need):
            if (method, template, status) not in check.covered:
                missing.append(f"{method} {template} {status}")
    assert not missing, "responses never checked against the spec:\n" + "\n".join(missing)


def test_duplicate_user_email_code(api):
    _, w, ps = api
    body = w.user_body()
    assert ps["admin"].send("POST", "/api/v1/users", body).status_code == 201
    r = ps["admin"].send("POST", "/api/v1/users", dict(w.user_body(), email=body["email"]))
    assert r.status_code == 409
    assert r.json()["error"]["code"] == "conflict"


def test_audit_entries_of_token_creation_have_before(api):
    _, w, ps = api
    w.create_token()
    r = ps["auditor"].send("GET", "/api/v1/audit-log?action=api_token.create&limit=5")
    assert r.status_code == 200
    schema = {"$ref": "#/components/schemas/AuditEntry"}
    for entry in r.json()["items"]:
        validate(schema, entry, "api_token.create audit entry")


# ----------------------------------------------------------------------------------------------
# List filters: what the server supports is what the spec documents.

def _filters(w):
    """path -> {param: (value, predicate over one item)}; each filter is exercised for real."""
    a = w.admin
    cand_email = a.get(f"/api/v1/candidates/{w.candidate_a}").json()
    some_audit = a.get("/api/v1/audit-log?limit=1")  # admin has audit:read
    entry = some_audit.json()["items"][0]
    return {
        "/api/v1/users": {
            "role": ("manager", lambda u: u["role"] == "manager"),
            "department_id": (w.dept_a, lambda u: w.dept_a in u["department_ids"]),
            "status": ("active", lambda u: u["status"] == "active"),
        },
        "/api/v1/jobs": {
            "department_id": (w.dept_a, lambda j: j["department_id"] == w.dept_a),
            "status": ("open", lambda j: j["status"] == "open"),
            "q": ("经理", lambda j: "经理" in j["title"]),
        },
        "/api/v1/questions": {
            "job_id": (w.job_a, lambda q: q["job_id"] == w.job_a),
            "type": ("scenario", lambda q: q["type"] == "scenario"),
            "dimension_key": (w.model_a["dimensions"][0]["key"],
                              lambda q: w.model_a["dimensions"][0]["key"] in q["dimension_keys"]),
            "q": ("客户", lambda q: "客户" in (q["text"]["zh"] or "") + (q["text"]["en"] or "")),
        },
        "/api/v1/candidates": {
            "email": (cand_email["email"], lambda c: c["id"] == w.candidate_a),
            "phone": (cand_email["phone"], lambda c: c["id"] == w.candidate_a),
            "tag": (cand_email["tags"][0], lambda c: cand_email["tags"][0] in c["tags"]),
        },
        "/api/v1/applications": {
            "job_id": (w.job_a, lambda x: x["job_id"] == w.job_a),
            "department_id": (w.dept_a, lambda x: x["department_id"] == w.dept_a),
            "stage": ("hired", lambda x: x["stage"] == "hired"),
            "candidate_id": (w.candidate_a, lambda x: x["candidate_id"] == w.candidate_a),
        },
        "/api/v1/audit-log": {
            "actor_id": (entry["actor_id"], lambda e: e["actor_id"] == entry["actor_id"]),
            "target_type": (entry["target_type"],
                            lambda e: e["target_type"] == entry["target_type"]),
            "target_id": (entry["target_id"], lambda e: e["target_id"] == entry["target_id"]),
            "action": (entry["action"], lambda e: e["action"] == entry["action"]),
            "since": (entry["at"], lambda e: e["at"] >= entry["at"]),
            "until": ("2000-01-01T00:00:00Z", lambda e: False),
        },
        "/api/v1/departments": {},
        "/api/v1/api-tokens": {},
    }


def test_list_filters_are_documented_and_work(api):
    _, w, _ = api
    problems = []
    for path, filters in _filters(w).items():
        params = spec_operations()[("GET", path)].get("parameters", [])
        names = {_resolve(p)["name"] for p in params if _resolve(p)["in"] == "query"}
        names -= {"limit", "cursor"}
        if names != set(filters):
            problems.append(f"GET {path}: spec documents {sorted(names)}, server supports "
                            f"{sorted(filters)}")
        for name, (value, pred) in filters.items():
            r = w.admin.get(path, params={name: value, "limit": 200})
            assert r.status_code == 200, (path, name, r.text)
            items = r.json()["items"]
            if name != "until" and not items:
                problems.append(f"GET {path}?{name}={value}: no items (cannot tell it filters)")
            bad = [i for i in items if not pred(i)]
            if bad:
                problems.append(f"GET {path}?{name}={value}: {len(bad)} items do not match")
    assert not problems, "\n".join(problems)
