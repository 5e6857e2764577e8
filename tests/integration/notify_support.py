"""The notification routes (message templates, channels, webhooks, deliveries) in the shared
authorization and spec suites: request builders for test_authz_matrix.py and response checks for
test_openapi.py, kept here so those files gain one line each per suite."""

import functools
import time
import uuid

from authz_support import all_pages

MISSING_ID = "01ARZ3NDEKTSV4RRFFQ69G5FAV"


def _u(prefix):
    return prefix + uuid.uuid4().hex[:8]


def template_body():
    return {"key": _u("offer_call_"), "name": "电话沟通通知",
            "subject_zh": "【{{organisation_name}}】电话沟通", "subject_en": "Phone call",
            "body_zh": "{{candidate_name}}，您好：我们将就{{job_title}}职位与您电话沟通。",
            "body_en": "Dear {{candidate_name}}, we will call you about {{job_title}}."}


def channel_body():
    return {"kind": "wecom", "name": _u("招聘群-"),
            "secrets": {"webhook_url": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key="
                        + uuid.uuid4().hex}}


def webhook_body():
    return {"url": "https://hris.example.com/hooks/" + _u("zm-"),
            "event_types": ["application.stage_changed", "candidate.hired"],
            "description": "HRIS 同步"}


class Records:
    """Throwaway notification records of one World, made through the admin API."""

    def __init__(self, w):
        self.w = w

    def _create(self, path, body):
        r = self.w.admin.post(path, json=body)
        assert r.status_code == 201, r.text
        return r.json()

    def template(self):
        return self._create("/api/v1/message-templates", template_body())

    def channel(self):
        return self._create("/api/v1/notification-channels", channel_body())

    def webhook(self):
        return self._create("/api/v1/webhooks", webhook_body())

    @functools.cached_property
    def builtin_template(self):
        items = all_pages(self.w.admin, "/api/v1/message-templates")
        return next(t for t in items if t["key"] == "thank_you")

    def test_delivery(self, url):
        """A pending webhook.test delivery to a new subscription of `url`; its id."""
        sub = self._create("/api/v1/webhooks", dict(webhook_body(), url=url))
        r = self.w.admin.post(f"/api/v1/webhooks/{sub['id']}/test")
        assert r.status_code == 202, r.text
        return r.json()["id"]

    @functools.cached_property
    def finished(self):
        """A delivery that failed permanently: a test event POSTed to a URL of the server that
        answers 405/404 (no receiver needed), sent by `zhimian notify deliver-pending` (or by a
        worker, whichever comes first)."""
        did = self.test_delivery(self.w.base + "/api/v1/openapi.json")
        deadline = time.time() + 30
        while time.time() < deadline:
            self.w.server.run_cli("notify", "deliver-pending")
            d = self.w.admin.get(f"/api/v1/deliveries/{did}").json()
            if d["status"] != "pending":
                assert d["status"] == "failed", d
                return did
            time.sleep(0.2)
        raise AssertionError("the test delivery was never sent")

    def finished_delivery(self):
        return self.finished

    def pending_delivery(self):
        """A delivery that stays pending: its receiver refuses connections (retryable)."""
        return self.test_delivery("http://127.0.0.1:9/none")


def _records(w):
    if not hasattr(w, "_notify_records"):
        w._notify_records = Records(w)
    return w._notify_records


def _field(w, path, field):
    r = w.admin.get(path)
    return r.json().get(field) if r.status_code == 200 else None


