"""Supervised-scoring routes in the authorization matrix (test_authz_matrix.py): a question of
the world with 50 imported ratings and a trained model, and one request builder per route."""

import time

TSV = "text/tab-separated-values"

_ANSWERS = [
    "我觉得多沟通就好。",
    "我会先询问客户的需求，再给出方案。",
    "去年我拜访客户了解需求，和售前团队设计方案，最终续约。",
    "2023年我负责一个200万元的客户，先倾听需求，再三轮谈判达成双赢，客户续约并增购30%。",
]


def _tsv(n, offset=0):
    return "label\ttext\n" + "".join(
        f"{i % 4}\t{_ANSWERS[i % 4]}（第{offset + i}条）\n" for i in range(n))


def _train_queued(w, qid, dimension=None):
    """Training runs are model.train jobs, and these test servers run no job workers (background
    automation would move applications on while the tests look at them). `zhimian train
    --question` runs a model.train-only worker until its own run is finished; jobs are claimed
    oldest first, so the runs queued through the API are trained before it."""
    args = ["train", "--question", qid, "--folds", "2"]
    if dimension:
        args += ["--dimension", dimension]
    w.server.run_cli(*args)  # its own run may fail (e.g. equal ratings): only the draining counts


def model_question(w):
    """A question with 50 ratings and a ready model version 1 (made once per world)."""
    if getattr(w, "_model_question", None):
        return w._model_question
    qid = w.create_question()["id"]
    r = w.admin.post(f"/api/v1/questions/{qid}/ratings/import", data=_tsv(50).encode(),
                     headers={"Content-Type": TSV})
    assert r.status_code == 200 and r.json()["imported"] == 50, r.text
    r = w.admin.post(f"/api/v1/questions/{qid}/models", json={"folds": 2})
    assert r.status_code == 202, r.text
    _train_queued(w, qid)
    deadline = time.time() + 180
    while time.time() < deadline:
        m = w.admin.get(f"/api/v1/questions/{qid}/models/1").json()
        if m["status"] != "training":
            break
        time.sleep(0.2)
    assert m["status"] == "ready", m
    w._model_question = qid
    return qid


def _count(w, qid, what):
    r = w.admin.get(f"/api/v1/questions/{qid}/{what}?limit=200")
    assert r.status_code == 200, r.text
    return len(r.json()["items"])


def _active(w, qid):
    items = w.admin.get(f"/api/v1/questions/{qid}/models?limit=200").json()["items"]
    return sorted((m["version"], m["active"]) for m in items)


class RawSender:
    """Sends a raw (non-JSON) body as principal `p`, with its credentials."""

    def __init__(self, p, data, content_type):
        self.p, self.data, self.content_type = p, data, content_type

    def send(self, method, path, json_body=None, **kw):
        h = self.p.headers(method)
        h["Content-Type"] = self.content_type
        self.p.http.cookies.clear()
        return self.p.http.request(method, self.p.base + path, data=self.data, headers=h,
                                   timeout=60)


def matrix_builders(Call):
    """(method, path) -> builder(world, principal) -> Call, for every supervised-scoring route."""

    def create_rating(w, p):
        qid = model_question(w)
        before = _count(w, qid, "ratings")
        return Call(f"/api/v1/questions/{qid}/ratings", {"label": 2, "text": f"{p.name} 的示例回答"},
                    intact=lambda: _count(w, qid, "ratings") == before)

    def import_ratings(w, p):
        qid = model_question(w)
        before = _count(w, qid, "ratings")
        return Call(f"/api/v1/questions/{qid}/ratings/import",
                    sender=RawSender(p, _tsv(2, 1000).encode(), TSV),
                    intact=lambda: _count(w, qid, "ratings") == before)

    def delete_rating(w, p):
        qid = model_question(w)
        r = w.admin.post(f"/api/v1/questions/{qid}/ratings", json={"label": 1, "text": "待删除"})
        assert r.status_code == 201, r.text
        rid = r.json()["id"]

        def still_there():
            items = w.admin.get(f"/api/v1/questions/{qid}/ratings?limit=200").json()["items"]
            return any(i["id"] == rid for i in items)
        return Call(f"/api/v1/questions/{qid}/ratings/{rid}", intact=still_there)

    def train(w, p):
        qid = model_question(w)
        before = _count(w, qid, "models")
        return Call(f"/api/v1/questions/{qid}/models", {"folds": 2},
                    intact=lambda: _count(w, qid, "models") == before)

    def activation(action):
        def build(w, p):
            qid = model_question(w)
            before = _active(w, qid)
            return Call(f"/api/v1/questions/{qid}/models/1/{action}",
                        intact=lambda: _active(w, qid) == before)
        return build

    return {
        ("GET", "/api/v1/questions/{id}/ratings"): lambda w, p: Call(
            f"/api/v1/questions/{model_question(w)}/ratings?limit=5"),
        ("POST", "/api/v1/questions/{id}/ratings"): create_rating,
        ("POST", "/api/v1/questions/{id}/ratings/import"): import_ratings,
        ("DELETE", "/api/v1/questions/{id}/ratings/{rating_id}"): delete_rating,
        ("GET", "/api/v1/questions/{id}/models"): lambda w, p: Call(
            f"/api/v1/questions/{model_question(w)}/models"),
        ("POST", "/api/v1/questions/{id}/models"): train,
        ("GET", "/api/v1/questions/{id}/models/{version}"): lambda w, p: Call(
            f"/api/v1/questions/{model_question(w)}/models/1"),
        ("POST", "/api/v1/questions/{id}/models/{version}/activate"): activation("activate"),
        ("POST", "/api/v1/questions/{id}/models/{version}/deactivate"): activation("deactivate"),
    }


