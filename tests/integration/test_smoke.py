"""The demo organisation is served and the basic contracts hold."""

from conftest import ADMIN_EMAIL, Client, DEMO, demo_users, login_as


def test_health_and_ready(demo_server):
    c = Client(demo_server.url)
    assert c.get("/healthz").json() == {"status": "ok"}
    assert c.get("/readyz").json() == {"status": "ready"}
    metrics = c.get("/metrics")
    assert metrics.status_code == 200
    assert "zhimian_http_requests_total" in metrics.text
    assert c.get("/healthz").headers["X-Request-Id"]


def test_demo_organisation_is_complete(admin):
    depts = admin.get("/api/v1/departments?limit=200").json()["items"]
    assert len(depts) == len(DEMO["departments"]) >= 4
    jobs = admin.get("/api/v1/jobs?limit=200").json()["items"]
    titles = {j["title"] for j in jobs}
    assert {"销售经理", "高级Java开发工程师", "门店经理", "风控分析师", "生产经理"} <= titles
    for job in jobs:
        model = admin.get(f"/api/v1/jobs/{job['id']}/competency-model").json()
        assert abs(sum(d["weight"] for d in model["dimensions"]) - 100) < 0.01
        qs = admin.get(f"/api/v1/questions?job_id={job['id']}&limit=200").json()["items"]
        assert len(qs) >= 8
        assert any(q["type"] == "scenario" for q in qs)
    cands = []
    cursor = None
    while True:
        page = admin.get("/api/v1/candidates?limit=50" + (f"&cursor={cursor}" if cursor else "")).json()
        cands += page["items"]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert len(cands) >= 60
    users = admin.get("/api/v1/users?limit=200").json()["items"]
    for role in ("admin", "hr", "manager", "auditor"):
        assert sum(1 for u in users if u["role"] == role) >= 3


def test_manager_sees_only_own_departments_masked(demo_server, admin):
    mgr = demo_users("manager")[0]
    m = login_as(demo_server, mgr["email"])
    me = m.get("/api/v1/me").json()
    assert me["user"]["role"] == "manager"
    mine = set(me["user"]["department_ids"])
    apps = m.get("/api/v1/applications?limit=200").json()["items"]
    assert apps and all(a["department_id"] in mine for a in apps)
    assert all("*" in a["candidate_name"] for a in apps)
    other = [a for a in admin.get("/api/v1/applications?limit=200").json()["items"]
             if a["department_id"] not in mine]
    assert other
    r = m.get(f"/api/v1/applications/{other[0]['id']}")
    assert r.status_code == 404
    assert r.json()["error"]["code"] == "not_found"
