"""No acknowledged write is lost: 20 writers, SIGKILL mid-flight, restart, every 2xx is there and the
audit chain verifies. And SIGTERM is graceful: in-flight requests complete, then exit 0.
"""

import collections
import concurrent.futures
import http.client
import json
import signal
import threading
import time
import uuid

import pytest
import requests

from robustness_support import (Server, admin_client, list_all, make_server,  # noqa: F401
                                unique_email)

WRITERS = 20
RUN_SECONDS = 2.0


def write_token(srv):
    adm = admin_client(srv)
    r = adm.post("/api/v1/api-tokens", json={"name": "durability-" + uuid.uuid4().hex[:6],
                                            "scopes": ["read", "write"]})
    assert r.status_code == 201, r.text
    return r.json()["token"]


class Writers:
    """WRITERS threads creating candidates in a loop; remembers every acknowledged (2xx) one."""

    def __init__(self, url, token):
        self.url, self.token = url, token
        self.acked = []          # (id, email)
        self.unexpected = []     # non-2xx answers while the server was up
        self.errors_before_kill = []
        self.in_flight = 0
        self.killed = threading.Event()
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self.run, args=(i,), daemon=True) for i in range(WRITERS)]

    def run(self, n):
        s = requests.Session()
        s.headers["Authorization"] = "Bearer " + self.token
        i = 0
        while not self.killed.is_set():
            email = f"durable.{n}.{i}.{uuid.uuid4().hex[:8]}@example.com"
            i += 1
            with self.lock:
                self.in_flight += 1
            try:
                r = s.post(self.url + "/api/v1/candidates", timeout=30,
                           json={"name": f"耐久测试{n}-{i}", "email": email, "tags": ["durability"]})
            except requests.RequestException as e:
                if not self.killed.is_set():
                    # The kill may land between our check and the failure: decided after join.
                    self.errors_before_kill.append((time.monotonic(), repr(e)))
                break
            finally:
                with self.lock:
                    self.in_flight -= 1
            if 200 <= r.status_code < 300:
                try:
                    created_id = r.json()["id"]
                except ValueError:
                    # The kill cut the response after its headers: the body (the id) never
                    # arrived, so the client cannot count this write as acknowledged.
                    break
                with self.lock:
                    self.acked.append((created_id, email))
            else:
                self.unexpected.append((r.status_code, r.text[:200]))

    def start(self):
        for t in self.threads:
            t.start()

    def join(self):
        for t in self.threads:
            t.join(timeout=60)
            assert not t.is_alive()


def check_all_present(srv, acked):
    adm = admin_client(srv)
    stored = {c["id"]: c for c in list_all(adm, "/api/v1/candidates?tag=durability")}
    missing = [(cid, email) for cid, email in acked if cid not in stored]
    assert not missing, f"{len(missing)} acknowledged candidates lost, e.g. {missing[:5]}"
    for cid, email in acked:
        assert stored[cid]["email"] == email

    def get(item):
        cid, email = item
        r = adm.s.get(srv.url + f"/api/v1/candidates/{cid}", timeout=30)
        return cid, email, r.status_code, (r.json().get("email") if r.status_code == 200 else r.text)

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        for cid, email, status, got in pool.map(get, acked):
            assert status == 200, (cid, status, got)
            assert got == email, (cid, got, email)
    # Every stored candidate (acknowledged or not) was written together with its audit entry.
    created = {e["target_id"] for e in list_all(adm, "/api/v1/audit-log?action=candidate.create")}
    assert set(stored) <= created, "candidates without their candidate.create audit entry"
    return stored