def matrix_builders(Call):
    """(method, path) -> builder(world, principal) -> Call, for every notification route."""

    def still_there(w, path):
        return lambda: w.admin.get(path).status_code == 200

    def patch(kind, body, field):
        def build(w, p):
            rec = _records(w)
            obj = {"message-templates": rec.template, "notification-channels": rec.channel,
                   "webhooks": rec.webhook}[kind]()
            path = f"/api/v1/{kind}/{obj['id']}"
            before = obj[field]
            return Call(path, body, intact=lambda: _field(w, path, field) == before)
        return build

    def delete(kind):
        def build(w, p):
            rec = _records(w)
            obj = {"message-templates": rec.template, "notification-channels": rec.channel,
                   "webhooks": rec.webhook}[kind]()
            path = f"/api/v1/{kind}/{obj['id']}"
            return Call(path, intact=still_there(w, path))
        return build

    def test_event(w, p):
        sub = _records(w).webhook()["id"]
        before = len(all_pages(w.admin, f"/api/v1/deliveries?subscription_id={sub}"))
        return Call(f"/api/v1/webhooks/{sub}/test", intact=lambda: len(all_pages(
            w.admin, f"/api/v1/deliveries?subscription_id={sub}")) == before)

    def replay(w, p):
        rid = _records(w).finished_delivery()
        before = len(all_pages(w.admin, "/api/v1/deliveries"))
        return Call(f"/api/v1/deliveries/{rid}/replay",
                    intact=lambda: len(all_pages(w.admin, "/api/v1/deliveries")) == before)

    return {
        ("GET", "/api/v1/message-templates"): lambda w, p: Call(
            "/api/v1/message-templates?limit=5"),
        ("POST", "/api/v1/message-templates"): lambda w, p: Call(
            "/api/v1/message-templates", template_body()),
        ("POST", "/api/v1/message-templates/preview"): lambda w, p: Call(
            "/api/v1/message-templates/preview",
            {"body_zh": "{{candidate_name}}您好", "body_en": "Hi {{candidate_name}}"}),
        ("GET", "/api/v1/message-templates/{id}"): lambda w, p: Call(
            f"/api/v1/message-templates/{_records(w).builtin_template['id']}"),
        ("PATCH", "/api/v1/message-templates/{id}"): patch(
            "message-templates", {"description": "由授权矩阵更新"}, "description"),
        ("DELETE", "/api/v1/message-templates/{id}"): delete("message-templates"),
        ("GET", "/api/v1/notification-channels"): lambda w, p: Call(
            "/api/v1/notification-channels?limit=5"),
        ("POST", "/api/v1/notification-channels"): lambda w, p: Call(
            "/api/v1/notification-channels", channel_body()),
        ("GET", "/api/v1/notification-channels/{id}"): lambda w, p: Call(
            f"/api/v1/notification-channels/{_records(w).channel()['id']}"),
        ("PATCH", "/api/v1/notification-channels/{id}"): patch(
            "notification-channels", {"enabled": False}, "enabled"),
        ("DELETE", "/api/v1/notification-channels/{id}"): delete("notification-channels"),
        ("GET", "/api/v1/webhooks"): lambda w, p: Call("/api/v1/webhooks?limit=5"),
        ("POST", "/api/v1/webhooks"): lambda w, p: Call("/api/v1/webhooks", webhook_body()),
        ("GET", "/api/v1/webhooks/{id}"): lambda w, p: Call(
            f"/api/v1/webhooks/{_records(w).webhook()['id']}"),
        ("PATCH", "/api/v1/webhooks/{id}"): patch("webhooks", {"enabled": False}, "enabled"),
        ("DELETE", "/api/v1/webhooks/{id}"): delete("webhooks"),
        ("POST", "/api/v1/webhooks/{id}/test"): test_event,
        ("GET", "/api/v1/deliveries"): lambda w, p: Call("/api/v1/deliveries?limit=5"),
        ("GET", "/api/v1/deliveries/{id}"): lambda w, p: Call(
            f"/api/v1/deliveries/{_records(w).finished_delivery()}"),
        ("POST", "/api/v1/deliveries/{id}/replay"): replay,
    }


