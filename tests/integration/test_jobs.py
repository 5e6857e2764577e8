"""Background jobs and automation rules end to end, on SQLite and PostgreSQL.

- The admin API of the queue (list, filters, read, retry of dead jobs; auditors read only).
- A finished interview enqueues its interview.completed job in the finish transaction.
- Three interviews with overall 85, 70 and 50 end in 复试, HR复核 and 人才库 through a separate
  `zhimian worker` process running the organisation's default rules.
- A `zhimian worker` killed (SIGKILL) mid-job: another worker finishes the job once its lease
  expires, and the effect (stage move, task, notification job) happens exactly once.
"""

import signal
import subprocess
import time

import pytest

from authz_support import World, demo_login
from conftest import BIN, demo_users, make_server, backends
from jobs_support import get_job, insert_dead_job, run_sql


def wait_for(pred, timeout=30, step=0.1, what="condition"):
    deadline = time.time() + timeout
    while time.time() < deadline:
        v = pred()
        if v:
            return v
        time.sleep(step)
    raise AssertionError(f"timed out waiting for {what}")


def jobs_of(admin, **params):
    params.setdefault("limit", 200)
    r = admin.get("/api/v1/background-jobs", params=params)
    assert r.status_code == 200, r.text
    return r.json()["items"]


def completed_job_for(admin, interview_id):
    for j in jobs_of(admin, kind="interview.completed"):
        if j["payload"].get("interview_id") == interview_id:
            return j
    return None


def stage_of(admin, app_id):
    r = admin.get(f"/api/v1/applications/{app_id}")
    assert r.status_code == 200, r.text
    return r.json()["stage"]


def override_overall(admin, app_id, score):
    r = admin.post(f"/api/v1/applications/{app_id}/interview/overrides",
                   json={"dimension_key": None, "score": score, "reason": "集成测试设定总分"})
    assert r.status_code == 201, r.text


def start_worker(srv, *args, env=None):
    """A `zhimian worker` on the server's database, returned once it runs (it handles SIGTERM
    from then on)."""
    e = dict(srv.env)
    e.update(env or {})
    path = srv.data_dir / "worker.log"
    before = path.read_text(errors="replace").count("worker running") if path.exists() else 0
    log = open(path, "ab")
    proc = subprocess.Popen([BIN, "worker", *args, *srv.cli_args()], env=e, stdout=log,
                            stderr=subprocess.STDOUT)
    wait_for(lambda: path.read_text(errors="replace").count("worker running") > before
             or proc.poll() is not None, timeout=60, what="the worker to start")
    assert proc.poll() is None, path.read_text(errors="replace")[-2000:]
    return proc


def stop_worker(proc):
    """SIGTERM: the worker finishes or releases its jobs and exits 0."""
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=30) == 0


@pytest.fixture(params=backends())
def quiet_server(request, tmp_path):
    """A demo server without in-process workers: jobs wait for a `zhimian worker`."""
    srv = make_server(tmp_path, request.param, extra_args=["--no-workers"],
                      env={"ZHIMIAN_JOB_POLL_MS": "50"}).start(timeout=120)
    yield srv
    srv.stop()


def test_finish_enqueues_and_admins_see_the_queue(quiet_server):
    srv = quiet_server
    w = World(srv)
    admin = w.admin
    app_id, _ = w.create_finished_interview()
    interview_id = w.hr_interview(app_id)["interview"]["id"]
    job = completed_job_for(admin, interview_id)
    assert job is not None, "finishing the interview enqueued no interview.completed job"
    assert job["state"] == "queued" and job["attempts"] == 0
    assert job["idempotency_key"] == "interview.completed:" + interview_id
    assert set(job["payload"]) == {"interview_id", "application_id"}  # ids only
    assert get_job(admin, job["id"])["id"] == job["id"]

    # Filters.
    assert all(j["state"] == "queued" for j in jobs_of(admin, state="queued"))
    r = admin.get("/api/v1/background-jobs", params={"state": "stuck"})
    assert r.status_code == 400 and r.json()["error"]["details"][0]["field"] == "state"
    page = admin.get("/api/v1/background-jobs", params={"limit": 1}).json()
    assert len(page["items"]) == 1

    # A dead job: auditors read it, cannot retry; admins retry it once.
    dead = insert_dead_job(srv, kind="test.dead-letter")
    auditor = demo_login(srv.url, demo_users("auditor")[0]["email"])
    hr = demo_login(srv.url, demo_users("hr")[0]["email"])
    assert auditor.send("GET", f"/api/v1/background-jobs/{dead}").json()["state"] == "dead"
    assert auditor.send("POST", f"/api/v1/background-jobs/{dead}/retry").status_code == 403
    assert hr.send("GET", "/api/v1/background-jobs").status_code == 403
    assert any(j["id"] == dead for j in jobs_of(admin, state="dead"))
    r = admin.post(f"/api/v1/background-jobs/{dead}/retry")
    assert r.status_code == 200, r.text
    assert r.json()["state"] == "queued" and r.json()["attempts"] == 0
    assert r.json()["last_error"] == "smtp: 550 mailbox unavailable"
    again = admin.post(f"/api/v1/background-jobs/{dead}/retry")
    assert again.status_code == 409 and again.json()["error"]["code"] == "not_dead"
    audit = admin.get("/api/v1/audit-log", params={"target_id": dead}).json()["items"]
    assert [e["action"] for e in audit] == ["job.retry"]
    assert admin.get("/api/v1/background-jobs/01J00000000000000000000000").status_code == 404


