"""The authorization matrix: every served route x every kind of principal.

Expected outcomes come from the permission model of docs/api-resources.md, written down in
authz_support.ROUTE_TABLE / ROLE_GRANTS / TOKEN_GRANTS -- never from the server's own route list
(`zhimian routes` only says WHICH routes exist; a route missing from the table fails the test, so
every new route forces a decision).

Outcomes: no credentials -> 401 unauthenticated; missing permission -> 403 forbidden; a manager
reaching for a record of a department outside their scope -> 404 not_found; allowed -> the exact
success code. Records under test live in department A (bound to manager A, not to manager B);
destructive calls act on throwaway records created per principal.

The candidate's interview routes (/api/v1/interview/{token}) are public: the token in the path is
the credential. The matrix calls them with a well-formed token that names no interview, so every
principal -- whatever staff credentials it sends -- gets 404 not_found, never 401 or 403;
test_candidate_routes_ignore_staff_credentials checks a real token.
"""

import pytest
import requests

from authz_support import (ADMIN_EMAIL, ADMIN_PASSWORD, DEMO_PASSWORD, FAKE_INTERVIEW_TOKEN,
                           PUBLIC, AUTHENTICATED, ROUTE_TABLE, World, anonymous, create_token,
                           demo_login, login_principal, matrix_principals, server_routes,
                           token_principal, all_pages)
from conftest import backends, demo_users, make_server
import models_support
import notify_support
import workspace_support
import jobs_support

ERROR_CODE = {401: "unauthenticated", 403: "forbidden", 404: "not_found"}
PRINCIPAL_ORDER = ["admin", "hr", "manager_a", "manager_b", "auditor", "anonymous", "token_read",
                   "token_write"]


class Env:
    def __init__(self, server, world, principals):
        self.server, self.world, self.principals = server, world, principals

    def p(self, name):
        return self.principals[name]


@pytest.fixture(scope="module", params=backends())
def env(request, tmp_path_factory):
    srv = make_server(tmp_path_factory.mktemp("authz-" + request.param), request.param).start()
    try:
        world = World(srv)
        base = srv.url
        ps = matrix_principals(world, "matrix")
        assert world.dept_a in ps["manager_a"].scope
        assert world.dept_a not in ps["manager_b"].scope
        yield Env(srv, world, ps)
    finally:
        srv.stop()


def expected_status(rule, principal, record_department):
    """The contract's answer for `principal` calling a route whose record is in `record_department`."""
    if rule.access == PUBLIC:
        # The matrix sends candidate routes FAKE_INTERVIEW_TOKEN: unknown to everybody.
        return 404 if rule.candidate else rule.success
    if principal.kind == "anonymous":
        return 401
    if rule.access == AUTHENTICATED:
        return rule.success
    if rule.access not in principal.grants:
        return 403
    if rule.scoped and principal.scope is not None and record_department not in principal.scope:
        return 404
    return rule.success


# ----------------------------------------------------------------------------------------------
# One realistic request per route; destructive calls get their own throwaway record.


class Call:
    def __init__(self, path, body=None, sender=None, intact=None):
        self.path, self.body, self.sender = path, body, sender
        # For destructive calls: checks (as admin) that the record survived a denied call.
        self.intact = intact


def _still_there(world, path):
    def check():
        r = world.admin.get(path)
        return r.status_code == 200
    return check


def _token_not_revoked(world, token_id):
    def check():
        items = all_pages(world.admin, "/api/v1/api-tokens")
        return any(t["id"] == token_id and t["revoked_at"] is None for t in items)
    return check


def _logout_call(w, p):
    if p.kind != "session":
        return Call("/api/v1/auth/logout")
    # Signing out ends the session: use a second session of the same user.
    throwaway = login_principal(w.base, p.name, p.email, p.password, grants=p.grants,
                                scope=p.scope)
    return Call("/api/v1/auth/logout", sender=throwaway)


def _delete(w, kind):
    def build(_w, _p):
        if kind == "departments":
            rid = w.create_department()["id"]
        elif kind == "jobs":
            rid = w.create_job()["id"]
        elif kind == "questions":
            rid = w.create_question()["id"]
        elif kind == "candidates":
            rid = w.create_candidate()["id"]
        elif kind == "api-tokens":
            rid = w.create_token()["id"]
            return Call(f"/api/v1/api-tokens/{rid}", intact=_token_not_revoked(w, rid))
        path = f"/api/v1/{kind}/{rid}"
        return Call(path, intact=_still_there(w, path))
    return build


