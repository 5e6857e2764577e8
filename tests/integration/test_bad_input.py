"""Bad input of every kind: a 4xx with the DESIGN §5 error shape, a clear message, never a 5xx, and
nothing stored (the resource's list and the audit log's newest seq are unchanged).

Runs on a private copy of the demo organisation (one server for the module), so the shared
demo_server of other suites keeps its pristine state.
"""

import copy
import json

import pytest

from robustness_support import demo_template  # noqa: F401  (fixture)
from robustness_support import (admin_client, assert_error, audit_head_seq, detail_fields, list_all,
                                nothing_stored, quick_client, server_copy, unique, unique_email,
                                unique_phone)

MIB = 1 << 20


# ---------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def srv(demo_template, tmp_path_factory):
    s = server_copy(demo_template, tmp_path_factory.mktemp("bad-input") / "data").start()
    yield s
    s.stop()


@pytest.fixture(scope="module")
def adm(srv):
    return admin_client(srv)


@pytest.fixture(scope="module")
def ctx(adm):
    """Existing ids the valid bodies refer to."""
    jobs = list_all(adm, "/api/v1/jobs")
    job = next(j for j in jobs if adm.get(f"/api/v1/jobs/{j['id']}/interview-plan").status_code == 200)
    model = adm.get(f"/api/v1/jobs/{job['id']}/competency-model").json()
    plan = adm.get(f"/api/v1/jobs/{job['id']}/interview-plan").json()
    questions = list_all(adm, f"/api/v1/questions?job_id={job['id']}")
    cands = list_all(adm, "/api/v1/candidates")
    return {
        "job": job,
        "job_id": job["id"],
        "department_id": job["department_id"],
        "dimensions": model["dimensions"],
        "plan": {k: plan[k] for k in ("sections", "reanswer_limit", "feedback_enabled",
                                      "follow_ups_enabled", "answer_modes", "expires_in_days")},
        "question_ids": [q["id"] for q in questions],
        "candidate_id": cands[0]["id"],
    }


def valid_body(resource, ctx):
    """A body the server accepts for `resource` (fresh unique values on every call)."""
    if resource == "departments":
        return {"name": unique("测试部门-"), "description": "用于输入校验测试"}
    if resource == "jobs":
        return {"title": "测试岗位", "department_id": ctx["department_id"], "description": "岗位描述",
                "requirements": ["本科及以上"], "location": "上海", "employment_type": "full_time",
                "status": "draft", "thresholds": {"recommend": 80, "review": 60}}
    if resource == "competency_model":
        return {"dimensions": copy.deepcopy(ctx["dimensions"])}
    if resource == "questions":
        key = ctx["dimensions"][0]["key"]
        return {"job_id": ctx["job_id"], "type": "behavioural",
                "text": {"zh": "请举例说明你如何处理客户投诉。", "en": "Tell us how you handled a complaint."},
                "dimension_keys": [key],
                "rubric": {"key_points": [{"text": "倾听", "synonyms": ["聆听"], "dimension_key": key}],
                           "notes": ""},
                "reference_answers": [], "think_seconds": 30, "answer_seconds": 180,
                "expected_length": {"min": 50, "max": 800}, "tags": ["测试"]}
    if resource == "candidates":
        return {"name": "李雷", "email": unique_email(), "phone": unique_phone(), "source": "test",
                "tags": ["校招"]}
    if resource == "applications":
        return {"candidate_id": ctx["candidate_id"], "job_id": ctx["job_id"], "source": "test"}
    if resource == "users":
        return {"email": unique_email("user"), "name": "王五", "role": "hr",
                "password": "Zx-Strong-Pass-2026"}
    if resource == "interview_plan":
        return copy.deepcopy(ctx["plan"])
    raise KeyError(resource)


# method, write path, path(s) whose state must not change
TARGETS = {
    "departments": ("POST", "/api/v1/departments", ["/api/v1/departments"]),
    "jobs": ("POST", "/api/v1/jobs", ["/api/v1/jobs"]),
    "competency_model": ("PUT", "/api/v1/jobs/{job_id}/competency-model",
                         ["/api/v1/jobs/{job_id}/competency-model"]),
    "questions": ("POST", "/api/v1/questions", ["/api/v1/questions"]),
    "candidates": ("POST", "/api/v1/candidates", ["/api/v1/candidates"]),
    "applications": ("POST", "/api/v1/applications", ["/api/v1/applications"]),
    "users": ("POST", "/api/v1/users", ["/api/v1/users"]),
    "interview_plan": ("PUT", "/api/v1/jobs/{job_id}/interview-plan",
                       ["/api/v1/jobs/{job_id}/interview-plan"]),
}
RESOURCES = list(TARGETS)


def target(resource, ctx):
    method, path, watched = TARGETS[resource]
    return method, path.format(**ctx), [w.format(**ctx) for w in watched]


def send_refused(adm, ctx, resource, status, code=None, field=None, fields=None, **kw):
    """Sends one bad request; asserts the error and that nothing was stored. Returns the error."""
    method, path, watched = target(resource, ctx)
    with nothing_stored(adm, *watched):
        r = adm.request(method, path, **kw)
        err = assert_error(r, status, code, field=field, fields=fields)
    return err


def send_raw(adm, ctx, resource, body, content_type="application/json"):
    method, path, _ = target(resource, ctx)
    headers = {"Content-Type": content_type} if content_type is not None else {}
    return adm.request(method, path, data=body, headers=headers)


def set_path(obj, path, value):
    for p in path[:-1]:
        obj = obj[p]
    obj[path[-1]] = value
    return obj


# ---------------------------------------------------------------------------- control


