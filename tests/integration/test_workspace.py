"""The HR workspace API (issue #5's server side) on SQLite and PostgreSQL: the filtered
applications table and its CSV export, result-view tracking, the dashboard, comments with
@mentions and notifications, application history, bulk actions and the manager's review queue.

Scores are made deterministic with HR overrides (every dimension and the overall), so filters,
ordering and paging are checked against exact expectations on a job of its own.
"""

import csv
import io
import json
import subprocess
import urllib.parse

import pytest

from authz_support import World, matrix_principals, unique
from conftest import PG_URL, backends, make_server

MISSING_ID = "01ARZ3NDEKTSV4RRFFQ69G5FAV"


class Env:
    def __init__(self, server, world, principals, backend):
        self.server, self.world, self.p, self.backend = server, world, principals, backend

    def sql(self, query):
        """Rows of a query on the server's database (read-only inspection of storage)."""
        if self.backend == "postgres":
            out = subprocess.run(["psql", self.server.db_url, "-At", "-F", "\t", "-c", query],
                                 check=True, capture_output=True, text=True)
            return [line.split("\t") for line in out.stdout.splitlines() if line]
        import sqlite3
        con = sqlite3.connect(str(self.server.data_dir / "zhimian.db"))
        try:
            return [[str(c) if c is not None else "" for c in row]
                    for row in con.execute(query).fetchall()]
        finally:
            con.close()


@pytest.fixture(scope="module", params=backends())
def env(request, tmp_path_factory):
    srv = make_server(tmp_path_factory.mktemp("ws-" + request.param), request.param).start()
    try:
        world = World(srv)
        yield Env(srv, world, matrix_principals(world, "ws"), request.param)
    finally:
        srv.stop()


# ----------------------------------------------------------------------------------------------
# helpers


def ok(r, status=200):
    assert r.status_code == status, (r.status_code, r.text[:600])
    return r.json() if r.content and r.headers.get("Content-Type", "").startswith(
        "application/json") else r


def error(r, status, code="validation_failed"):
    assert r.status_code == status, (r.status_code, r.text[:600])
    body = r.json()
    assert body["error"]["code"] == code, body
    return body["error"]


def new_job(w):
    """A job of department A with job A's competency model and interview plan."""
    job = w.create_job()
    ok(w.admin.put(f"/api/v1/jobs/{job['id']}/competency-model", json=w.model_put_body()))
    ok(w.admin.put(f"/api/v1/jobs/{job['id']}/interview-plan", json=w.plan_put_body()))
    ok(w.admin.patch(f"/api/v1/jobs/{job['id']}", json={"status": "open"}))
    return job


def new_candidate(w, name=None):
    body = w.candidate_body()
    if name:
        body["name"] = name
    return w._create("/api/v1/candidates", body)


def new_application(w, job_id, name=None, stage="screening"):
    cand = new_candidate(w, name)
    return w._create("/api/v1/applications", {"candidate_id": cand["id"], "job_id": job_id,
                                              "stage": stage, "source": "官网"})


def finish_interview(w, app_id):
    token = w.invite(app_id)["token"]
    w.consent(token)
    assert w.candidate("GET", token, "/current").status_code == 200
    r = w.candidate("POST", token, "/questions/0/answers",
                    {"text": "去年我负责一个客户项目，先调研需求，再定计划，满意度提升了20%。"})
    assert r.status_code == 201, r.text
    assert w.candidate("POST", token, "/finish").status_code == 200
    return token


def set_scores(w, app_id, dims, overall):
    """Overrides every given dimension and then the overall score (all effective values)."""
    for key, score in dims.items():
        ok(w.admin.post(f"/api/v1/applications/{app_id}/interview/overrides",
                        json={"dimension_key": key, "score": score, "reason": "测试设定分数"}), 201)
    ok(w.admin.post(f"/api/v1/applications/{app_id}/interview/overrides",
                    json={"dimension_key": None, "score": overall, "reason": "测试设定总分"}), 201)


def all_pages(p, path, limit=200):
    """Every item of a list, following cursors; `p` is a Principal or a Client."""
    items, cursor = [], None
    sep = "&" if "?" in path else "?"
    while True:
        url = f"{path}{sep}limit={limit}" + (f"&cursor={cursor}" if cursor else "")
        r = p.send("GET", url) if hasattr(p, "send") else p.get(url)
        page = ok(r)
        items += page["items"]
        cursor = page["next_cursor"]
        if not cursor:
            return items


def ids(page):
    return [i["id"] for i in page["items"]]


def audit(w, **filters):
    q = urllib.parse.urlencode(dict(filters, limit=200))
    return ok(w.admin.get(f"/api/v1/audit-log?{q}"))["items"]