def _interview_unchanged(world, app_id, *fields):
    """Checks (as admin) that a denied call left the named fields of the interview (and the
    number of overrides) as they were."""
    before = world.hr_interview(app_id)

    def check():
        after = world.hr_interview(app_id)
        return (all(after["interview"][f] == before["interview"][f] for f in fields)
                and len(after["overrides"]) == len(before["overrides"]))
    return check


def _no_interview(world, app_id):
    def check():
        return world.admin.get(f"/api/v1/applications/{app_id}/interview").status_code == 404
    return check


def _task_open(world, task_id):
    def check():
        items = all_pages(world.admin, "/api/v1/tasks?status=open")
        return any(t["id"] == task_id for t in items)
    return check


def _invite_call(w, p):
    app = w.create_application()["id"]
    return Call(f"/api/v1/applications/{app}/invitation", {"expires_in_days": 7},
                intact=_no_interview(w, app))


def _revoke_call(w, p):
    app, _ = w.create_invited_application()
    return Call(f"/api/v1/applications/{app}/invitation/revoke",
                intact=_interview_unchanged(w, app, "status", "revoked_at"))


def _release_call(w, p):
    app, _ = w.create_finished_interview()
    return Call(f"/api/v1/applications/{app}/interview/release-report",
                intact=_interview_unchanged(w, app, "report_released_at"))


def _resolve_task_call(w, p):
    task = w.create_open_task()
    return Call(f"/api/v1/tasks/{task}", {"resolution": f"已由 {p.name} 人工复核"},
                intact=_task_open(w, task))


def _delete_course_call(w, p):
    path = f"/api/v1/courses/{w.create_course()['id']}"
    return Call(path, intact=_still_there(w, path))


def _candidate(suffix="", body=None):
    return lambda w, p: Call(f"/api/v1/interview/{FAKE_INTERVIEW_TOKEN}{suffix}", body)