@pytest.mark.parametrize("resource", RESOURCES)
def test_valid_body_is_accepted(adm, ctx, resource):
    """The bodies the negative tests mutate are valid (so each refusal is caused by the mutation)."""
    method, path, _ = target(resource, ctx)
    body = valid_body(resource, ctx)
    if resource == "applications":
        cand = adm.post("/api/v1/candidates", json=valid_body("candidates", ctx))
        assert cand.status_code == 201, cand.text
        body["candidate_id"] = cand.json()["id"]
    r = adm.request(method, path, json=body)
    assert r.status_code in (200, 201), r.text


# ---------------------------------------------------------------------------- syntax


MALFORMED = [
    b"{bad",
    b'{"name": "x",}',
    b'{"name": "x"',
    b"",
    b'{"name": "x"} {"name": "y"}',
    b"{'name': 'x'}",
    b'{"name": NaN}',
    b'{"name": "x\\ud800"}',  # lone surrogate escape
]


@pytest.mark.parametrize("resource", RESOURCES)
@pytest.mark.parametrize("body", MALFORMED, ids=lambda b: repr(b)[:20])
def test_malformed_json(adm, ctx, resource, body):
    method, path, watched = target(resource, ctx)
    with nothing_stored(adm, *watched):
        err = assert_error(send_raw(adm, ctx, resource, body), 400, "invalid_json")
    assert "json" in err["message"].lower()


@pytest.mark.parametrize("resource", ["departments", "competency_model", "candidates"])
@pytest.mark.parametrize("depth", [1000, 150_000])  # stays under 1 MiB
def test_deeply_nested_json(srv, adm, ctx, resource, depth):
    """Nesting that would overflow a recursive parser or destructor: a clean 400, no crash."""
    method, path, watched = target(resource, ctx)
    for body in (b"[" * depth + b"]" * depth,
                 b'{"name": ' + b'{"a":' * depth + b"1" + b"}" * depth + b"}"):
        with nothing_stored(adm, *watched):
            r = send_raw(adm, ctx, resource, body)
            assert_error(r, 400)
    assert quick_client(srv).get("/readyz").status_code == 200


@pytest.mark.parametrize("resource", RESOURCES)
@pytest.mark.parametrize("body", [b"[]", b'[{"name": "x"}]', b'"just a string"', b"42", b"null",
                                  b"true"], ids=lambda b: b.decode())
def test_body_must_be_an_object(adm, ctx, resource, body):
    method, path, watched = target(resource, ctx)
    with nothing_stored(adm, *watched):
        err = assert_error(send_raw(adm, ctx, resource, body), 400, "validation_failed")
    assert "object" in err["message"].lower()


@pytest.mark.parametrize("resource", RESOURCES)
def test_invalid_utf8_inside_a_string(adm, ctx, resource):
    body = json.dumps(valid_body(resource, ctx), ensure_ascii=False).encode()
    # Put invalid bytes (a lone continuation byte, an overlong '/', a truncated 3-byte sequence)
    # inside the first string value of the body.
    first_str = body.index(b'": "') + 4
    for bad in (b"\x80", b"\xc0\xaf", b"\xe4\xb8", b"\xff\xfe"):
        mangled = body[:first_str] + bad + body[first_str:]
        method, path, watched = target(resource, ctx)
        with nothing_stored(adm, *watched):
            assert_error(send_raw(adm, ctx, resource, mangled), 400)


@pytest.mark.parametrize("resource", RESOURCES)
@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded",
                                          "application/xml", "text/json", None])
def test_non_json_content_type(adm, ctx, resource, content_type):
    body = json.dumps(valid_body(resource, ctx)).encode()
    method, path, watched = target(resource, ctx)
    with nothing_stored(adm, *watched):
        err = assert_error(send_raw(adm, ctx, resource, body, content_type), 415,
                           "unsupported_media_type")
    assert "content-type" in err["message"].lower()


@pytest.mark.parametrize("resource", ["departments", "candidates"])
def test_multipart_form_is_refused(adm, ctx, resource):
    method, path, watched = target(resource, ctx)
    fields = {k: (None, json.dumps(v) if not isinstance(v, str) else v)
              for k, v in valid_body(resource, ctx).items()}
    with nothing_stored(adm, *watched):
        r = adm.request(method, path, files=fields)
        assert r.request.headers["Content-Type"].startswith("multipart/form-data")
        assert_error(r, 415, "unsupported_media_type")


def test_json_content_type_with_charset_is_accepted(adm, ctx):
    body = json.dumps(valid_body("departments", ctx)).encode()
    r = send_raw(adm, ctx, "departments", body, "application/json; charset=utf-8")
    assert r.status_code == 201, r.text


@pytest.mark.parametrize("content_type, accepted", [
    ("Application/JSON; charset=UTF-8", True),
    ("application/json ; charset=utf-8", True),
    ("APPLICATION/JSON", True),
    ("application/jsonx", False),
    ("application/json-patch+json", False),
    ("text/json", False),
])
def test_content_type_matching_is_exact_and_case_insensitive(adm, ctx, content_type, accepted):
    body = json.dumps(dict(valid_body("departments", ctx), name=unique("ct-"))).encode()
    if accepted:
        r = send_raw(adm, ctx, "departments", body, content_type)
        assert r.status_code == 201, r.text
    else:
        with nothing_stored(adm, "/api/v1/departments"):
            assert_error(send_raw(adm, ctx, "departments", body, content_type), 415,
                         "unsupported_media_type")


# ---------------------------------------------------------------------------- size


def big_body(resource, ctx, size):
    body = valid_body(resource, ctx)
    body["zz_padding"] = "a" * size  # unknown too, but the size check comes first
    return json.dumps(body).encode()


