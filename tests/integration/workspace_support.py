"""The HR workspace routes in the shared authorization and spec suites: request builders for
test_authz_matrix.py and response checks for test_openapi.py (kept here so those files only
gain one line each per suite)."""

from authz_support import all_pages

MISSING_ID = "01ARZ3NDEKTSV4RRFFQ69G5FAV"


def _stage(w, app):
    r = w.admin.get(f"/api/v1/applications/{app}")
    assert r.status_code == 200, r.text
    return r.json()["stage"]


def _comment_count(w, app):
    return len(all_pages(w.admin, f"/api/v1/applications/{app}/comments"))


def _review_application(w):
    """A new application of department A waiting in the HR review stage."""
    app = w.create_application()["id"]
    r = w.admin.patch(f"/api/v1/applications/{app}", json={"stage": "hr_review"})
    assert r.status_code == 200, r.text
    return app


def _pool_candidate(w):
    """A new candidate kept in the talent pool from a job of manager A's scope other than
    job A (so re-inviting to job A is possible)."""
    other = next(j["id"] for j in all_pages(w.admin, "/api/v1/jobs")
                 if j["department_id"] in w.scope_a and j["id"] != w.job_a)
    cand = w.create_candidate()
    w._create("/api/v1/applications", {"candidate_id": cand["id"], "job_id": other,
                                        "stage": "talent_pool", "source": "内推"})
    return cand["id"]


def _applications_of(w, cand):
    return all_pages(w.admin, f"/api/v1/applications?candidate_id={cand}")


def matrix_builders(Call):
    """(method, path) -> builder(world, principal) -> Call, for every workspace route."""

    def comment(w, p):
        before = _comment_count(w, w.app_a)
        return Call(f"/api/v1/applications/{w.app_a}/comments", {"body": f"{p.name} 的评论"},
                    intact=lambda: _comment_count(w, w.app_a) == before)

    def bulk(w, p):
        app = w.create_application()["id"]
        return Call("/api/v1/applications/bulk",
                    {"action": "move_stage", "ids": [app], "stage": "hr_review"},
                    intact=lambda: _stage(w, app) == "screening")

    def decision(w, p):
        app = _review_application(w)
        return Call(f"/api/v1/applications/{app}/decision",
                    {"decision": "approve", "comment": f"{p.name} 同意进入复试"},
                    intact=lambda: _stage(w, app) == "hr_review")

    def reinvite(w, p):
        cand = _pool_candidate(w)
        return Call(f"/api/v1/talent-pool/{cand}/reinvite", {"job_id": w.job_a},
                    intact=lambda: len(_applications_of(w, cand)) == 1)

    return {
        ("GET", "/api/v1/talent-pool"): lambda w, p: Call("/api/v1/talent-pool?limit=5"),
        ("POST", "/api/v1/talent-pool/{id}/reinvite"): reinvite,
        ("GET", "/api/v1/applications/export.csv"): lambda w, p: Call(
            f"/api/v1/applications/export.csv?job_id={w.job_a}"),
        ("POST", "/api/v1/applications/bulk"): bulk,
        ("GET", "/api/v1/dashboard"): lambda w, p: Call("/api/v1/dashboard"),
        ("GET", "/api/v1/applications/{id}/history"): lambda w, p: Call(
            f"/api/v1/applications/{w.app_a}/history"),
        ("GET", "/api/v1/applications/{id}/comments"): lambda w, p: Call(
            f"/api/v1/applications/{w.app_a}/comments"),
        ("POST", "/api/v1/applications/{id}/comments"): comment,
        ("GET", "/api/v1/applications/{id}/mentionable-users"): lambda w, p: Call(
            f"/api/v1/applications/{w.app_a}/mentionable-users"),
        ("GET", "/api/v1/notifications"): lambda w, p: Call("/api/v1/notifications?limit=10"),
        ("POST", "/api/v1/notifications/read"): lambda w, p: Call("/api/v1/notifications/read",
                                                                  {"all": True}),
        ("GET", "/api/v1/reviews"): lambda w, p: Call("/api/v1/reviews?limit=10"),
        ("POST", "/api/v1/applications/{id}/decision"): decision,
    }