@pytest.fixture(scope="module")
def scored(env):
    """A job of its own with five applications: four scored interviews with known dimension and
    overall scores, and one without an interview. Keys: job, dims (two keys), apps by label."""
    w = env.world
    job = new_job(w)
    k1, k2 = w.model_a["dimensions"][0]["key"], w.model_a["dimensions"][1]["key"]
    plan = {  # label: (dimension scores, overall); created in this order (ids ascending)
        "a": ({k1: 85, k2: 90}, 88),
        "b": ({k1: 79.9, k2: 95}, 72),
        "c": ({k1: 80, k2: 70}, 91),
        "d": ({k1: 95, k2: 85}, 60),
    }
    apps = {}
    for label, (dims, overall) in plan.items():
        app = new_application(w, job["id"])["id"]
        finish_interview(w, app)
        set_scores(w, app, dims, overall)
        apps[label] = app
    apps["none"] = new_application(w, job["id"])["id"]
    return {"job": job, "k1": k1, "k2": k2, "apps": apps, "plan": plan}


# ----------------------------------------------------------------------------------------------
# the applications table


def test_dimension_thresholds_scores_and_summary(env, scored):
    w, hr = env.world, env.p["hr"]
    a, job, k1, k2 = scored["apps"], scored["job"]["id"], scored["k1"], scored["k2"]
    base = f"/api/v1/applications?job_id={job}"
    page = ok(hr.send("GET", base))
    assert ids(page) == [a["none"], a["d"], a["c"], a["b"], a["a"]]  # newest first
    assert page["total"] == 5 and page["next_cursor"] is None
    by_id = {i["id"]: i for i in page["items"]}
    none = by_id[a["none"]]
    assert none["interview"] is None and none["stage"] == "screening"
    summary = by_id[a["a"]]["interview"]
    assert summary["status"] == "completed" and summary["overall"] == 88
    assert summary["dimension_scores"][k1] == 85 and summary["dimension_scores"][k2] == 90
    assert summary["recommendation"] == "recommend"  # the job's thresholds: 85 / 65
    assert by_id[a["b"]]["interview"]["recommendation"] == "review"
    assert by_id[a["d"]]["interview"]["recommendation"] == "not_recommended"
    assert summary["score_version"] == 1 and summary["finished_at"]
    assert isinstance(summary["flags_count"], int) and summary["flags_count"] >= 0
    assert summary["viewed_at"] is None
    # One threshold, then two (AND); >= is inclusive; 79.9 is below 80.
    assert ids(ok(hr.send("GET", f"{base}&dim={k1}:80"))) == [a["d"], a["c"], a["a"]]
    assert ids(ok(hr.send("GET", f"{base}&dim={k1}:80&dim={k2}:85"))) == [a["d"], a["a"]]
    assert ids(ok(hr.send("GET", f"{base}&dim={k1}:80&dim={k2}:91"))) == []
    assert ids(ok(hr.send("GET", f"{base}&dim={k2}:95.0"))) == [a["b"]]
    # Overall range, recommendation, interview status.
    assert ids(ok(hr.send("GET", f"{base}&min_score=72&max_score=88"))) == [a["b"], a["a"]]
    assert ids(ok(hr.send("GET", f"{base}&recommendation=recommend"))) == [a["c"], a["a"]]
    assert ids(ok(hr.send("GET", f"{base}&interview_status=none"))) == [a["none"]]
    assert ids(ok(hr.send("GET", f"{base}&interview_status=completed")))[0] == a["d"]
    assert ok(hr.send("GET", f"{base}&interview_status=invited"))["total"] == 0
    # Stages: several allowed, repeated or comma-separated.
    ok(w.admin.patch(f"/api/v1/applications/{a['c']}", json={"stage": "hr_review"}))
    ok(w.admin.patch(f"/api/v1/applications/{a['a']}", json={"stage": "offer"}))
    try:
        assert ids(ok(hr.send("GET", f"{base}&stage=hr_review&stage=offer"))) == [a["c"], a["a"]]
        assert ids(ok(hr.send("GET", f"{base}&stage=hr_review,offer"))) == [a["c"], a["a"]]
        assert ids(ok(hr.send("GET", f"{base}&stage=offer&dim={k2}:95"))) == []
    finally:
        for app in (a["c"], a["a"]):
            ok(w.admin.patch(f"/api/v1/applications/{app}", json={"stage": "interview_completed"}))


def test_sort_by_overall_pages_without_gaps(env, scored):
    hr, a, job = env.p["hr"], scored["apps"], scored["job"]["id"]
    want_desc = [a["c"], a["a"], a["b"], a["d"], a["none"]]  # 91, 88, 72, 60, unscored last
    want_asc = [a["d"], a["b"], a["a"], a["c"], a["none"]]
    for sort, want in (("-overall", want_desc), ("overall", want_asc)):
        assert ids(ok(hr.send("GET", f"/api/v1/applications?job_id={job}&sort={sort}"))) == want
        for limit in (1, 2, 3):
            seen, cursor = [], None
            for _ in range(10):
                url = f"/api/v1/applications?job_id={job}&sort={sort}&limit={limit}"
                page = ok(hr.send("GET", url + (f"&cursor={cursor}" if cursor else "")))
                assert page["total"] == 5
                seen += ids(page)
                cursor = page["next_cursor"]
                if not cursor:
                    break
            assert seen == want, (sort, limit)
    oldest = ids(ok(hr.send("GET", f"/api/v1/applications?job_id={job}&sort=created_at")))
    assert oldest == [a["a"], a["b"], a["c"], a["d"], a["none"]]