@pytest.mark.parametrize("resource", RESOURCES)
def test_body_over_1mib_is_refused(adm, ctx, resource):
    method, path, watched = target(resource, ctx)
    with nothing_stored(adm, *watched):
        r = send_raw(adm, ctx, resource, big_body(resource, ctx, MIB + 10))
        err = assert_error(r, 413, "payload_too_large")
    assert "large" in err["message"].lower()


def test_413_carries_request_id(adm, ctx):
    r = send_raw(adm, ctx, "departments", big_body("departments", ctx, MIB + 10))
    assert r.status_code == 413
    assert r.headers.get("X-Request-Id")


def test_body_just_under_1mib_is_parsed(adm, ctx):
    """The limit is 1 MiB, not less: a 1 MiB - 1 KiB body is read and validated (400, not 413)."""
    with nothing_stored(adm, "/api/v1/departments"):
        body = {"name": unique("dept-"), "description": "d" * (MIB - 1024)}
        r = adm.post("/api/v1/departments", json=body)
        assert_error(r, 400, "validation_failed", field="description")


def test_huge_body_is_refused_without_5xx(adm, ctx):
    with nothing_stored(adm, "/api/v1/candidates"):
        r = send_raw(adm, ctx, "candidates", big_body("candidates", ctx, 8 * MIB))
        assert_error(r, 413, "payload_too_large")


def test_chunked_body_over_1mib_is_refused(adm, ctx):
    """The limit holds for bodies of unknown length too; a small chunked body is fine."""
    name = unique("chunked-")

    def chunks():
        yield ('{"name": "%s", "description": "ok"' % name).encode()
        for _ in range(8):
            yield b" " * MIB  # whitespace: valid JSON, 8 MiB in total
        yield b"}"

    with nothing_stored(adm, "/api/v1/departments"):
        r = adm.post("/api/v1/departments", data=chunks(), headers={"Content-Type": "application/json"})
        assert_error(r, 413, "payload_too_large")
    small = iter([('{"name": "%s-small"}' % name).encode()])
    r = adm.post("/api/v1/departments", data=small, headers={"Content-Type": "application/json"})
    assert r.status_code == 201, r.text
    assert r.json()["name"] == name + "-small"


# ---------------------------------------------------------------------------- types


WRONG_TYPES = [
    # resource, path in the body, value, expected detail field
    ("departments", ["name"], 123, "name"),
    ("departments", ["description"], ["x"], "description"),
    ("jobs", ["title"], 5, "title"),
    ("jobs", ["thresholds", "recommend"], "80", "thresholds.recommend"),
    ("jobs", ["thresholds", "review"], 60.5, "thresholds.review"),
    ("jobs", ["requirements"], {"a": 1}, "requirements"),
    ("jobs", ["requirements"], ["ok", 5], "requirements[1]"),
    ("jobs", ["thresholds"], [80, 60], "thresholds"),
    ("competency_model", ["dimensions", 0, "weight"], "30", "dimensions[0].weight"),
    ("competency_model", ["dimensions", 1, "name"], 7, "dimensions[1].name"),
    ("competency_model", ["dimensions", 0, "indicators"], {"k": "v"}, "dimensions[0].indicators"),
    ("competency_model", ["dimensions", 0, "level_anchors", 2], 3, "dimensions[0].level_anchors[2]"),
    ("competency_model", ["dimensions"], {"0": {}}, "dimensions"),
    ("questions", ["think_seconds"], "30", "think_seconds"),
    ("questions", ["answer_seconds"], 12.5, "answer_seconds"),
    ("questions", ["text", "zh"], 5, "text.zh"),
    ("questions", ["tags"], {"a": 1}, "tags"),
    ("questions", ["rubric"], [], "rubric"),
    ("questions", ["expected_length", "max"], "800", "expected_length.max"),
    ("candidates", ["name"], 12, "name"),
    ("candidates", ["tags"], "x", "tags"),
    ("candidates", ["phone"], 13812345678, "phone"),
    ("candidates", ["email"], {"address": "a@b.cn"}, "email"),
    ("applications", ["candidate_id"], 123, "candidate_id"),
    ("applications", ["job_id"], ["x"], "job_id"),
    ("users", ["role"], 1, "role"),
    ("users", ["name"], {}, "name"),
    ("users", ["department_ids"], "x", "department_ids"),
    ("users", ["password"], 1234567890, "password"),
    ("interview_plan", ["reanswer_limit"], "1", "reanswer_limit"),
    ("interview_plan", ["feedback_enabled"], "yes", "feedback_enabled"),
    ("interview_plan", ["sections", 0, "question_ids"], "x", "sections[0].question_ids"),
    ("interview_plan", ["answer_modes"], "text", "answer_modes"),
    ("interview_plan", ["expires_in_days"], 1e100, "expires_in_days"),
]


@pytest.mark.parametrize("resource,path,value,field", WRONG_TYPES,
                         ids=[f"{w[0]}-{w[3]}" for w in WRONG_TYPES])
def test_wrong_type_names_the_field(adm, ctx, resource, path, value, field):
    body = valid_body(resource, ctx)
    set_path(body, path, value)
    send_refused(adm, ctx, resource, 400, "validation_failed", field=field, json=body)


def test_all_problems_reported_together(adm, ctx):
    body = valid_body("jobs", ctx)
    body.update({"title": 5, "requirements": {"a": 1}, "bogus": True})
    err = send_refused(adm, ctx, "jobs", 400, "validation_failed", json=body)
    assert {"title", "requirements", "bogus"} <= set(detail_fields(err))


# ---------------------------------------------------------------------------- unknown / missing


