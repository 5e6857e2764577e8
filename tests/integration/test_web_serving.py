"""Serving the web app: the demo organisation's name, the single-page app's fallback (always the
current index.html), caching rules, ETag revalidation and gzip computed once per file version."""

import gzip
import os
import time
import uuid

import requests

from conftest import DEMO, DEMO_PASSWORD, Client, Server, demo_users


def _candidate_overview(server):
    """Invites a new candidate to a demo job with a plan; returns the candidate's overview."""
    hr = Client(server.url)
    hr.login(demo_users("hr")[0]["email"], DEMO_PASSWORD)
    jobs = hr.get("/api/v1/jobs", params={"status": "open", "limit": 50}).json()["items"]
    for job in jobs:
        if hr.get(f"/api/v1/jobs/{job['id']}/interview-plan").status_code == 200:
            break
    else:
        raise AssertionError("no demo job with an interview plan")
    tag = uuid.uuid4().hex[:8]
    r = hr.post("/api/v1/candidates", json={"name": f"组织名测试{tag}", "email": f"org-{tag}@example.com"})
    assert r.status_code == 201, r.text
    r = hr.post("/api/v1/applications", json={"candidate_id": r.json()["id"], "job_id": job["id"]})
    assert r.status_code == 201, r.text
    r = hr.post(f"/api/v1/applications/{r.json()['id']}/invitation", json={})
    assert r.status_code == 201, r.text
    r = requests.get(f"{server.url}/api/v1/interview/{r.json()['token']}")
    assert r.status_code == 200, r.text
    return r.json()


def test_demo_server_names_the_demo_organisation(demo_server):
    assert DEMO["organisation"]["name"] == "星海科技集团"
    assert _candidate_overview(demo_server)["organisation"] == "星海科技集团"


def test_configured_organisation_name_wins_over_the_demo(tmp_path):
    srv = Server(tmp_path / "data", env={"ZHIMIAN_ORG_NAME": "测试有限公司"}).start()
    try:
        assert _candidate_overview(srv)["organisation"] == "测试有限公司"
    finally:
        srv.stop()


def _web_dir(tmp_path):
    web = tmp_path / "web"
    (web / "assets").mkdir(parents=True)
    (web / "index.html").write_text("<!doctype html><title>智面 v1</title><div id=app></div>", encoding="utf-8")
    # A hashed asset (Vite's name-HASH.js), large and repetitive enough to be worth compressing.
    (web / "assets" / "index-Ab3dE_9x.js").write_text("console.log('智面');\n" * 2000, encoding="utf-8")
    (web / "favicon.png").write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(300))
    return web


def _raw(url, **headers):
    """GET without decoding the body (requests would gunzip it)."""
    r = requests.get(url, headers=headers, stream=True)
    body = r.raw.read(decode_content=False)
    return r, body


def test_spa_fallback_serves_the_current_index_html(tmp_path):
    web = _web_dir(tmp_path)
    srv = Server(tmp_path / "data", demo=False, env={"ZHIMIAN_WEB_DIR": str(web)}).start()
    try:
        assert "v1" in requests.get(srv.url + "/applications/123").content.decode()
        # The web app is rebuilt while the server runs: the next load gets the new file, on the
        # root, on client-side routes and on /index.html (a new size and modification time).
        (web / "index.html").write_text("<!doctype html><title>智面 v2, rebuilt</title><div id=app></div>",
                                        encoding="utf-8")
        for path in ("/", "/applications/123", "/reviews", "/index.html"):
            r = requests.get(srv.url + path)
            assert r.status_code == 200 and "v2, rebuilt" in r.content.decode(), path
            assert r.headers["Content-Type"].startswith("text/html")
            assert r.headers["Cache-Control"] == "no-cache"
        # Server routes and API paths are not swallowed by the fallback.
        assert requests.get(srv.url + "/healthz").json() == {"status": "ok"}
        api = requests.get(srv.url + "/api/v1/nothing-here")
        assert api.status_code == 404 and api.json()["error"]["code"] == "not_found"
        # Paths cannot leave the web directory.
        (tmp_path / "secret.txt").write_text("secret")
        r = requests.get(srv.url + "/assets/../../secret.txt")
        assert "secret" not in r.text
    finally:
        srv.stop()


