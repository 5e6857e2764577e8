"""The audit log: every change recorded with actor, target, request id and before/after; filters and
paging; access by role; and a hash chain that `zhimian audit verify` checks (edits and deletions
made behind the server's back are found and named).
"""

import hashlib
import shutil
import sqlite3
import time

import pytest

from robustness_support import (quick_client, Server, admin_client, demo_template, demo_users,  # noqa: F401
                                list_all, staff_client, server_copy, unique, unique_email)

GENESIS = "0" * 64


@pytest.fixture(scope="module")
def world(demo_template, tmp_path_factory):
    srv = server_copy(demo_template, tmp_path_factory.mktemp("audit") / "data").start()
    adm = admin_client(srv)
    admin_id = adm.get("/api/v1/me").json()["user"]["id"]
    hr_user = demo_users("hr")[0]
    hr = staff_client(srv, hr_user["email"])
    hr_id = hr.get("/api/v1/me").json()["user"]["id"]
    dept = adm.get("/api/v1/departments?limit=1").json()["items"][0]
    changes = {}
    t0 = time.time()

    def rec(name, r, status=(200, 201)):
        assert r.status_code in status, r.text
        changes[name] = {"request_id": r.headers["X-Request-Id"], "body": r.json()}
        return r.json()

    job = rec("job.create", adm.post("/api/v1/jobs", json={"title": "审计测试岗位", "department_id": dept["id"]}))
    rec("job.update", adm.patch(f"/api/v1/jobs/{job['id']}", json={"title": "审计测试岗位（改）",
                                                                     "status": "open"}))
    dims = [{"key": "communication", "name": "沟通能力", "weight": 60,
             "level_anchors": [f"{i}级" for i in range(1, 6)]},
            {"key": "ownership", "name": "责任心", "weight": 40,
             "level_anchors": [f"{i}级" for i in range(1, 6)]}]
    rec("competency_model.update", adm.put(f"/api/v1/jobs/{job['id']}/competency-model",
                                           json={"dimensions": dims}))
    dims[0]["weight"], dims[1]["weight"] = 50, 50
    rec("competency_model.update.2", adm.put(f"/api/v1/jobs/{job['id']}/competency-model",
                                             json={"dimensions": dims}))
    # A client-chosen request id is kept.
    cand = rec("candidate.create", hr.post("/api/v1/candidates", json={"name": "审计候选人", "email": unique_email()},
                                           headers={"X-Request-Id": "client-req-" + unique()}))
    appl = rec("application.create", hr.post("/api/v1/applications",
                                             json={"candidate_id": cand["id"], "job_id": job["id"]}))
    rec("application.stage_changed", adm.patch(f"/api/v1/applications/{appl['id']}",
                                               json={"stage": "screening"}))
    ids = {"job": job["id"], "candidate": cand["id"], "application": appl["id"]}
    yield {"srv": srv, "adm": adm, "hr": hr, "admin_id": admin_id, "hr_id": hr_id, "changes": changes,
           "ids": ids, "t0": t0}
    srv.stop()


def entries_for(adm, target_id, action=None):
    path = f"/api/v1/audit-log?target_id={target_id}"
    if action:
        path += f"&action={action}"
    return list_all(adm, path)


def check_entry(e, action, target_type, target_id, actor_id, request_id):
    assert e["action"] == action
    assert e["target_type"] == target_type and e["target_id"] == target_id
    assert e["actor_type"] == "user" and e["actor_id"] == actor_id
    assert e["request_id"] == request_id, (e, request_id)
    assert e["ip"] == "127.0.0.1"
    assert e["at"].endswith("Z") and "T" in e["at"]
    assert len(e["hash"]) == 64 and len(e["prev_hash"]) == 64
    assert isinstance(e["seq"], int) and len(e["id"]) == 26