@pytest.mark.parametrize("resource", RESOURCES)
def test_unknown_field(adm, ctx, resource):
    body = valid_body(resource, ctx)
    body["unexpected_field"] = 1
    err = send_refused(adm, ctx, resource, 400, "validation_failed", fields=["unexpected_field"],
                       json=body)
    assert "unknown" in err["details"][0]["message"]


@pytest.mark.parametrize("resource,path,field", [
    ("competency_model", ["dimensions", 0, "colour"], "dimensions[0].colour"),
    ("competency_model", ["dimensions", 0, "indicators", 0, "x"], "dimensions[0].indicators[0].x"),
    ("questions", ["text", "fr"], "text.fr"),
    ("jobs", ["thresholds", "reject"], "thresholds.reject"),
    ("interview_plan", ["sections", 0, "weight"], "sections[0].weight"),
])
def test_unknown_nested_field(adm, ctx, resource, path, field):
    body = valid_body(resource, ctx)
    set_path(body, path, 1)
    send_refused(adm, ctx, resource, 400, "validation_failed", fields=[field], json=body)


@pytest.mark.parametrize("resource,missing", [
    ("departments", "name"),
    ("jobs", "title"),
    ("jobs", "department_id"),
    ("competency_model", "dimensions"),
    ("questions", "type"),
    ("questions", "text"),
    ("candidates", "name"),
    ("applications", "candidate_id"),
    ("applications", "job_id"),
    ("users", "email"),
    ("users", "password"),
    ("users", "role"),
    ("interview_plan", "sections"),
])
def test_missing_required_field(adm, ctx, resource, missing):
    body = valid_body(resource, ctx)
    body.pop(missing)
    err = send_refused(adm, ctx, resource, 400, "validation_failed", field=missing, json=body)
    assert any(d["field"] == missing and "required" in d["message"] for d in err["details"]), err


@pytest.mark.parametrize("resource,field", [("departments", "name"), ("jobs", "title"),
                                            ("candidates", "name")])
def test_null_or_blank_required_text(adm, ctx, resource, field):
    for value in (None, "", "   "):
        body = valid_body(resource, ctx)
        body[field] = value
        send_refused(adm, ctx, resource, 400, "validation_failed", field=field, json=body)


# ---------------------------------------------------------------------------- SQL metacharacters


SQL_TEXTS = ["'; DROP TABLE candidates; --", "\" OR 1=1 --", "' OR '1'='1", "Robert'); DROP TABLE "
             "jobs;--", "%_\\%", "1; DELETE FROM audit_log"]


def test_sql_metacharacters_are_stored_literally(adm, ctx):
    n_cands = len(list_all(adm, "/api/v1/candidates"))
    n_jobs = len(list_all(adm, "/api/v1/jobs"))
    seq = audit_head_seq(adm)
    for i, text in enumerate(SQL_TEXTS):
        dept = adm.post("/api/v1/departments", json={"name": f"{text} #{unique()}", "description": text})
        assert dept.status_code == 201, dept.text
        got = adm.get(f"/api/v1/departments/{dept.json()['id']}").json()
        assert got["description"] == text and got["name"].startswith(text)

        job = adm.post("/api/v1/jobs", json={"title": text, "department_id": ctx["department_id"],
                                             "description": text, "requirements": [text],
                                             "location": text})
        assert job.status_code == 201, job.text
        got = adm.get(f"/api/v1/jobs/{job.json()['id']}").json()
        assert (got["title"], got["description"], got["requirements"], got["location"]) == (
            text, text, [text], text)

        cand = adm.post("/api/v1/candidates", json={"name": text, "email": unique_email(),
                                                   "resume_text": text, "source": text,
                                                   "tags": [text]})
        assert cand.status_code == 201, cand.text
        got = adm.get(f"/api/v1/candidates/{cand.json()['id']}").json()
        assert (got["name"], got["resume_text"], got["source"], got["tags"]) == (text, text, text, [text])

        q = adm.post("/api/v1/questions", json={"type": "technical", "text": {"zh": text, "en": text},
                                               "tags": [text]})
        assert q.status_code == 201, q.text
        got = adm.get(f"/api/v1/questions/{q.json()['id']}").json()
        assert got["text"] == {"zh": text, "en": text} and got["tags"] == [text]

        # Filters with the same text find exactly the literal match.
        found = list_all(adm, "/api/v1/candidates?tag=" + requests_quote(text))
        assert [c["id"] for c in found] == [cand.json()["id"]]
        found = list_all(adm, "/api/v1/jobs?q=" + requests_quote(text))
        assert job.json()["id"] in [j["id"] for j in found]
        assert all(text in j["title"] for j in found)

    # The tables still work and hold exactly what was added.
    assert len(list_all(adm, "/api/v1/candidates")) == n_cands + len(SQL_TEXTS)
    assert len(list_all(adm, "/api/v1/jobs")) == n_jobs + len(SQL_TEXTS)
    assert audit_head_seq(adm) > seq
    r = adm.get("/api/v1/audit-log?limit=5")
    assert r.status_code == 200 and len(r.json()["items"]) == 5


def requests_quote(s):
    from urllib.parse import quote
    return quote(s, safe="")


@pytest.mark.parametrize("query", ["q=%27%20OR%201%3D1%20--", "q=%25", "q=_", "q=%5C",
                                   "q=%22%20OR%201%3D1%20--"])
def test_sql_metacharacters_in_search_match_literally(adm, query):
    r = adm.get("/api/v1/jobs?" + query + "&limit=200")
    assert r.status_code == 200, r.text
    from urllib.parse import unquote
    needle = unquote(query[2:])
    assert all(needle in j["title"] for j in r.json()["items"]), r.text[:300]
    r = adm.get("/api/v1/questions?" + query + "&limit=200")
    assert r.status_code == 200, r.text
    assert all(needle in (x["text"]["zh"] + "\x00" + x["text"]["en"]) for x in r.json()["items"])