def call_builders(w):
    hr_login = demo_users("hr")[1]["email"]
    stages = iter(["screening", "hr_review", "second_round"] * 100)
    return {
        ("GET", "/healthz"): lambda w, p: Call("/healthz"),
        ("GET", "/readyz"): lambda w, p: Call("/readyz"),
        ("GET", "/metrics"): lambda w, p: Call("/metrics"),
        ("GET", "/api/v1/openapi.json"): lambda w, p: Call("/api/v1/openapi.json"),
        ("POST", "/api/v1/auth/login"): lambda w, p: Call(
            "/api/v1/auth/login", {"email": hr_login, "password": DEMO_PASSWORD}),
        ("POST", "/api/v1/auth/logout"): _logout_call,
        ("GET", "/api/v1/me"): lambda w, p: Call("/api/v1/me"),
        ("GET", "/api/v1/departments"): lambda w, p: Call("/api/v1/departments?limit=10"),
        ("GET", "/api/v1/departments/{id}"): lambda w, p: Call(f"/api/v1/departments/{w.dept_a}"),
        ("POST", "/api/v1/departments"): lambda w, p: Call("/api/v1/departments",
                                                           w.department_body()),
        ("PATCH", "/api/v1/departments/{id}"): lambda w, p: Call(
            f"/api/v1/departments/{w.dept_a}", {"description": f"由 {p.name} 更新"}),
        ("DELETE", "/api/v1/departments/{id}"): _delete(w, "departments"),
        ("GET", "/api/v1/users"): lambda w, p: Call("/api/v1/users?limit=10"),
        ("GET", "/api/v1/users/{id}"): lambda w, p: Call(
            f"/api/v1/users/{w.user_ids[w.manager_a_email]}"),
        ("POST", "/api/v1/users"): lambda w, p: Call("/api/v1/users", w.user_body("manager")),
        ("PATCH", "/api/v1/users/{id}"): lambda w, p: Call(
            f"/api/v1/users/{w.patch_user}", {"name": f"改名-{p.name}"}),
        ("GET", "/api/v1/jobs"): lambda w, p: Call("/api/v1/jobs?limit=10"),
        ("GET", "/api/v1/jobs/{id}"): lambda w, p: Call(f"/api/v1/jobs/{w.job_a}"),
        ("GET", "/api/v1/jobs/{id}/competency-model"): lambda w, p: Call(
            f"/api/v1/jobs/{w.job_a}/competency-model"),
        ("GET", "/api/v1/jobs/{id}/interview-plan"): lambda w, p: Call(
            f"/api/v1/jobs/{w.job_a}/interview-plan"),
        ("POST", "/api/v1/jobs"): lambda w, p: Call("/api/v1/jobs", w.job_body()),
        ("PATCH", "/api/v1/jobs/{id}"): lambda w, p: Call(
            f"/api/v1/jobs/{w.job_a}", {"requirements": ["沟通能力强", f"由 {p.name} 维护"]}),
        ("DELETE", "/api/v1/jobs/{id}"): _delete(w, "jobs"),
        ("PUT", "/api/v1/jobs/{id}/competency-model"): lambda w, p: Call(
            f"/api/v1/jobs/{w.job_a}/competency-model", w.model_put_body()),
        ("PUT", "/api/v1/jobs/{id}/interview-plan"): lambda w, p: Call(
            f"/api/v1/jobs/{w.job_a}/interview-plan", w.plan_put_body()),
        ("GET", "/api/v1/questions"): lambda w, p: Call(f"/api/v1/questions?job_id={w.job_a}"),
        ("GET", "/api/v1/questions/{id}"): lambda w, p: Call(f"/api/v1/questions/{w.question_a}"),
        ("POST", "/api/v1/questions"): lambda w, p: Call("/api/v1/questions",
                                                         w.question_body(w.job_a)),
        ("PATCH", "/api/v1/questions/{id}"): lambda w, p: Call(
            f"/api/v1/questions/{w.question_a}", {"think_seconds": 45}),
        ("DELETE", "/api/v1/questions/{id}"): _delete(w, "questions"),
        ("GET", "/api/v1/candidates"): lambda w, p: Call("/api/v1/candidates?limit=10"),
        ("GET", "/api/v1/candidates/{id}"): lambda w, p: Call(
            f"/api/v1/candidates/{w.candidate_a}"),
        ("POST", "/api/v1/candidates"): lambda w, p: Call("/api/v1/candidates",
                                                          w.candidate_body()),
        ("PATCH", "/api/v1/candidates/{id}"): lambda w, p: Call(
            f"/api/v1/candidates/{w.candidate_a}", {"source": f"更新-{p.name}"}),
        ("DELETE", "/api/v1/candidates/{id}"): _delete(w, "candidates"),
        ("GET", "/api/v1/applications"): lambda w, p: Call("/api/v1/applications?limit=10"),
        ("GET", "/api/v1/applications/{id}"): lambda w, p: Call(
            f"/api/v1/applications/{w.app_a}"),
        ("POST", "/api/v1/applications"): lambda w, p: Call(
            "/api/v1/applications",
            {"candidate_id": w.create_candidate()["id"], "job_id": w.job_a, "source": "内推"}),
        ("PATCH", "/api/v1/applications/{id}"): lambda w, p: Call(
            f"/api/v1/applications/{w.app_a}", {"stage": next(stages)}),
        ("GET", "/api/v1/api-tokens"): lambda w, p: Call("/api/v1/api-tokens"),
        ("POST", "/api/v1/api-tokens"): lambda w, p: Call(
            "/api/v1/api-tokens", {"name": f"集成-{p.name}", "scopes": ["read"]}),
        ("DELETE", "/api/v1/api-tokens/{id}"): _delete(w, "api-tokens"),
        ("GET", "/api/v1/audit-log"): lambda w, p: Call("/api/v1/audit-log?limit=5"),
        # ---- interviews: HR ----
        ("POST", "/api/v1/applications/{id}/invitation"): _invite_call,
        ("POST", "/api/v1/applications/{id}/invitation/resend"): lambda w, p: Call(
            f"/api/v1/applications/{w.resend_app}/invitation/resend",
            intact=_interview_unchanged(w, w.resend_app, "invitations_sent")),
        ("POST", "/api/v1/applications/{id}/invitation/revoke"): _revoke_call,
        ("POST", "/api/v1/applications/{id}/invitation/extend"): lambda w, p: Call(
            f"/api/v1/applications/{w.extend_app}/invitation/extend", {"days": 1},
            intact=_interview_unchanged(w, w.extend_app, "expires_at")),
        ("GET", "/api/v1/applications/{id}/interview"): lambda w, p: Call(
            f"/api/v1/applications/{w.interview_app}/interview"),
        ("POST", "/api/v1/applications/{id}/interview/overrides"): lambda w, p: Call(
            f"/api/v1/applications/{w.interview_app}/interview/overrides",
            {"dimension_key": w.model_a["dimensions"][0]["key"], "score": 72.5,
             "reason": f"{p.name} 复核后调整"},
            intact=_interview_unchanged(w, w.interview_app, "overall")),
        ("POST", "/api/v1/applications/{id}/interview/rescore"): lambda w, p: Call(
            f"/api/v1/applications/{w.interview_app}/interview/rescore",
            intact=_interview_unchanged(w, w.interview_app, "score_version")),
        ("POST", "/api/v1/applications/{id}/interview/release-report"): _release_call,
        # ---- interviews: candidate (a token naming no interview; bodies valid: it decides) ----
        ("GET", "/api/v1/interview/{token}"): _candidate(),
        ("POST", "/api/v1/interview/{token}/consent"): lambda w, p: Call(
            f"/api/v1/interview/{FAKE_INTERVIEW_TOKEN}/consent", w.consent_body()),
        ("GET", "/api/v1/interview/{token}/current"): _candidate("/current"),
        ("PUT", "/api/v1/interview/{token}/questions/{position}/draft"): _candidate(
            "/questions/0/draft", {"text": "草稿"}),
        ("POST", "/api/v1/interview/{token}/questions/{position}/answers"): _candidate(
            "/questions/0/answers", {"text": "我的回答。"}),
        ("POST", "/api/v1/interview/{token}/questions/{position}/follow-up"): _candidate(
            "/questions/0/follow-up", {"text": "补充的例子。"}),
        ("POST", "/api/v1/interview/{token}/questions/{position}/next"): _candidate(
            "/questions/0/next"),
        ("POST", "/api/v1/interview/{token}/events"): _candidate(
            "/events", {"kind": "tab_hidden", "position": 0, "duration_ms": 1500}),
        ("POST", "/api/v1/interview/{token}/finish"): _candidate("/finish"),
        ("GET", "/api/v1/interview/{token}/report"): _candidate("/report"),
        ("POST", "/api/v1/interview/{token}/review-request"): _candidate(
            "/review-request", {"reason": "请人工复核"}),
        # ---- course catalog ----
        ("GET", "/api/v1/courses"): lambda w, p: Call("/api/v1/courses?limit=10"),
        ("GET", "/api/v1/courses/{id}"): lambda w, p: Call(f"/api/v1/courses/{w.course_a}"),
        ("POST", "/api/v1/courses"): lambda w, p: Call("/api/v1/courses", w.course_body()),
        ("PATCH", "/api/v1/courses/{id}"): lambda w, p: Call(
            f"/api/v1/courses/{w.course_a}", {"description": f"由 {p.name} 更新"}),
        ("DELETE", "/api/v1/courses/{id}"): _delete_course_call,
        # ---- HR tasks ----
        ("GET", "/api/v1/tasks"): lambda w, p: Call("/api/v1/tasks?limit=10"),
        ("PATCH", "/api/v1/tasks/{id}"): _resolve_task_call,
        # ---- HR workspace ----
        **workspace_support.matrix_builders(Call),
        # ---- supervised scoring ----
        **models_support.matrix_builders(Call),
        **notify_support.matrix_builders(Call),
        # ---- background job queue ----
        **jobs_support.matrix_builders(Call),
    }