def test_candidate_search_by_exact_name_email_and_phone(env):
    w, hr = env.world, env.p["hr"]
    job = w.job_a
    surname = unique("欧阳")
    cand = new_candidate(w, f"{surname} 娜娜")
    app = w._create("/api/v1/applications", {"candidate_id": cand["id"], "job_id": job})["id"]
    full = ok(w.admin.get(f"/api/v1/candidates/{cand['id']}"))

    def found(q):
        return ids(ok(hr.send("GET", "/api/v1/applications?" + urllib.parse.urlencode({"q": q}))))

    # Exact name, ignoring spaces and ASCII case; not a substring or prefix.
    assert found(f"{surname}娜娜") == [app]
    assert found(f"  {surname} 娜 娜 ") == [app]
    assert found(surname) == []
    assert found(f"{surname}娜") == []
    assert found(full["email"].upper()) == [app]
    assert found(full["phone"]) == [app]
    assert found("nobody-" + full["email"]) == []
    # A renamed candidate is found by the new name only.
    ok(w.admin.patch(f"/api/v1/candidates/{cand['id']}", json={"name": f"{surname}丽丽"}))
    assert found(f"{surname}娜娜") == [] and found(f"{surname}丽丽") == [app]
    # The index is a keyed hash: the name is nowhere in clear in the candidates table.
    rows = env.sql(f"SELECT name_enc, name_bidx FROM candidates WHERE id = '{cand['id']}'")
    assert rows and surname not in rows[0][0] and surname not in rows[0][1]
    assert len(rows[0][1]) == 64


def test_managers_are_scoped_and_see_masked_names(env, scored):
    w, ma, mb = env.world, env.p["manager_a"], env.p["manager_b"]
    job = scored["job"]["id"]
    page_a = ok(ma.send("GET", f"/api/v1/applications?job_id={job}"))
    assert page_a["total"] == 5 and all("*" in i["candidate_name"] for i in page_a["items"])
    assert ok(mb.send("GET", f"/api/v1/applications?job_id={job}"))["items"] == []
    assert ok(mb.send("GET", f"/api/v1/applications?department_id={w.dept_a}"))["total"] == 0
    page_b = all_pages(mb, "/api/v1/applications")
    assert page_b and all(i["department_id"] in mb.scope for i in page_b)
    names = {i["candidate_name"] for i in ok(env.p["hr"].send(
        "GET", f"/api/v1/applications?job_id={job}"))["items"]}
    assert names == {"测试候选人"}


@pytest.mark.parametrize("query,field", [
    ("stage=celebrating", "stage"),
    ("dim=communication", "dim[0]"),
    ("dim=Communication:80", "dim[0]"),
    ("dim=communication:101", "dim[0]"),
    ("dim=communication:-1", "dim[0]"),
    ("min_score=abc", "min_score"),
    ("min_score=90&max_score=80", "max_score"),
    ("recommendation=maybe", "recommendation"),
    ("interview_status=done", "interview_status"),
    ("sort=name", "sort"),
    ("sort=-overall&cursor=01ARZ3NDEKTSV4RRFFQ69G5FAV", "cursor"),
    ("cursor=12:01ARZ3NDEKTSV4RRFFQ69G5FAV", "cursor"),
    ("job_id=not-an-id", "job_id"),
    ("q=" + "名" * 101, "q"),
    ("q=...", "q"),
    ("limit=0", "limit"),
])
def test_bad_list_filters_answer_400_with_details(env, query, field):
    err = error(env.p["hr"].send("GET", "/api/v1/applications?" + query), 400)
    assert field in [d["field"] for d in err["details"]], err
    err = error(env.p["hr"].send("GET", "/api/v1/applications/export.csv?" + query), 400)
    assert field in [d["field"] for d in err["details"]], err


def test_too_many_dimension_thresholds(env):
    q = "&".join(f"dim=d{i}:10" for i in range(13))
    err = error(env.p["hr"].send("GET", "/api/v1/applications?" + q), 400)
    assert "dim" in [d["field"] for d in err["details"]]


# ----------------------------------------------------------------------------------------------
# CSV export


def read_csv(r):
    assert r.headers["Content-Type"].startswith("text/csv")
    assert "attachment" in r.headers["Content-Disposition"]
    assert r.content.startswith(b"\xef\xbb\xbf"), "UTF-8 BOM for Excel"
    text = r.content.decode("utf-8-sig")
    assert "\r\n" in text
    return list(csv.reader(io.StringIO(text)))


