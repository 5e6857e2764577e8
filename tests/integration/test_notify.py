"""Notifications through the API on both databases: built-in templates, template checks at save
time, channel and webhook secrets encrypted at rest and never answered, logged or audited in
clear. (Sending is tested against a real SMTP sink and HTTP receiver in
src/notify/delivery_test.cc; the route matrix and spec checks are in notify_support.py.)"""

import pathlib
import uuid

import pytest

from conftest import ADMIN_EMAIL, ADMIN_PASSWORD, Client, demo_users, login_as

SMTP_PASSWORD = "Smtp-" + uuid.uuid4().hex
ROBOT_KEY = uuid.uuid4().hex
SIGN_SECRET = "SEC" + uuid.uuid4().hex


def admin_client(srv):
    c = Client(srv.url)
    c.login(ADMIN_EMAIL, ADMIN_PASSWORD)
    return c


def all_items(c, path):
    items, cursor = [], None
    while True:
        r = c.get(path + ("&" if "?" in path else "?") + "limit=200" +
                  (f"&cursor={cursor}" if cursor else ""))
        assert r.status_code == 200, r.text
        items += r.json()["items"]
        cursor = r.json()["next_cursor"]
        if not cursor:
            return items


def test_builtin_templates_in_both_languages_and_checked_saves(fresh_server):
    hr = login_as(fresh_server, demo_users("hr")[0]["email"])
    templates = {t["key"]: t for t in all_items(hr, "/api/v1/message-templates")}
    assert set(templates) >= {"interview_invitation", "interview_reminder",
                              "next_round_invitation", "thank_you"}
    for t in templates.values():
        assert t["builtin"] and t["body_zh"] and t["body_en"] and t["subject_zh"]
        assert "{{candidate_name}}" in t["body_zh"] and "{{candidate_name}}" in t["body_en"]
    assert templates["next_round_invitation"]["attach_ics"] is True
    assert "next_round_time" in templates["next_round_invitation"]["variables"]

    # A typo in a variable or a brace is refused at save time, with where it is; nothing is saved.
    before = len(templates)
    r = hr.post("/api/v1/message-templates", json={
        "key": "bad_one", "name": "坏模板", "body_zh": "{{candidate_name}}您好，得分 {{score}}",
        "body_en": "Dear {{candidate_name", "subject_en": "}} x"})
    assert r.status_code == 400, r.text
    details = {(d["field"], d["message"].split(" at ")[0]) for d in r.json()["error"]["details"]}
    assert ("body_zh", "unknown variable {{score}}") in details
    assert ("body_en", "unclosed {{") in details
    assert ("subject_en", "unmatched }}") in details
    assert len(all_items(hr, "/api/v1/message-templates")) == before
    # An edit of a built-in template is checked the same way and can be made.
    tid = templates["thank_you"]["id"]
    r = hr.patch(f"/api/v1/message-templates/{tid}", json={"body_en": "Hi {{candidate_nam}}"})
    assert r.status_code == 400
    r = hr.patch(f"/api/v1/message-templates/{tid}",
                 json={"body_en": "Dear {{candidate_name}}, thank you ({{job_title}})."})
    assert r.status_code == 200, r.text
    assert set(r.json()["variables"]) == {"organisation_name", "candidate_name", "job_title"}
    assert r.json()["body_en"] == "Dear {{candidate_name}}, thank you ({{job_title}})."
    # The edit is audited with its actor.
    auditor = login_as(fresh_server, demo_users("auditor")[0]["email"])
    entries = auditor.get(f"/api/v1/audit-log?target_id={tid}").json()["items"]
    assert entries[0]["action"] == "message_template.update"
    assert entries[0]["actor_id"] == hr.get("/api/v1/me").json()["user"]["id"]