def test_route_table_covers_every_served_route():
    served = {(m, p) for m, p, _ in server_routes()}
    unknown = sorted(served - set(ROUTE_TABLE))
    stale = sorted(set(ROUTE_TABLE) - served)
    assert not unknown, ("routes served but absent from the permission table (decide who may "
                         f"call them in authz_support.ROUTE_TABLE): {unknown}")
    assert not stale, f"routes in the permission table that the server does not serve: {stale}"
    # Every route has a request builder in the matrix.
    assert set(call_builders(None)) == set(ROUTE_TABLE)


def _error_code(r):
    return r.json()["error"]["code"]


def _format_matrix(rows, names):
    width = max(len(f"{m} {p}") for m, p, _ in rows) + 1
    head = " " * width + " ".join(f"{n[:11]:>11}" for n in names)
    lines = [head]
    for method, path, cells in rows:
        lines.append(f"{method + ' ' + path:<{width}}" + " ".join(f"{c:>11}" for c in cells))
    return "\n".join(lines)


def test_authorization_matrix(env):
    w = env.world
    builders = call_builders(w)
    names = PRINCIPAL_ORDER
    rows, failures = [], []
    for method, path, _access in server_routes():
        rule = ROUTE_TABLE.get((method, path))
        if rule is None:
            rows.append((method, path, ["UNKNOWN"] * len(names)))
            failures.append(f"{method} {path}: not in the permission table")
            continue
        cells = []
        for name in names:
            p = env.p(name)
            exp = expected_status(rule, p, w.dept_a)
            call = builders[(method, path)](w, p)
            r = (call.sender or p).send(method, call.path, call.body)
            ok = r.status_code == exp
            detail = ""
            if ok and exp in ERROR_CODE:
                code = r.json().get("error", {}).get("code")
                if code != ERROR_CODE[exp]:
                    ok, detail = False, f"error code {code!r}, expected {ERROR_CODE[exp]!r}"
            if ok and exp >= 400 and call.intact is not None and not call.intact():
                ok, detail = False, "denied call changed the record"
            if ok:
                cells.append(str(r.status_code))
            else:
                cells.append(f"!{r.status_code}/{exp}")
                failures.append(f"{name:11} {method} {call.path} -> {r.status_code}, expected "
                                f"{exp} {detail} body={r.text[:200]}")
        rows.append((method, path, cells))
    if failures:
        pytest.fail("authorization matrix mismatches (cell = got/expected):\n"
                    + _format_matrix(rows, names) + "\n\n" + "\n".join(failures), pytrace=False)


