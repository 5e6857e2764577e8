"""Hiring automation end to end, on SQLite and PostgreSQL, with real peers (issue #6's "done"):

- a real SMTP server (aiosmtpd, Debian python3-aiosmtpd) and a real HTTP receiver on 127.0.0.1,
  both in this process;
- three interviews finish with overall scores 85, 70 and 50; a separate `zhimian worker` runs the
  organisation's default rules: the applications move to 复试, HR复核 and 人才库;
- the right e-mails arrive (next-round invitation for 85, thank-you for 50, nothing for 70);
- a WeCom-format group message about the 70 reaches the receiver (an organisation rule on
  entering HR复核 tells the managers' group);
- signed webhooks (Standard Webhooks) arrive and every signature verifies, checked here with
  Python's hmac, independently of the C++ code;
- the worker is killed (SIGKILL) while it waits for the webhook receiver's answer: another worker
  sends the delivery again after the leases expire, with the same webhook-id, so the receiver's
  deduplication leaves exactly one effect per event, and every delivery ends succeeded.
"""

import base64
import email
import email.policy
import hashlib
import hmac
import http.server
import json
import signal
import socket
import threading
import time

import pytest

from authz_support import World
from conftest import make_server, backends
from test_jobs import override_overall, stage_of, start_worker, stop_worker, wait_for
from test_workspace import finish_interview


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class SmtpSink:
    """A real SMTP server. A mailbox keyed by Message-ID, like a mail system that drops a
    repeated message; `received` counts every transmission."""

    def __init__(self):
        from aiosmtpd.controller import Controller
        self.lock = threading.Lock()
        self.received = []  # (envelope recipients, parsed message) per transmission
        sink = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                msg = email.message_from_bytes(envelope.original_content or envelope.content,
                                               policy=email.policy.default)
                with sink.lock:
                    sink.received.append((list(envelope.rcpt_tos), msg))
                return "250 OK"

        self.port = free_port()
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def mailbox(self):
        with self.lock:
            box = {}
            for rcpts, msg in self.received:
                box.setdefault(msg["Message-ID"], (rcpts, msg))
            return list(box.values())

    def stop(self):
        self.controller.stop()


