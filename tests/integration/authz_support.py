"""Helpers for the authorization, auth and OpenAPI tests (test_authz_matrix.py, test_auth.py,
test_openapi.py).

Holds the expected permission model written down from docs/api-resources.md ("Routes and
permissions", "Role grants"), principals that send requests without a cookie jar (so a request can
never swap a principal's session), the demo-organisation "world" (department A/B, records in A) and
throwaway-record factories.
"""

import functools
import itertools
import json
import pathlib
import subprocess
import uuid

import requests
from requests.adapters import HTTPAdapter
import yaml

from conftest import ADMIN_EMAIL, ADMIN_PASSWORD, BIN, DEMO, DEMO_PASSWORD, ROOT, Client

UNSAFE = ("POST", "PUT", "PATCH", "DELETE")

# ----------------------------------------------------------------------------------------------
# The permission model of docs/api-resources.md, written down independently of the server.

ALL_PERMISSIONS = frozenset({
    "departments:read", "departments:write", "users:read", "users:write", "jobs:read",
    "jobs:write", "questions:read", "questions:write", "candidates:read", "candidates:write",
    "applications:read", "applications:write", "applications:stage", "pii:read",
    "tokens:manage", "audit:read", "courses:write", "applications:decide",
    "applications:comment", "templates:manage", "integrations:manage",
    "queue:read", "queue:manage",
})

ROLE_GRANTS = {
    "admin": ALL_PERMISSIONS,
    "hr": frozenset({
        "departments:read", "departments:write", "users:read", "jobs:read", "jobs:write",
        "questions:read", "questions:write", "candidates:read", "candidates:write",
        "applications:read", "applications:write", "applications:stage", "pii:read",
        "applications:decide", "applications:comment", "templates:manage"}),
    "manager": frozenset({
        "departments:read", "users:read", "jobs:read", "questions:read", "candidates:read",
        "applications:read", "applications:stage", "applications:decide",
        "applications:comment"}),
    "auditor": frozenset({
        "audit:read", "departments:read", "users:read", "jobs:read", "questions:read",
        "queue:read"}),
}

_TOKEN_READ = frozenset({
    "departments:read", "jobs:read", "questions:read", "candidates:read", "applications:read",
    "pii:read"})
TOKEN_GRANTS = {
    "read": _TOKEN_READ,
    "write": _TOKEN_READ | {"jobs:write", "questions:write", "candidates:write",
                            "applications:write", "applications:stage"},
}

PUBLIC = "public"
AUTHENTICATED = "authenticated"  # "any signed-in staff"; API tokens are accepted too (GET /me)

# A well-formed candidate interview token (43 base64url characters) that names no interview.
FAKE_INTERVIEW_TOKEN = ("no-such-interview-token_" * 2)[:43]


class Rule:
    """What a route needs. scoped: managers only reach records of their departments (404 else).
    candidate: a public route under /api/v1/interview/{token} whose credential is the candidate's
    token in the path; staff credentials neither help nor hurt, and a token that names no
    interview (or a revoked or expired one) answers 404 to everybody, never 401/403."""

    def __init__(self, access, success, scoped=False, candidate=False):
        self.access, self.success, self.scoped = access, success, scoped
        self.candidate = candidate

    def __repr__(self):
        return (f"Rule({self.access!r}, {self.success}, scoped={self.scoped}, "
                f"candidate={self.candidate})")


