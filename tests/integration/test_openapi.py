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

from authz_support import (ADMIN_EMAIL, ADMIN_PASSWORD, AUTHENTICATED, FAKE_INTERVIEW_TOKEN,
                           PUBLIC, ROLE_GRANTS, ROUTE_TABLE, TOKEN_GRANTS, World, all_pages,
                           anonymous, create_token, demo_login, http_session, load_spec,
                           login_principal, matrix_principals, server_routes, token_principal,
                           unique)
from conftest import DEMO_PASSWORD, backends, demo_users, make_server
import models_support
import notify_support
import workspace_support
import jobs_support

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

    # ---- interviews: HR invites (job A has a competency model and an interview plan) ----
    app = w.create_application()["id"]
    t = "/api/v1/applications/{id}/invitation"
    p = f"/api/v1/applications/{app}/invitation"
    check(hr, "POST", t, p, {"expires_in_days": 91}, status=400, code="validation_failed")
    check(hr, "POST", t, p, {"expires_in_days": 7, "channel": "sms"}, status=400,
          code="validation_failed")
    check(hr, "POST", t, p, raw="{\"expires_in_days\": ", status=400, code="invalid_json")
    check(hr, "POST", t, p, raw="{}", headers={"Content-Type": "text/plain"}, status=415,
          code="unsupported_media_type")
    check(anon, "POST", t, p, {}, status=401, code="unauthenticated")
    check(mgr_a, "POST", t, p, {}, status=403, code="forbidden")
    check(hr, "POST", t, f"/api/v1/applications/{MISSING_ID}/invitation", {}, status=404)
    inv = check(hr, "POST", t, p, {"expires_in_days": 10}, status=201).json()
    assert inv["status"] == "invited" and inv["link"].endswith("/interview/" + inv["token"])
    check(tok_w, "POST", t, p, status=409, code="interview_exists")  # the body is optional
    no_plan_app = w.create_application(w.create_job()["id"])["id"]
    check(hr, "POST", t, f"/api/v1/applications/{no_plan_app}/invitation", status=409,
          code="plan_missing")
    token = inv["token"]
    cp = f"/api/v1/interview/{token}"
    fake = f"/api/v1/interview/{FAKE_INTERVIEW_TOKEN}"

    # ---- the candidate, before consenting ----
    t = "/api/v1/interview/{token}"
    ov = check(anon, "GET", t, cp, status=200).json()
    assert ov["status"] == "invited" and ov["consent"]["given"] is False
    check(hr, "GET", t, cp, status=200)  # staff credentials are neither needed nor used
    check(anon, "GET", t, fake, status=404, code="not_found")
    check(anon, "GET", t, "/api/v1/interview/not-a-token", status=404, code="not_found")
    t_current = "/api/v1/interview/{token}/current"
    t_draft = "/api/v1/interview/{token}/questions/{position}/draft"
    t_answer = "/api/v1/interview/{token}/questions/{position}/answers"
    t_follow = "/api/v1/interview/{token}/questions/{position}/follow-up"
    t_next = "/api/v1/interview/{token}/questions/{position}/next"
    t_events = "/api/v1/interview/{token}/events"
    t_finish = "/api/v1/interview/{token}/finish"
    t_report = "/api/v1/interview/{token}/report"
    t_review = "/api/v1/interview/{token}/review-request"
    for method, tt, suffix, body in (
            ("GET", t_current, "/current", None),
            ("PUT", t_draft, "/questions/0/draft", {"text": "草稿"}),
            ("POST", t_answer, "/questions/0/answers", {"text": "回答"}),
            ("POST", t_follow, "/questions/0/follow-up", {"text": "补充"}),
            ("POST", t_next, "/questions/0/next", None),
            ("POST", t_events, "/events", {"kind": "tab_hidden"}),
            ("POST", t_finish, "/finish", None)):
        check(anon, method, tt, cp + suffix, body, status=409, code="consent_required")
    t = "/api/v1/interview/{token}/consent"
    check(anon, "POST", t, cp + "/consent", dict(w.consent_body(), consent_version="1999-01-v0"),
          status=400, code="validation_failed")
    check(anon, "POST", t, cp + "/consent", dict(w.consent_body(), accept=False), status=400,
          code="validation_failed")
    check(anon, "POST", t, cp + "/consent", {"accept": True}, status=400)
    check(anon, "POST", t, cp + "/consent", raw="[", status=400, code="invalid_json")
    check(anon, "POST", t, cp + "/consent", raw=json.dumps(w.consent_body()),
          headers={"Content-Type": "text/plain"}, status=415, code="unsupported_media_type")
    check(anon, "POST", t, fake + "/consent", w.consent_body(), status=404, code="not_found")
    ov = check(anon, "POST", t, cp + "/consent", w.consent_body(), status=200).json()
    assert ov["status"] == "in_progress" and ov["consent"]["given"] is True
    check(anon, "POST", t, cp + "/consent", w.consent_body(), status=200)  # again: no change

    # ---- the first question: draft, attempts, follow-up, next ----
    step = check(anon, "GET", t_current, cp + "/current", status=200).json()
    assert step["done"] is False and step["position"] == 0 and step["draft"] is None
    check(anon, "GET", t_current, fake + "/current", status=404)
    check(anon, "PUT", t_draft, cp + "/questions/0/draft", {"text": "先写个草稿 ✍️"}, status=204)
    check(anon, "PUT", t_draft, cp + "/questions/0/draft", {"text": "字" * 20001}, status=400,
          code="validation_failed")
    check(anon, "PUT", t_draft, cp + "/questions/0/draft", {"text": "x", "cursor": 3}, status=400)
    check(anon, "PUT", t_draft, cp + "/questions/1/draft", {"text": "x"}, status=409,
          code="not_current_question")
    check(anon, "PUT", t_draft, cp + f"/questions/{ov['question_count']}/draft", {"text": "x"},
          status=404, code="not_found")
    check(anon, "PUT", t_draft, cp + "/questions/first/draft", {"text": "x"}, status=404)
    check(anon, "PUT", t_draft, fake + "/questions/0/draft", {"text": "x"}, status=404)
    step = check(anon, "GET", t_current, cp + "/current", status=200).json()
    assert step["draft"] == "先写个草稿 ✍️"
    check(anon, "POST", t_follow, cp + "/questions/0/follow-up", {"text": "补充"}, status=409,
          code="no_follow_up")
    check(anon, "POST", t_answer, cp + "/questions/0/answers", {"text": "字" * 20001},
          status=400, code="validation_failed")
    check(anon, "POST", t_answer, cp + "/questions/0/answers", {"client_elapsed_ms": 5},
          status=400, code="validation_failed")
    check(anon, "POST", t_answer, cp + "/questions/1/answers", {"text": "x"}, status=409,
          code="not_current_question")
    check(anon, "POST", t_answer, cp + "/questions/999/answers", {"text": "x"}, status=404)
    check(anon, "POST", t_answer, fake + "/questions/0/answers", {"text": "x"}, status=404)
    vague = "我觉得沟通很重要，我一直都很努力。"
    receipt = check(anon, "POST", t_answer, cp + "/questions/0/answers",
                    {"text": vague, "client_elapsed_ms": 1200}, status=201).json()
    assert receipt["attempt"] == 1 and receipt["late"] is False
    assert receipt["follow_up"] is not None, "a vague answer gets a follow-up question (plan A)"
    for attempt in range(2, receipt["attempts_allowed"] + 1):
        again = check(anon, "POST", t_answer, cp + "/questions/0/answers",
                      {"text": f"{vague} 第{attempt}次 🙂"}, status=201).json()
        assert again["attempt"] == attempt
        assert again["follow_up"] == receipt["follow_up"], "one follow-up question per question"
    check(anon, "POST", t_answer, cp + "/questions/0/answers", {"text": vague}, status=409,
          code="reanswer_limit_reached")
    step = check(anon, "GET", t_current, cp + "/current", status=200).json()
    assert step["draft"] is None and step["follow_up"]["answered"] is False
    check(anon, "POST", t_follow, cp + "/questions/0/follow-up", {"text": "字" * 20001},
          status=400, code="validation_failed")
    check(anon, "POST", t_follow, cp + "/questions/1/follow-up", {"text": "x"}, status=409,
          code="not_current_question")
    check(anon, "POST", t_follow, fake + "/questions/0/follow-up", {"text": "x"}, status=404)
    follow = "比如去年我带的班级成绩分化严重，我分层布置作业，期末及格率从60%提升到了85%。"
    check(anon, "POST", t_follow, cp + "/questions/0/follow-up", {"text": follow}, status=201)
    check(anon, "POST", t_follow, cp + "/questions/0/follow-up", {"text": follow}, status=409,
          code="follow_up_answered")
    check(anon, "POST", t_next, cp + "/questions/1/next", status=409, code="not_current_question")
    check(anon, "POST", t_next, cp + "/questions/-1/next", status=404)
    check(anon, "POST", t_next, fake + "/questions/0/next", status=404)
    step = check(anon, "POST", t_next, cp + "/questions/0/next", status=200).json()
    assert step["done"] is False and step["position"] == 1

    # ---- integrity events (counted for HR, never scored) ----
    check(anon, "POST", t_events, cp + "/events", {"kind": "paste", "position": 1}, status=204)
    check(anon, "POST", t_events, cp + "/events",
          {"kind": "tab_hidden", "position": 1, "duration_ms": 4200}, status=204)
    check(anon, "POST", t_events, cp + "/events", {"kind": "screenshot"}, status=400,
          code="validation_failed")
    check(anon, "POST", t_events, cp + "/events",
          {"kind": "copy", "position": ov["question_count"]}, status=400, code="validation_failed")
    check(anon, "POST", t_events, cp + "/events", raw="{", status=400, code="invalid_json")
    check(anon, "POST", t_events, fake + "/events", {"kind": "copy"}, status=404)

    # ---- HR's view while the candidate answers ----
    t = "/api/v1/applications/{id}/interview"
    p = f"/api/v1/applications/{app}/interview"
    view = check(hr, "GET", t, p, status=200).json()
    assert view["score"] is None and view["integrity"]["total"] == 2
    assert view["consent"]["ip"], "hr has pii:read"
    view = check(mgr_a, "GET", t, p, status=200).json()
    assert view["consent"]["ip"] is None, "managers have no pii:read"
    check(tok_r, "GET", t, p, status=200)
    check(anon, "GET", t, p, status=401)
    check(auditor, "GET", t, p, status=403, code="forbidden")
    check(mgr_b, "GET", t, p, status=404, code="not_found")
    check(hr, "GET", t, f"/api/v1/applications/{MISSING_ID}/interview", status=404)
    check(hr, "GET", t, f"/api/v1/applications/{no_plan_app}/interview", status=404)
    dim_key = w.model_a["dimensions"][0]["key"]
    t_over = "/api/v1/applications/{id}/interview/overrides"
    t_rescore = "/api/v1/applications/{id}/interview/rescore"
    t_release = "/api/v1/applications/{id}/interview/release-report"
    check(hr, "POST", t_over, p + "/overrides",
          {"dimension_key": dim_key, "score": 80, "reason": "面试官复核"}, status=409,
          code="not_finished")
    check(hr, "POST", t_rescore, p + "/rescore", status=409, code="not_finished")
    check(hr, "POST", t_release, p + "/release-report", status=409, code="not_finished")
    check(anon, "GET", t_report, cp + "/report", status=409, code="report_not_released")
    check(anon, "POST", t_review, cp + "/review-request", {"reason": "想请人复核"}, status=409,
          code="not_finished")

    # ---- a second interview, left after the last question without finishing ----
    app2, token2 = w.create_invited_application()
    cp2 = f"/api/v1/interview/{token2}"
    w.consent(token2)
    for pos in range(ov["question_count"]):
        step = check(anon, "POST", t_next, cp2 + f"/questions/{pos}/next", status=200).json()
    assert step == {"done": True, "finished": False, "status": "in_progress"}
    check(anon, "GET", t_current, cp2 + "/current", status=200)
    check(anon, "POST", t_answer, cp2 + f"/questions/{ov['question_count']}/answers",
          {"text": "x"}, status=404)

    # ---- finish ----
    check(anon, "POST", t_finish, fake + "/finish", status=404)
    done = check(anon, "POST", t_finish, cp + "/finish", status=200).json()
    assert done["scored"] is True and done["answered"] == 1 and done["report_available"] is False
    check(anon, "POST", t_finish, cp + "/finish", status=409, code="interview_finished")
    step = check(anon, "GET", t_current, cp + "/current", status=200).json()
    assert step == {"done": True, "finished": True, "status": "completed"}
    check(anon, "PUT", t_draft, cp + "/questions/1/draft", {"text": "x"}, status=409,
          code="interview_finished")
    check(anon, "POST", t_answer, cp + "/questions/1/answers", {"text": "x"}, status=409,
          code="interview_finished")
    check(anon, "POST", t_follow, cp + "/questions/0/follow-up", {"text": "x"}, status=409,
          code="interview_finished")
    check(anon, "POST", t_next, cp + "/questions/1/next", status=409, code="interview_finished")
    check(anon, "POST", t_events, cp + "/events", {"kind": "copy"}, status=409,
          code="interview_finished")
    ov = check(anon, "GET", "/api/v1/interview/{token}", cp, status=200).json()
    assert ov["progress"]["finished"] is True and ov["report_available"] is False

    # ---- HR: scores, overrides, rescoring, release ----
    view = check(hr, "GET", t, p, status=200).json()
    assert view["score"]["version"] == 1 and view["questions"][0]["follow_up"]["answer"]
    assert [a["scored"] for a in view["questions"][0]["attempts"]][-1] is True
    assert view["integrity"]["paste"] == 1 and view["questions"][1]["integrity"]["total"] == 2
    check(hr, "POST", t_over, p + "/overrides",
          {"dimension_key": dim_key, "score": 100.5, "reason": "超出范围的分数"}, status=400,
          code="validation_failed")
    check(hr, "POST", t_over, p + "/overrides",
          {"dimension_key": "no_such_dimension", "score": 50, "reason": "没有这个维度"},
          status=400, code="validation_failed")
    check(hr, "POST", t_over, p + "/overrides", {"score": 50, "reason": "没有写维度"},
          status=400, code="validation_failed")
    check(hr, "POST", t_over, p + "/overrides", {"dimension_key": dim_key, "score": 50,
                                                 "reason": "短"}, status=400)
    check(hr, "POST", t_over, p + "/overrides", raw="{", status=400, code="invalid_json")
    body = {"dimension_key": dim_key, "score": 88.5, "reason": "结合追问回答，上调该维度分数。"}
    check(anon, "POST", t_over, p + "/overrides", body, status=401)
    check(mgr_a, "POST", t_over, p + "/overrides", body, status=403)
    check(hr, "POST", t_over, f"/api/v1/applications/{MISSING_ID}/interview/overrides", body,
          status=404)
    view = check(hr, "POST", t_over, p + "/overrides", body, status=201).json()
    dim = next(d for d in view["score"]["dimensions"] if d["dimension_key"] == dim_key)
    assert dim["score"] == 88.5 and dim["overridden"] is True
    view = check(tok_w, "POST", t_over, p + "/overrides",
                 {"dimension_key": None, "score": 70, "reason": "综合判断调整总分。"},
                 status=201).json()
    assert view["score"]["overall"] == 70 and view["score"]["overall_overridden"] is True
    assert [o["dimension_key"] for o in view["overrides"]] == [dim_key, None]
    check(anon, "POST", t_rescore, p + "/rescore", status=401)
    check(auditor, "POST", t_rescore, p + "/rescore", status=403)
    check(hr, "POST", t_rescore, f"/api/v1/applications/{MISSING_ID}/interview/rescore",
          status=404)
    check(hr, "POST", t_rescore, f"/api/v1/applications/{app2}/interview/rescore", status=409,
          code="not_finished")
    view = check(hr, "POST", t_rescore, p + "/rescore", status=200).json()
    assert view["score"]["version"] == 2 and len(view["score_versions"]) == 2
    assert view["score"]["overall"] == 70, "overrides apply to the new version"
    # A near copy of another candidate's answer is flagged with the other interview's id.
    w.create_finished_interview()
    copied, _ = w.create_finished_interview()
    view = check(mgr_a, "GET", t, f"/api/v1/applications/{copied}/interview", status=200).json()
    near = [f for f in view["score"]["flags"] if f["code"] == "near_copy_answer"]
    assert near and near[0]["other_interview_id"] and near[0]["position"] == 0, view["score"]
    check(anon, "POST", t_release, p + "/release-report", status=401)
    check(tok_r, "POST", t_release, p + "/release-report", status=403)
    check(hr, "POST", t_release, f"/api/v1/applications/{MISSING_ID}/interview/release-report",
          status=404)
    check(hr, "POST", t_release, f"/api/v1/applications/{app2}/interview/release-report",
          status=409, code="not_finished")
    check(anon, "GET", t_report, cp + "/report", status=409, code="report_not_released")
    # Courses for every dimension, so that the report recommends some for what to improve.
    for d in w.model_a["dimensions"]:
        w._create("/api/v1/courses", dict(w.course_body(), dimension_keys=[d["key"]], max_level=5))
    released = check(hr, "POST", t_release, p + "/release-report", status=200).json()
    assert released["report_released_at"]
    again = check(hr, "POST", t_release, p + "/release-report", status=200).json()
    assert again["report_released_at"] == released["report_released_at"]
    report = check(anon, "GET", t_report, cp + "/report", status=200).json()
    assert report["overall"] == 70
    if report["improvements"]:
        assert report["recommended_courses"]
    check(anon, "GET", t_report, fake + "/report", status=404)

    # ---- human review request and HR tasks ----
    check(anon, "POST", t_review, cp + "/review-request", {"reason": "字" * 2001}, status=400,
          code="validation_failed")
    check(anon, "POST", t_review, cp + "/review-request", raw="{", status=400,
          code="invalid_json")
    check(anon, "POST", t_review, cp + "/review-request", raw="{}",
          headers={"Content-Type": "text/plain"}, status=415, code="unsupported_media_type")
    check(anon, "POST", t_review, fake + "/review-request", {}, status=404)
    review = check(anon, "POST", t_review, cp + "/review-request",
                   {"reason": "我认为追问中的例子没有被考虑。"}, status=201).json()
    check(anon, "POST", t_review, cp + "/review-request", status=409,
          code="review_already_requested")
    t = "/api/v1/tasks"
    page = check(hr, "GET", t, t + f"?application_id={app}&status=open&kind=human_review",
                 status=200).json()
    assert [x["id"] for x in page["items"]] == [review["task_id"]]
    check(mgr_a, "GET", t, t, status=200)
    check(tok_r, "GET", t, t + "?limit=5", status=200)
    check(hr, "GET", t, t + "?limit=0", status=400, code="validation_failed")
    check(anon, "GET", t, t, status=401)
    check(auditor, "GET", t, t, status=403)
    t = "/api/v1/tasks/{id}"
    tp = f"/api/v1/tasks/{review['task_id']}"
    check(hr, "PATCH", t, tp, {"resolution": ""}, status=400, code="validation_failed")
    check(hr, "PATCH", t, tp, {"resolution": "x", "status": "open"}, status=400)
    check(anon, "PATCH", t, tp, {"resolution": "x"}, status=401)
    check(mgr_a, "PATCH", t, tp, {"resolution": "x"}, status=403)
    check(hr, "PATCH", t, f"/api/v1/tasks/{MISSING_ID}", {"resolution": "x"}, status=404)
    task = check(hr, "PATCH", t, tp, {"resolution": "已人工复核，维持原结论。", "status": "done"},
                 status=200).json()
    assert task["status"] == "done" and task["resolved_by"]
    check(tok_w, "PATCH", t, tp, {"resolution": "再次处理"}, status=409, code="task_done")

    # ---- the invitation link: resend, extend, revoke ----
    t = "/api/v1/applications/{id}/invitation/resend"
    check(hr, "POST", t, f"/api/v1/applications/{app}/invitation/resend", status=409,
          code="interview_finished")
    check(anon, "POST", t, f"/api/v1/applications/{app2}/invitation/resend", status=401)
    check(mgr_a, "POST", t, f"/api/v1/applications/{app2}/invitation/resend", status=403)
    check(hr, "POST", t, f"/api/v1/applications/{no_plan_app}/invitation/resend", status=404)
    check(hr, "POST", t, f"/api/v1/applications/{app2}/invitation/resend", {"send_email": 1},
          status=400, code="validation_failed")
    resent = check(hr, "POST", t, f"/api/v1/applications/{app2}/invitation/resend",
                   status=200).json()
    assert resent["token"] != token2 and resent["invitations_sent"] == 2
    check(anon, "GET", "/api/v1/interview/{token}", cp2, status=404, code="not_found")
    token2 = resent["token"]
    cp2 = f"/api/v1/interview/{token2}"
    check(anon, "GET", "/api/v1/interview/{token}", cp2, status=200)
    t = "/api/v1/applications/{id}/invitation/extend"
    p2 = f"/api/v1/applications/{app2}/invitation/extend"
    check(hr, "POST", t, p2, {"days": 0}, status=400, code="validation_failed")
    check(hr, "POST", t, p2, {}, status=400, code="validation_failed")
    check(hr, "POST", t, p2, raw="{", status=400, code="invalid_json")
    check(hr, "POST", t, p2, raw="{\"days\": 1}", headers={"Content-Type": "text/plain"},
          status=415)
    check(anon, "POST", t, p2, {"days": 1}, status=401)
    check(auditor, "POST", t, p2, {"days": 1}, status=403)
    check(hr, "POST", t, f"/api/v1/applications/{MISSING_ID}/invitation/extend", {"days": 1},
          status=404)
    check(hr, "POST", t, f"/api/v1/applications/{app}/invitation/extend", {"days": 1},
          status=409, code="interview_finished")
    extended = check(tok_w, "POST", t, p2, {"days": 3}, status=200).json()
    assert extended["expires_at"] > resent["expires_at"]
    t = "/api/v1/applications/{id}/invitation/revoke"
    check(anon, "POST", t, f"/api/v1/applications/{app2}/invitation/revoke", status=401)
    check(mgr_b, "POST", t, f"/api/v1/applications/{app2}/invitation/revoke", status=403)
    check(hr, "POST", t, f"/api/v1/applications/{MISSING_ID}/invitation/revoke", status=404)
    check(hr, "POST", t, f"/api/v1/applications/{app}/invitation/revoke", status=409,
          code="interview_finished")
    revoked = check(hr, "POST", t, f"/api/v1/applications/{app2}/invitation/revoke",
                    status=200).json()
    assert revoked["status"] == "revoked" and revoked["link_active"] is False
    check(hr, "POST", t, f"/api/v1/applications/{app2}/invitation/revoke", status=200)
    check(anon, "GET", "/api/v1/interview/{token}", cp2, status=404, code="not_found")
    check(hr, "POST", "/api/v1/applications/{id}/invitation/extend", p2, {"days": 1},
          status=409, code="interview_revoked")
    back = check(hr, "POST", "/api/v1/applications/{id}/invitation/resend",
                 f"/api/v1/applications/{app2}/invitation/resend", status=200).json()
    assert back["status"] == "in_progress" and back["revoked_at"] is None

    # ---- course catalog ----
    t = "/api/v1/courses"
    course = check(admin, "POST", t, t, w.course_body(), status=201).json()
    check(admin, "POST", t, t, dict(w.course_body(), url="ftp://files.example.com/c"),
          status=400, code="validation_failed")
    check(admin, "POST", t, t, dict(w.course_body(), dimension_keys=[]), status=400)
    check(admin, "POST", t, t, {"title": "只有标题"}, status=400)
    check(anon, "POST", t, t, w.course_body(), status=401)
    check(hr, "POST", t, t, w.course_body(), status=403, code="forbidden")
    check(tok_w, "POST", t, t, w.course_body(), status=403)
    page = check(mgr_a, "GET", t, t + f"?dimension_key={dim_key}", status=200).json()
    assert page["items"] and all(dim_key in c["dimension_keys"] for c in page["items"])
    check(tok_r, "GET", t, t + "?limit=2", status=200)
    check(auditor, "GET", t, t + "?limit=0", status=400)
    check(anon, "GET", t, t, status=401)
    t = "/api/v1/courses/{id}"
    cpath = f"/api/v1/courses/{course['id']}"
    check(auditor, "GET", t, cpath, status=200)
    check(tok_r, "GET", t, cpath, status=200)
    check(anon, "GET", t, cpath, status=401)
    check(hr, "GET", t, f"/api/v1/courses/{MISSING_ID}", status=404)
    check(admin, "PATCH", t, cpath, {"max_level": 4, "title_en": "STAR answers"}, status=200)
    check(admin, "PATCH", t, cpath, {"title": None}, status=400, code="validation_failed")
    check(admin, "PATCH", t, cpath, {"url": "javascript:alert(1)"}, status=400)
    check(anon, "PATCH", t, cpath, {"max_level": 2}, status=401)
    check(hr, "PATCH", t, cpath, {"max_level": 2}, status=403)
    check(admin, "PATCH", t, f"/api/v1/courses/{MISSING_ID}", {"max_level": 2}, status=404)
    check(anon, "DELETE", t, cpath, status=401)
    check(mgr_a, "DELETE", t, cpath, status=403)
    check(admin, "DELETE", t, cpath, status=204)
    check(admin, "DELETE", t, cpath, status=404)

    # ---- HR workspace ----
    workspace_support.spec_checks(check, w, ps)

    # ---- supervised scoring ----
    models_support.spec_checks(check, w, ps)
    # ---- notifications ----
    notify_support.spec_checks(check, w, ps)

    # ---- automation rules and background jobs ----
    jobs_support.spec_checks(check, w, ps)

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
        if "{id}" in template or "{token}" in template:
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
    course_dim = w.create_course()["dimension_keys"][0]
    task_id = w.create_open_task()
    task = next(t for t in all_pages(a, "/api/v1/tasks") if t["id"] == task_id)
    scored = next(x for x in all_pages(a, "/api/v1/applications")
                  if x["interview"] and x["interview"]["recommendation"]
                  and x["interview"]["dimension_scores"])
    iv = scored["interview"]
    dim_key, dim_score = sorted(iv["dimension_scores"].items())[0]
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
            "q": (cand_email["email"], lambda x: x["candidate_id"] == w.candidate_a),
            "interview_status": ("completed",
                                 lambda x: x["interview"]["status"] == "completed"),
            "recommendation": (iv["recommendation"],
                               lambda x: x["interview"]["recommendation"] == iv["recommendation"]),
            "min_score": (str(int(iv["overall"])),
                          lambda x: x["interview"]["overall"] >= int(iv["overall"])),
            "max_score": (str(int(iv["overall"]) + 1),
                          lambda x: x["interview"]["overall"] <= int(iv["overall"]) + 1),
            "dim": (f"{dim_key}:{int(dim_score)}",
                    lambda x: x["interview"]["dimension_scores"][dim_key] >= int(dim_score)),
            "sort": ("-overall", lambda x: True),
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
        "/api/v1/courses": {
            "dimension_key": (course_dim, lambda c: course_dim in c["dimension_keys"]),
        },
        "/api/v1/tasks": {
            "status": ("open", lambda t: t["status"] == "open"),
            "kind": ("human_review", lambda t: t["kind"] == "human_review"),
            "application_id": (task["application_id"],
                               lambda t: t["application_id"] == task["application_id"]),
        },
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