@pytest.mark.parametrize("query", ["email=%27%20OR%201%3D1%20--", "phone=%27%20OR%201%3D1%20--",
                                   "email=%25", "tag=%25", "tag=%27%3B%20--"])
def test_sql_metacharacters_in_exact_filters_match_nothing(adm, query):
    r = adm.get("/api/v1/candidates?" + query)
    assert r.status_code == 200, r.text
    assert r.json() == {"items": [], "next_cursor": None}


# ---------------------------------------------------------------------------- ids and paths


BAD_IDS = ["..%2F..%2Fetc%2Fpasswd", "1'%20OR%20'1'='1", "%00", "01ZZZZZZZZZZZZZZZZZZZZZZZZ",
           "00000000000000000000000000", "IIIIIIIIIIIIIIIIIIIIIIIIII", "%27%3B%20DROP%20TABLE%20jobs%3B--",
           "..", "%2e%2e", "*", "01M80KASV4DBBJJD1BKA9JWY2X%00", "a" * 300]
COLLECTIONS = ["jobs", "departments", "candidates", "applications", "questions", "users"]


@pytest.mark.parametrize("collection", COLLECTIONS)
def test_bad_ids_are_not_found(adm, collection):
    for bad in BAD_IDS:
        r = adm.get(f"/api/v1/{collection}/{bad}")
        assert_error(r, 404, "not_found")


def test_nonexistent_valid_id_is_not_found(adm, ctx):
    real = ctx["job_id"]
    ghost = real[:-4] + ("0000" if real[-4:] != "0000" else "1111")
    for path in (f"/api/v1/jobs/{ghost}", f"/api/v1/jobs/{ghost}/competency-model",
                 f"/api/v1/jobs/{ghost}/interview-plan", f"/api/v1/candidates/{ghost}",
                 f"/api/v1/applications/{ghost}", f"/api/v1/departments/{ghost}",
                 f"/api/v1/questions/{ghost}", f"/api/v1/users/{ghost}"):
        assert_error(adm.get(path), 404, "not_found")


@pytest.mark.parametrize("method", ["PATCH", "DELETE"])
def test_bad_ids_in_writes_change_nothing(adm, ctx, method):
    watched = ["/api/v1/jobs", "/api/v1/candidates", "/api/v1/departments"]
    with nothing_stored(adm, *watched):
        for collection in ("jobs", "candidates", "departments", "questions"):
            for bad in BAD_IDS:
                body = {"jobs": {"title": "x"}, "questions": {"tags": []}}.get(collection, {"name": "x"})
                kw = {"json": body} if method == "PATCH" else {}
                r = adm.request(method, f"/api/v1/{collection}/{bad}", **kw)
                assert_error(r, (404, 405))
                if r.status_code == 405:  # the '..' segment resolved to the collection itself
                    assert bad in ("..", "%2e%2e"), r.text


@pytest.mark.parametrize("collection", COLLECTIONS + ["audit-log"])
@pytest.mark.parametrize("query", ["limit=0", "limit=1000", "limit=201", "limit=abc", "limit=-1",
                                   "limit=1.5", "limit=", "limit=%00", "cursor=%27%3B%20--",
                                   "cursor=%00", "cursor=..%2F..", "cursor=-5"])
def test_limit_and_cursor_garbage(adm, collection, query):
    r = adm.get(f"/api/v1/{collection}?{query}")
    err = assert_error(r, 400, "validation_failed")
    assert detail_fields(err) == [query.split("=")[0]], err


@pytest.mark.parametrize("query", ["since=yesterday", "until=2026-13-45T00:00:00Z", "since=%27%3B--"])
def test_audit_time_filter_garbage(adm, query):
    assert_error(adm.get("/api/v1/audit-log?" + query), 400, "validation_failed",
                 field=query.split("=")[0])


# ---------------------------------------------------------------------------- domain rules


def model_body(ctx):
    return valid_body("competency_model", ctx)


def rebalance(dims, delta):
    dims[0]["weight"] = dims[0]["weight"] + delta
    return dims


@pytest.mark.parametrize("delta", [-1, +1, -0.02, +0.5])
def test_competency_weights_must_sum_to_100(adm, ctx, delta):
    body = model_body(ctx)
    rebalance(body["dimensions"], delta)
    err = send_refused(adm, ctx, "competency_model", 400, "validation_failed", json=body)
    assert any("weight" in d["field"] or "weight" in d["message"] for d in err["details"]), err


def test_competency_weights_within_tolerance_are_accepted(adm, ctx):
    body = model_body(ctx)
    dims = body["dimensions"]
    dims[0]["weight"] += 0.004
    before = adm.get(f"/api/v1/jobs/{ctx['job_id']}/competency-model").json()["version"]
    r = adm.put(f"/api/v1/jobs/{ctx['job_id']}/competency-model", json=body)
    assert r.status_code == 200, r.text
    assert r.json()["version"] == before + 1


@pytest.mark.parametrize("n", [0, 4, 6])
def test_competency_level_anchors_exactly_five(adm, ctx, n):
    body = model_body(ctx)
    anchors = body["dimensions"][0]["level_anchors"]
    body["dimensions"][0]["level_anchors"] = (anchors * 2)[:n]
    send_refused(adm, ctx, "competency_model", 400, "validation_failed",
                 field="dimensions[0].level_anchors", json=body)


def test_competency_duplicate_dimension_keys(adm, ctx):
    body = model_body(ctx)
    body["dimensions"][1]["key"] = body["dimensions"][0]["key"]
    err = send_refused(adm, ctx, "competency_model", 400, "validation_failed", json=body)
    assert any(d["field"].startswith("dimensions[1]") and "key" in d["field"] for d in err["details"]), err