R = Rule
ROUTE_TABLE = {
    ("GET", "/healthz"): R(PUBLIC, 200),
    ("GET", "/readyz"): R(PUBLIC, 200),
    ("GET", "/metrics"): R(PUBLIC, 200),
    ("GET", "/api/v1/openapi.json"): R(PUBLIC, 200),
    ("POST", "/api/v1/auth/login"): R(PUBLIC, 200),
    ("POST", "/api/v1/auth/logout"): R(AUTHENTICATED, 204),
    ("GET", "/api/v1/me"): R(AUTHENTICATED, 200),
    ("GET", "/api/v1/departments"): R("departments:read", 200),
    ("GET", "/api/v1/departments/{id}"): R("departments:read", 200),
    ("POST", "/api/v1/departments"): R("departments:write", 201),
    ("PATCH", "/api/v1/departments/{id}"): R("departments:write", 200),
    ("DELETE", "/api/v1/departments/{id}"): R("departments:write", 204),
    ("GET", "/api/v1/users"): R("users:read", 200),
    ("GET", "/api/v1/users/{id}"): R("users:read", 200),
    ("POST", "/api/v1/users"): R("users:write", 201),
    ("PATCH", "/api/v1/users/{id}"): R("users:write", 200),
    ("GET", "/api/v1/jobs"): R("jobs:read", 200),
    ("GET", "/api/v1/jobs/{id}"): R("jobs:read", 200, scoped=True),
    ("GET", "/api/v1/jobs/{id}/competency-model"): R("jobs:read", 200, scoped=True),
    ("GET", "/api/v1/jobs/{id}/interview-plan"): R("jobs:read", 200, scoped=True),
    ("POST", "/api/v1/jobs"): R("jobs:write", 201),
    ("PATCH", "/api/v1/jobs/{id}"): R("jobs:write", 200, scoped=True),
    ("DELETE", "/api/v1/jobs/{id}"): R("jobs:write", 204, scoped=True),
    ("PUT", "/api/v1/jobs/{id}/competency-model"): R("jobs:write", 200, scoped=True),
    ("PUT", "/api/v1/jobs/{id}/interview-plan"): R("jobs:write", 200, scoped=True),
    ("GET", "/api/v1/questions"): R("questions:read", 200),
    ("GET", "/api/v1/questions/{id}"): R("questions:read", 200),
    ("POST", "/api/v1/questions"): R("questions:write", 201),
    ("PATCH", "/api/v1/questions/{id}"): R("questions:write", 200),
    ("DELETE", "/api/v1/questions/{id}"): R("questions:write", 204),
    ("GET", "/api/v1/candidates"): R("candidates:read", 200),
    ("GET", "/api/v1/candidates/{id}"): R("candidates:read", 200, scoped=True),
    ("POST", "/api/v1/candidates"): R("candidates:write", 201),
    ("PATCH", "/api/v1/candidates/{id}"): R("candidates:write", 200),
    ("DELETE", "/api/v1/candidates/{id}"): R("candidates:write", 204),
    ("GET", "/api/v1/applications"): R("applications:read", 200),
    ("GET", "/api/v1/applications/{id}"): R("applications:read", 200, scoped=True),
    ("POST", "/api/v1/applications"): R("applications:write", 201),
    ("PATCH", "/api/v1/applications/{id}"): R("applications:stage", 200, scoped=True),
    ("GET", "/api/v1/api-tokens"): R("tokens:manage", 200),
    ("POST", "/api/v1/api-tokens"): R("tokens:manage", 201),
    ("DELETE", "/api/v1/api-tokens/{id}"): R("tokens:manage", 204),
    ("GET", "/api/v1/audit-log"): R("audit:read", 200),
    # Interviews, HR side: the application's department scopes them like the application.
    ("POST", "/api/v1/applications/{id}/invitation"): R("applications:write", 201, scoped=True),
    ("POST", "/api/v1/applications/{id}/invitation/resend"): R("applications:write", 200,
                                                               scoped=True),
    ("POST", "/api/v1/applications/{id}/invitation/revoke"): R("applications:write", 200,
                                                               scoped=True),
    ("POST", "/api/v1/applications/{id}/invitation/extend"): R("applications:write", 200,
                                                               scoped=True),
    ("GET", "/api/v1/applications/{id}/interview"): R("applications:read", 200, scoped=True),
    ("POST", "/api/v1/applications/{id}/interview/overrides"): R("applications:write", 201,
                                                                 scoped=True),
    ("POST", "/api/v1/applications/{id}/interview/rescore"): R("applications:write", 200,
                                                               scoped=True),
    ("POST", "/api/v1/applications/{id}/interview/release-report"): R("applications:write", 200,
                                                                      scoped=True),
    # Interviews, candidate side: public, the token in the path is the credential.
    ("GET", "/api/v1/interview/{token}"): R(PUBLIC, 200, candidate=True),
    ("POST", "/api/v1/interview/{token}/consent"): R(PUBLIC, 200, candidate=True),
    ("GET", "/api/v1/interview/{token}/current"): R(PUBLIC, 200, candidate=True),
    ("PUT", "/api/v1/interview/{token}/questions/{position}/draft"): R(PUBLIC, 204,
                                                                       candidate=True),
    ("POST", "/api/v1/interview/{token}/questions/{position}/answers"): R(PUBLIC, 201,
                                                                          candidate=True),
    ("POST", "/api/v1/interview/{token}/questions/{position}/follow-up"): R(PUBLIC, 201,
                                                                            candidate=True),
    ("POST", "/api/v1/interview/{token}/questions/{position}/next"): R(PUBLIC, 200,
                                                                       candidate=True),
    ("POST", "/api/v1/interview/{token}/events"): R(PUBLIC, 204, candidate=True),
    ("POST", "/api/v1/interview/{token}/finish"): R(PUBLIC, 200, candidate=True),
    ("GET", "/api/v1/interview/{token}/report"): R(PUBLIC, 200, candidate=True),
    ("POST", "/api/v1/interview/{token}/review-request"): R(PUBLIC, 201, candidate=True),
    # Course catalog: read by any signed-in staff member or API token, written by admins.
    ("GET", "/api/v1/courses"): R(AUTHENTICATED, 200),
    ("GET", "/api/v1/courses/{id}"): R(AUTHENTICATED, 200),
    ("POST", "/api/v1/courses"): R("courses:write", 201),
    ("PATCH", "/api/v1/courses/{id}"): R("courses:write", 200),
    ("DELETE", "/api/v1/courses/{id}"): R("courses:write", 204),
    # HR tasks (human-review requests): scoped by the application's department.
    ("GET", "/api/v1/tasks"): R("applications:read", 200),
    ("PATCH", "/api/v1/tasks/{id}"): R("applications:write", 200, scoped=True),
    # HR workspace. Bulk actions are not scoped as a route: out-of-scope ids fail one by one
    # (not_found) inside a 200. Notifications are the caller's own (API tokens have none).
    # Decisions and comments are people's acts: no token scope grants them.
    ("GET", "/api/v1/applications/export.csv"): R("applications:read", 200),
    ("POST", "/api/v1/applications/bulk"): R("applications:stage", 200),
    ("GET", "/api/v1/dashboard"): R("applications:read", 200),
    # The talent pool: candidates with an application in the pool within the caller's scope.
    ("GET", "/api/v1/talent-pool"): R("applications:read", 200),
    ("POST", "/api/v1/talent-pool/{id}/reinvite"): R("applications:write", 201, scoped=True),
    ("GET", "/api/v1/applications/{id}/history"): R("applications:read", 200, scoped=True),
    ("GET", "/api/v1/applications/{id}/comments"): R("applications:read", 200, scoped=True),
    ("POST", "/api/v1/applications/{id}/comments"): R("applications:comment", 201, scoped=True),
    ("GET", "/api/v1/applications/{id}/mentionable-users"): R("applications:comment", 200,
                                                              scoped=True),
    ("GET", "/api/v1/notifications"): R(AUTHENTICATED, 200),
    ("POST", "/api/v1/notifications/read"): R(AUTHENTICATED, 200),
    ("GET", "/api/v1/reviews"): R("applications:decide", 200),
    # Supervised scoring (questions are not department-scoped). Ratings hold candidates'
    # answers: listing them needs pii:read; curating ratings and models needs questions:write.
    ("GET", "/api/v1/questions/{id}/ratings"): R("pii:read", 200),
    ("POST", "/api/v1/questions/{id}/ratings"): R("questions:write", 201),
    ("POST", "/api/v1/questions/{id}/ratings/import"): R("questions:write", 200),
    ("DELETE", "/api/v1/questions/{id}/ratings/{rating_id}"): R("questions:write", 204),
    ("GET", "/api/v1/questions/{id}/models"): R("questions:read", 200),
    ("POST", "/api/v1/questions/{id}/models"): R("questions:write", 202),
    ("GET", "/api/v1/questions/{id}/models/{version}"): R("questions:read", 200),
    ("POST", "/api/v1/questions/{id}/models/{version}/activate"): R("questions:write", 200),
    ("POST", "/api/v1/questions/{id}/models/{version}/deactivate"): R("questions:write", 200),
    ("POST", "/api/v1/applications/{id}/decision"): R("applications:decide", 200, scoped=True),
    # Notifications: message templates (admins, HR); channels, webhook subscriptions and the
    # delivery log (admins). People only: no token scope grants them.
    ("GET", "/api/v1/message-templates"): R("templates:manage", 200),
    ("POST", "/api/v1/message-templates"): R("templates:manage", 201),
    ("POST", "/api/v1/message-templates/preview"): R("templates:manage", 200),
    ("GET", "/api/v1/message-templates/{id}"): R("templates:manage", 200),
    ("PATCH", "/api/v1/message-templates/{id}"): R("templates:manage", 200),
    ("DELETE", "/api/v1/message-templates/{id}"): R("templates:manage", 204),
    ("GET", "/api/v1/notification-channels"): R("integrations:manage", 200),
    ("POST", "/api/v1/notification-channels"): R("integrations:manage", 201),
    ("GET", "/api/v1/notification-channels/{id}"): R("integrations:manage", 200),
    ("PATCH", "/api/v1/notification-channels/{id}"): R("integrations:manage", 200),
    ("DELETE", "/api/v1/notification-channels/{id}"): R("integrations:manage", 204),
    ("GET", "/api/v1/webhooks"): R("integrations:manage", 200),
    ("POST", "/api/v1/webhooks"): R("integrations:manage", 201),
    ("GET", "/api/v1/webhooks/{id}"): R("integrations:manage", 200),
    ("PATCH", "/api/v1/webhooks/{id}"): R("integrations:manage", 200),
    ("DELETE", "/api/v1/webhooks/{id}"): R("integrations:manage", 204),
    ("POST", "/api/v1/webhooks/{id}/test"): R("integrations:manage", 202),
    ("GET", "/api/v1/deliveries"): R("integrations:manage", 200),
    ("GET", "/api/v1/deliveries/{id}"): R("integrations:manage", 200),
    ("POST", "/api/v1/deliveries/{id}/replay"): R("integrations:manage", 202),
    # Automation rules: like the job they belong to (organisation rules: any jobs:read).
    ("GET", "/api/v1/automation-rules"): R("jobs:read", 200),
    ("POST", "/api/v1/automation-rules"): R("jobs:write", 201),
    ("GET", "/api/v1/automation-rules/{id}"): R("jobs:read", 200, scoped=True),
    ("PATCH", "/api/v1/automation-rules/{id}"): R("jobs:write", 200, scoped=True),
    ("DELETE", "/api/v1/automation-rules/{id}"): R("jobs:write", 204, scoped=True),
    ("POST", "/api/v1/jobs/{id}/automation-rules/dry-run"): R("jobs:read", 200, scoped=True),
    # Background job queue: admins manage it, auditors read it; no token scope grants it.
    ("GET", "/api/v1/background-jobs"): R("queue:read", 200),
    ("GET", "/api/v1/background-jobs/{id}"): R("queue:read", 200),
    ("POST", "/api/v1/background-jobs/{id}/retry"): R("queue:manage", 200),
}
del R