def test_sigkill_loses_no_acknowledged_write(tmp_path, backend):
    srv = make_server(tmp_path, backend, demo=False).start()
    try:
        token = write_token(srv)
        w = Writers(srv.url, token)
        w.start()
        time.sleep(RUN_SECONDS)
        with w.lock:
            in_flight = w.in_flight
            acked_before = len(w.acked)
        srv.proc.send_signal(signal.SIGKILL)
        kill_time = time.monotonic()
        w.killed.set()
        srv.proc.wait(timeout=30)
        w.join()
    finally:
        srv.kill()
    assert srv.proc.returncode == -signal.SIGKILL
    assert in_flight > 0, "no request was in flight at the kill"
    assert acked_before > 50, f"only {acked_before} writes in {RUN_SECONDS}s"
    assert not w.unexpected, w.unexpected[:5]
    early = [e for t, e in w.errors_before_kill if t < kill_time - 0.05]
    assert not early, f"requests failed before the kill: {early[:3]}"

    again = Server(srv.data_dir, db_url=srv.db_url, demo=False).start()
    try:
        stored = check_all_present(again, w.acked)
        print(f"{len(w.acked)} acknowledged, {len(stored)} stored, {in_flight} in flight at the kill")
        # The restarted server takes writes again.
        r = admin_client(again).post("/api/v1/candidates", json={"name": "重启后", "email": unique_email()})
        assert r.status_code == 201, r.text
    finally:
        assert again.stop() == 0
    v = again.run_cli("audit", "verify")
    assert v.returncode == 0, v.stdout + v.stderr
    assert "intact" in v.stdout


# ---------------------------------------------------------------------------- SIGTERM


def slow_upload(srv, token, seconds, result):
    """One POST whose body trickles in over `seconds`: in flight when SIGTERM arrives."""
    email = unique_email("slow")
    body = json.dumps({"name": "慢速上传", "email": email, "tags": ["sigterm"],
                       "resume_text": "简" * 90_000}).encode()  # ~270 KB
    pieces = 30
    step = len(body) // pieces + 1
    conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=30)
    try:
        conn.putrequest("POST", "/api/v1/candidates")
        conn.putheader("Authorization", "Bearer " + token)
        conn.putheader("Content-Type", "application/json")
        conn.putheader("Content-Length", str(len(body)))
        conn.endheaders()
        result["started"] = time.monotonic()
        for i in range(0, len(body), step):
            conn.send(body[i:i + step])
            time.sleep(seconds / pieces)
        resp = conn.getresponse()
        result["status"] = resp.status
        result["body"] = resp.read()
        result["email"] = email
        result["finished"] = time.monotonic()
    except Exception as e:  # noqa: BLE001
        result["error"] = repr(e)
    finally:
        conn.close()


class Stream:
    """Threads sending requests on fresh connections until the server refuses to connect.
    Each outcome: ok (complete 2xx), refused (connect failed), or a failure description."""

    def __init__(self, srv, token, n=6):
        self.srv, self.token = srv, token
        self.outcomes = []
        self.dropped_emails = []
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self.run, args=(i,), daemon=True) for i in range(n)]

    def one(self, i, k):
        conn = http.client.HTTPConnection("127.0.0.1", self.srv.port, timeout=30)
        email = None
        try:
            try:
                conn.connect()
            except ConnectionRefusedError:
                return "refused"
            try:
                if k % 2:
                    email = unique_email("stream")
                    body = json.dumps({"name": "流", "email": email, "tags": ["sigterm"]})
                    conn.request("POST", "/api/v1/candidates", body=body,
                                 headers={"Authorization": "Bearer " + self.token,
                                          "Content-Type": "application/json", "Connection": "close"})
                else:
                    conn.request("GET", "/api/v1/candidates?limit=200",
                                 headers={"Authorization": "Bearer " + self.token, "Connection": "close"})
                resp = conn.getresponse()
            except (ConnectionResetError, http.client.RemoteDisconnected, BrokenPipeError) as e:
                # Closed without a byte of response (see test_sigterm_serves_queued_connections).
                if email:
                    self.dropped_emails.append(email)
                return "dropped before response: " + type(e).__name__
            data = resp.read()  # raises IncompleteRead / reset if cut mid-response
            if len(data) != int(resp.getheader("Content-Length", len(data))):
                return "truncated"
            return "ok" if 200 <= resp.status < 300 else f"status {resp.status}"
        except Exception as e:  # noqa: BLE001
            return "failed mid-request: " + repr(e)
        finally:
            conn.close()

    def run(self, i):
        k = 0
        while not self.stop.is_set():
            k += 1
            out = self.one(i, k)
            self.outcomes.append((time.monotonic(), out))
            if out == "refused":
                return

    def start(self):
        for t in self.threads:
            t.start()

    def join(self):
        self.stop.set()
        for t in self.threads:
            t.join(timeout=60)