def spec_checks(check, w, ps):
    """Success and error responses of every workspace route, validated by test_openapi's
    Checker against docs/openapi.yaml."""
    admin, hr, mgr_a, mgr_b = ps["admin"], ps["hr"], ps["manager_a"], ps["manager_b"]
    auditor, anon, tok_r, tok_w = ps["auditor"], ps["anonymous"], ps["token_read"], ps["token_write"]
    k1 = w.model_a["dimensions"][0]["key"]

    # ---- the applications table with every filter, and its export ----
    t = "/api/v1/applications"
    page = check(hr, "GET", t, t + f"?job_id={w.job_a}&stage=interview_completed,hr_review"
                 f"&interview_status=completed&dim={k1}:0&sort=-overall&limit=5", status=200)
    assert all(i["interview"]["status"] == "completed" for i in page.json()["items"])
    check(mgr_a, "GET", t, t + "?recommendation=review&min_score=0&max_score=100", status=200)
    check(hr, "GET", t, t + "?dim=communication", status=400, code="validation_failed")
    t = "/api/v1/applications/export.csv"
    r = check(hr, "GET", t, t + f"?job_id={w.job_a}&sort=overall", status=200)
    assert r.content.startswith(b"\xef\xbb\xbf")
    check(mgr_a, "GET", t, t + f"?dim={k1}:50", status=200)
    check(hr, "GET", t, t + "?min_score=101", status=400, code="validation_failed")
    check(anon, "GET", t, t, status=401, code="unauthenticated")
    check(auditor, "GET", t, t, status=403, code="forbidden")

    # ---- bulk actions ----
    t = "/api/v1/applications/bulk"
    apps = [w.create_application()["id"] for _ in range(2)]
    res = check(hr, "POST", t, t, {"action": "move_stage", "ids": apps + [MISSING_ID],
                                   "stage": "hr_review"}, status=200).json()
    assert [x["ok"] for x in res["results"]] == [True, True, False]
    check(tok_w, "POST", t, t, {"action": "invite", "ids": [w.create_application()["id"]],
                                "expires_in_days": 5}, status=200)
    check(hr, "POST", t, t, {"action": "move_stage", "ids": apps}, status=400,
          code="validation_failed")
    check(hr, "POST", t, t, raw="{", status=400, code="invalid_json")
    check(hr, "POST", t, t, raw="{}", headers={"Content-Type": "text/plain"}, status=415,
          code="unsupported_media_type")
    check(anon, "POST", t, t, {"action": "move_stage", "ids": apps, "stage": "new"}, status=401)
    check(tok_r, "POST", t, t, {"action": "move_stage", "ids": apps, "stage": "new"}, status=403)
    check(mgr_a, "POST", t, t, {"action": "invite", "ids": apps}, status=403, code="forbidden")

    # ---- talent pool ----
    t = "/api/v1/talent-pool"
    cand = _pool_candidate(w)
    page = check(hr, "GET", t, t + "?limit=50", status=200).json()
    assert cand in [i["candidate_id"] for i in page["items"]]
    check(mgr_a, "GET", t, t + "?tag=授权测试&min_score=0", status=200)
    check(hr, "GET", t, t + "?min_score=abc", status=400, code="validation_failed")
    check(anon, "GET", t, t, status=401)
    check(auditor, "GET", t, t, status=403)
    t = "/api/v1/talent-pool/{id}/reinvite"
    p = f"/api/v1/talent-pool/{cand}/reinvite"
    check(hr, "POST", t, p, {"job_id": "nope"}, status=400, code="validation_failed")
    check(mgr_b, "POST", t, p, {"job_id": w.job_a}, status=403, code="forbidden")
    check(hr, "POST", t, f"/api/v1/talent-pool/{MISSING_ID}/reinvite", {"job_id": w.job_a},
          status=404, code="not_found")
    check(hr, "POST", t, p, {"job_id": w.job_a, "expires_in_days": 5}, status=201)
    check(hr, "POST", t, p, {"job_id": w.job_a}, status=409, code="duplicate_application")
    check(anon, "POST", t, p, {"job_id": w.job_a}, status=401)

    # ---- dashboard ----
    t = "/api/v1/dashboard"
    for p in (admin, hr, mgr_a, tok_r):
        check(p, "GET", t, t + "?todo_limit=5&activity_limit=5", status=200)
    check(hr, "GET", t, t + "?todo_limit=101", status=400, code="validation_failed")
    check(anon, "GET", t, t, status=401)
    check(auditor, "GET", t, t, status=403)

    # ---- comments, mentions, notifications ----
    app = w.app_a
    t = "/api/v1/applications/{id}/comments"
    p = f"/api/v1/applications/{app}/comments"
    mgr_a_name = mgr_a.user["name"]
    c = check(hr, "POST", t, p, {"body": f"@{mgr_a_name} 请看一下", "mentions": []},
              status=201).json()
    assert [m["user_id"] for m in c["mentions"]] == [mgr_a.user["id"]]
    check(mgr_a, "POST", t, p, {"body": "收到", "mentions": [hr.user["id"]]}, status=201)
    check(hr, "POST", t, p, {"body": ""}, status=400, code="validation_failed")
    check(hr, "POST", t, p, {"body": "x", "mentions": [mgr_b.user["id"]]}, status=400)
    check(hr, "POST", t, p, raw="[", status=400, code="invalid_json")
    check(hr, "POST", t, p, raw="{}", headers={"Content-Type": "text/plain"}, status=415)
    check(anon, "POST", t, p, {"body": "x"}, status=401)
    check(tok_w, "POST", t, p, {"body": "x"}, status=403, code="forbidden")
    check(mgr_b, "POST", t, p, {"body": "x"}, status=404, code="not_found")
    check(hr, "POST", t, f"/api/v1/applications/{MISSING_ID}/comments", {"body": "x"},
          status=404)
    listed = check(tok_r, "GET", t, p + "?limit=1", status=200).json()
    assert listed["next_cursor"]
    check(mgr_a, "GET", t, p + f"?cursor={listed['next_cursor']}", status=200)
    check(hr, "GET", t, p + "?limit=0", status=400, code="validation_failed")
    check(anon, "GET", t, p, status=401)
    check(auditor, "GET", t, p, status=403)
    check(mgr_b, "GET", t, p, status=404, code="not_found")
    t = "/api/v1/applications/{id}/mentionable-users"
    p = f"/api/v1/applications/{app}/mentionable-users"
    users = check(mgr_a, "GET", t, p, status=200).json()["items"]
    assert mgr_a.user["id"] in [u["id"] for u in users]
    check(anon, "GET", t, p, status=401)
    check(tok_r, "GET", t, p, status=403)
    check(mgr_b, "GET", t, p, status=404)
    t = "/api/v1/notifications"
    page = check(mgr_a, "GET", t, t + "?unread=true", status=200).json()
    assert page["unread_count"] >= 1 and page["items"][0]["kind"] == "mention"
    check(tok_r, "GET", t, t, status=200)
    check(mgr_a, "GET", t, t + "?limit=500", status=400, code="validation_failed")
    check(anon, "GET", t, t, status=401)
    t = "/api/v1/notifications/read"
    done = check(mgr_a, "POST", t, t, {"ids": [page["items"][0]["id"]]}, status=200).json()
    assert done["marked"] == 1
    check(mgr_a, "POST", t, t, {"all": True}, status=200)
    check(mgr_a, "POST", t, t, {}, status=400, code="validation_failed")
    check(mgr_a, "POST", t, t, raw="{", status=400, code="invalid_json")
    check(mgr_a, "POST", t, t, raw="{}", headers={"Content-Type": "text/plain"}, status=415)
    check(anon, "POST", t, t, {"all": True}, status=401)

    # ---- history ----
    t = "/api/v1/applications/{id}/history"
    interview_app = w.interview_app
    check(admin, "GET", "/api/v1/applications/{id}/interview",
          f"/api/v1/applications/{interview_app}/interview", status=200)
    h = check(mgr_a, "GET", t, f"/api/v1/applications/{interview_app}/history",
              status=200).json()
    assert "score" in [i["kind"] for i in h["items"]]
    check(tok_r, "GET", t, f"/api/v1/applications/{app}/history", status=200)
    check(anon, "GET", t, f"/api/v1/applications/{app}/history", status=401)
    check(auditor, "GET", t, f"/api/v1/applications/{app}/history", status=403)
    check(mgr_b, "GET", t, f"/api/v1/applications/{app}/history", status=404)
    check(hr, "GET", t, f"/api/v1/applications/{MISSING_ID}/history", status=404)

    # ---- reviews and decisions ----
    t = "/api/v1/reviews"
    waiting = _review_application(w)
    queue = check(mgr_a, "GET", t, t + f"?job_id={w.job_a}&limit=200", status=200).json()
    assert waiting in [i["id"] for i in queue["items"]]
    check(hr, "GET", t, t + "?sort=-overall", status=200)
    check(hr, "GET", t, t + "?limit=x", status=400, code="validation_failed")
    check(anon, "GET", t, t, status=401)
    check(tok_r, "GET", t, t, status=403)
    t = "/api/v1/applications/{id}/decision"
    p = f"/api/v1/applications/{waiting}/decision"
    check(mgr_a, "POST", t, p, {"decision": "decline"}, status=400, code="validation_failed")
    check(mgr_a, "POST", t, p, raw="{", status=400, code="invalid_json")
    check(mgr_a, "POST", t, p, raw="{}", headers={"Content-Type": "text/plain"}, status=415)
    check(anon, "POST", t, p, {"decision": "approve"}, status=401)
    check(tok_w, "POST", t, p, {"decision": "approve"}, status=403, code="forbidden")
    check(mgr_b, "POST", t, p, {"decision": "approve"}, status=404, code="not_found")
    check(hr, "POST", t, f"/api/v1/applications/{MISSING_ID}/decision", {"decision": "approve"},
          status=404)
    decided = check(mgr_a, "POST", t, p, {"decision": "approve", "comment": "同意"},
                    status=200).json()
    assert decided["application"]["stage"] == "second_round"
    check(mgr_a, "POST", t, p, {"decision": "decline", "comment": "不合适"}, status=409,
          code="decision_not_allowed")
    declined = check(hr, "POST", t, f"/api/v1/applications/{_review_application(w)}/decision",
                     {"decision": "decline", "comment": "经验不足"}, status=200).json()
    assert declined["application"]["stage"] == "rejected"