def server_routes():
    """[(method, path, access)] as `zhimian routes` prints them."""
    out = subprocess.run([BIN, "routes"], capture_output=True, text=True, check=True, timeout=30)
    routes = []
    for line in out.stdout.splitlines():
        if line.strip():
            r = json.loads(line)
            routes.append((r["method"], r["path"], r["access"]))
    return routes


# ----------------------------------------------------------------------------------------------
# Principals


class SourceAddressAdapter(HTTPAdapter):
    """Connects from a chosen local address (e.g. 127.0.0.7) so tests get their own client IP."""

    def __init__(self, source_ip, **kw):
        self.source_ip = source_ip
        super().__init__(**kw)

    def init_poolmanager(self, *args, **kw):
        kw["source_address"] = (self.source_ip, 0)
        super().init_poolmanager(*args, **kw)


def http_session(source_ip=None):
    s = requests.Session()
    if source_ip:
        adapter = SourceAddressAdapter(source_ip)
        s.mount("http://", adapter)
    return s


class Principal:
    """Sends requests as one principal with explicit headers (no cookie jar is ever updated).

    kind: "session" (cookie + CSRF), "token" (bearer) or "anonymous"; grants: the permission set
    the contract gives it; scope: department ids for managers, else None.
    """

    def __init__(self, name, base, kind, grants=frozenset(), scope=None, cookie=None, csrf=None,
                 token=None, email=None, password=None, user=None):
        self.name, self.base, self.kind = name, base, kind
        self.grants, self.scope = frozenset(grants), scope
        self.cookie, self.csrf, self.token = cookie, csrf, token
        self.email, self.password, self.user = email, password, user
        self.http = requests.Session()

    def headers(self, method, csrf=True):
        h = {}
        if self.cookie:
            h["Cookie"] = "zm_session=" + self.cookie
            if csrf and method in UNSAFE and self.csrf:
                h["X-CSRF-Token"] = self.csrf
        if self.token:
            h["Authorization"] = "Bearer " + self.token
        return h

    def send(self, method, path, json_body=None, csrf=True, headers=None, **kw):
        h = self.headers(method, csrf)
        h.update(headers or {})
        # A fresh cookie jar per request: Set-Cookie answers never stick to this principal.
        self.http.cookies.clear()
        return self.http.request(method, self.base + path, json=json_body, headers=h, timeout=30,
                                 **kw)