def test_export_csv_same_filters_pii_by_role_and_audited(env, scored):
    w, hr, ma = env.world, env.p["hr"], env.p["manager_a"]
    a, job, k1 = scored["apps"], scored["job"]["id"], scored["k1"]
    r = hr.send("GET", f"/api/v1/applications/export.csv?job_id={job}&dim={k1}:80&sort=-overall")
    assert r.status_code == 200, r.text
    rows = read_csv(r)
    header, body = rows[0], rows[1:]
    assert header[:4] == ["申请ID", "候选人ID", "候选人", "邮箱"]
    assert [row[0] for row in body] == [a["c"], a["a"], a["d"]]  # the list's filter and order
    model_names = {d["key"]: d["name"] for d in w.model_a["dimensions"]}
    assert model_names[k1] in header
    col = header.index(model_names[k1])
    assert [row[col] for row in body] == ["80.0", "85.0", "95.0"]
    assert body[0][header.index("综合得分")] == "91.0"
    assert body[0][header.index("推荐结论")] == "推荐"
    assert body[0][header.index("阶段")] == "AI面试完成"
    emails = {row[3] for row in body}
    assert all("@" in e and "***" not in e for e in emails), "HR (pii:read) sees contacts"
    assert body[0][2] == "测试候选人"
    # A manager gets masked names and contacts only.
    mrows = read_csv(ma.send("GET", f"/api/v1/applications/export.csv?job_id={job}"))[1:]
    assert len(mrows) == 5
    assert all(row[2] == "测****" for row in mrows)
    assert all("***@" in row[3] and "****" in row[4] for row in mrows)
    # Manager B exports nothing of department A.
    assert len(read_csv(env.p["manager_b"].send(
        "GET", f"/api/v1/applications/export.csv?job_id={job}"))) == 1
    entries = [e for e in audit(w, action="application.export") if e["actor_id"] == hr.user["id"]]
    assert entries, "the export is audited"
    after = entries[0]["changes"]["after"]
    assert after["rows"] == 3 and after["personal_data"] is True
    assert after["filters"]["job_id"] == job


def test_export_neutralises_formulas_in_names(env):
    w, hr = env.world, env.p["hr"]
    job = new_job(w)["id"]
    app = new_application(w, job, name="=HYPERLINK(\"http://x\")")["id"]
    rows = read_csv(hr.send("GET", f"/api/v1/applications/export.csv?job_id={job}"))
    assert [r[0] for r in rows[1:]] == [app]
    assert rows[1][2] == "'=HYPERLINK(\"http://x\")"


# ----------------------------------------------------------------------------------------------
# result views and the dashboard


def test_first_view_of_a_finished_result_is_recorded_once(env):
    w, hr, mb, tok = env.world, env.p["hr"], env.p["manager_b"], env.p["token_read"]
    job = new_job(w)
    app = new_application(w, job["id"])["id"]
    token = w.invite(app)["token"]
    # Not finished: viewing records nothing.
    ok(hr.send("GET", f"/api/v1/applications/{app}/interview"))
    w.consent(token)
    w.candidate("POST", token, "/finish")
    dash = ok(hr.send("GET", "/api/v1/dashboard?todo_limit=100"))
    assert app in [t["application_id"] for t in dash["todo"]["items"]]
    # API tokens and out-of-scope managers do not count as a view.
    ok(tok.send("GET", f"/api/v1/applications/{app}/interview"))
    error(mb.send("GET", f"/api/v1/applications/{app}/interview"), 404, "not_found")
    item = ok(hr.send("GET", f"/api/v1/applications?job_id={job['id']}"))["items"][0]
    assert item["interview"]["viewed_at"] is None
    ok(hr.send("GET", f"/api/v1/applications/{app}/interview"))
    ok(env.p["admin"].send("GET", f"/api/v1/applications/{app}/interview"))
    item = ok(hr.send("GET", f"/api/v1/applications?job_id={job['id']}"))["items"][0]
    assert item["interview"]["viewed_by"] == hr.user["id"] and item["interview"]["viewed_at"]
    views = [e for e in audit(w, action="interview.result_viewed")
             if e["target_id"] == item["interview"]["id"]]
    assert len(views) == 1 and views[0]["actor_id"] == hr.user["id"]
    dash = ok(hr.send("GET", "/api/v1/dashboard?todo_limit=100"))
    assert app not in [t["application_id"] for t in dash["todo"]["items"]]