def test_each_change_is_recorded(world):
    adm, ch, ids = world["adm"], world["changes"], world["ids"]
    job_entries = entries_for(adm, ids["job"])
    by_action = {}
    for e in job_entries:
        by_action.setdefault(e["action"], []).append(e)
    assert set(by_action) == {"job.create", "job.update", "competency_model.update"}

    create = by_action["job.create"][0]
    check_entry(create, "job.create", "job", ids["job"], world["admin_id"], ch["job.create"]["request_id"])
    assert create["changes"]["before"] in (None, {})
    assert create["changes"]["after"]["title"] == "审计测试岗位"

    upd = by_action["job.update"][0]
    check_entry(upd, "job.update", "job", ids["job"], world["admin_id"], ch["job.update"]["request_id"])
    assert upd["changes"]["before"]["title"] == "审计测试岗位"
    assert upd["changes"]["after"]["title"] == "审计测试岗位（改）"
    assert upd["changes"]["before"]["status"] == "draft" and upd["changes"]["after"]["status"] == "open"

    models = by_action["competency_model.update"]
    assert len(models) == 2
    newest, first = models  # newest first
    check_entry(newest, "competency_model.update", "job", ids["job"], world["admin_id"],
                ch["competency_model.update.2"]["request_id"])
    check_entry(first, "competency_model.update", "job", ids["job"], world["admin_id"],
                ch["competency_model.update"]["request_id"])
    def weights(m):  # the model's dimensions (as a list, or inside an object)
        dims = m.get("dimensions", []) if isinstance(m, dict) else (m or [])
        return [d["weight"] for d in dims]

    assert weights(newest["changes"]["before"]) == [60, 40]
    assert weights(newest["changes"]["after"]) == [50, 50]

    cand = entries_for(adm, ids["candidate"], "candidate.create")
    assert len(cand) == 1
    check_entry(cand[0], "candidate.create", "candidate", ids["candidate"], world["hr_id"],
                ch["candidate.create"]["request_id"])
    assert cand[0]["request_id"].startswith("client-req-")

    app_entries = entries_for(adm, ids["application"])
    assert [e["action"] for e in app_entries] == ["application.stage_changed", "application.create"]
    check_entry(app_entries[1], "application.create", "application", ids["application"], world["hr_id"],
                ch["application.create"]["request_id"])
    move = app_entries[0]
    check_entry(move, "application.stage_changed", "application", ids["application"], world["admin_id"],
                ch["application.stage_changed"]["request_id"])
    assert move["changes"] == {"before": {"stage": "new"}, "after": {"stage": "screening"}}


def test_request_ids_differ_per_request(world):
    rids = [c["request_id"] for c in world["changes"].values()]
    assert len(set(rids)) == len(rids)


def test_refused_change_is_not_recorded(world):
    adm, ids = world["adm"], world["ids"]
    n = len(entries_for(adm, ids["job"]))
    r = adm.patch(f"/api/v1/jobs/{ids['job']}", json={"thresholds": {"recommend": 10, "review": 50}})
    assert r.status_code == 400
    r = world["hr"].patch(f"/api/v1/applications/{ids['application']}", json={"stage": "screening"})
    assert r.status_code == 200  # same stage: no change, no entry
    assert len(entries_for(adm, ids["job"])) == n
    assert len(entries_for(adm, ids["application"])) == 2


def test_chain_links_through_the_api(world):
    items = list_all(world["adm"], "/api/v1/audit-log")
    seqs = [e["seq"] for e in items]
    assert seqs == sorted(seqs, reverse=True) and len(set(seqs)) == len(seqs)
    assert seqs[-1] == 1 and seqs[0] == len(seqs), "sequence numbers have gaps"
    for newer, older in zip(items, items[1:]):
        assert newer["prev_hash"] == older["hash"]
    assert items[-1]["prev_hash"] == GENESIS