def login_principal(base, name, email, password, grants=None, scope=None, http=None):
    r = (http or requests).post(base + "/api/v1/auth/login",
                                json={"email": email, "password": password}, timeout=30)
    assert r.status_code == 200, (email, r.status_code, r.text)
    body = r.json()
    user = body["user"]
    if grants is None:
        grants = ROLE_GRANTS[user["role"]]
    if scope is None and user["role"] == "manager":
        scope = list(user["department_ids"])
    return Principal(name, base, "session", grants, scope, cookie=r.cookies.get("zm_session"),
                     csrf=body["csrf_token"], email=email, password=password, user=user)


def token_principal(base, name, token, scope_name):
    return Principal(name, base, "token", TOKEN_GRANTS[scope_name], token=token)


def anonymous(base):
    return Principal("anonymous", base, "anonymous")


def admin_client(server):
    c = Client(server.url)
    c.login(ADMIN_EMAIL, ADMIN_PASSWORD)
    return c


def create_token(admin, name, scopes):
    r = admin.post("/api/v1/api-tokens", json={"name": name, "scopes": scopes})
    assert r.status_code == 201, r.text
    return r.json()


# ----------------------------------------------------------------------------------------------
# The demo organisation seen from the API: department A and B, records under test in A.

_seq = itertools.count(1)