def test_dashboard_todo_funnel_activity_and_scope(env):
    w, hr, ma, mb = env.world, env.p["hr"], env.p["manager_a"], env.p["manager_b"]
    job = new_job(w)
    first = new_application(w, job["id"])["id"]
    finish_interview(w, first)
    second = new_application(w, job["id"])["id"]
    finish_interview(w, second)
    new_application(w, job["id"], stage="new")
    dash = ok(hr.send("GET", "/api/v1/dashboard?todo_limit=100&activity_limit=50"))
    todo = dash["todo"]
    mine = [t for t in todo["items"] if t["job_id"] == job["id"]]
    assert [t["application_id"] for t in mine] == [first, second], "oldest first"
    finished = [t["finished_at"] for t in todo["items"]]
    assert finished == sorted(finished)
    assert all(t["age_hours"] >= 0 and t["overdue"] is False for t in mine)
    assert todo["total"] >= len(todo["items"]) and todo["overdue_after_hours"] == 72
    assert mine[0]["candidate_name"] == "测试候选人"
    funnel = next(f for f in dash["funnel"] if f["job_id"] == job["id"])
    assert funnel["total"] == 3
    assert funnel["stages"]["interview_completed"] == 2 and funnel["stages"]["new"] == 1
    assert sum(funnel["stages"].values()) == 3 and len(funnel["stages"]) == 11
    # Activity: newest first, no personal data and no raw change documents.
    acts = dash["recent_activity"]
    seqs = [x["seq"] for x in acts]
    assert seqs == sorted(seqs, reverse=True)
    text = json.dumps(acts, ensure_ascii=False)
    assert "测试候选人" not in text and "changes" not in text
    assert any(x["application_id"] == second and x["action"] == "interview.scored" for x in acts)
    assert all(x["action"] not in ("interview.answer", "interview.advance") for x in acts)
    # Managers: their departments only, names masked.
    dma = ok(ma.send("GET", "/api/v1/dashboard?todo_limit=100"))
    mine_a = [t for t in dma["todo"]["items"] if t["job_id"] == job["id"]]
    assert len(mine_a) == 2 and all(t["candidate_name"] == "测****" for t in mine_a)
    assert all(t["department_id"] in ma.scope for t in dma["todo"]["items"])
    dmb = ok(mb.send("GET", "/api/v1/dashboard?todo_limit=100&activity_limit=100"))
    assert all(t["department_id"] in mb.scope for t in dmb["todo"]["items"])
    assert all(f["department_id"] in mb.scope for f in dmb["funnel"])
    assert job["id"] not in [f["job_id"] for f in dmb["funnel"]]
    assert first not in [x["application_id"] for x in dmb["recent_activity"]]
    # Open review tasks count up with a candidate's review request.
    before = dash["open_review_tasks"]
    w.create_open_task()
    assert ok(hr.send("GET", "/api/v1/dashboard"))["open_review_tasks"] == before + 1
    error(hr.send("GET", "/api/v1/dashboard?todo_limit=0"), 400)
    error(hr.send("GET", "/api/v1/dashboard?activity_limit=x"), 400)
    error(env.p["auditor"].send("GET", "/api/v1/dashboard"), 403, "forbidden")


# ----------------------------------------------------------------------------------------------
# comments, mentions, notifications


