"""Candidate personal data is encrypted at rest, masked by role, kept out of the audit log, found
through the blind index, and nowhere in the data dir's files in clear.
"""

import json
import random
import signal
import uuid

import pytest

from robustness_support import (DEMO, admin_client, audit_head_seq, demo_template,  # noqa: F401
                                demo_users, files_under, list_all, staff_client, national_id,
                                resident_id_check_digit, server_copy)

N_CANDIDATES = 3


def random_cjk(n):
    return "".join(chr(random.randint(0x4E00, 0x9FA5)) for _ in range(n))


def mask_name(name):
    return name[0] + "*" * (len(name) - 1)


def mask_phone(p):
    return p[:3] + "****" + p[-4:]


def mask_email(e):
    local, domain = e.split("@")
    return local[0] + "***@" + domain


def mask_national_id(n):
    return n[:4] + "*" * (len(n) - 8) + n[-4:]


def test_resident_id_helper():
    # GB 11643-1999 example: 11010519491231002X
    assert resident_id_check_digit("11010519491231002") == "X"
    nid = national_id()
    assert len(nid) == 18 and nid[:17].isdigit()


@pytest.fixture(scope="module")
def world(demo_template, tmp_path_factory):
    """A private demo server with a few candidates carrying distinctive personal data."""
    srv = server_copy(demo_template, tmp_path_factory.mktemp("pii") / "data").start()
    adm = admin_client(srv)
    mgr_own, mgr_other = demo_users("manager")[0], demo_users("manager")[1]
    own = staff_client(srv, mgr_own["email"])
    other = staff_client(srv, mgr_other["email"])
    own_depts = set(own.get("/api/v1/me").json()["user"]["department_ids"])
    other_depts = set(other.get("/api/v1/me").json()["user"]["department_ids"])
    assert not own_depts & other_depts
    job = next(j for j in list_all(adm, "/api/v1/jobs") if j["department_id"] in own_depts)

    people = []
    for i in range(N_CANDIDATES):
        phone = "13" + str(random.randint(5, 9)) + "".join(random.choice("0123456789") for _ in range(8))
        person = {
            "name": "测试隐私张三丰" + random_cjk(3),
            "email": f"zsf{i}.{uuid.uuid4().hex[:10]}@example.com",
            "phone": phone,
            "national_id": national_id(birth=f"19{random.randint(60, 99)}0{random.randint(1, 9)}1{random.randint(0, 9)}"),
            "resume_text": f"简历标记{uuid.uuid4().hex}：2015年毕业于浙江大学，曾在杭州某公司任销售主管。"
                           f" Resume marker {uuid.uuid4().hex}.",
        }
        # Submitted in a display format; stored normalized.
        body = dict(person, phone=f"+86 {phone[:3]} {phone[3:7]} {phone[7:]}", email=person["email"].upper(),
                    source="PII测试", tags=["隐私"])
        r = adm.post("/api/v1/candidates", json=body)
        assert r.status_code == 201, r.text
        person["id"] = r.json()["id"]
        a = adm.post("/api/v1/applications", json={"candidate_id": person["id"], "job_id": job["id"]})
        assert a.status_code == 201, a.text
        person["application_id"] = a.json()["id"]
        people.append(person)
    # One update: the new values must be as protected as the first ones.
    p = people[0]
    new_phone = "139" + "".join(random.choice("0123456789") for _ in range(8))
    new_resume = f"更新后的简历{uuid.uuid4().hex}"
    r = adm.patch(f"/api/v1/candidates/{p['id']}", json={"phone": new_phone, "resume_text": new_resume})
    assert r.status_code == 200, r.text
    p["old_phone"], p["old_resume_text"] = p["phone"], p["resume_text"]
    p["phone"], p["resume_text"] = new_phone, new_resume

    yield {"srv": srv, "adm": adm, "own": own, "other": other, "people": people, "job": job}
    srv.stop()


def secrets_of(person):
    """Every value (and telling fragment) that must never be stored or logged in clear."""
    out = [person["name"], person["name"][4:], person["email"], person["email"].upper(),
           person["email"].split("@")[0], person["phone"], person["phone"][3:],
           person["national_id"], person["national_id"][:17], person["resume_text"],
           person["resume_text"][:30]]
    for k in ("old_phone", "old_resume_text"):
        if k in person:
            out.append(person[k])
    return out