def unique(prefix=""):
    return f"{prefix}{next(_seq)}{uuid.uuid4().hex[:6]}"


def unique_phone():
    return "139" + str(uuid.uuid4().int % 10**8).zfill(8)


def all_pages(client, path, limit=200):
    items, cursor = [], None
    sep = "&" if "?" in path else "?"
    while True:
        url = f"{path}{sep}limit={limit}" + (f"&cursor={cursor}" if cursor else "")
        r = client.get(url)
        assert r.status_code == 200, r.text
        page = r.json()
        items += page["items"]
        cursor = page["next_cursor"]
        if not cursor:
            return items


def _strip_nulls(v):
    if isinstance(v, dict):
        return {k: _strip_nulls(x) for k, x in v.items() if x is not None}
    if isinstance(v, list):
        return [_strip_nulls(x) for x in v]
    return v


class World:
    """Ids of the records the tests act on, looked up through the admin API."""

    def __init__(self, server):
        self.server = server
        self.base = server.url
        self.admin = admin_client(server)
        a = self.admin
        depts = {d["name"]: d for d in all_pages(a, "/api/v1/departments")}
        ref_to_id = {d["ref"]: depts[d["name"]]["id"] for d in DEMO["departments"]}
        managers = [u for u in DEMO["users"] if u["role"] == "manager"]
        m_a, m_b = managers[0], managers[1]
        refs_a = [r for r in m_a["department_refs"] if r not in m_b["department_refs"]]
        refs_b = [r for r in m_b["department_refs"] if r not in m_a["department_refs"]]
        self.manager_a_email, self.manager_b_email = m_a["email"], m_b["email"]
        self.dept_a = ref_to_id[refs_a[0]]
        self.dept_b = ref_to_id[refs_b[0]]
        self.scope_a = {ref_to_id[r] for r in m_a["department_refs"]}
        self.scope_b = {ref_to_id[r] for r in m_b["department_refs"]}
        self.dept_a_name = next(d["name"] for d in depts.values() if d["id"] == self.dept_a)
        self.dept_b_name = next(d["name"] for d in depts.values() if d["id"] == self.dept_b)

        jobs = all_pages(a, f"/api/v1/jobs?department_id={self.dept_a}")
        assert jobs, "no demo job in department A"
        self.job_a = jobs[0]["id"]
        jobs_b = all_pages(a, f"/api/v1/jobs?department_id={self.dept_b}")
        self.job_b = jobs_b[0]["id"]
        apps = all_pages(a, "/api/v1/applications")
        by_candidate = {}
        for app in apps:
            by_candidate.setdefault(app["candidate_id"], []).append(app)
        chosen = None
        for app in apps:
            if app["job_id"] != self.job_a:
                continue
            others = by_candidate[app["candidate_id"]]
            if all(o["department_id"] not in self.scope_b for o in others):
                chosen = app
                break
        assert chosen, "no application in department A whose candidate is unknown to manager B"
        self.app_a = chosen["id"]
        self.candidate_a = chosen["candidate_id"]
        qs = all_pages(a, f"/api/v1/questions?job_id={self.job_a}")
        self.question_a = qs[0]["id"]
        model = a.get(f"/api/v1/jobs/{self.job_a}/competency-model")
        assert model.status_code == 200, model.text
        self.model_a = model.json()
        plan = a.get(f"/api/v1/jobs/{self.job_a}/interview-plan")
        assert plan.status_code == 200, plan.text
        self.plan_a = plan.json()
        users = all_pages(a, "/api/v1/users")
        self.user_ids = {u["email"]: u["id"] for u in users}
        # A user the PATCH /users calls rename (never one of the principals).
        self.patch_user = self.create_user(role="auditor")["id"]

    # ---- request bodies that the server accepts ----
    def model_put_body(self):
        return {"dimensions": _strip_nulls(self.model_a["dimensions"])}

    def plan_put_body(self):
        body = {k: v for k, v in self.plan_a.items() if k not in ("job_id", "updated_at")}
        return _strip_nulls(body)

    def department_body(self):
        return {"name": unique("测试部门-"), "description": "授权矩阵测试用部门"}

    def user_body(self, role="hr", **kw):
        local = unique("staff.")
        body = {"email": f"{local}@example.com", "name": "测试员工", "role": role,
                "password": "Xh7#kLm9!pQr2"}
        if role == "manager":
            body["department_ids"] = [self.dept_a]
        body.update(kw)
        return body

    def job_body(self):
        return {"title": unique("授权测试岗位-"), "department_id": self.dept_a, "status": "draft",
                "description": "用于授权矩阵测试。", "requirements": ["沟通能力强"],
                "location": "上海", "employment_type": "full_time",
                "thresholds": {"recommend": 85, "review": 65}}

    def question_body(self, job_id=None):
        body = {"type": "behavioural",
                "text": {"zh": "请描述一次你主动了解客户需求的经历。",
                         "en": "Describe a time you explored a customer's needs."},
                "dimension_keys": [self.model_a["dimensions"][0]["key"]],
                "rubric": {"key_points": [{"text": "主动提问", "synonyms": ["追问"],
                                           "dimension_key": None}],
                           "notes": "看是否有具体行动"},
                "think_seconds": 30, "answer_seconds": 180,
                "expected_length": {"min": 50, "max": 800}, "tags": ["授权测试"]}
        if job_id:
            body["job_id"] = job_id
        return _strip_nulls(body)

    def candidate_body(self):
        return {"name": "测试候选人", "email": unique("cand.") + "@example.com",
                "phone": unique_phone(), "national_id": "110101199003071233",
                "resume_text": "五年B2B销售经验。", "source": "内推", "tags": ["授权测试"]}

    # ---- throwaway records (created as admin) ----
    def _create(self, path, body):
        r = self.admin.post(path, json=body)
        assert r.status_code == 201, (path, r.status_code, r.text)
        return r.json()

    def create_department(self):
        return self._create("/api/v1/departments", self.department_body())

    def create_user(self, role="hr", **kw):
        return self._create("/api/v1/users", self.user_body(role, **kw))

    def create_job(self):
        return self._create("/api/v1/jobs", self.job_body())

    def create_question(self, job_id=None):
        return self._create("/api/v1/questions", self.question_body(job_id))

    def create_candidate(self):
        return self._create("/api/v1/candidates", self.candidate_body())

    def create_token(self, scopes=("read",)):
        return self._create("/api/v1/api-tokens", {"name": unique("throwaway-"),
                                                   "scopes": list(scopes)})

    # ---- interviews (job A has a competency model and an interview plan) ----
    def create_application(self, job_id=None):
        """A new application (of a new candidate) to job A, in department A."""
        cand = self.create_candidate()
        return self._create("/api/v1/applications",
                            {"candidate_id": cand["id"], "job_id": job_id or self.job_a,
                             "stage": "screening", "source": "内推"})

    def invite(self, app_id, **body):
        """Invites the application's candidate; returns the view with `token` and `link`."""
        r = self.admin.post(f"/api/v1/applications/{app_id}/invitation", json=body)
        assert r.status_code == 201, r.text
        return r.json()

    def create_invited_application(self):
        """(application id, candidate token) of a new invited application in department A."""
        app = self.create_application()["id"]
        return app, self.invite(app)["token"]

    def candidate(self, method, token, suffix="", body=None):
        """A candidate's request: no cookie, no API token, only the token in the path."""
        kw = {"json": body} if body is not None else {}
        return requests.request(method, f"{self.base}/api/v1/interview/{token}{suffix}",
                                timeout=30, **kw)

    @functools.cached_property
    def consent_version(self):
        """The data-use text version candidates consent to (as the overview states it)."""
        _, token = self.create_invited_application()
        r = self.candidate("GET", token)
        assert r.status_code == 200, r.text
        return r.json()["data_use"]["version"]

    def consent_body(self):
        return {"consent_version": self.consent_version, "accept": True,
                "audio_video_analysis": False}

    def consent(self, token):
        r = self.candidate("POST", token, "/consent", self.consent_body())
        assert r.status_code == 200, r.text
        return r.json()

    def create_finished_interview(self, answer="去年我负责一个客户项目，先调研需求，再定计划，满意度提升了20%。"):
        """(application id, token) of an interview that was consented to, had question 0
        answered and was finished (so it is scored)."""
        app, token = self.create_invited_application()
        self.consent(token)
        assert self.candidate("GET", token, "/current").status_code == 200
        r = self.candidate("POST", token, "/questions/0/answers", {"text": answer})
        assert r.status_code == 201, r.text
        r = self.candidate("POST", token, "/finish")
        assert r.status_code == 200, r.text
        return app, token

    def create_open_task(self):
        """Id of a new open human-review task (a finished interview's review request)."""
        _, token = self.create_finished_interview()
        r = self.candidate("POST", token, "/review-request", {"reason": "希望人工复核评分。"})
        assert r.status_code == 201, r.text
        return r.json()["task_id"]

    def hr_interview(self, app_id):
        """The application's interview as admin sees it (GET /applications/{id}/interview)."""
        r = self.admin.get(f"/api/v1/applications/{app_id}/interview")
        assert r.status_code == 200, r.text
        return r.json()

    @functools.cached_property
    def interview_app(self):
        """A finished, scored interview in department A (read, overridden and rescored)."""
        return self.create_finished_interview()[0]

    @functools.cached_property
    def extend_app(self):
        """An invited application whose link is extended."""
        return self.create_invited_application()[0]

    @functools.cached_property
    def resend_app(self):
        """An invited application whose link is sent again."""
        return self.create_invited_application()[0]

    # ---- course catalog ----
    def course_body(self):
        return {"title": unique("结构化沟通-"), "title_en": "Structured communication",
                "url": "https://learn.example.com/courses/structured-communication",
                "description": "用 STAR 结构讲清楚一段经历。",
                "dimension_keys": [self.model_a["dimensions"][0]["key"]], "max_level": 3}

    def create_course(self):
        return self._create("/api/v1/courses", self.course_body())

    @functools.cached_property
    def course_a(self):
        return self.create_course()["id"]