def test_comments_mentions_notifications(env):
    w, hr, ma, mb = env.world, env.p["hr"], env.p["manager_a"], env.p["manager_b"]
    app = w.create_application()["id"]
    ma_name, mb_name = ma.user["name"], mb.user["name"]
    unread_before = ok(ma.send("GET", "/api/v1/notifications?unread=true"))["unread_count"]
    users = ok(hr.send("GET", f"/api/v1/applications/{app}/mentionable-users"))["items"]
    names = {u["id"]: u for u in users}
    assert ma.user["id"] in names and mb.user["id"] not in names
    assert all(u["role"] in ("admin", "hr", "manager") for u in users)
    secret = "候选人的期望薪资是三万，" + unique("备注")
    body = f"@{ma_name}请看一下这位候选人。{secret}"
    c = ok(hr.send("POST", f"/api/v1/applications/{app}/comments", {"body": body}), 201)
    assert c["body"] == body and c["kind"] == "comment"
    assert c["author"] == {"id": hr.user["id"], "name": hr.user["name"]}
    assert [m["user_id"] for m in c["mentions"]] == [ma.user["id"]]
    # Encrypted at rest, bound to its row; the audit entry has no text.
    rows = env.sql(f"SELECT body_enc FROM application_comments WHERE id = '{c['id']}'")
    assert rows[0][0].startswith("v1:") and secret not in rows[0][0]
    entry = [e for e in audit(w, action="application.comment") if e["target_id"] == app][0]
    assert secret not in json.dumps(entry, ensure_ascii=False)
    assert entry["changes"]["after"]["mentions"] == [ma.user["id"]]
    # Manager B is not a reader of department A: neither @name nor an explicit id reaches them.
    c2 = ok(hr.send("POST", f"/api/v1/applications/{app}/comments",
                    {"body": f"@{mb_name} 也看看"}), 201)
    assert c2["mentions"] == []
    err = error(hr.send("POST", f"/api/v1/applications/{app}/comments",
                        {"body": "看看", "mentions": [mb.user["id"]]}), 400)
    assert err["details"][0]["field"] == "mentions[0]"
    # The mentioned manager has a notification with an excerpt, and can mark it read.
    page = ok(ma.send("GET", "/api/v1/notifications?unread=true"))
    assert page["unread_count"] == unread_before + 1
    n = page["items"][0]
    assert n["kind"] == "mention" and n["application_id"] == app and n["read"] is False
    assert n["comment_id"] == c["id"] and n["excerpt"].startswith(f"@{ma_name}")
    assert n["actor"]["id"] == hr.user["id"] and n["candidate_name"] == "测****"
    # Someone else's ids change nothing.
    assert ok(hr.send("POST", "/api/v1/notifications/read", {"ids": [n["id"]]}))["marked"] == 0
    done = ok(ma.send("POST", "/api/v1/notifications/read", {"ids": [n["id"]]}))
    assert done["marked"] == 1 and done["unread_count"] == unread_before
    assert ok(ma.send("GET", "/api/v1/notifications?unread=true"))["unread_count"] == unread_before
    assert ok(ma.send("POST", "/api/v1/notifications/read", {"all": True}))["unread_count"] == 0
    # Listing: newest first; scope and permissions.
    listed = ok(ma.send("GET", f"/api/v1/applications/{app}/comments"))
    assert ids(listed)[:2] == [c2["id"], c["id"]]
    error(mb.send("GET", f"/api/v1/applications/{app}/comments"), 404, "not_found")
    error(mb.send("POST", f"/api/v1/applications/{app}/comments", {"body": "x"}), 404,
          "not_found")
    error(env.p["token_write"].send("POST", f"/api/v1/applications/{app}/comments",
                                    {"body": "x"}), 403, "forbidden")
    assert ok(env.p["token_read"].send("GET", "/api/v1/notifications"))["items"] == []
    assert ok(env.p["auditor"].send("GET", "/api/v1/notifications"))["unread_count"] == 0
    # Bad bodies: nothing stored.
    count = len(all_pages(hr, f"/api/v1/applications/{app}/comments"))
    for bad in ({"body": ""}, {"body": "  "}, {"body": "字" * 5001}, {"body": 5},
                {"body": "x", "mentions": ["nope"]}, {"body": "x", "extra": 1}, {},
                {"body": "x", "mentions": [MISSING_ID]}):
        error(hr.send("POST", f"/api/v1/applications/{app}/comments", bad), 400)
    assert len(all_pages(hr, f"/api/v1/applications/{app}/comments")) == count
    ok(hr.send("POST", f"/api/v1/applications/{app}/comments", {"body": "字" * 5000}), 201)
    error(hr.send("POST", f"/api/v1/applications/{MISSING_ID}/comments", {"body": "x"}), 404,
          "not_found")
    for bad in ({}, {"ids": []}, {"ids": ["x"]}, {"all": True, "ids": [MISSING_ID]},
                {"all": "yes"}):
        error(ma.send("POST", "/api/v1/notifications/read", bad), 400)
    error(ma.send("GET", "/api/v1/notifications?unread=maybe"), 400)


# ----------------------------------------------------------------------------------------------
# history


def test_history_from_the_audit_log_and_records(env):
    w, hr, ma, mb = env.world, env.p["hr"], env.p["manager_a"], env.p["manager_b"]
    job = new_job(w)
    app = new_application(w, job["id"])["id"]
    finish_interview(w, app)
    k1 = w.model_a["dimensions"][0]["key"]
    ok(w.admin.post(f"/api/v1/applications/{app}/interview/overrides",
                    json={"dimension_key": k1, "score": 66, "reason": "复核后调整"}), 201)
    ok(hr.send("GET", f"/api/v1/applications/{app}/interview"))
    ok(ma.send("POST", f"/api/v1/applications/{app}/comments", {"body": "沟通不错"}), 201)
    ok(hr.send("PATCH", f"/api/v1/applications/{app}", {"stage": "hr_review"}))
    h = ok(ma.send("GET", f"/api/v1/applications/{app}/history"))
    assert h["application_id"] == app and h["stage"] == "hr_review"
    kinds = [i["kind"] for i in h["items"]]
    for expected in ("created", "invitation", "interview", "score", "score_override", "view",
                     "comment", "stage_change"):
        assert expected in kinds, (expected, kinds)
    assert kinds.index("created") < kinds.index("invitation") < kinds.index("score") < \
        kinds.index("score_override") < kinds.index("view") < kinds.index("comment")
    seqs = [i["seq"] for i in h["items"]]
    assert seqs == sorted(seqs), "oldest first"
    stage_moves = [(i["details"]["from"], i["details"]["to"]) for i in h["items"]
                   if i["kind"] == "stage_change"]
    assert stage_moves == [("screening", "interview_invited"),
                           ("interview_invited", "interviewing"),
                           ("interviewing", "interview_completed"),
                           ("interview_completed", "hr_review")]
    last = h["items"][-1]
    assert last["actor"] == {"type": "user", "id": hr.user["id"], "name": hr.user["name"]}
    comment = next(i for i in h["items"] if i["kind"] == "comment")
    assert comment["details"]["comment"]["body"] == "沟通不错"
    assert comment["actor"]["name"] == ma.user["name"]
    override = next(i for i in h["items"] if i["kind"] == "score_override")
    assert override["details"]["dimension_key"] == k1 and override["details"]["score"] == 66
    assert next(i for i in h["items"] if i["kind"] == "view")["actor"]["id"] == hr.user["id"]
    assert next(i for i in h["items"] if i["action"] == "interview.finish")["actor"]["type"] == \
        "candidate"
    error(mb.send("GET", f"/api/v1/applications/{app}/history"), 404, "not_found")
    error(hr.send("GET", f"/api/v1/applications/{MISSING_ID}/history"), 404, "not_found")
    error(env.p["auditor"].send("GET", f"/api/v1/applications/{app}/history"), 403, "forbidden")


