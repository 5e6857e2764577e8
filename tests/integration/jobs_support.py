"""Helpers for the background-job tests: reading the queue as admin, and dead jobs as fixtures.

A dead job is written straight into the server's database (SQLite file or PostgreSQL URL): the
only other way to get one is to make a real job fail max_attempts times, which the job tests do
where it is the subject (test_jobs.py)."""

import json
import os
import sqlite3
import subprocess
import time

_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_ulid():
    ms = int(time.time() * 1000)
    rnd = int.from_bytes(os.urandom(10), "big")
    out = []
    for _ in range(16):
        out.append(_CROCKFORD[rnd & 31])
        rnd >>= 5
    head = []
    for _ in range(10):
        head.append(_CROCKFORD[ms & 31])
        ms >>= 5
    return "".join(reversed(head)) + "".join(reversed(out))


def run_sql(server, sql, params=()):
    """Runs one statement on the server's database (both backends)."""
    if server.db_url:
        # psql has no bind parameters here: only trusted test literals are interpolated.
        text = sql
        for p in params:
            lit = "NULL" if p is None else (str(p) if isinstance(p, int) else
                                            "'" + str(p).replace("'", "''") + "'")
            text = text.replace("?", lit, 1)
        subprocess.run(["psql", server.db_url, "-v", "ON_ERROR_STOP=1", "-qAtc", text],
                       check=True, capture_output=True, timeout=30)
        return
    con = sqlite3.connect(str(server.data_dir / "zhimian.db"), timeout=30)
    try:
        con.execute(sql, params)
        con.commit()
    finally:
        con.close()


def insert_dead_job(server, kind="notify.email", reason="smtp: 550 mailbox unavailable"):
    """Id of a new dead job of `kind` (a kind no worker of the test server claims)."""
    jid = new_ulid()
    now = int(time.time() * 1000)
    run_sql(server,
            "INSERT INTO background_jobs (id, kind, payload, idempotency_key, state, attempts, "
            "max_attempts, run_at, last_error, created_at, updated_at, finished_at) VALUES "
            "(?, ?, ?, ?, 'dead', 3, 3, ?, ?, ?, ?, ?)",
            (jid, kind, json.dumps({"application_id": new_ulid()}), "test-dead:" + jid, now,
             reason, now, now, now))
    return jid


def get_job(admin, jid):
    r = admin.get(f"/api/v1/background-jobs/{jid}")
    assert r.status_code == 200, r.text
    return r.json()


def matrix_builders(Call):
    """(method, path) -> builder(world, principal) -> Call, for the background-job routes."""

    def retry(w, p):
        jid = insert_dead_job(w.server, kind="test.matrix-dead")
        return Call(f"/api/v1/background-jobs/{jid}/retry",
                    intact=lambda: get_job(w.admin, jid)["state"] == "dead")

    def one(w, p):
        if not hasattr(w, "_dead_job"):
            w._dead_job = insert_dead_job(w.server, kind="test.matrix-dead")
        return Call(f"/api/v1/background-jobs/{w._dead_job}")

    def rule_body(w, **kw):
        body = {"job_id": w.job_a, "name": "授权测试规则", "trigger": {"type": "interview_completed"},
                "conditions": {"overall": {"gte": 90}},
                "actions": [{"type": "move_stage", "stage": "second_round"}]}
        body.update(kw)
        return body

    def create_rule(w):
        r = w.admin.post("/api/v1/automation-rules", json=rule_body(w))
        assert r.status_code == 201, r.text
        return r.json()["id"]

    def rule_a(w):
        if not hasattr(w, "_rule_a"):
            w._rule_a = create_rule(w)
        return w._rule_a

    def delete_rule(w, p):
        rid = create_rule(w)
        path = f"/api/v1/automation-rules/{rid}"
        return Call(path, intact=lambda: w.admin.get(path).status_code == 200)

    return {
        ("GET", "/api/v1/automation-rules"): lambda w, p: Call("/api/v1/automation-rules"),
        ("POST", "/api/v1/automation-rules"): lambda w, p: Call("/api/v1/automation-rules",
                                                                rule_body(w)),
        ("GET", "/api/v1/automation-rules/{id}"): lambda w, p: Call(
            f"/api/v1/automation-rules/{rule_a(w)}"),
        ("PATCH", "/api/v1/automation-rules/{id}"): lambda w, p: Call(
            f"/api/v1/automation-rules/{rule_a(w)}", {"name": f"由 {p.name} 改名"}),
        ("DELETE", "/api/v1/automation-rules/{id}"): delete_rule,
        ("POST", "/api/v1/jobs/{id}/automation-rules/dry-run"): lambda w, p: Call(
            f"/api/v1/jobs/{w.job_a}/automation-rules/dry-run", {}),
        ("GET", "/api/v1/background-jobs"): lambda w, p: Call("/api/v1/background-jobs?limit=5"),
        ("GET", "/api/v1/background-jobs/{id}"): one,
        ("POST", "/api/v1/background-jobs/{id}/retry"): retry,
    }