def test_manager_lists_are_scoped_to_their_departments(env):
    w = env.world
    ma, mb = env.p("manager_a"), env.p("manager_b")

    def ids(p, path):
        r = p.send("GET", path)
        assert r.status_code == 200, r.text
        return r.json()["items"]

    for p, sees in ((ma, True), (mb, False)):
        jobs = ids(p, "/api/v1/jobs?limit=200")
        assert all(j["department_id"] in p.scope for j in jobs)
        assert (w.job_a in {j["id"] for j in jobs}) is sees
        apps = ids(p, "/api/v1/applications?limit=200")
        assert apps and all(a["department_id"] in p.scope for a in apps)
        assert (w.app_a in {a["id"] for a in apps}) is sees
        cands = ids(p, "/api/v1/candidates?limit=200")
        assert (w.candidate_a in {c["id"] for c in cands}) is sees
        # Managers never see personal data unmasked.
        assert all(c["resume_text"] is None for c in cands)
    # Filters do not open a way around the scope.
    assert ids(mb, f"/api/v1/jobs?department_id={w.dept_a}") == []
    assert ids(mb, f"/api/v1/applications?department_id={w.dept_a}") == []
    assert ids(mb, f"/api/v1/applications?job_id={w.job_a}") == []
    assert ids(mb, f"/api/v1/applications?candidate_id={w.candidate_a}") == []
    email = w.admin.get(f"/api/v1/candidates/{w.candidate_a}").json()["email"]
    assert email
    assert ids(mb, f"/api/v1/candidates?email={email}") == []
    assert [c["id"] for c in ids(ma, f"/api/v1/candidates?email={email}")] == [w.candidate_a]
    # HR tasks follow the application's department.
    task_id = w.create_open_task()
    task = next(t for t in all_pages(w.admin, "/api/v1/tasks") if t["id"] == task_id)
    assert task["department_id"] == w.dept_a
    for p, sees in ((ma, True), (mb, False)):
        tasks = ids(p, "/api/v1/tasks?limit=200")
        assert all(t["department_id"] in p.scope for t in tasks)
        assert (task["id"] in {t["id"] for t in tasks}) is sees
    assert ids(mb, f"/api/v1/tasks?application_id={task['application_id']}") == []