def test_admin_reads_clear_values(world):
    adm = world["adm"]
    for p in world["people"]:
        r = adm.get(f"/api/v1/candidates/{p['id']}")
        assert r.status_code == 200, r.text
        c = r.json()
        assert (c["name"], c["email"], c["phone"], c["national_id"], c["resume_text"]) == (
            p["name"], p["email"], p["phone"], p["national_id"], p["resume_text"])


def test_admin_view_is_audited_as_view_pii(world):
    adm = world["adm"]
    me = adm.get("/api/v1/me").json()["user"]["id"]
    p = world["people"][1]
    before = list_all(adm, f"/api/v1/audit-log?target_id={p['id']}&action=candidate.view_pii")
    r = adm.get(f"/api/v1/candidates/{p['id']}")
    assert r.status_code == 200
    after = list_all(adm, f"/api/v1/audit-log?target_id={p['id']}&action=candidate.view_pii")
    assert len(after) == len(before) + 1
    e = after[0]
    assert (e["action"], e["target_type"], e["target_id"], e["actor_id"], e["actor_type"]) == (
        "candidate.view_pii", "candidate", p["id"], me, "user")
    assert e["request_id"] == r.headers["X-Request-Id"]


def test_manager_of_the_department_sees_masked_values(world):
    own, adm = world["own"], world["adm"]
    seq = audit_head_seq(adm)
    for p in world["people"]:
        r = own.get(f"/api/v1/candidates/{p['id']}")
        assert r.status_code == 200, r.text
        c = r.json()
        assert c["name"] == mask_name(p["name"])
        assert c["phone"] == mask_phone(p["phone"])
        assert c["email"] == mask_email(p["email"])
        assert c["email"].startswith("z***@example.com"[:4]) and c["email"].endswith("@example.com")
        assert c["national_id"] == mask_national_id(p["national_id"])
        assert c["resume_text"] is None
        text = r.text
        for s in secrets_of(p):
            assert s not in text, f"{s!r} leaked to a manager"
    # The application list and detail show the masked name too.
    apps = list_all(own, f"/api/v1/applications?job_id={world['job']['id']}")
    by_id = {a["id"]: a for a in apps}
    for p in world["people"]:
        assert by_id[p["application_id"]]["candidate_name"] == mask_name(p["name"])
        a = own.get(f"/api/v1/applications/{p['application_id']}").json()
        assert a["candidate_name"] == mask_name(p["name"])
    listed = {c["id"]: c for c in list_all(own, "/api/v1/candidates")}
    for p in world["people"]:
        assert listed[p["id"]]["phone"] == mask_phone(p["phone"])
        assert listed[p["id"]]["name"] == mask_name(p["name"])
    # Masked reads are not personal-data views: nothing audited.
    assert audit_head_seq(adm) == seq


def test_mask_examples_from_the_contract(world):
    # 138****5678, z***@example.com, 张** (names keep their first character).
    assert mask_phone("13812345678") == "138****5678"
    assert mask_email("zhang@example.com") == "z***@example.com"
    assert mask_name("张三丰") == "张**"


def test_manager_of_another_department_gets_404(world):
    other = world["other"]
    for p in world["people"]:
        r = other.get(f"/api/v1/candidates/{p['id']}")
        assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"
        r = other.get(f"/api/v1/applications/{p['application_id']}")
        assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"
        for s in secrets_of(p):
            assert s not in r.text
    ids = {c["id"] for c in list_all(other, "/api/v1/candidates")}
    assert not ids & {p["id"] for p in world["people"]}
    p = world["people"][0]
    r = other.get("/api/v1/candidates", params={"email": p["email"]})
    assert r.status_code == 200 and r.json()["items"] == []