@pytest.mark.parametrize("mutate,field", [
    (lambda d: d[0].update(key="Bad Key"), "dimensions[0].key"),
    (lambda d: d[0].update(weight=-10) or d[1].update(weight=d[1]["weight"] + 10), "dimensions[0].weight"),
    (lambda d: d[0]["indicators"].append(dict(d[0]["indicators"][0])), "dimensions[0].indicators[%d].key"),
], ids=["key-pattern", "negative-weight", "duplicate-indicator"])
def test_competency_other_rules(adm, ctx, mutate, field):
    body = model_body(ctx)
    mutate(body["dimensions"])
    if "%d" in field:
        field = field % (len(body["dimensions"][0]["indicators"]) - 1)
    send_refused(adm, ctx, "competency_model", 400, "validation_failed", field=field, json=body)


def test_competency_empty_or_too_many_dimensions(adm, ctx):
    send_refused(adm, ctx, "competency_model", 400, "validation_failed", json={"dimensions": []})
    dims = []
    for i in range(13):
        d = copy.deepcopy(ctx["dimensions"][0])
        d["key"] = f"dim_{i}"
        d["weight"] = 100 / 13
        dims.append(d)
    send_refused(adm, ctx, "competency_model", 400, "validation_failed", json={"dimensions": dims})


def test_plan_with_unknown_question(adm, ctx):
    body = valid_body("interview_plan", ctx)
    ghost = ctx["question_ids"][0][:-4] + "0000"
    i = len(body["sections"]) - 1
    j = len(body["sections"][i]["question_ids"])
    body["sections"][i]["question_ids"].append(ghost)
    send_refused(adm, ctx, "interview_plan", 400, "validation_failed",
                 field=f"sections[{i}].question_ids[{j}]", json=body)


def test_plan_with_malformed_or_repeated_question(adm, ctx):
    body = valid_body("interview_plan", ctx)
    body["sections"][0]["question_ids"].append("'; DROP TABLE questions; --")
    n = len(body["sections"][0]["question_ids"]) - 1
    send_refused(adm, ctx, "interview_plan", 400, "validation_failed",
                 field=f"sections[0].question_ids[{n}]", json=body)
    body = valid_body("interview_plan", ctx)
    body["sections"][-1]["question_ids"].append(body["sections"][0]["question_ids"][0])
    send_refused(adm, ctx, "interview_plan", 400, "validation_failed", json=body)


@pytest.mark.parametrize("field,value", [("reanswer_limit", 6), ("expires_in_days", 0),
                                         ("expires_in_days", 91), ("answer_modes", []),
                                         ("answer_modes", ["telepathy"]), ("sections", [])])
def test_plan_ranges(adm, ctx, field, value):
    body = valid_body("interview_plan", ctx)
    body[field] = value
    err = send_refused(adm, ctx, "interview_plan", 400, "validation_failed", json=body)
    assert any(d["field"].startswith(field) for d in err["details"]), err


def test_candidate_needs_email_or_phone(adm, ctx):
    for body in ({"name": "无联系方式"}, {"name": "无联系方式", "email": None, "phone": None}):
        err = send_refused(adm, ctx, "candidates", 400, "validation_failed", json=body)
        assert set(detail_fields(err)) & {"email", "phone"}, err


@pytest.mark.parametrize("email", ["not-an-email", "a@b", "@example.com", "a@@example.com",
                                   "a b@example.com", "a@example..com", "a@.example.com",
                                   "x" * 250 + "@example.com", "李@例子"])
def test_invalid_email(adm, ctx, email):
    send_refused(adm, ctx, "candidates", 400, "validation_failed", field="email",
                 json={"name": "张三", "email": email})


@pytest.mark.parametrize("phone", ["abc", "12", "+86-abc-1234", "138 1234 5678 ext 9", "++8613812345678",
                                   "1" * 40])
def test_invalid_phone(adm, ctx, phone):
    send_refused(adm, ctx, "candidates", 400, "validation_failed", field="phone",
                 json={"name": "张三", "phone": phone})


def wrong_check_digit_id():
    from robustness_support import resident_id_check_digit
    first17 = "11010519880514001"
    good = resident_id_check_digit(first17)
    return first17 + ("0" if good != "0" else "1")


@pytest.mark.parametrize("nid", [wrong_check_digit_id(), "abc", "11010519880514001!", "x" * 40])
def test_invalid_national_id(adm, ctx, nid):
    send_refused(adm, ctx, "candidates", 400, "validation_failed", field="national_id",
                 json={"name": "张三", "email": unique_email(), "national_id": nid})


@pytest.fixture
def existing_candidate(adm):
    local = "dup." + unique()
    phone = "138" + unique_phone()[3:]
    r = adm.post("/api/v1/candidates", json={"name": "重复测试", "email": f"{local}@example.com",
                                            "phone": phone})
    assert r.status_code == 201, r.text
    return {"id": r.json()["id"], "local": local, "phone": phone}


def dup_phone_formats(p):
    return [f"+86 {p[:3]} {p[3:7]} {p[7:]}", f"+86-{p[:3]}-{p[3:7]}-{p[7:]}", f"0086{p}",
            f"({p[:3]}) {p[3:7]}-{p[7:]}", f"+86{p}"]


def assert_duplicate(adm, ctx, body, existing_id):
    err = send_refused(adm, ctx, "candidates", 409, "duplicate_candidate", json=body)
    assert existing_id in json.dumps(err["details"]), f"details do not name the existing id: {err}"


def test_duplicate_candidate_email_other_case(adm, ctx, existing_candidate):
    e = existing_candidate
    for email in (f"{e['local'].upper()}@EXAMPLE.COM", f"{e['local'].title()}@Example.com"):
        assert_duplicate(adm, ctx, {"name": "另一个人", "email": email}, e["id"])