def test_candidate_routes_ignore_staff_credentials(env):
    """A real candidate token answers the same whoever sends it (staff cookies and API tokens are
    neither needed nor used, and cookie requests need no CSRF token there); once revoked it
    answers 404 to everybody; and it is no credential for staff routes."""
    w = env.world
    app, token = w.create_invited_application()
    base = f"/api/v1/interview/{token}"
    for name in PRINCIPAL_ORDER:
        p = env.p(name)
        r = p.send("GET", base)
        assert r.status_code == 200, (name, r.text)
        assert r.json()["status"] == "invited"
        r = p.send("GET", base + "/current")
        assert r.status_code == 409 and _error_code(r) == "consent_required", (name, r.text)
    r = env.p("hr").send("POST", base + "/consent", w.consent_body(), csrf=False)
    assert r.status_code == 200, r.text
    assert r.json()["consent"]["given"] is True
    for name in PRINCIPAL_ORDER:
        r = env.p(name).send("GET", base + "/current")
        assert r.status_code == 200 and r.json()["position"] == 0, (name, r.text)
    # The candidate token opens nothing else.
    for path in ("/api/v1/me", f"/api/v1/applications/{app}/interview", "/api/v1/courses"):
        r = requests.get(w.base + path, headers={"Authorization": "Bearer " + token}, timeout=30)
        assert r.status_code == 401, (path, r.status_code, r.text)
    r = w.admin.post(f"/api/v1/applications/{app}/invitation/revoke")
    assert r.status_code == 200, r.text
    for name in PRINCIPAL_ORDER:
        r = env.p(name).send("GET", base)
        assert r.status_code == 404 and _error_code(r) == "not_found", (name, r.text)


# ----------------------------------------------------------------------------------------------
# CSRF: cookie sessions must echo X-CSRF-Token on unsafe methods; bearer tokens need not.


def test_cookie_post_without_csrf_token_is_refused(env):
    w, hr = env.world, env.p("hr")
    body = w.job_body()
    r = hr.send("POST", "/api/v1/jobs", body, csrf=False)
    assert r.status_code == 403 and _error_code(r) == "csrf_failed", r.text
    r = hr.send("POST", "/api/v1/jobs", body, csrf=False, headers={"X-CSRF-Token": "forged"})
    assert r.status_code == 403 and _error_code(r) == "csrf_failed", r.text
    # Another session's token does not fit this session.
    r = hr.send("POST", "/api/v1/jobs", body, csrf=False,
                headers={"X-CSRF-Token": env.p("admin").csrf})
    assert r.status_code == 403 and _error_code(r) == "csrf_failed", r.text
    titles = {j["title"] for j in all_pages(w.admin, "/api/v1/jobs")}
    assert body["title"] not in titles, "a refused request created the job"
    # With the token the same request passes.
    r = hr.send("POST", "/api/v1/jobs", body)
    assert r.status_code == 201, r.text


@pytest.mark.parametrize("method,target", [
    ("PATCH", "application"), ("PUT", "competency-model"), ("DELETE", "question"),
    ("POST", "logout"),
])
def test_every_unsafe_method_needs_csrf_with_a_cookie(env, method, target):
    w, hr = env.world, env.p("hr")
    if target == "application":
        path, body = f"/api/v1/applications/{w.app_a}", {"stage": "offer"}
    elif target == "competency-model":
        path, body = f"/api/v1/jobs/{w.job_a}/competency-model", w.model_put_body()
    elif target == "question":
        path, body = f"/api/v1/questions/{w.create_question()['id']}", None
    else:
        path, body = "/api/v1/auth/logout", None
    r = hr.send(method, path, body, csrf=False)
    assert r.status_code == 403 and _error_code(r) == "csrf_failed", r.text
    if target == "question":
        assert w.admin.get(path).status_code == 200
    # The session is still valid (a refused logout did not sign out).
    assert hr.send("GET", "/api/v1/me").status_code == 200


def test_bearer_tokens_need_no_csrf_token(env):
    w, tok = env.world, env.p("token_write")
    assert "X-CSRF-Token" not in tok.headers("POST")
    r = tok.send("POST", "/api/v1/jobs", w.job_body())
    assert r.status_code == 201, r.text
    job_id = r.json()["id"]
    r = tok.send("PATCH", f"/api/v1/jobs/{job_id}", {"status": "open"})
    assert r.status_code == 200, r.text
    r = tok.send("DELETE", f"/api/v1/jobs/{job_id}")
    assert r.status_code == 204, r.text
