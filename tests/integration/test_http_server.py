"""HTTP layer behaviour: static web app, routing errors, request ids, metrics, request logs."""

import json

import requests

from conftest import ADMIN_EMAIL, ADMIN_PASSWORD, Client, Server


def test_serves_web_app_with_spa_fallback(tmp_path):
    web = tmp_path / "web"
    (web / "assets").mkdir(parents=True)
    (web / "index.html").write_text("<!doctype html><title>智面</title><div id=app></div>", encoding="utf-8")
    (web / "assets" / "app.js").write_text("console.log('zhimian')")
    srv = Server(tmp_path / "data", demo=False, env={"ZHIMIAN_WEB_DIR": str(web)}).start()
    try:
        root = requests.get(srv.url + "/")
        assert root.status_code == 200 and "智面" in root.content.decode("utf-8")
        js = requests.get(srv.url + "/assets/app.js")
        assert js.status_code == 200 and "zhimian" in js.text
        assert "javascript" in js.headers["Content-Type"]
        # Client-side routes load the app; unknown API paths stay JSON 404s.
        spa = requests.get(srv.url + "/candidates/123/compare")
        assert spa.status_code == 200 and "<div id=app>" in spa.text
        api = requests.get(srv.url + "/api/v1/no-such-thing")
        assert api.status_code == 404
        assert api.json()["error"]["code"] == "not_found"
    finally:
        srv.stop()


def test_without_web_app_root_explains_and_unknown_paths_are_json_404(demo_server):
    root = requests.get(demo_server.url + "/")
    assert root.status_code == 200 and root.headers["Content-Type"].startswith("text/html")
    page = root.content.decode("utf-8")
    assert "智面" in page and "/api/v1/openapi.json" in page
    r = requests.get(demo_server.url + "/index.html")
    assert r.status_code == 404
    assert r.headers["Content-Type"].startswith("application/json")
    assert set(r.json()["error"]) == {"code", "message", "details"}


def test_wrong_method_is_405_with_allow(demo_server):
    r = requests.put(demo_server.url + "/api/v1/departments")
    assert r.status_code == 405
    assert set(r.headers["Allow"].replace(" ", "").split(",")) == {"GET", "POST"}
    assert r.json()["error"]["code"] == "method_not_allowed"


def test_request_id_is_echoed_or_generated(demo_server):
    r = requests.get(demo_server.url + "/healthz", headers={"X-Request-Id": "trace-abc_123"})
    assert r.headers["X-Request-Id"] == "trace-abc_123"
    bad = requests.get(demo_server.url + "/healthz", headers={"X-Request-Id": "x" * 100})
    assert bad.headers["X-Request-Id"] != "x" * 100 and len(bad.headers["X-Request-Id"]) == 26
    a = requests.get(demo_server.url + "/healthz").headers["X-Request-Id"]
    b = requests.get(demo_server.url + "/healthz").headers["X-Request-Id"]
    assert a != b


def test_metrics_count_requests_by_route(demo_server):
    def count():
        text = requests.get(demo_server.url + "/metrics").text
        for line in text.splitlines():
            if line.startswith('zhimian_http_requests_total{method="GET",route="/api/v1/jobs/{id}",status="401"}'):
                return int(line.rsplit(" ", 1)[1])
        return 0
    before = count()
    for _ in range(3):
        requests.get(demo_server.url + "/api/v1/jobs/01ARZ3NDEKTSV4RRFFQ69G5FAV")
    assert count() == before + 3
    text = requests.get(demo_server.url + "/metrics").text
    assert "# TYPE zhimian_http_request_duration_seconds histogram" in text
    assert 'zhimian_http_request_duration_seconds_bucket{method="GET",route="/healthz",le="+Inf"}' in text


def test_request_log_is_json_without_query_or_personal_data(tmp_path):
    srv = Server(tmp_path / "data", demo=False).start()
    try:
        c = Client(srv.url)
        c.login(ADMIN_EMAIL, ADMIN_PASSWORD)
        r = c.post("/api/v1/candidates", json={"name": "日志测试王小明", "email": "logcheck.wang@example.com",
                                                "phone": "13912345678"})
        assert r.status_code == 201, r.text
        c.get("/api/v1/candidates?email=logcheck.wang@example.com")
        rid = c.get("/api/v1/me").headers["X-Request-Id"]
    finally:
        srv.stop()
    log = (tmp_path / "data" / "server.log").read_text(encoding="utf-8")
    for secret in ("日志测试王小明", "logcheck.wang", "13912345678", ADMIN_PASSWORD):
        assert secret not in log
    lines = [json.loads(l) for l in log.splitlines() if l.startswith("{")]
    requests_logged = [l for l in lines if l.get("event") == "http_request"]
    me = [l for l in requests_logged if l["request_id"] == rid]
    assert len(me) == 1
    assert me[0]["route"] == "/api/v1/me" and me[0]["status"] == 200 and me[0]["method"] == "GET"
    assert isinstance(me[0]["duration_ms"], (int, float))


def test_regression_listen_backlog_of_5_dropped_connection_bursts(demo_server):
    """cpp-httplib listens with a backlog of 5: a burst of connects overflowed it, the kernel
    dropped SYNs and clients waited for the 1 s SYN retry (p99 of 0.4-1.7 s under wrk). The
    server re-listens with a larger backlog; 200 simultaneous connects must all finish fast."""
    import socket
    import threading
    import time

    port = demo_server.port
    durations = []
    socks = []
    lock = threading.Lock()
    start = threading.Barrier(200)

    def connect():
        s = socket.socket()
        s.settimeout(5)
        start.wait()
        t0 = time.monotonic()
        s.connect(("127.0.0.1", port))
        with lock:
            durations.append(time.monotonic() - t0)
            socks.append(s)

    threads = [threading.Thread(target=connect) for _ in range(200)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for s in socks:
        s.close()
    assert len(durations) == 200
    assert max(durations) < 0.9, sorted(durations)[-5:]