def test_default_rules_route_85_70_50_through_a_worker(quiet_server):
    srv = quiet_server
    w = World(srv)
    admin = w.admin
    apps, tokens = {}, {}
    for score in (85, 70, 50):
        app_id, tokens[score] = w.create_finished_interview()
        override_overall(admin, app_id, score)
        apps[score] = app_id
    for app_id in apps.values():
        assert stage_of(admin, app_id) == "interview_completed"

    # The dry run shows what the default rules would do, and changes nothing.
    r = admin.post(f"/api/v1/jobs/{w.job_a}/automation-rules/dry-run", json={})
    assert r.status_code == 200, r.text
    by_app = {i["application_id"]: i for i in r.json()["items"]}
    fired = {s: [x["name"] for x in by_app[a]["rules"] if x["would_fire"]] for s, a in apps.items()}
    assert all(len(v) == 1 for v in fired.values()), fired
    assert "复试" in fired[85][0] and "复核" in fired[70][0] and "人才库" in fired[50][0]
    assert stage_of(admin, apps[85]) == "interview_completed"

    worker = start_worker(srv, "--threads", "2")
    try:
        wait_for(lambda: all(stage_of(admin, a) != "interview_completed" for a in apps.values()),
                 what="the worker to run the rules")
        # Wait until every interview.completed job of these interviews is done.
        ivs = {s: w.hr_interview(a)["interview"]["id"] for s, a in apps.items()}
        wait_for(lambda: all(completed_job_for(admin, i)["state"] == "done" for i in ivs.values()),
                 what="interview.completed jobs done")
    finally:
        stop_worker(worker)

    assert stage_of(admin, apps[85]) == "second_round"
    assert stage_of(admin, apps[70]) == "hr_review"
    assert stage_of(admin, apps[50]) == "talent_pool"

    # 70: an open HR review task. 50: tagged in the talent pool.
    tasks = admin.get("/api/v1/tasks", params={"status": "open", "limit": 200}).json()["items"]
    assert [(t["kind"], t["origin"]) for t in tasks if t["application_id"] == apps[70]] == [
        ("human_review", "automation")]
    assert not [t for t in tasks if t["application_id"] in (apps[85], apps[50])]
    # The rule's review task does not use up the candidate's own right to a human review
    # (PIPL Art. 24): their request is a task of its own, and a second one is refused.
    r = w.candidate("POST", tokens[70], "/review-request", {"reason": "希望人工复核第三题。"})
    assert r.status_code == 201, r.text
    r = w.candidate("POST", tokens[70], "/review-request", {"reason": "再次申请"})
    assert r.status_code == 409 and r.json()["error"]["code"] == "review_already_requested"
    tasks = admin.get("/api/v1/tasks", params={"application_id": apps[70]}).json()["items"]
    assert sorted(t["origin"] for t in tasks) == ["automation", "candidate"]
    app50 = admin.get(f"/api/v1/applications/{apps[50]}").json()
    cand = admin.get(f"/api/v1/candidates/{app50['candidate_id']}").json()
    assert "AI面试未达标" in cand["tags"]

    # Notifications are jobs for the notify handlers, keyed by rule and event.
    notify = [j for j in jobs_of(admin, kind="notify.email")
              if j["payload"]["application_id"] in apps.values()]
    templates = {j["payload"]["application_id"]: j["payload"]["template"] for j in notify}
    assert templates == {apps[85]: "next_round_invitation", apps[50]: "thank_you"}
    assert all(j["idempotency_key"].startswith("rule:") for j in notify)

    # Each stage move is audited with the rule as its actor.
    for score, app_id in apps.items():
        entries = admin.get("/api/v1/audit-log",
                            params={"target_id": app_id, "action": "application.stage_changed"}
                            ).json()["items"]
        by_rule = [e for e in entries if e["actor_id"].startswith("rule:")]
        assert len(by_rule) == 1, (score, entries)
        assert by_rule[0]["actor_type"] == "system"

    # Manual moves are always allowed afterwards (a person overrides the rule).
    r = admin.patch(f"/api/v1/applications/{apps[50]}", json={"stage": "hr_review"})
    assert r.status_code == 200, r.text