class Receiver:
    """A real HTTP server: /hris is the HRIS's webhook endpoint, /wecom a WeCom group robot.
    While `hold` is set, the first /hris request waits (the sender is killed meanwhile)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.requests = []  # (path, headers, body)
        self.hold = threading.Event()
        self.held = threading.Event()
        self.release = threading.Event()
        outer = self

        class H(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
                with outer.lock:
                    outer.requests.append((self.path, dict(self.headers.items()), body))
                if self.path.startswith("/hris") and outer.hold.is_set():
                    outer.hold.clear()
                    outer.held.set()
                    outer.release.wait(60)
                answer = b'{"errcode":0,"errmsg":"ok"}' if self.path.startswith("/wecom") else b"{}"
                try:
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(answer)))
                    self.end_headers()
                    self.wfile.write(answer)
                except OSError:
                    pass  # the sender is gone

            def log_message(self, *a):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def of(self, prefix):
        with self.lock:
            return [r for r in self.requests if r[0].startswith(prefix)]

    def stop(self):
        self.release.set()
        self.server.shutdown()


def signature_ok(secret, headers, body):
    """Standard Webhooks: base64(HMAC-SHA256(key, "<id>.<timestamp>.<body>")), key from
    whsec_<base64>."""
    h = {k.lower(): v for k, v in headers.items()}
    key = base64.b64decode(secret[len("whsec_"):])
    content = f"{h['webhook-id']}.{h['webhook-timestamp']}.{body}".encode()
    expected = "v1," + base64.b64encode(hmac.new(key, content, hashlib.sha256).digest()).decode()
    fresh = abs(time.time() - int(h["webhook-timestamp"])) < 300
    return fresh and any(hmac.compare_digest(expected, s) for s in h["webhook-signature"].split())


@pytest.fixture(params=backends())
def setup(request, tmp_path):
    smtp, recv = SmtpSink(), Receiver()
    # No in-process workers: a separate `zhimian worker` does the work (and is killed). A short
    # send timeout (a delivery whose sender died is sent again 2 + 15 s after it started) and a
    # job lease just above that, as in production (60 s lease, 15 + 15 s per delivery).
    srv = make_server(tmp_path, request.param, extra_args=["--no-workers"],
                      env={"ZHIMIAN_JOB_POLL_MS": "50", "ZHIMIAN_JOB_LEASE_MS": "18000",
                           "ZHIMIAN_NOTIFY_TIMEOUT_MS": "2000",
                           "ZHIMIAN_JOB_BACKOFF_BASE_MS": "200"}).start(timeout=120)
    yield srv, smtp, recv
    srv.stop()
    recv.stop()
    smtp.stop()


def test_scores_85_70_50_route_notify_and_sync_through_a_killed_worker(setup):
    srv, smtp, recv = setup
    w = World(srv)
    admin = w.admin

    # The organisation's channels and the HRIS subscription, as an admin sets them up.
    r = admin.post("/api/v1/notification-channels", json={
        "kind": "email", "name": "招聘邮箱",
        "config": {"host": "127.0.0.1", "port": smtp.port, "tls": "none",
                   "from_address": "hr@xinghai.example", "from_name": "星海科技招聘"}})
    assert r.status_code == 201, r.text
    r = admin.post("/api/v1/notification-channels", json={
        "kind": "wecom", "name": "销售部招聘群",
        "secrets": {"webhook_url": f"http://127.0.0.1:{recv.port}/wecom/send?key=k1"}})
    assert r.status_code == 201, r.text
    events = ["application.stage_changed", "interview.completed", "interview.scored",
              "candidate.hired"]
    r = admin.post("/api/v1/webhooks", json={"url": f"http://127.0.0.1:{recv.port}/hris",
                                             "event_types": events, "description": "HRIS"})
    assert r.status_code == 201, r.text
    secret = r.json()["secret"]
    # Entering HR复核 tells the managers' WeCom group (chained after the default rule's move).
    r = admin.post("/api/v1/automation-rules", json={
        "job_id": None, "name": "复核提醒企业微信群",
        "trigger": {"type": "stage_entered", "stage": "hr_review"},
        "actions": [{"type": "notify", "channel": "wecom", "to": "manager",
                     "template": "review_needed"}]})
    assert r.status_code == 201, r.text

    # Three candidates finish their interviews; HR's calibrated overall scores 85 / 70 / 50.
    apps, mail_of, ivs = {}, {}, {}
    for score in (85, 70, 50):
        cand = w.create_candidate()
        app = w._create("/api/v1/applications", {"candidate_id": cand["id"], "job_id": w.job_a,
                                                 "stage": "screening", "source": "官网"})["id"]
        finish_interview(w, app)
        override_overall(admin, app, score)
        apps[score], mail_of[score] = app, cand["email"]
        ivs[score] = w.hr_interview(app)["interview"]["id"]
    assert all(stage_of(admin, a) == "interview_completed" for a in apps.values())
    assert smtp.received == [] and recv.requests == []  # nothing is sent inside requests

    # Worker 1 runs until it waits on the HRIS; then it is killed mid-delivery.
    recv.hold.set()
    worker = start_worker(srv, "--threads", "1")
    try:
        assert recv.held.wait(60), "the worker never reached the webhook receiver"
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
    recv.release.set()
    held_id = {k.lower(): v for k, v in recv.of("/hris")[0][1].items()}["webhook-id"]

    # Worker 2 takes over once the leases expire and finishes everything.
    worker = start_worker(srv, "--threads", "2")
    try:
        def settled():
            items = admin.get("/api/v1/deliveries", params={"limit": 200}).json()["items"]
            return items if items and all(d["status"] != "pending" for d in items) else None
        wait_for(lambda: all(stage_of(admin, a) != "interview_completed" for a in apps.values()),
                 timeout=90, what="the rules to run")
        deliveries = wait_for(settled, timeout=120, what="every delivery to settle")
    finally:
        stop_worker(worker)

    # Stages.
    assert stage_of(admin, apps[85]) == "second_round"
    assert stage_of(admin, apps[70]) == "hr_review"
    assert stage_of(admin, apps[50]) == "talent_pool"

    # Every delivery succeeded; the interrupted one took two attempts.
    assert all(d["status"] == "succeeded" for d in deliveries), [
        (d["kind"], d["status"], d.get("last_error")) for d in deliveries]

    # E-mails: one next-round invitation to 85, one thank-you to 50, nothing to 70.
    box = smtp.mailbox()
    to = {rcpts[0]: msg for rcpts, msg in box}
    assert set(to) == {mail_of[85], mail_of[50]}, sorted(to)
    assert len(box) == 2
    assert "复试邀请" in to[mail_of[85]]["Subject"]
    assert "感谢" in to[mail_of[50]]["Subject"]
    body_50 = to[mail_of[50]].get_body(preferencelist=("plain",)).get_content()
    assert "人才库" in body_50
    assert to[mail_of[85]]["From"].addresses[0].addr_spec == "hr@xinghai.example"

    # WeCom: one text message about the candidate in HR review, in WeCom's documented format.
    wecom = recv.of("/wecom")
    assert len(wecom) == 1, wecom
    msg = json.loads(wecom[0][2])
    assert msg["msgtype"] == "text" and "待复核" in msg["text"]["content"]
    assert "70.0" in msg["text"]["content"]

    # Webhooks: every request verifies; the interrupted one came twice with the same id; one
    # effect per webhook-id at the receiver.
    hris = recv.of("/hris")
    assert all(signature_ok(secret, h, b) for _, h, b in hris)
    ids = [{k.lower(): v for k, v in h.items()}["webhook-id"] for _, h, _ in hris]
    assert ids.count(held_id) == 2, "the interrupted delivery was not sent again"
    effects = {}
    for i, (_, _, b) in zip(ids, hris):
        if i in effects:
            assert effects[i] == b  # a repeat carries the same event
        effects[i] = b
    bodies = [json.loads(b) for b in effects.values()]
    assert len(effects) == len(ids) - 1  # the only repeat is the interrupted one

    def of_app(kind, app):
        return [e for e in bodies if e["type"] == kind and e["data"]["application_id"] == app]

    for score, app in apps.items():
        completed = of_app("interview.completed", app)
        assert len(completed) == 1 and completed[0]["data"]["interview_id"] == ivs[score]
        scored = [e["data"] for e in of_app("interview.scored", app)]
        assert [s["cause"] for s in scored].count("finished") == 1
        assert any(s["cause"] == "override" and s["overall"] == score for s in scored)
        moves = [(e["data"]["from"], e["data"]["to"], e["data"]["actor"]["type"])
                 for e in of_app("application.stage_changed", app)]
        want = {85: "second_round", 70: "hr_review", 50: "talent_pool"}[score]
        assert ("interview_completed", want, "rule") in moves, moves
        assert ("interviewing", "interview_completed", "candidate") in moves, moves
        for e in bodies:
            assert set(e) == {"type", "timestamp", "data"}
            assert "email" not in json.dumps(e["data"]) and "name" not in e["data"]

    # A person hires the 85: candidate.hired arrives, signed, with the person as the actor.
    worker = start_worker(srv, "--threads", "1")
    try:
        for stage in ("offer", "hired"):
            r = admin.patch(f"/api/v1/applications/{apps[85]}", json={"stage": stage})
            assert r.status_code == 200, r.text
        wait_for(lambda: any(json.loads(b)["type"] == "candidate.hired" for _, _, b in
                             recv.of("/hris")), timeout=60, what="candidate.hired")
    finally:
        stop_worker(worker)
    hired = [(h, b) for _, h, b in recv.of("/hris") if json.loads(b)["type"] == "candidate.hired"]
    assert len(hired) == 1 and signature_ok(secret, *hired[0])
    data = json.loads(hired[0][1])["data"]
    assert data["application_id"] == apps[85] and data["to"] == "hired"
    assert data["actor"]["type"] == "user"


def link_token(text):
    import re
    m = re.search(r"/interview/([A-Za-z0-9_-]{20,})", text)
    assert m, text
    return m.group(1)


def test_invitation_emails_reminders_and_expiry(setup):
    srv, smtp, _ = setup
    w = World(srv)
    admin = w.admin
    from jobs_support import run_sql

    # Without an e-mail channel the invitation stands and says why nothing was sent.
    app0 = w.create_application()["id"]
    r = admin.post(f"/api/v1/applications/{app0}/invitation", json={"send_email": True})
    assert r.status_code == 201, r.text
    assert r.json()["email"]["queued"] is False and "channel" in r.json()["email"]["reason"]
    r = admin.post(f"/api/v1/applications/{app0}/invitation/resend", json={"send_email": "yes"})
    assert r.status_code == 400  # a bad body changes nothing
    r = admin.post("/api/v1/notification-channels", json={
        "kind": "email", "name": "招聘邮箱",
        "config": {"host": "127.0.0.1", "port": smtp.port, "tls": "none",
                   "from_address": "hr@xinghai.example"}})
    assert r.status_code == 201, r.text

    # 1: invited by e-mail; not started after 3 days: reminded once with a fresh link.
    cand = w.create_candidate()
    app1 = w._create("/api/v1/applications", {"candidate_id": cand["id"], "job_id": w.job_a,
                                              "stage": "screening", "source": "官网"})["id"]
    r = admin.post(f"/api/v1/applications/{app1}/invitation", json={"send_email": True})
    assert r.status_code == 201, r.text
    assert r.json()["email"]["queued"] is True
    first_link = r.json()["link"]
    # 2: its link expired unfinished -> an HR follow-up task.
    app2, _ = w.create_invited_application()
    # 3: started 3 days ago (in progress) -> no reminder, its link keeps working.
    app3, token3 = w.create_invited_application()
    w.consent(token3)
    three_days_ago = int(time.time() * 1000) - 3 * 86400000
    run_sql(srv, "UPDATE interviews SET created_at = ? WHERE application_id IN (?, ?)",
            (three_days_ago, app1, app3))
    run_sql(srv, "UPDATE interviews SET expires_at = ? WHERE application_id = ?",
            (int(time.time() * 1000) - 60000, app2))

    # 4: a past candidate in the talent pool, found by e-mail and tag, re-invited to another
    # job by e-mail.
    pooled = w.create_candidate()
    w._create("/api/v1/applications", {"candidate_id": pooled["id"], "job_id": w.job_a,
                                       "stage": "talent_pool", "source": "官网"})
    r = admin.get("/api/v1/talent-pool", params={"q": pooled["email"], "tag": "授权测试"})
    assert r.status_code == 200, r.text
    [entry] = r.json()["items"]
    assert entry["candidate_id"] == pooled["id"] and entry["best_overall"] is None
    assert [a["stage"] for a in entry["applications"]] == ["talent_pool"]
    r = admin.get("/api/v1/talent-pool", params={"q": pooled["email"], "min_score": 1})
    assert r.json()["items"] == []
    other_job = next(j["id"] for j in admin.get("/api/v1/jobs?limit=200").json()["items"]
                     if j["id"] != w.job_a)
    r = admin.post(f"/api/v1/talent-pool/{pooled['id']}/reinvite",
                   json={"job_id": other_job, "send_email": True})
    assert r.status_code == 201, r.text
    assert r.json()["application"]["source"] == "人才库"
    assert r.json()["application"]["stage"] == "interview_invited"
    assert r.json()["interview"]["email"]["queued"] is True
    reinvite_token = r.json()["interview"]["token"]
    again = admin.post(f"/api/v1/talent-pool/{pooled['id']}/reinvite", json={"job_id": other_job})
    assert again.status_code == 409 and again.json()["error"]["code"] == "duplicate_application"

    worker = start_worker(srv, "--threads", "1")
    try:
        def mails_to(addr):
            return [m for rcpts, m in smtp.mailbox() if rcpts == [addr]]
        wait_for(lambda: len(mails_to(cand["email"])) == 2 and mails_to(pooled["email"]),
                 timeout=60, what="the invitations and the reminder")
    finally:
        stop_worker(worker)
    invitation, reminder = sorted(mails_to(cand["email"]), key=lambda m: "提醒" in m["Subject"])
    assert "AI面试邀请" in invitation["Subject"] and "提醒" in reminder["Subject"]
    t1 = link_token(invitation.get_body(preferencelist=("plain",)).get_content())
    t2 = link_token(reminder.get_body(preferencelist=("plain",)).get_content())
    assert first_link.endswith(t1) and t1 != t2
    # The reminder's link replaces the first one.
    assert w.candidate("GET", t1).status_code == 404
    assert w.candidate("GET", t2).status_code == 200
    assert w.candidate("GET", token3, "/current").status_code == 200
    [pool_mail] = mails_to(pooled["email"])
    assert link_token(pool_mail.get_body(preferencelist=("plain",)).get_content()) == reinvite_token

    tasks = admin.get("/api/v1/tasks", params={"kind": "follow_up", "limit": 200}).json()["items"]
    expired = [t for t in tasks if "过期" in t["title"]]
    assert [t["application_id"] for t in expired] == [app2]
    assert expired[0]["origin"] == "automation"
    assert not [t for t in tasks if t["application_id"] in (app1, app3)]
    reminders = [j for j in admin.get("/api/v1/background-jobs",
                                      params={"kind": "interview.remind"}).json()["items"]]
    assert len(reminders) == 1 and reminders[0]["state"] == "done"