def test_sigterm_drains_in_flight_requests_and_exits_0(tmp_path):
    srv = Server(tmp_path / "data", demo=False).start()
    token = write_token(srv)
    adm = admin_client(srv)
    for i in range(150):  # make the list requests do some work
        assert adm.post("/api/v1/candidates", json={"name": f"预置{i}", "email": unique_email()}).status_code == 201
    adm.s.close()  # no idle keep-alive connection (see test_sigterm_with_idle_keepalive_connection...)
    stream = Stream(srv, token)
    slow = [{} for _ in range(3)]
    uploads = [threading.Thread(target=slow_upload, args=(srv, token, 1.5, r)) for r in slow]
    stream.start()
    for t in uploads:
        t.start()
    time.sleep(0.7)  # uploads are half-way through their bodies
    sent = time.monotonic()
    srv.proc.send_signal(signal.SIGTERM)
    try:
        rc = srv.proc.wait(timeout=15)
    finally:
        srv.kill()
    exit_seconds = time.monotonic() - sent
    for t in uploads:
        t.join(timeout=30)
    stream.join()

    assert rc == 0
    assert exit_seconds < 3, f"took {exit_seconds:.1f}s to exit"
    # The slow uploads were in flight at the signal and still completed.
    for r in slow:
        assert "error" not in r, r
        assert r["started"] < sent < r["finished"]
        assert r["status"] == 201, r
    after = [o for t, o in stream.outcomes if t >= sent]
    print("outcomes after SIGTERM:", collections.Counter(after), f"exit after {exit_seconds:.2f}s")
    before = [o for t, o in stream.outcomes if t < sent]
    assert before and all(o == "ok" for o in before), set(before)
    assert "refused" in after, "the server never refused a connection after SIGTERM"
    # Only "complete 2xx" or "refused at connect"; a connection closed before any byte of the response
    # is tolerated here (pinned as a server bug by test_sigterm_serves_queued_connections) as long
    # as its request was not carried out.
    bad = [o for o in after if o not in ("ok", "refused") and not o.startswith("dropped before response")]
    assert not bad, bad
    # Everything acknowledged is stored.
    again = Server(srv.data_dir, demo=False).start()
    try:
        emails = {c["email"] for c in list_all(admin_client(again), "/api/v1/candidates?tag=sigterm")}
        for r in slow:
            assert r["email"] in emails
        assert not set(stream.dropped_emails) & emails, "a dropped request was carried out"
    finally:
        again.stop()


def test_sigterm_with_idle_keepalive_connection_exits_promptly(tmp_path):
    srv = Server(tmp_path / "data", demo=False).start()
    s = requests.Session()
    assert s.get(srv.url + "/healthz").status_code == 200  # leaves an idle keep-alive connection
    sent = time.monotonic()
    srv.proc.send_signal(signal.SIGTERM)
    try:
        rc = srv.proc.wait(timeout=15)
    finally:
        srv.kill()
    took = time.monotonic() - sent
    assert rc == 0
    assert took < 2, f"took {took:.1f}s to exit"


def test_sigterm_serves_queued_connections(tmp_path):
    """One worker thread, busy with a slow upload; a second request is accepted and queued; SIGTERM.
    Both were accepted before the signal, so both must get their answer."""
    srv = Server(tmp_path / "data", demo=False, extra_args=["--threads", "1"]).start()
    token = write_token(srv)
    slow = {}
    upload = threading.Thread(target=slow_upload, args=(srv, token, 1.5, slow))
    upload.start()
    time.sleep(0.3)
    conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=15)
    conn.request("GET", "/healthz")  # accepted by the listener, waits for the busy worker
    time.sleep(0.3)
    srv.proc.send_signal(signal.SIGTERM)
    try:
        try:
            resp = conn.getresponse()
            queued = (resp.status, resp.read())
        except (ConnectionError, http.client.HTTPException) as e:
            queued = repr(e)
        upload.join(timeout=30)
        rc = srv.proc.wait(timeout=15)
    finally:
        srv.kill()
        conn.close()
    assert rc == 0
    assert slow.get("status") == 201, slow
    assert queued == (200, b'{"status":"ok"}'), queued