def test_serve_runs_in_process_workers(tmp_path, backend):
    srv = make_server(tmp_path, backend, env={"ZHIMIAN_JOB_WORKERS": "1",
                                              "ZHIMIAN_JOB_POLL_MS": "50"}).start(timeout=120)
    try:
        w = World(srv)
        app_id, _ = w.create_finished_interview()
        iv = w.hr_interview(app_id)["interview"]["id"]
        wait_for(lambda: completed_job_for(w.admin, iv)["state"] == "done",
                 what="the in-process worker to run interview.completed")
        overall = w.hr_interview(app_id)["interview"]["overall"]
        want = ("second_round" if overall >= 80 else "hr_review" if overall >= 60
                else "talent_pool")
        assert stage_of(w.admin, app_id) == want, overall
    finally:
        assert srv.stop() == 0


def insert_slow_job(srv, marker, sleep_ms):
    """A queued test.slow_effect job (registered only under ZHIMIAN_TEST_JOB_KINDS=1)."""
    import json as _json
    from jobs_support import new_ulid
    jid = new_ulid()
    now = int(time.time() * 1000)
    run_sql(srv, "INSERT INTO background_jobs (id, kind, payload, idempotency_key, state, "
                 "attempts, max_attempts, run_at, created_at, updated_at) VALUES "
                 "(?, 'test.slow_effect', ?, ?, 'queued', 0, 5, ?, ?, ?)",
            (jid, _json.dumps({"marker": marker, "sleep_ms": sleep_ms}), "test:" + jid, now, now,
             now))
    return jid


def test_killed_worker_job_is_finished_once_by_another(quiet_server):
    srv = quiet_server
    admin = World(srv).admin
    test_env = {"ZHIMIAN_TEST_JOB_KINDS": "1", "ZHIMIAN_JOB_LEASE_MS": "2000",
                "ZHIMIAN_JOB_POLL_MS": "50"}
    marker = new_marker()
    jid = insert_slow_job(srv, marker, 60000)  # the first worker will still be sleeping
    first = start_worker(srv, "--threads", "1", env=test_env)
    try:
        running = wait_for(lambda: (lambda j: j if j["state"] == "running" else None)(
            get_job(admin, jid)), what="the first worker to claim the job")
    finally:
        first.send_signal(signal.SIGKILL)  # mid-job: its lease stays behind
        first.wait(timeout=10)
    assert running["lease_owner"].startswith("worker-")
    # Faster for the second try: the payload is the job's input, as a retry would see it.
    run_sql(srv, "UPDATE background_jobs SET payload = ? WHERE id = ?",
            ('{"marker": "%s", "sleep_ms": 200}' % marker, jid))
    second = start_worker(srv, "--threads", "1", env=test_env)
    try:
        done = wait_for(lambda: (lambda j: j if j["state"] == "done" else None)(
            get_job(admin, jid)), timeout=30, what="another worker to finish the job")
    finally:
        second.send_signal(signal.SIGTERM)
        assert second.wait(timeout=30) == 0
    assert done["attempts"] == 2  # the killed attempt counts
    assert done["lease_owner"] is None
    effects = admin.get("/api/v1/audit-log", params={"target_id": marker}).json()["items"]
    assert [e["action"] for e in effects] == ["test.effect"], "the effect did not happen once"


def new_marker():
    from jobs_support import new_ulid
    return new_ulid()


def test_sweep_runs_no_action_rules_and_unviewed_reminders_once(quiet_server):
    srv = quiet_server
    w = World(srv)
    admin = w.admin
    # A job rule: applications idle in 简历筛选 for 2 days get an HR to-do.
    r = admin.post("/api/v1/automation-rules", json={
        "job_id": w.job_a, "name": "筛选超时提醒",
        "trigger": {"type": "no_action", "stage": "screening", "days": 2},
        "actions": [{"type": "create_task", "kind": "follow_up", "title": "简历筛选已停留2天"}]})
    assert r.status_code == 201, r.text
    idle = w.create_application()["id"]
    fresh = w.create_application()["id"]
    four_days_ago = int(time.time() * 1000) - 4 * 86400000
    run_sql(srv, "UPDATE applications SET updated_at = ? WHERE id = ?", (four_days_ago, idle))
    # A finished interview whose result nobody looked at for 4 days.
    unviewed, _ = w.create_finished_interview()
    run_sql(srv, "UPDATE interviews SET finished_at = ? WHERE application_id = ?",
            (four_days_ago, unviewed))

    def follow_ups():
        items = admin.get("/api/v1/tasks", params={"kind": "follow_up", "limit": 200}).json()
        return [t["application_id"] for t in items["items"]]

    for _ in range(2):  # a second worker start schedules nothing twice, fires nothing twice
        worker = start_worker(srv, "--threads", "1")
        try:
            wait_for(lambda: any(j["state"] == "done"
                                 for j in jobs_of(admin, kind="workflow.sweep")),
                     what="the sweep to run")
        finally:
            worker.send_signal(signal.SIGTERM)
            assert worker.wait(timeout=30) == 0
        tasks = follow_ups()
        assert tasks.count(idle) == 1 and fresh not in tasks, tasks
        assert tasks.count(unviewed) == 1, tasks
    sweeps = jobs_of(admin, kind="workflow.sweep")
    assert len([j for j in sweeps if j["state"] == "done"]) == 1
    assert len([j for j in sweeps if j["state"] == "queued"]) == 1  # the next hour's