def spec_checks(check, w, ps):
    """Success and error responses of every notification route, validated by test_openapi's
    Checker against docs/openapi.yaml."""
    admin, hr, mgr_a = ps["admin"], ps["hr"], ps["manager_a"]
    auditor, anon, tok_r, tok_w = ps["auditor"], ps["anonymous"], ps["token_read"], ps["token_write"]
    rec = _records(w)

    # ---- templates ----
    t = "/api/v1/message-templates"
    page = check(hr, "GET", t, t + "?limit=50", status=200).json()
    assert {"interview_invitation", "interview_reminder", "next_round_invitation",
            "thank_you"} <= {i["key"] for i in page["items"]}
    check(hr, "GET", t, t + "?limit=0", status=400, code="validation_failed")
    check(anon, "GET", t, t, status=401, code="unauthenticated")
    check(mgr_a, "GET", t, t, status=403, code="forbidden")
    body = template_body()
    created = check(hr, "POST", t, t, body, status=201).json()
    assert created["variables"] == ["organisation_name", "candidate_name", "job_title"]
    check(hr, "POST", t, t, dict(template_body(), key=body["key"]), status=409,
          code="duplicate_template_key")
    bad = check(hr, "POST", t, t, dict(template_body(), body_zh="{{candidate_nam}} 您好 {{job_title"),
                status=400, code="validation_failed").json()
    msgs = [d["message"] for d in bad["error"]["details"] if d["field"] == "body_zh"]
    assert any("unknown variable {{candidate_nam}} at character 1" in m for m in msgs), msgs
    assert any("unclosed {{" in m for m in msgs), msgs
    check(hr, "POST", t, t, dict(template_body(), colour="red"), status=400)
    check(hr, "POST", t, t, raw="{", status=400, code="invalid_json")
    check(hr, "POST", t, t, raw="{}", headers={"Content-Type": "text/plain"}, status=415)
    check(anon, "POST", t, t, template_body(), status=401)
    check(tok_w, "POST", t, t, template_body(), status=403, code="forbidden")
    t = "/api/v1/message-templates/preview"
    out = check(hr, "POST", t, t, {"subject_zh": "{{job_title}}", "body_zh": "{{candidate_name}}您好",
                                   "body_en": "Hi {{candidate_name}}",
                                   "variables": {"candidate_name": "王芳"}}, status=200).json()
    assert out["body_zh"] == "王芳您好" and out["body_en"] == "Hi 王芳"
    assert out["subject_zh"] == "客户成功专员"
    check(hr, "POST", t, t, {"body_zh": "{{x}}", "body_en": "}}"}, status=400,
          code="validation_failed")
    check(hr, "POST", t, t, raw="[", status=400, code="invalid_json")
    check(hr, "POST", t, t, raw="{}", headers={"Content-Type": "text/plain"}, status=415)
    check(anon, "POST", t, t, {"body_zh": "a", "body_en": "b"}, status=401)
    check(auditor, "POST", t, t, {"body_zh": "a", "body_en": "b"}, status=403)
    t = "/api/v1/message-templates/{id}"
    p = f"/api/v1/message-templates/{created['id']}"
    builtin = f"/api/v1/message-templates/{rec.builtin_template['id']}"
    check(admin, "GET", t, builtin, status=200)
    check(anon, "GET", t, p, status=401)
    check(tok_r, "GET", t, p, status=403)
    check(hr, "GET", t, f"/api/v1/message-templates/{MISSING_ID}", status=404, code="not_found")
    upd = check(hr, "PATCH", t, p, {"body_en": "Hello {{candidate_name}} ({{overall_score}})"},
                status=200).json()
    assert "overall_score" in upd["variables"]
    check(hr, "PATCH", t, p, {"body_en": "{{score}}"}, status=400, code="validation_failed")
    check(hr, "PATCH", t, p, {"key": "renamed"}, status=400, code="validation_failed")
    check(hr, "PATCH", t, p, raw="{", status=400, code="invalid_json")
    check(hr, "PATCH", t, p, raw="{}", headers={"Content-Type": "text/plain"}, status=415)
    check(anon, "PATCH", t, p, {"name": "x"}, status=401)
    check(mgr_a, "PATCH", t, p, {"name": "x"}, status=403)
    check(hr, "PATCH", t, f"/api/v1/message-templates/{MISSING_ID}", {"name": "x"}, status=404)
    check(hr, "DELETE", t, builtin, status=409, code="builtin_template")
    check(anon, "DELETE", t, p, status=401)
    check(tok_w, "DELETE", t, p, status=403)
    check(hr, "DELETE", t, p, status=204)
    check(hr, "DELETE", t, p, status=404)

    # ---- channels ----
    t = "/api/v1/notification-channels"
    body = {"kind": "email", "name": _u("招聘邮箱-"),
            "config": {"host": "smtp.example.com", "username": "hr@example.com",
                       "from_address": "hr@example.com", "from_name": "星海科技 招聘"},
            "secrets": {"password": "Smtp-Passw0rd-Secret"}}
    ch = check(admin, "POST", t, t, body, status=201).json()
    assert ch["config"] == {"host": "smtp.example.com", "port": 587, "tls": "starttls",
                            "verify_tls": True, "username": "hr@example.com",
                            "from_address": "hr@example.com", "from_name": "星海科技 招聘"}
    assert ch["secrets"] == {"password": "••••cret"}
    check(admin, "POST", t, t, dict(body), status=409, code="duplicate_channel_name")
    bad = check(admin, "POST", t, t, {"kind": "email", "name": _u("x"),
                                      "config": {"host": "smtp.example.com", "port": 70000,
                                                 "tls": "ssl", "from_address": "nope",
                                                 "colour": "red"}},
                status=400, code="validation_failed").json()
    fields = {d["field"] for d in bad["error"]["details"]}
    assert {"config.port", "config.tls", "config.from_address", "config.colour"} <= fields, fields
    check(admin, "POST", t, t, {"kind": "dingtalk", "name": _u("x"),
                                "secrets": {"webhook_url": "ftp://x"}}, status=400)
    check(admin, "POST", t, t, {"kind": "pager", "name": _u("x")}, status=400)
    check(admin, "POST", t, t, raw="{", status=400, code="invalid_json")
    check(admin, "POST", t, t, raw="{}", headers={"Content-Type": "text/plain"}, status=415)
    check(anon, "POST", t, t, channel_body(), status=401)
    check(hr, "POST", t, t, channel_body(), status=403, code="forbidden")
    page = check(admin, "GET", t, t + "?limit=2", status=200).json()
    assert "Smtp-Passw0rd-Secret" not in str(page)
    check(admin, "GET", t, t + "?cursor=nonsense", status=400)
    check(anon, "GET", t, t, status=401)
    check(tok_r, "GET", t, t, status=403)
    t = "/api/v1/notification-channels/{id}"
    p = f"/api/v1/notification-channels/{ch['id']}"
    got = check(admin, "GET", t, p, status=200).json()
    assert got["secrets"] == {"password": "••••cret"}
    check(anon, "GET", t, p, status=401)
    check(hr, "GET", t, p, status=403)
    check(admin, "GET", t, f"/api/v1/notification-channels/{MISSING_ID}", status=404)
    upd = check(admin, "PATCH", t, p, {"config": {"port": 465, "tls": "tls"},
                                       "secrets": {"password": "Another-Secret-9876"}},
                status=200).json()
    assert upd["config"]["port"] == 465 and upd["secrets"]["password"] == "••••9876"
    check(admin, "PATCH", t, p, {"config": {"tls": "none"}}, status=400)  # username without TLS
    check(admin, "PATCH", t, p, {"kind": "sms"}, status=400)
    check(admin, "PATCH", t, p, {"name": _u("改名-")}, status=200)
    other = rec.channel()
    check(admin, "PATCH", t, p, {"name": other["name"]}, status=409, code="duplicate_channel_name")
    check(admin, "PATCH", t, p, raw="{", status=400, code="invalid_json")
    check(admin, "PATCH", t, p, raw="{}", headers={"Content-Type": "text/plain"}, status=415)
    check(anon, "PATCH", t, p, {"enabled": False}, status=401)
    check(hr, "PATCH", t, p, {"enabled": False}, status=403)
    check(admin, "PATCH", t, f"/api/v1/notification-channels/{MISSING_ID}", {"enabled": False},
          status=404)
    check(anon, "DELETE", t, p, status=401)
    check(auditor, "DELETE", t, p, status=403)
    check(admin, "DELETE", t, p, status=204)
    check(admin, "DELETE", t, p, status=404)

    # ---- webhooks ----
    t = "/api/v1/webhooks"
    body = webhook_body()
    sub = check(admin, "POST", t, t, body, status=201).json()
    assert sub["secret"].startswith("whsec_")
    for url, problem in (("ftp://hris.example.com/x", "http"),
                         ("https://user:pw@hris.example.com/x", "credentials"),
                         ("https://hris.example.com/x#y", "fragment"),
                         ("https:///x", "host")):
        err = check(admin, "POST", t, t, dict(webhook_body(), url=url), status=400,
                    code="validation_failed").json()
        assert problem in err["error"]["details"][0]["message"], (url, err)
    check(admin, "POST", t, t, dict(webhook_body(), event_types=["candidate.fired"]), status=400)
    check(admin, "POST", t, t, dict(webhook_body(), event_types=[]), status=400)
    check(admin, "POST", t, t, raw="{", status=400, code="invalid_json")
    check(admin, "POST", t, t, raw="{}", headers={"Content-Type": "text/plain"}, status=415)
    check(anon, "POST", t, t, webhook_body(), status=401)
    check(tok_w, "POST", t, t, webhook_body(), status=403)
    page = check(admin, "GET", t, t + "?limit=200", status=200).json()
    assert sub["secret"] not in str(page)
    check(admin, "GET", t, t + "?limit=201", status=400)
    check(anon, "GET", t, t, status=401)
    check(hr, "GET", t, t, status=403)
    t = "/api/v1/webhooks/{id}"
    p = f"/api/v1/webhooks/{sub['id']}"
    got = check(admin, "GET", t, p, status=200).json()
    assert "secret" not in got
    check(anon, "GET", t, p, status=401)
    check(mgr_a, "GET", t, p, status=403)
    check(admin, "GET", t, f"/api/v1/webhooks/{MISSING_ID}", status=404)
    check(admin, "PATCH", t, p, {"event_types": ["interview.completed"], "enabled": False},
          status=200)
    check(admin, "PATCH", t, p, {"url": "http://"}, status=400, code="validation_failed")
    check(admin, "PATCH", t, p, raw="{", status=400, code="invalid_json")
    check(admin, "PATCH", t, p, raw="{}", headers={"Content-Type": "text/plain"}, status=415)
    check(anon, "PATCH", t, p, {"enabled": True}, status=401)
    check(hr, "PATCH", t, p, {"enabled": True}, status=403)
    check(admin, "PATCH", t, f"/api/v1/webhooks/{MISSING_ID}", {"enabled": True}, status=404)
    check(anon, "DELETE", t, p, status=401)
    check(tok_w, "DELETE", t, p, status=403)
    check(admin, "DELETE", t, p, status=204)
    check(admin, "DELETE", t, p, status=404)

    # ---- test events and deliveries ----
    t = "/api/v1/webhooks/{id}/test"
    sub2 = rec.webhook()["id"]
    d = check(admin, "POST", t, f"/api/v1/webhooks/{sub2}/test", status=202).json()
    assert d["event_type"] == "webhook.test" and d["subscription_id"] == sub2
    check(anon, "POST", t, f"/api/v1/webhooks/{sub2}/test", status=401)
    check(hr, "POST", t, f"/api/v1/webhooks/{sub2}/test", status=403)
    check(admin, "POST", t, f"/api/v1/webhooks/{MISSING_ID}/test", status=404)
    t = "/api/v1/deliveries"
    check(admin, "GET", t, t + "?kind=webhook&limit=5", status=200)
    check(admin, "GET", t, t + "?status=lost", status=400, code="validation_failed")
    check(admin, "GET", t, t + "?subscription_id=x", status=400, code="validation_failed")
    check(anon, "GET", t, t, status=401)
    check(hr, "GET", t, t, status=403)
    finished = rec.finished_delivery()
    t = "/api/v1/deliveries/{id}"
    d = check(admin, "GET", t, f"/api/v1/deliveries/{finished}", status=200).json()
    assert d["attempt_log"] and d["attempt_log"][0]["outcome"] == "permanent", d
    assert d["last_status_code"] in (404, 405) and d["payload"]["type"] == "webhook.test"
    check(anon, "GET", t, f"/api/v1/deliveries/{finished}", status=401)
    check(auditor, "GET", t, f"/api/v1/deliveries/{finished}", status=403)
    check(admin, "GET", t, f"/api/v1/deliveries/{MISSING_ID}", status=404)
    t = "/api/v1/deliveries/{id}/replay"
    again = check(admin, "POST", t, f"/api/v1/deliveries/{finished}/replay", status=202).json()
    assert again["replay_of"] == finished and again["message_id"] == d["message_id"]
    pending = rec.pending_delivery()
    check(admin, "POST", t, f"/api/v1/deliveries/{pending}/replay", status=409,
          code="delivery_not_finished")
    check(anon, "POST", t, f"/api/v1/deliveries/{finished}/replay", status=401)
    check(hr, "POST", t, f"/api/v1/deliveries/{finished}/replay", status=403)
    check(admin, "POST", t, f"/api/v1/deliveries/{MISSING_ID}/replay", status=404)