def test_filters(world):
    adm = world["adm"]
    everything = list_all(adm, "/api/v1/audit-log")

    def q(query):
        return list_all(adm, "/api/v1/audit-log?" + query)

    hr_only = q(f"actor_id={world['hr_id']}")
    assert hr_only and all(e["actor_id"] == world["hr_id"] for e in hr_only)
    assert hr_only == [e for e in everything if e["actor_id"] == world["hr_id"]]
    jobs = q("target_type=job")
    assert jobs == [e for e in everything if e["target_type"] == "job"]
    assert q("action=job.create") == [e for e in everything if e["action"] == "job.create"]
    assert q(f"target_id={world['ids']['candidate']}") == [
        e for e in everything if e["target_id"] == world["ids"]["candidate"]]
    combined = q(f"actor_id={world['admin_id']}&target_type=job&action=competency_model.update")
    assert len(combined) == 2
    assert q("action=no.such.action") == []
    assert q("actor_id=01ZZZZZZZZZZZZZZZZZZZZZZZZ") == []

    # since is inclusive, until exclusive; they use the entry time.
    mid = everything[len(everything) // 2]
    since = q("since=" + mid["at"])
    assert since == [e for e in everything if e["at"] >= mid["at"]]
    assert mid in since
    until = q("until=" + mid["at"])
    assert until == [e for e in everything if e["at"] < mid["at"]]
    assert mid not in until
    assert len(since) + len(until) == len(everything)
    window = q(f"since={everything[-1]['at']}&until={everything[0]['at']}")
    assert window == [e for e in everything if everything[-1]["at"] <= e["at"] < everything[0]["at"]]
    assert q("since=2999-01-01T00:00:00Z") == []
    assert q("until=2000-01-01T00:00:00Z") == []


@pytest.mark.parametrize("query", ["", "target_type=job&", "actor_id={admin}&"])
def test_cursor_paging(world, query):
    adm = world["adm"]
    query = query.format(admin=world["admin_id"])
    full = list_all(adm, f"/api/v1/audit-log?{query}".rstrip("&?"))
    assert len(full) > 3
    pages, cursor = [], None
    for _ in range(500):
        r = adm.get(f"/api/v1/audit-log?{query}limit=3" + (f"&cursor={cursor}" if cursor else ""))
        assert r.status_code == 200, r.text
        page = r.json()
        assert len(page["items"]) <= 3
        pages += page["items"]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert [e["seq"] for e in pages] == [e["seq"] for e in full]
    assert pages == full


def test_access_by_role(world):
    srv = world["srv"]
    auditor = staff_client(srv, demo_users("auditor")[0]["email"])
    r = auditor.get("/api/v1/audit-log?limit=5")
    assert r.status_code == 200 and len(r.json()["items"]) == 5
    for role in ("hr", "manager"):
        c = staff_client(srv, demo_users(role)[0]["email"])
        r = c.get("/api/v1/audit-log")
        assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden", (role, r.text)
    r = quick_client(srv).get("/api/v1/audit-log")
    assert r.status_code == 401 and r.json()["error"]["code"] == "unauthenticated"
    tok = world["adm"].post("/api/v1/api-tokens", json={"name": "audit-test", "scopes": ["read", "write"]})
    assert tok.status_code == 201, tok.text
    r = quick_client(srv, token=tok.json()["token"]).get("/api/v1/audit-log")
    assert r.status_code == 403
    # The log cannot be written through the API.
    for method in ("POST", "PUT", "PATCH", "DELETE"):
        r = world["adm"].request(method, "/api/v1/audit-log", json={})
        assert r.status_code in (404, 405), (method, r.status_code)


# ---------------------------------------------------------------------------- the chain on disk


def netstring(b):
    return str(len(b)).encode() + b":" + b + b","


def entry_hash(row):
    seq, id_, at, actor_type, actor_id, action, target_type, target_id, changes, request_id, ip, prev = row
    parts = ["zhimian.audit.v1", str(seq), id_, str(at), actor_type, actor_id, action, target_type,
             target_id, changes, request_id, ip, prev]
    return hashlib.sha256(b"".join(netstring(p.encode()) for p in parts)).hexdigest()


COLUMNS = ("seq, id, at, actor_type, actor_id, action, target_type, target_id, changes, request_id, "
           "ip, prev_hash")


def copy_data(srv, dest):
    dest.mkdir(parents=True)
    for name in ("zhimian.db", "zhimian.db-wal", "zhimian.db-shm", "master.key"):
        if (srv.data_dir / name).exists():
            shutil.copy2(srv.data_dir / name, dest / name)
    return Server(dest, demo=False)  # not started: for run_cli on the copy


def tamper(db, sql, params=()):
    con = sqlite3.connect(str(db))
    con.execute(sql, params)
    con.commit()
    con.close()


@pytest.fixture(scope="module")
def stopped(world):
    srv = world["srv"]
    n = world["adm"].get("/api/v1/audit-log?limit=1").json()["items"][0]["seq"]
    assert srv.stop() == 0
    return {"srv": srv, "count": n}


def test_verify_passes_and_counts(stopped):
    r = stopped["srv"].run_cli("audit", "verify")
    assert r.returncode == 0, r.stdout + r.stderr
    assert str(stopped["count"]) in r.stdout, r.stdout
    assert "intact" in r.stdout


def test_chain_recomputed_independently(stopped):
    """The hashes on disk are SHA-256 over the documented canonical bytes, linked seq by seq."""
    con = sqlite3.connect(str(stopped["srv"].data_dir / "zhimian.db"))
    rows = con.execute(f"SELECT {COLUMNS}, hash FROM audit_log ORDER BY seq").fetchall()
    head = con.execute("SELECT seq, hash FROM audit_head WHERE id = 1").fetchone()
    con.close()
    assert len(rows) == stopped["count"]
    prev = GENESIS
    for i, row in enumerate(rows):
        assert row[0] == i + 1
        assert row[11] == prev
        assert entry_hash(row[:12]) == row[12], f"seq {row[0]}"
        prev = row[12]
    assert head == (rows[-1][0], prev)


@pytest.mark.parametrize("column,value", [("action", "job.view"), ("changes", '{"before":null,"after":null}'),
                                          ("actor_id", "01ZZZZZZZZZZZZZZZZZZZZZZZZ"), ("at", 0),
                                          ("ip", "10.0.0.1")])
def test_edited_middle_row_is_named(stopped, tmp_path, column, value):
    cp = copy_data(stopped["srv"], tmp_path / "edit")
    n = stopped["count"] // 2
    tamper(cp.data_dir / "zhimian.db", f"UPDATE audit_log SET {column} = ? WHERE seq = ?", (value, n))
    r = cp.run_cli("audit", "verify")
    assert r.returncode != 0, r.stdout
    out = r.stdout + r.stderr
    assert f"seq={n}" in out or f"seq {n}" in out, out
    assert "modified" in out or "hash" in out


def test_edit_with_recomputed_hash_is_found_at_the_next_row(stopped, tmp_path):
    cp = copy_data(stopped["srv"], tmp_path / "rehash")
    db = cp.data_dir / "zhimian.db"
    n = stopped["count"] // 2
    con = sqlite3.connect(str(db))
    row = list(con.execute(f"SELECT {COLUMNS} FROM audit_log WHERE seq = ?", (n,)).fetchone())
    row[5] = "job.view"
    con.execute("UPDATE audit_log SET action = ?, hash = ? WHERE seq = ?", (row[5], entry_hash(row), n))
    con.commit()
    con.close()
    r = cp.run_cli("audit", "verify")
    assert r.returncode != 0
    assert f"seq={n + 1}" in r.stdout + r.stderr, r.stdout + r.stderr


def test_deleted_last_row_breaks_the_head(stopped, tmp_path):
    cp = copy_data(stopped["srv"], tmp_path / "delete-last")
    n = stopped["count"]
    tamper(cp.data_dir / "zhimian.db", "DELETE FROM audit_log WHERE seq = ?", (n,))
    r = cp.run_cli("audit", "verify")
    assert r.returncode != 0, r.stdout
    out = r.stdout + r.stderr
    assert "head" in out, out
    assert f"seq={n}" in out, out


def test_deleted_middle_row_is_a_gap(stopped, tmp_path):
    cp = copy_data(stopped["srv"], tmp_path / "delete-mid")
    n = stopped["count"] // 2
    tamper(cp.data_dir / "zhimian.db", "DELETE FROM audit_log WHERE seq = ?", (n,))
    r = cp.run_cli("audit", "verify")
    assert r.returncode != 0
    assert f"seq={n + 1}" in r.stdout, r.stdout


def test_verify_on_untouched_copy_still_passes(stopped, tmp_path):
    cp = copy_data(stopped["srv"], tmp_path / "clean")
    r = cp.run_cli("audit", "verify")
    assert r.returncode == 0, r.stdout + r.stderr
