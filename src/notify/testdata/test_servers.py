"""Real local peers for src/notify/delivery_test.cc (test code only).

  serve DIR   starts an SMTP sink (aiosmtpd, Debian python3-aiosmtpd), a second one that requires
              STARTTLS and AUTH, and an HTTP receiver on 127.0.0.1 (free ports), prints
              "READY <smtp port> <http port> <starttls smtp port>" and records every
              message (DIR/smtp-N.eml) and request (DIR/http-N.json: method, path, headers, body)
              until killed. The HTTP path decides the answer: /status/<code>, /wecom (errcode 0),
              /wecom-limit (errcode 45009), /dingtalk, /feishu, /slow (1 s, then 200), else 200.
  verify-webhook SECRET FILE      checks a recorded request's Standard Webhooks signature with
                                  Python's hmac, independently of the C++ code; prints OK/BAD.
  verify-dingtalk SECRET FILE     checks the DingTalk timestamp/sign query parameters.
  verify-feishu SECRET FILE       checks the Feishu timestamp/sign body members.
"""

import base64
import hashlib
import hmac
import http.server
import itertools
import json
import os
import sys
import threading
import time
import urllib.parse


def serve(out_dir):
    from aiosmtpd.controller import Controller

    counter = itertools.count(1)
    lock = threading.Lock()

    def next_name(prefix, ext):
        with lock:
            return os.path.join(out_dir, f"{prefix}-{next(counter)}.{ext}")

    class Sink:
        async def handle_DATA(self, server, session, envelope):
            path = next_name("smtp", "eml")
            with open(path + ".tmp", "wb") as f:
                f.write(json.dumps({"from": envelope.mail_from,
                                    "to": envelope.rcpt_tos}).encode() + b"\n")
                f.write(envelope.original_content or envelope.content)
            os.rename(path + ".tmp", path)
            return "250 OK"

    import socket
    with socket.socket() as probe:  # a free port (the controller cannot use port 0)
        probe.bind(("127.0.0.1", 0))
        smtp_port = probe.getsockname()[1]
    smtp = Controller(Sink(), hostname="127.0.0.1", port=smtp_port)
    smtp.start()

    # A submission server like a real one: STARTTLS required (self-signed certificate made by
    # the openssl CLI), AUTH LOGIN/PLAIN only over TLS, user "zhimian" / password "smtp-Secret-1".
    import ssl
    import subprocess
    from aiosmtpd.smtp import AuthResult, LoginPassword
    cert, key = os.path.join(out_dir, "tls-cert.pem"), os.path.join(out_dir, "tls-key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key,
                    "-out", cert, "-days", "1", "-subj", "/CN=127.0.0.1"],
                   check=True, capture_output=True)
    tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    tls.load_cert_chain(cert, key)

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword) and auth_data.login == b"zhimian"
              and auth_data.password == b"smtp-Secret-1")
        return AuthResult(success=ok, handled=False)  # handled=False: the server answers 535

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        tls_port = probe.getsockname()[1]
    smtp_tls = Controller(Sink(), hostname="127.0.0.1", port=tls_port, tls_context=tls,
                          require_starttls=True, authenticator=authenticator,
                          auth_required=True, auth_require_tls=True)
    smtp_tls.start()

    class Receiver(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            record = {"method": self.command, "path": self.path,
                      "headers": {k.lower(): v for k, v in self.headers.items()},
                      "body": body.decode("utf-8")}
            url = urllib.parse.urlparse(self.path)
            status, answer = 200, b'{"ok": true}'
            if url.path.startswith("/status/"):
                status = int(url.path.split("/")[2])
            elif url.path == "/wecom" or url.path == "/dingtalk":
                answer = b'{"errcode": 0, "errmsg": "ok"}'
            elif url.path == "/wecom-limit":
                answer = b'{"errcode": 45009, "errmsg": "api freq out of limit"}'
            elif url.path == "/feishu":
                answer = b'{"code": 0, "msg": "success", "data": {}}'
            elif url.path == "/slow":
                time.sleep(1.0)
            path = next_name("http", "json")
            with open(path + ".tmp", "w") as f:
                json.dump(record, f)
            os.rename(path + ".tmp", path)
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        do_PUT = do_POST

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    print(f"READY {smtp_port} {httpd.server_address[1]} {tls_port}", flush=True)
    try:
        httpd.serve_forever()
    finally:
        smtp.stop()
        smtp_tls.stop()


def load(path):
    with open(path) as f:
        return json.load(f)


def verify_webhook(secret, path):
    r = load(path)
    h = r["headers"]
    key = base64.b64decode(secret[len("whsec_"):])
    content = f"{h['webhook-id']}.{h['webhook-timestamp']}.{r['body']}".encode()
    expected = "v1," + base64.b64encode(hmac.new(key, content, hashlib.sha256).digest()).decode()
    fresh = abs(time.time() - int(h["webhook-timestamp"])) < 300
    ok = fresh and any(hmac.compare_digest(expected, s) for s in h["webhook-signature"].split())
    print("OK" if ok else "BAD")


def verify_dingtalk(secret, path):
    q = urllib.parse.parse_qs(urllib.parse.urlparse(load(path)["path"]).query)
    ts = q["timestamp"][0]
    digest = hmac.new(secret.encode(), f"{ts}\n{secret}".encode(), hashlib.sha256).digest()
    ok = q["sign"][0] == base64.b64encode(digest).decode()  # parse_qs has URL-decoded it
    print("OK" if ok else "BAD")


def verify_feishu(secret, path):
    body = json.loads(load(path)["body"])
    ts = body["timestamp"]
    digest = hmac.new(f"{ts}\n{secret}".encode(), b"", hashlib.sha256).digest()
    print("OK" if body["sign"] == base64.b64encode(digest).decode() else "BAD")


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "serve":
        serve(sys.argv[2])
    elif cmd == "verify-webhook":
        verify_webhook(sys.argv[2], sys.argv[3])
    elif cmd == "verify-dingtalk":
        verify_dingtalk(sys.argv[2], sys.argv[3])
    elif cmd == "verify-feishu":
        verify_feishu(sys.argv[2], sys.argv[3])