MISSING = "01J00000000000000000000000"


def spec_checks(check, w, ps):
    """Responses of the automation-rule and background-job routes against the spec, for
    test_openapi.test_responses_validate_against_the_spec (success and every error family)."""
    admin, hr, mgr_a, mgr_b = ps["admin"], ps["hr"], ps["manager_a"], ps["manager_b"]
    auditor, anon, tok_r, tok_w = ps["auditor"], ps["anonymous"], ps["token_read"], ps["token_write"]
    dim_key = w.model_a["dimensions"][0]["key"]

    # ---- automation rules ----
    t = "/api/v1/automation-rules"
    body = {"job_id": w.job_a, "name": "沟通强者直接复试", "trigger": {"type": "interview_completed"},
            "conditions": {"overall": {"gte": 75}, "dimensions": [{"key": dim_key, "gte": 85}],
                           "flags_none": ["teamwork_only_i"], "stages": ["interview_completed"]},
            "actions": [{"type": "move_stage", "stage": "second_round"},
                        {"type": "notify", "channel": "wecom", "to": "manager",
                         "template": "next_round_invitation"}]}
    rule = check(hr, "POST", t, t, body, status=201).json()
    assert rule["job_id"] == w.job_a and rule["conditions"]["overall"] == {"gte": 75}
    check(tok_w, "POST", t, t, dict(body, name="令牌创建的规则"), status=201)
    bad = check(hr, "POST", t, t, dict(body, extra=1), status=400,
                code="validation_failed").json()
    assert [d["field"] for d in bad["error"]["details"]] == ["extra"]
    bad = check(hr, "POST", t, t, dict(body, conditions={"overall": {"gte": 90, "lt": 60}}),
                status=400, code="validation_failed").json()
    assert [d["field"] for d in bad["error"]["details"]] == ["conditions.overall"]
    check(hr, "POST", t, t, dict(body, actions=[{"type": "move_stage", "stage": "moon"}]),
          status=400, code="validation_failed")
    check(hr, "POST", t, t, dict(body, conditions={"dimensions": [{"key": "no_such_dim",
                                                                   "gte": 1}]}), status=400)
    check(anon, "POST", t, t, body, status=401)
    check(mgr_a, "POST", t, t, body, status=403)
    page = check(mgr_a, "GET", t, t, status=200).json()
    assert any(r["id"] == rule["id"] for r in page["items"])
    assert not any(r["id"] == rule["id"] for r in check(mgr_b, "GET", t, t, status=200
                                                          ).json()["items"])
    org = check(tok_r, "GET", t, t + "?scope=organisation", status=200).json()["items"]
    assert [r["position"] for r in org] == sorted(r["position"] for r in org) and len(org) >= 3
    check(hr, "GET", t, t + f"?job_id={w.job_a}", status=200)
    check(hr, "GET", t, t + "?scope=everything", status=400, code="validation_failed")
    check(anon, "GET", t, t, status=401)
    check(ps["auditor"], "GET", t, t, status=200)
    t = "/api/v1/automation-rules/{id}"
    rp = f"/api/v1/automation-rules/{rule['id']}"
    check(mgr_a, "GET", t, rp, status=200)
    check(mgr_b, "GET", t, rp, status=404)
    check(anon, "GET", t, rp, status=401)
    check(hr, "GET", t, f"/api/v1/automation-rules/{MISSING}", status=404)
    patched = check(hr, "PATCH", t, rp, {"enabled": False, "conditions": {"overall": {"gte": 70}}},
                    status=200).json()
    assert patched["enabled"] is False and patched["conditions"] == {"overall": {"gte": 70}}
    check(hr, "PATCH", t, rp, {"job_id": w.job_b}, status=400, code="validation_failed")
    check(anon, "PATCH", t, rp, {"enabled": True}, status=401)
    check(mgr_a, "PATCH", t, rp, {"enabled": True}, status=403)
    check(hr, "PATCH", t, f"/api/v1/automation-rules/{MISSING}", {"enabled": True}, status=404)
    # Two stage-entered rules that would move applications round forever.
    ring = {"job_id": w.job_a, "name": "复核后复试", "trigger": {"type": "stage_entered",
                                                                  "stage": "hr_review"},
            "actions": [{"type": "move_stage", "stage": "second_round"}]}
    check(hr, "POST", "/api/v1/automation-rules", "/api/v1/automation-rules", ring, status=201)
    back = dict(ring, name="复试后复核", trigger={"type": "stage_entered", "stage": "second_round"},
                actions=[{"type": "move_stage", "stage": "hr_review"}])
    err = check(hr, "POST", "/api/v1/automation-rules", "/api/v1/automation-rules", back,
                status=400, code="validation_failed").json()
    assert "cycle" in err["error"]["details"][0]["message"]
    check(anon, "DELETE", t, rp, status=401)
    check(mgr_a, "DELETE", t, rp, status=403)
    check(hr, "DELETE", t, rp, status=204)
    check(hr, "DELETE", t, rp, status=404)

    # ---- dry run ----
    t = "/api/v1/jobs/{id}/automation-rules/dry-run"
    jp = f"/api/v1/jobs/{w.job_a}/automation-rules/dry-run"
    w.interview_app  # a finished interview of job A
    run = check(mgr_a, "POST", t, jp, {}, status=200).json()
    assert run["job_id"] == w.job_a and run["items"]
    proposed = {"name": "试运行", "trigger": {"type": "interview_completed"},
                "conditions": {"overall": {"gte": 0}},
                "actions": [{"type": "create_task", "title": "看一看"}]}
    run = check(hr, "POST", t, jp, proposed, status=200).json()
    assert all(i["rules"][0]["would_fire"] for i in run["items"] if i["overall"] is not None)
    check(hr, "POST", t, jp, {"name": "x", "trigger": {"type": "sometimes"},
                              "actions": [{"type": "talent_pool"}]}, status=400)
    check(anon, "POST", t, jp, {}, status=401)
    check(auditor, "POST", t, jp, {}, status=200)
    check(mgr_b, "POST", t, jp, {}, status=404)
    check(hr, "POST", t, f"/api/v1/jobs/{MISSING}/automation-rules/dry-run", {}, status=404)
    check(tok_r, "POST", t, jp, {}, status=200)

    # ---- background jobs ----
    t = "/api/v1/background-jobs"
    check(admin, "GET", t, t + "?limit=5", status=200)
    check(auditor, "GET", t, t + "?state=dead&kind=test.spec-dead", status=200)
    check(admin, "GET", t, t + "?state=exploded", status=400, code="validation_failed")
    check(anon, "GET", t, t, status=401)
    check(hr, "GET", t, t, status=403)
    dead = insert_dead_job(w.server, kind="test.spec-dead")
    t = "/api/v1/background-jobs/{id}"
    check(auditor, "GET", t, f"/api/v1/background-jobs/{dead}", status=200)
    check(anon, "GET", t, f"/api/v1/background-jobs/{dead}", status=401)
    check(tok_r, "GET", t, f"/api/v1/background-jobs/{dead}", status=403)
    check(admin, "GET", t, f"/api/v1/background-jobs/{MISSING}", status=404)
    t = "/api/v1/background-jobs/{id}/retry"
    rp = f"/api/v1/background-jobs/{dead}/retry"
    check(anon, "POST", t, rp, status=401)
    check(auditor, "POST", t, rp, status=403)
    check(admin, "POST", t, f"/api/v1/background-jobs/{MISSING}/retry", status=404)
    check(admin, "POST", t, rp, status=200)
    check(admin, "POST", t, rp, status=409, code="not_dead")