# ----------------------------------------------------------------------------------------------
# The spec


class _NoTimestampLoader(yaml.SafeLoader):
    """SafeLoader that keeps ISO timestamps as strings (as the JSON served by the server does)."""


_NoTimestampLoader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

SPEC_PATH = ROOT / "docs" / "openapi.yaml"


def load_spec(path=SPEC_PATH):
    return yaml.load(pathlib.Path(path).read_text(encoding="utf-8"), Loader=_NoTimestampLoader)


def demo_login(base, email, name=None, http=None):
    return login_principal(base, name or email, email, DEMO_PASSWORD, http=http)


_ip_seq = itertools.count(101)


def next_client_ip():
    """A loopback address no other test in this run uses (127.0.0.101, .102, ...): failed sign-ins
    from it are throttled per IP without throttling anyone else."""
    n = next(_ip_seq)
    return f"127.0.{n // 250}.{n % 250 + 2}"


def login_from(base, email, password, ip=None):
    """One sign-in attempt (optionally from a given client address); returns the response."""
    return http_session(ip).post(base + "/api/v1/auth/login",
                                 json={"email": email, "password": password}, timeout=30)


def matrix_principals(world, label):
    """The eight principals the authorization tests act as, on world's server: admin, hr, the
    managers of departments A and B, auditor, anonymous, and read / write API tokens."""
    from conftest import demo_users
    base = world.base
    return {
        "admin": login_principal(base, "admin", ADMIN_EMAIL, ADMIN_PASSWORD),
        "hr": demo_login(base, demo_users("hr")[0]["email"], "hr"),
        "manager_a": demo_login(base, world.manager_a_email, "manager_a"),
        "manager_b": demo_login(base, world.manager_b_email, "manager_b"),
        "auditor": demo_login(base, demo_users("auditor")[0]["email"], "auditor"),
        "anonymous": anonymous(base),
        "token_read": token_principal(
            base, "token_read", create_token(world.admin, label + " read", ["read"])["token"],
            "read"),
        "token_write": token_principal(
            base, "token_write",
            create_token(world.admin, label + " write", ["read", "write"])["token"], "write"),
    }