def test_static_caching_etag_and_gzip(tmp_path):
    web = _web_dir(tmp_path)
    srv = Server(tmp_path / "data", demo=False, env={"ZHIMIAN_WEB_DIR": str(web)}).start()
    try:
        js_url = srv.url + "/assets/index-Ab3dE_9x.js"
        plain = (web / "assets" / "index-Ab3dE_9x.js").read_bytes()

        # Hashed assets are immutable; index.html and unhashed files are revalidated.
        r, body = _raw(js_url, **{"Accept-Encoding": "identity"})
        assert r.status_code == 200 and body == plain
        assert r.headers["Cache-Control"] == "public, max-age=31536000, immutable"
        assert "Content-Encoding" not in r.headers
        assert r.headers["Vary"] == "Accept-Encoding"
        etag = r.headers["ETag"]
        assert etag.startswith('"') and etag.endswith('"')
        assert requests.get(srv.url + "/").headers["Cache-Control"] == "no-cache"
        png = requests.get(srv.url + "/favicon.png")
        assert png.headers["Cache-Control"] == "no-cache" and png.headers["Content-Type"] == "image/png"
        assert "Content-Encoding" not in png.headers  # not a compressible type

        # gzip when accepted: the same bytes each time (compressed once), a distinct validator.
        r1, gz1 = _raw(js_url, **{"Accept-Encoding": "gzip, deflate, br"})
        r2, gz2 = _raw(js_url, **{"Accept-Encoding": "gzip"})
        assert r1.headers["Content-Encoding"] == "gzip" and r2.headers["Content-Encoding"] == "gzip"
        assert gz1 == gz2 and gzip.decompress(gz1) == plain
        assert len(gz1) < len(plain) / 10
        assert int(r1.headers["Content-Length"]) == len(gz1)
        gz_etag = r1.headers["ETag"]
        assert gz_etag != etag
        # q=0 refuses gzip.
        r, body = _raw(js_url, **{"Accept-Encoding": "gzip;q=0, identity"})
        assert "Content-Encoding" not in r.headers and body == plain

        # Revalidation: a matching If-None-Match answers 304 without a body, for either encoding.
        for tag, enc in ((etag, "identity"), (gz_etag, "gzip"), ('W/' + etag, "gzip"), ('"x", ' + gz_etag, "gzip")):
            r, body = _raw(js_url, **{"If-None-Match": tag, "Accept-Encoding": enc})
            assert r.status_code == 304 and body == b"", tag
            assert r.headers["ETag"] in (etag, gz_etag)
        r, body = _raw(js_url, **{"If-None-Match": '"stale"', "Accept-Encoding": "identity"})
        assert r.status_code == 200 and body == plain
        idx = requests.get(srv.url + "/")
        assert requests.get(srv.url + "/", headers={"If-None-Match": idx.headers["ETag"]}).status_code == 304

        # A changed file gets a new validator: the old one no longer matches.
        time.sleep(0.01)
        (web / "index.html").write_text("<!doctype html><title>智面 v3</title><div id=app></div>", encoding="utf-8")
        r = requests.get(srv.url + "/", headers={"If-None-Match": idx.headers["ETag"]})
        assert r.status_code == 200 and "v3" in r.content.decode() and r.headers["ETag"] != idx.headers["ETag"]

        # HEAD: the headers without a body.
        h = requests.head(js_url, headers={"Accept-Encoding": "identity"})
        assert h.status_code == 200 and h.headers["ETag"] == etag and h.content == b""
    finally:
        srv.stop()