# ----------------------------------------------------------------------------------------------
# bulk actions


def stage_of(w, app):
    return ok(w.admin.get(f"/api/v1/applications/{app}"))["stage"]


def test_bulk_move_stage_per_id_results_and_audit(env):
    w, hr, ma = env.world, env.p["hr"], env.p["manager_a"]
    apps = [w.create_application()["id"] for _ in range(3)]
    other_app = next(i for i in all_pages(w.admin, "/api/v1/applications")
                     if i["department_id"] not in ma.scope)
    other, other_stage = other_app["id"], other_app["stage"]
    before = len(audit(w, action="application.stage_changed"))
    r = ok(ma.send("POST", "/api/v1/applications/bulk",
                   {"action": "move_stage", "ids": apps + [MISSING_ID, other],
                    "stage": "hr_review"}))
    assert r["total"] == 5 and r["succeeded"] == 3 and r["failed"] == 2
    res = {x["id"]: x for x in r["results"]}
    assert [x["id"] for x in r["results"]] == apps + [MISSING_ID, other]
    for app in apps:
        assert res[app]["ok"] is True and res[app]["application"]["stage"] == "hr_review"
        assert stage_of(w, app) == "hr_review"
    for bad in (MISSING_ID, other):  # out of scope looks exactly like missing
        assert res[bad]["ok"] is False and res[bad]["error"]["code"] == "not_found"
    assert stage_of(w, other) == other_stage
    assert len(audit(w, action="application.stage_changed")) == before + 3
    # Bad requests change nothing.
    for bad in ({"action": "move_stage", "ids": apps},
                {"action": "move_stage", "ids": apps, "stage": "celebrating"},
                {"action": "archive", "ids": apps, "stage": "new"},
                {"action": "move_stage", "ids": [], "stage": "new"},
                {"action": "move_stage", "ids": [apps[0], apps[0]], "stage": "new"},
                {"action": "move_stage", "ids": ["x"], "stage": "new"},
                {"action": "move_stage", "ids": [MISSING_ID] * 201, "stage": "new"},
                {"action": "move_stage", "ids": apps, "stage": "new", "extra": True},
                {"action": "invite", "ids": apps, "stage": "new"},
                {"action": "invite", "ids": apps, "expires_in_days": 0}):
        error(hr.send("POST", "/api/v1/applications/bulk", bad), 400)
    assert all(stage_of(w, app) == "hr_review" for app in apps)
    assert len(audit(w, action="application.stage_changed")) == before + 3
    # Inviting needs applications:write (managers lack it).
    error(ma.send("POST", "/api/v1/applications/bulk", {"action": "invite", "ids": apps}), 403,
          "forbidden")
    error(env.p["token_read"].send("POST", "/api/v1/applications/bulk",
                                   {"action": "move_stage", "ids": apps, "stage": "new"}), 403,
          "forbidden")


def test_bulk_invite(env):
    w, hr = env.world, env.p["hr"]
    fresh = [w.create_application()["id"] for _ in range(2)]
    invited, _ = w.create_invited_application()
    r = ok(hr.send("POST", "/api/v1/applications/bulk",
                   {"action": "invite", "ids": fresh + [invited], "expires_in_days": 3}))
    assert r["succeeded"] == 2 and r["failed"] == 1
    res = {x["id"]: x for x in r["results"]}
    for app in fresh:
        iv = res[app]["interview"]
        assert iv["status"] == "invited" and iv["link"].endswith(iv["token"])
        assert w.candidate("GET", iv["token"]).status_code == 200
        assert stage_of(w, app) == "interview_invited"
    assert res[invited]["error"]["code"] == "interview_exists"
    assert len([e for e in audit(w, action="interview.invite")
                if e["target_id"] in (res[a]["interview"]["id"] for a in fresh)]) == 2