MISSING_ID = "01ARZ3NDEKTSV4RRFFQ69G5FAV"


def _wait(w, qid, version, timeout=180):
    deadline = time.time() + timeout
    while time.time() < deadline:
        m = w.admin.get(f"/api/v1/questions/{qid}/models/{version}").json()
        if m["status"] != "training":
            return m
        time.sleep(0.2)
    raise AssertionError(f"model {version} of {qid} still training")


def spec_checks(check, w, ps):
    """Success and error responses of every supervised-scoring route, validated by test_openapi's
    Checker against docs/openapi.yaml."""
    admin, hr, mgr_a = ps["admin"], ps["hr"], ps["manager_a"]
    auditor, anon, tok_r, tok_w = ps["auditor"], ps["anonymous"], ps["token_read"], ps["token_write"]
    qid = model_question(w)
    k1 = w.model_a["dimensions"][0]["key"]
    base = f"/api/v1/questions/{qid}"

    # ---- ratings ----
    t = "/api/v1/questions/{id}/ratings"
    check(hr, "GET", t, base + "/ratings?limit=3", status=200)
    check(tok_r, "GET", t, base + f"/ratings?dimension_key={k1}", status=200)
    check(hr, "GET", t, base + "/ratings?limit=0", status=400, code="validation_failed")
    check(anon, "GET", t, base + "/ratings", status=401, code="unauthenticated")
    check(mgr_a, "GET", t, base + "/ratings", status=403, code="forbidden")
    check(hr, "GET", t, f"/api/v1/questions/{MISSING_ID}/ratings", status=404, code="not_found")
    created = check(hr, "POST", t, base + "/ratings", {"label": 3, "text": "一个完整的示例回答"},
                    status=201).json()
    check(tok_w, "POST", t, base + "/ratings", {"label": 1, "dimension_key": None, "text": "示例"},
          status=201)
    check(hr, "POST", t, base + "/ratings", {"label": 9, "text": "超出范围"}, status=400,
          code="validation_failed")
    check(hr, "POST", t, base + "/ratings", {"label": 1, "text": "x", "colour": "red"},
          status=400, code="validation_failed")
    check(anon, "POST", t, base + "/ratings", {"label": 1, "text": "x"}, status=401)
    check(mgr_a, "POST", t, base + "/ratings", {"label": 1, "text": "x"}, status=403)
    check(hr, "POST", t, f"/api/v1/questions/{MISSING_ID}/ratings", {"label": 1, "text": "x"},
          status=404, code="not_found")
    # Rating an interview answer twice: 409.
    app, _ = w.create_finished_interview()
    q0 = w.hr_interview(app)["questions"][0]
    aq, aid = q0["question_id"], q0["score"]["answer_id"]
    check(hr, "POST", t, f"/api/v1/questions/{aq}/ratings", {"label": 2, "answer_id": aid},
          status=201)
    check(hr, "POST", t, f"/api/v1/questions/{aq}/ratings", {"label": 3, "answer_id": aid},
          status=409, code="duplicate_rating")

    t = "/api/v1/questions/{id}/ratings/import"
    good = "label\ttext\n2\t导入的回答\n3\n"
    r = check(hr, "POST", t, base + "/ratings/import", raw=good.encode(),
              headers={"Content-Type": TSV}, status=200)
    assert r.json()["imported"] == 1 and r.json()["problems"][0]["line"] == 3
    check(tok_w, "POST", t, base + "/ratings/import?strict=false",
          raw="score,answer\n1,\"逗号, 引号\"\n".encode(), headers={"Content-Type": "text/csv"},
          status=200)
    check(hr, "POST", t, base + "/ratings/import?strict=true", raw=good.encode(),
          headers={"Content-Type": TSV}, status=400, code="validation_failed")
    check(hr, "POST", t, base + "/ratings/import", raw=b"label\ttext\n7\tx\n",
          headers={"Content-Type": TSV}, status=400, code="validation_failed")
    check(hr, "POST", t, base + "/ratings/import", raw=b"{}", status=415,
          code="unsupported_media_type")
    check(anon, "POST", t, base + "/ratings/import", raw=good.encode(),
          headers={"Content-Type": TSV}, status=401)
    check(mgr_a, "POST", t, base + "/ratings/import", raw=good.encode(),
          headers={"Content-Type": TSV}, status=403)
    check(hr, "POST", t, f"/api/v1/questions/{MISSING_ID}/ratings/import", raw=good.encode(),
          headers={"Content-Type": TSV}, status=404)

    t = "/api/v1/questions/{id}/ratings/{rating_id}"
    path = base + f"/ratings/{created['id']}"
    check(anon, "DELETE", t, path, status=401)
    check(mgr_a, "DELETE", t, path, status=403)
    check(hr, "DELETE", t, path, status=204)
    check(hr, "DELETE", t, path, status=404, code="not_found")

    # ---- models ----
    t = "/api/v1/questions/{id}/models"
    r = check(auditor, "GET", t, base + "/models", status=200)
    assert r.json()["items"][-1]["version"] == 1
    check(tok_r, "GET", t, base + f"/models?dimension_key={k1}", status=200)
    check(hr, "GET", t, base + "/models?limit=0", status=400, code="validation_failed")
    check(anon, "GET", t, base + "/models", status=401)
    check(hr, "GET", t, f"/api/v1/questions/{MISSING_ID}/models", status=404)
    # A dimension whose 50 ratings all agree: accepted (202), then the run fails.
    same = "label\ttext\n" + "".join(f"2\t同样的评分{i}\n" for i in range(50))
    r = w.admin.post(base + f"/ratings/import?dimension_key={k1}", data=same.encode(),
                     headers={"Content-Type": TSV})
    assert r.status_code == 200, r.text
    run = check(tok_w, "POST", t, base + "/models", {"dimension_key": k1, "folds": 2},
                status=202).json()
    _train_queued(w, qid, k1)
    failed = _wait(w, qid, run["version"])
    assert failed["status"] == "failed", failed
    check(hr, "POST", t, base + "/models", {"folds": 1}, status=400, code="validation_failed")
    check(hr, "POST", t, base + "/models", {"epochs": 3}, status=400, code="validation_failed")
    check(anon, "POST", t, base + "/models", {}, status=401)
    check(mgr_a, "POST", t, base + "/models", {}, status=403)
    check(hr, "POST", t, f"/api/v1/questions/{MISSING_ID}/models", {}, status=404)
    fresh = w.create_question()["id"]
    check(hr, "POST", t, f"/api/v1/questions/{fresh}/models", {}, status=409,
          code="not_enough_ratings")

    t = "/api/v1/questions/{id}/models/{version}"
    check(mgr_a, "GET", t, base + "/models/1", status=200)
    check(anon, "GET", t, base + "/models/1", status=401)
    check(hr, "GET", t, base + "/models/999", status=404, code="not_found")

    t = "/api/v1/questions/{id}/models/{version}/activate"
    check(hr, "POST", t, base + "/models/1/activate", status=200)
    check(hr, "POST", t, base + f"/models/{failed['version']}/activate", status=409,
          code="model_not_ready")
    check(anon, "POST", t, base + "/models/1/activate", status=401)
    check(mgr_a, "POST", t, base + "/models/1/activate", status=403)
    check(hr, "POST", t, base + "/models/999/activate", status=404)
    t = "/api/v1/questions/{id}/models/{version}/deactivate"
    check(tok_w, "POST", t, base + "/models/1/deactivate", status=200)
    check(anon, "POST", t, base + "/models/1/deactivate", status=401)
    check(mgr_a, "POST", t, base + "/models/1/deactivate", status=403)
    check(hr, "POST", t, f"/api/v1/questions/{MISSING_ID}/models/1/deactivate", status=404)