def test_channel_and_webhook_secrets_never_leave_in_clear(fresh_server):
    admin = admin_client(fresh_server)
    email = admin.post("/api/v1/notification-channels", json={
        "kind": "email", "name": "招聘邮箱",
        "config": {"host": "smtp.example.com", "port": 587, "username": "hr@example.com",
                   "from_address": "hr@example.com"},
        "secrets": {"password": SMTP_PASSWORD}})
    assert email.status_code == 201, email.text
    robot = admin.post("/api/v1/notification-channels", json={
        "kind": "dingtalk", "name": "钉钉招聘群",
        "secrets": {"webhook_url": "https://oapi.dingtalk.com/robot/send?access_token=" + ROBOT_KEY,
                    "sign_secret": SIGN_SECRET}})
    assert robot.status_code == 201, robot.text
    assert robot.json()["secrets"] == {"webhook_url": "https://oapi.dingtalk.com/…" + ROBOT_KEY[-4:],
                                       "sign_secret": "••••" + SIGN_SECRET[-4:]}
    hook = admin.post("/api/v1/webhooks", json={"url": "https://hris.example.com/hooks/zm",
                                                "event_types": ["candidate.hired"]})
    assert hook.status_code == 201
    webhook_secret = hook.json()["secret"]
    # A secret changed by PATCH is audited by name only.
    r = admin.patch(f"/api/v1/notification-channels/{email.json()['id']}",
                    json={"secrets": {"password": SMTP_PASSWORD + "-2"}})
    assert r.status_code == 200

    secrets = [SMTP_PASSWORD, ROBOT_KEY, SIGN_SECRET, webhook_secret]
    answers = [admin.get("/api/v1/notification-channels").text,
               admin.get(f"/api/v1/notification-channels/{robot.json()['id']}").text,
               admin.get("/api/v1/webhooks").text,
               admin.get(f"/api/v1/webhooks/{hook.json()['id']}").text,
               admin.get("/api/v1/audit-log?limit=200").text]
    for text in answers:
        for s in secrets:
            assert s not in text
    audit = admin.get("/api/v1/audit-log?action=notify_channel.update").json()["items"]
    assert audit and audit[0]["changes"]["after"]["secrets_changed"] == ["password"]
    # Managers and HR cannot see channels at all; HR may edit templates.
    hr = login_as(fresh_server, demo_users("hr")[0]["email"])
    assert hr.get("/api/v1/notification-channels").status_code == 403
    assert hr.get("/api/v1/webhooks").status_code == 403

    # Nothing in the data dir holds a secret in clear (SQLite files, logs).
    if fresh_server.db_url is None:
        fresh_server.stop()
        for path in pathlib.Path(fresh_server.data_dir).rglob("*"):
            if path.is_file():
                data = path.read_bytes()
                for s in secrets:
                    assert s.encode() not in data, (path, s[:6])
        fresh_server.start()


def test_serve_workers_deliver_webhook_tests_and_replays(tmp_path, backend):
    """A delivery is a notify.deliver job: the in-process worker of `serve` sends a test event to a
    real local receiver; a replay is sent again with the same webhook-id."""
    import http.server
    import threading
    import time

    from conftest import make_server

    got = []

    class Receiver(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            got.append((self.headers.get("webhook-id"), body))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    srv = make_server(tmp_path, backend, env={"ZHIMIAN_JOB_WORKERS": "1",
                                              "ZHIMIAN_JOB_POLL_MS": "50"}).start()
    try:
        admin = admin_client(srv)
        r = admin.post("/api/v1/webhooks", json={
            "url": f"http://127.0.0.1:{httpd.server_address[1]}/hook",
            "event_types": ["application.stage_changed"]})
        assert r.status_code == 201, r.text
        r = admin.post(f"/api/v1/webhooks/{r.json()['id']}/test")
        assert r.status_code == 202, r.text
        first = r.json()["id"]

        def finished(did):
            deadline = time.time() + 30
            while time.time() < deadline:
                d = admin.get(f"/api/v1/deliveries/{did}").json()
                if d["status"] != "pending":
                    return d
                time.sleep(0.1)
            raise AssertionError(f"delivery {did} still pending")

        d = finished(first)
        assert (d["status"], d["last_status_code"], d["attempts"]) == ("succeeded", 200, 1)
        jobs = admin.get("/api/v1/background-jobs", params={"kind": "notify.deliver"}).json()
        assert [j["payload"] for j in jobs["items"]] == [{"delivery_id": first}]
        assert jobs["items"][0]["state"] == "done"

        r = admin.post(f"/api/v1/deliveries/{first}/replay")
        assert r.status_code == 202, r.text
        again = finished(r.json()["id"])
        assert (again["status"], again["last_status_code"]) == ("succeeded", 200)
        assert len(got) == 2 and got[0] == got[1], "the same message, once per delivery"
    finally:
        srv.stop()
        httpd.shutdown()