def test_blind_index_lookup_any_case(world):
    adm, own = world["adm"], world["own"]
    for p in world["people"]:
        local, domain = p["email"].split("@")
        for email in (p["email"], p["email"].upper(), local.title() + "@" + domain.upper()):
            r = adm.get("/api/v1/candidates", params={"email": email})
            assert r.status_code == 200, r.text
            assert [c["id"] for c in r.json()["items"]] == [p["id"]], email
        ph = p["phone"]
        for phone in (ph, f"+86 {ph[:3]} {ph[3:7]} {ph[7:]}", f"{ph[:3]}-{ph[3:7]}-{ph[7:]}"):
            r = adm.get("/api/v1/candidates", params={"phone": phone})
            assert [c["id"] for c in r.json()["items"]] == [p["id"]], phone
        # The manager of the department finds the candidate too, masked.
        r = own.get("/api/v1/candidates", params={"email": p["email"].upper()})
        assert [c["email"] for c in r.json()["items"]] == [mask_email(p["email"])]
    # The old phone of the updated candidate no longer matches; a near miss matches nothing.
    p = world["people"][0]
    assert adm.get("/api/v1/candidates", params={"phone": p["old_phone"]}).json()["items"] == []
    assert adm.get("/api/v1/candidates", params={"email": "x" + p["email"]}).json()["items"] == []


def test_audit_entries_hold_no_personal_data(world):
    adm = world["adm"]
    for p in world["people"]:
        entries = list_all(adm, f"/api/v1/audit-log?target_id={p['id']}")
        entries += list_all(adm, f"/api/v1/audit-log?target_id={p['application_id']}")
        actions = {e["action"] for e in entries}
        assert {"candidate.create", "application.create"} <= actions, actions
        text = json.dumps(entries, ensure_ascii=False)
        for s in secrets_of(p):
            assert s not in text, f"{s!r} in the audit log"
        create = next(e for e in entries if e["action"] == "candidate.create")
        after = create["changes"]["after"]
        for field in ("name", "email", "phone", "national_id", "resume_text"):
            assert after[field] == "[encrypted]", (field, after)
    updates = list_all(adm, f"/api/v1/audit-log?target_id={world['people'][0]['id']}&action=candidate.update")
    assert len(updates) == 1
    assert updates[0]["changes"]["before"]["phone"] == "[encrypted]"
    assert updates[0]["changes"]["after"]["phone"] == "[encrypted]"
    # The whole log, not just these targets.
    everything = json.dumps(list_all(adm, "/api/v1/audit-log"), ensure_ascii=False)
    for p in world["people"]:
        for s in secrets_of(p):
            assert s not in everything


def demo_secrets():
    staff_names = {u["name"] for u in DEMO["users"]}
    out = []
    for c in DEMO["candidates"]:
        for k in ("email", "phone", "national_id", "resume_text"):
            if c.get(k):
                out.append(c[k])
        if c["name"] not in staff_names and len(c["name"]) >= 3:
            out.append(c["name"])
    return out


def scan(files, needles):
    hits = []
    blobs = {str(f): f.read_bytes() if hasattr(f, "read_bytes") else f for f in files}
    for name, blob in blobs.items():
        for n in needles:
            for form in {n.encode("utf-8"), n.encode("utf-8").lower(), n.encode("utf-8").upper()}:
                if len(form) >= 6 and form in blob:
                    hits.append((name, n))
    return hits


def test_no_personal_data_in_any_file(world):
    """Copies of the live files (db, -wal, -shm) and, after SIGTERM, every file in the data dir."""
    srv = world["srv"]
    needles = [s for p in world["people"] for s in secrets_of(p)] + demo_secrets()
    assert len(needles) > 100
    live = {str(f) + " (live)": f.read_bytes() for f in files_under(srv.data_dir)}
    assert any(name.endswith("zhimian.db (live)") for name in live)
    hits = [(n, s) for n, blob in live.items() for s in needles
            if len(s.encode()) >= 6 and s.encode() in blob]
    rc = srv.stop(signal.SIGTERM)
    assert rc == 0
    files = files_under(srv.data_dir)
    assert any(f.name == "zhimian.db" for f in files)
    hits += scan(files, needles)
    assert not hits, f"personal data in clear: {hits[:10]}"
    # Sanity: the scanner does find clear text (the staff names are stored unencrypted).
    db = next(f for f in files if f.name == "zhimian.db").read_bytes()
    assert demo_users("manager")[0]["name"].encode() in db