def test_duplicate_candidate_email_with_spaces(adm, ctx, existing_candidate):
    e = existing_candidate
    assert_duplicate(adm, ctx, {"name": "另一个人", "email": f"  {e['local']}@example.com "}, e["id"])


def test_duplicate_candidate_phone_other_format(adm, ctx, existing_candidate):
    e = existing_candidate
    for phone in dup_phone_formats(e["phone"]):
        assert_duplicate(adm, ctx, {"name": "另一个人", "phone": phone, "email": unique_email()},
                         e["id"])


def test_duplicate_candidate_on_update(adm, ctx, existing_candidate):
    other = adm.post("/api/v1/candidates", json={"name": "其他人", "email": unique_email()})
    assert other.status_code == 201
    oid = other.json()["id"]
    with nothing_stored(adm, "/api/v1/candidates"):
        r = adm.patch(f"/api/v1/candidates/{oid}",
                      json={"phone": dup_phone_formats(existing_candidate["phone"])[0]})
        assert_error(r, 409, "duplicate_candidate")


def test_concurrent_duplicates_yield_one_201_and_409s(adm, ctx):
    """Twelve simultaneous creates with the same e-mail (differently written): one wins, the rest
    get 409 duplicate_candidate, none a 500 from the unique index."""
    import concurrent.futures
    local = "race." + unique()
    variants = [f"{local}@example.com", f"{local.upper()}@EXAMPLE.COM", f"{local}@Example.Com"] * 4

    def create(email):
        c = admin_client_for(adm)
        return c.post("/api/v1/candidates", json={"name": "并发", "email": email})

    with concurrent.futures.ThreadPoolExecutor(12) as pool:
        results = list(pool.map(create, variants))
    codes = sorted(r.status_code for r in results)
    assert codes == [201] + [409] * 11, [(r.status_code, r.text[:100]) for r in results]
    winner = next(r.json()["id"] for r in results if r.status_code == 201)
    for r in results:
        if r.status_code == 409:
            err = assert_error(r, 409, "duplicate_candidate")
            assert winner in json.dumps(err["details"]), err
    found = adm.get("/api/v1/candidates", params={"email": variants[0]}).json()["items"]
    assert [c["id"] for c in found] == [winner]

    body = {"candidate_id": winner, "job_id": ctx["job_id"]}
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda _: admin_client_for(adm).post("/api/v1/applications", json=body),
                                range(8)))
    codes = sorted(r.status_code for r in results)
    assert codes == [201] + [409] * 7, [(r.status_code, r.text[:100]) for r in results]
    for r in results:
        if r.status_code == 409:
            assert_error(r, 409, "duplicate_application")


def admin_client_for(adm):
    """A second client sharing adm's session (cookie + CSRF) with its own connection."""
    from conftest import Client
    c = Client(adm.base)
    c.s.cookies.update(adm.s.cookies)
    c.s.headers["Connection"] = "close"
    c.csrf = adm.csrf
    return c


def test_duplicate_application(adm, ctx):
    cand = adm.post("/api/v1/candidates", json={"name": "申请人", "email": unique_email()})
    assert cand.status_code == 201
    body = {"candidate_id": cand.json()["id"], "job_id": ctx["job_id"]}
    r = adm.post("/api/v1/applications", json=body)
    assert r.status_code == 201, r.text
    for again in (body, dict(body, stage="screening", source="other")):
        send_refused(adm, ctx, "applications", 409, "duplicate_application", json=again)


def test_application_unknown_references(adm, ctx):
    ghost = ctx["job_id"][:-4] + "0000"
    err = send_refused(adm, ctx, "applications", 400, "validation_failed",
                       json={"candidate_id": ghost, "job_id": ghost})
    assert set(detail_fields(err)) == {"candidate_id", "job_id"}
    send_refused(adm, ctx, "applications", 400, "validation_failed", field="stage",
                 json={"candidate_id": ctx["candidate_id"], "job_id": ctx["job_id"],
                       "stage": "teleported"})


def test_user_rules(adm, ctx):
    base = valid_body("users", ctx)
    cases = [
        (dict(base, role="boss"), "role"),
        (dict(base, role="manager"), "department_ids"),
        (dict(base, password="short"), "password"),
        (dict(base, password="alllowercaseletters"), "password"),
        (dict(base, email="not-an-email"), "email"),
        (dict(base, role="manager", department_ids=[ctx["job_id"][:-4] + "0000"]), "department_ids"),
    ]
    for body, field in cases:
        err = send_refused(adm, ctx, "users", 400, "validation_failed", json=body)
        assert any(d["field"].startswith(field) for d in err["details"]), (body, err)
    # A password containing the e-mail's local part is refused.
    local = "zhangwei" + unique()
    send_refused(adm, ctx, "users", 400, "validation_failed", field="password",
                 json=dict(base, email=f"{local}@example.com", password=f"X-{local}-2026!"))
    # Duplicate e-mail -> 409.
    r = adm.post("/api/v1/users", json=valid_body("users", ctx))
    assert r.status_code == 201
    dup = dict(valid_body("users", ctx), email=r.json()["email"])
    send_refused(adm, ctx, "users", 409, json=dup)


def test_job_rules(adm, ctx):
    base = valid_body("jobs", ctx)
    for patch, field in [({"thresholds": {"recommend": 60, "review": 80}}, "thresholds"),
                         ({"thresholds": {"recommend": 101, "review": 60}}, "thresholds.recommend"),
                         ({"employment_type": "slave"}, "employment_type"),
                         ({"status": "archived"}, "status"),
                         ({"title": "长" * 201}, "title"),
                         ({"requirements": ["x"] * 51}, "requirements"),
                         ({"department_id": ctx["job_id"][:-4] + "0000"}, "department_id")]:
        err = send_refused(adm, ctx, "jobs", 400, "validation_failed", json=dict(base, **patch))
        assert any(d["field"].startswith(field) for d in err["details"]), (patch, err)