# ----------------------------------------------------------------------------------------------
# manager review and decisions


def test_review_queue_and_decisions(env):
    w, hr, ma, mb = env.world, env.p["hr"], env.p["manager_a"], env.p["manager_b"]
    job = new_job(w)
    approve, decline, early = (new_application(w, job["id"])["id"] for _ in range(3))
    for app in (approve, decline):
        ok(hr.send("PATCH", f"/api/v1/applications/{app}", {"stage": "hr_review"}))
    queue = ok(ma.send("GET", f"/api/v1/reviews?job_id={job['id']}"))
    assert ids(queue) == [approve, decline], "oldest first"
    assert all(i["stage"] == "hr_review" for i in all_pages(ma, "/api/v1/reviews"))
    assert all(i["department_id"] in ma.scope for i in all_pages(ma, "/api/v1/reviews"))
    assert ok(mb.send("GET", f"/api/v1/reviews?job_id={job['id']}"))["items"] == []
    # Approve: to the next round, comment stored as a decision comment.
    r = ok(ma.send("POST", f"/api/v1/applications/{approve}/decision",
                   {"decision": "approve", "comment": "同意进入复试"}))
    assert r["application"]["stage"] == "second_round" and r["comment"]["kind"] == "decision"
    assert r["comment"]["body"] == "同意进入复试"
    comments = ok(hr.send("GET", f"/api/v1/applications/{approve}/comments"))["items"]
    assert comments[0]["id"] == r["comment"]["id"]
    entry = [e for e in audit(w, action="application.decision") if e["target_id"] == approve][0]
    assert entry["actor_id"] == ma.user["id"]
    assert entry["changes"]["after"]["decision"] == "approve"
    assert entry["changes"]["after"]["to"] == "second_round"
    assert "同意进入复试" not in json.dumps(entry, ensure_ascii=False)
    # Decline needs a reason; a refused decision changes nothing.
    error(ma.send("POST", f"/api/v1/applications/{decline}/decision", {"decision": "decline"}),
          400)
    error(ma.send("POST", f"/api/v1/applications/{decline}/decision",
                  {"decision": "maybe", "comment": "x"}), 400)
    error(ma.send("POST", f"/api/v1/applications/{decline}/decision",
                  {"decision": "approve", "comment": "字" * 5001}), 400)
    assert stage_of(w, decline) == "hr_review"
    error(mb.send("POST", f"/api/v1/applications/{decline}/decision",
                  {"decision": "decline", "comment": "不合适"}), 404, "not_found")
    assert stage_of(w, decline) == "hr_review"
    r = ok(ma.send("POST", f"/api/v1/applications/{decline}/decision",
                   {"decision": "decline", "comment": "经验不足"}))
    assert r["application"]["stage"] == "rejected"
    # Decided, or not yet at the review step: 409.
    error(ma.send("POST", f"/api/v1/applications/{decline}/decision", {"decision": "approve"}),
          409, "decision_not_allowed")
    error(hr.send("POST", f"/api/v1/applications/{early}/decision", {"decision": "approve"}),
          409, "decision_not_allowed")
    assert stage_of(w, early) == "screening"
    # People decide: no API token scope grants it; auditors cannot.
    error(env.p["token_write"].send("POST", f"/api/v1/applications/{early}/decision",
                                    {"decision": "approve"}), 403, "forbidden")
    error(env.p["auditor"].send("GET", "/api/v1/reviews"), 403, "forbidden")
    h = ok(hr.send("GET", f"/api/v1/applications/{decline}/history"))
    decision = next(i for i in h["items"] if i["kind"] == "decision")
    assert decision["details"]["decision"] == "decline"
    assert decision["details"]["comment"]["body"] == "经验不足"


def test_erasure_removes_comments_and_notifications(env):
    w, hr, ma = env.world, env.p["hr"], env.p["manager_a"]
    cand = new_candidate(w)
    app = w._create("/api/v1/applications", {"candidate_id": cand["id"], "job_id": w.job_a})["id"]
    c = ok(hr.send("POST", f"/api/v1/applications/{app}/comments",
                   {"body": "请看", "mentions": [ma.user["id"]]}), 201)
    assert env.sql(f"SELECT COUNT(*) FROM notifications WHERE comment_id = '{c['id']}'") == [["1"]]
    ok(w.admin.delete(f"/api/v1/candidates/{cand['id']}"), 204)
    assert env.sql(f"SELECT COUNT(*) FROM application_comments WHERE id = '{c['id']}'") == [["0"]]
    assert env.sql(f"SELECT COUNT(*) FROM notifications WHERE comment_id = '{c['id']}'") == [["0"]]
    assert env.sql(f"SELECT COUNT(*) FROM comment_mentions WHERE comment_id = '{c['id']}'") == \
        [["0"]]