def test_patch_bad_input_changes_nothing(adm, ctx):
    jid = ctx["job_id"]
    with nothing_stored(adm, f"/api/v1/jobs/{jid}"):
        for body, code in [({"title": 5}, "validation_failed"), ({"bogus": 1}, "validation_failed"),
                           ({"thresholds": {"recommend": 10}}, "validation_failed"),
                           ({"title": None}, "validation_failed")]:
            assert_error(adm.patch(f"/api/v1/jobs/{jid}", json=body), 400, code)
        assert_error(adm.patch(f"/api/v1/jobs/{jid}", data=b"{", headers={"Content-Type": "application/json"}),
                     400, "invalid_json")
        assert_error(adm.patch(f"/api/v1/jobs/{jid}", data=b"{}", headers={"Content-Type": "text/plain"}),
                     415, "unsupported_media_type")


def test_application_stage_bad_input(adm, ctx):
    app_ = list_all(adm, "/api/v1/applications")[0]
    with nothing_stored(adm, f"/api/v1/applications/{app_['id']}"):
        for body, field in [({"stage": "teleported"}, "stage"), ({"stage": 3}, "stage"), ({}, "stage"),
                            ({"stage": "offer", "job_id": ctx["job_id"]}, "job_id")]:
            assert_error(adm.patch(f"/api/v1/applications/{app_['id']}", json=body), 400,
                         "validation_failed", field=field)


# ---------------------------------------------------------------------------- unicode


UNICODE_TEXTS = [
    "研發部門與臺灣分公司",                       # traditional Chinese
    "🚀 增长黑客 👩‍💻 团队 🇨🇳",                    # emoji incl. ZWJ sequence and flag
    "Ελληνικά · العربية · עברית · 日本語 · 한국어",  # mixed scripts, RTL
    "Café vs Cafe\u0301",                         # precomposed vs combining accent (no normalization)
    "𠀀𪚥 tab\tnew\nline \"quote\" back\\slash",    # astral CJK, control whitespace, escapes
]


def test_unicode_round_trips_exactly(adm, ctx):
    for text in UNICODE_TEXTS:
        single_line = text.replace("\t", " ").replace("\n", " ")
        dept = adm.post("/api/v1/departments", json={"name": single_line + unique(" "), "description": text})
        assert dept.status_code == 201, dept.text
        assert adm.get(f"/api/v1/departments/{dept.json()['id']}").json()["description"] == text

        job = adm.post("/api/v1/jobs", json={"title": single_line, "department_id": ctx["department_id"],
                                             "description": text, "requirements": [text]})
        assert job.status_code == 201, job.text
        got = adm.get(f"/api/v1/jobs/{job.json()['id']}").json()
        assert (got["title"], got["description"], got["requirements"]) == (single_line, text, [text])

        cand = adm.post("/api/v1/candidates", json={"name": single_line, "email": unique_email(),
                                                   "resume_text": text, "tags": [single_line]})
        assert cand.status_code == 201, cand.text
        assert cand.json()["name"] == single_line
        got = adm.get(f"/api/v1/candidates/{cand.json()['id']}").json()
        assert (got["name"], got["resume_text"], got["tags"]) == (single_line, text, [single_line])
        found = list_all(adm, "/api/v1/candidates?tag=" + requests_quote(single_line))
        assert [c["id"] for c in found] == [cand.json()["id"]]

        q = adm.post("/api/v1/questions", json={"type": "situational", "text": {"zh": text, "en": text}})
        assert q.status_code == 201, q.text
        assert adm.get(f"/api/v1/questions/{q.json()['id']}").json()["text"] == {"zh": text, "en": text}


def test_unicode_in_competency_model(adm, ctx):
    body = model_body(ctx)
    body["dimensions"][0]["name"] = "溝通能力 🗣️"
    body["dimensions"][0]["description"] = UNICODE_TEXTS[2]
    body["dimensions"][0]["indicators"][0]["synonyms"] = ["傾聽", "👂", "écoute\u0301"]
    r = adm.put(f"/api/v1/jobs/{ctx['job_id']}/competency-model", json=body)
    assert r.status_code == 200, r.text
    got = adm.get(f"/api/v1/jobs/{ctx['job_id']}/competency-model").json()["dimensions"][0]
    assert got["name"] == "溝通能力 🗣️" and got["description"] == UNICODE_TEXTS[2]
    assert got["indicators"][0]["synonyms"] == ["傾聽", "👂", "écoute\u0301"]


def test_unicode_length_limits_count_characters(adm, ctx):
    """Limits count characters, not bytes: 100 four-byte characters are a valid name."""
    name = "𠀀" * 100
    r = adm.post("/api/v1/candidates", json={"name": name, "email": unique_email()})
    assert r.status_code == 201, r.text
    send_refused(adm, ctx, "candidates", 400, "validation_failed", field="name",
                 json={"name": name + "𠀀", "email": unique_email()})


# ---------------------------------------------------------------------------- never a 5xx


def test_no_5xx_was_served(srv, adm):
    """After everything above, /metrics records no 5xx response and the server is healthy."""
    metrics = quick_client(srv).get("/metrics").text
    fives = [line for line in metrics.splitlines()
             if line.startswith("zhimian_http_requests_total") and 'status="5' in line]
    assert not fives, fives
    assert quick_client(srv).get("/readyz").status_code == 200
