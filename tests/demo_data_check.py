#!/usr/bin/env python3
"""Validates the demo organisation data set (src/cli/demo_data.json).

Checks the rules of docs/api-resources.md (the same rules `zhimian demo` applies when it loads the file
through the API validation) plus the content rules of the demo data set itself.

Usage: python3 tests/demo_data_check.py [src/cli/demo_data.json]
Exit status 0 when the file is valid, 1 with one message per problem otherwise.
"""
import datetime
import json
import os
import re
import sys
from collections import Counter

KEY_RE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
EMAIL_RE = re.compile(r"^[a-z0-9._%+-]+@[a-z0-9-]+(\.[a-z0-9-]+)+$")
PHONE_RE = re.compile(r"^1[358][0-9]{9}$")
ID_RE = re.compile(r"^[0-9]{17}[0-9X]$")
ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
ID_CHECK = "10X98765432"
PROVINCES = {"11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
             "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65"}

ROLES = ("admin", "hr", "manager", "auditor")
EMPLOYMENT_TYPES = {"full_time", "part_time", "intern", "contract"}
JOB_STATUSES = {"draft", "open", "closed"}
QUESTION_TYPES = {"behavioural", "situational", "technical", "scenario"}
ANSWER_MODES = {"text", "audio", "video"}
STAGES = ["new", "screening", "interview_invited", "interviewing", "interview_completed", "hr_review",
          "second_round", "offer", "hired", "rejected", "talent_pool"]
SOURCES = {"Boss直聘", "智联招聘", "前程无忧", "猎聘", "内部推荐", "校园招聘", "官网投递"}
CANDIDATE_DOMAINS = {"example.com", "example.cn", "example.net"}
STAFF_DOMAIN = "xinghai.example"

FIELDS = {
    "top": {"organisation", "demo_password", "departments", "users", "jobs", "candidates"},
    "organisation": {"name", "name_en"},
    "department": {"ref", "name", "description"},
    "user": {"email", "name", "role", "department_refs"},
    "job": {"ref", "title", "department_ref", "description", "requirements", "location", "employment_type",
            "status", "thresholds", "competency_model", "questions", "interview_plan"},
    "thresholds": {"recommend", "review"},
    "competency_model": {"dimensions"},
    "dimension": {"key", "name", "name_en", "description", "weight", "indicators", "level_anchors"},
    "indicator": {"key", "name", "name_en", "synonyms"},
    "question": {"ref", "type", "text", "dimension_keys", "scenario", "rubric", "reference_answers",
                 "think_seconds", "answer_seconds", "expected_length", "tags"},
    "text": {"zh", "en"},
    "scenario": {"title", "context"},
    "rubric": {"key_points", "notes"},
    "key_point": {"text", "synonyms", "dimension_key"},
    "reference_answer": {"text", "score", "language"},
    "expected_length": {"min", "max"},
    "plan": {"sections", "reanswer_limit", "feedback_enabled", "follow_ups_enabled", "answer_modes",
             "expires_in_days"},
    "section": {"key", "title", "question_refs"},
    "candidate": {"name", "email", "phone", "national_id", "resume_text", "source", "tags", "applications"},
    "application": {"job_ref", "stage"},
}


class Checker:
    def __init__(self):
        self.errors = []

    def err(self, where, msg):
        self.errors.append(f"{where}: {msg}")

    # --- generic helpers -------------------------------------------------------------------------
    def obj(self, where, value, kind):
        if not isinstance(value, dict):
            self.err(where, f"must be an object ({kind})")
            return False
        extra = set(value) - FIELDS[kind]
        missing = FIELDS[kind] - set(value)
        if extra:
            self.err(where, f"unknown field(s) {sorted(extra)}")
        if missing:
            self.err(where, f"missing field(s) {sorted(missing)}")
        return True

    def string(self, where, value, lo=1, hi=None):
        if not isinstance(value, str):
            self.err(where, "must be a string")
            return False
        if len(value.strip()) < lo and lo > 0:
            self.err(where, "must not be empty")
            return False
        if hi is not None and len(value) > hi:
            self.err(where, f"longer than {hi} characters ({len(value)})")
            return False
        return True

    def integer(self, where, value, lo, hi):
        if isinstance(value, bool) or not isinstance(value, int):
            self.err(where, "must be an integer")
            return False
        if not lo <= value <= hi:
            self.err(where, f"{value} outside {lo}..{hi}")
            return False
        return True

    def number(self, where, value, lo, hi):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.err(where, "must be a number")
            return False
        if not lo <= value <= hi:
            self.err(where, f"{value} outside {lo}..{hi}")
            return False
        return True

    def strings(self, where, value, lo, hi, item_max=None, unique=True):
        if not isinstance(value, list):
            self.err(where, "must be an array")
            return []
        if not lo <= len(value) <= hi:
            self.err(where, f"has {len(value)} items, expected {lo}..{hi}")
        for i, s in enumerate(value):
            self.string(f"{where}[{i}]", s, 1, item_max)
        if unique and len(set(map(str, value))) != len(value):
            self.err(where, "contains duplicates")
        return value

    def key(self, where, value):
        if not isinstance(value, str) or not KEY_RE.match(value):
            self.err(where, f"key {value!r} does not match [a-z][a-z0-9_]{{0,39}}")
            return False
        return True

    # --- sections --------------------------------------------------------------------------------
    def check(self, data):
        if not self.obj("$", data, "top"):
            return
        org = data.get("organisation")
        if self.obj("organisation", org, "organisation"):
            self.string("organisation.name", org.get("name"), 1, 100)
            self.string("organisation.name_en", org.get("name_en"), 1, 100)
        dept_refs = self.departments(data.get("departments"))
        self.users(data.get("users"), dept_refs, data.get("demo_password"))
        jobs = self.jobs(data.get("jobs"), dept_refs)
        self.candidates(data.get("candidates"), jobs)

    def departments(self, depts):
        refs = set()
        if not isinstance(depts, list):
            self.err("departments", "must be an array")
            return refs
        if len(depts) < 4:
            self.err("departments", f"{len(depts)} departments, need at least 4")
        names = set()
        for i, d in enumerate(depts):
            w = f"departments[{i}]"
            if not self.obj(w, d, "department"):
                continue
            if self.key(f"{w}.ref", d.get("ref")):
                if d["ref"] in refs:
                    self.err(f"{w}.ref", f"duplicate ref {d['ref']!r}")
                refs.add(d["ref"])
            if self.string(f"{w}.name", d.get("name"), 1, 100):
                if d["name"] in names:
                    self.err(f"{w}.name", f"duplicate department name {d['name']!r}")
                names.add(d["name"])
            self.string(f"{w}.description", d.get("description"), 0, 2000)
        return refs

    def password_ok(self, password, locals_):
        if not isinstance(password, str) or not 10 <= len(password) <= 128:
            return "must be 10..128 characters"
        classes = sum([any(c.islower() for c in password), any(c.isupper() for c in password),
                       any(c.isdigit() for c in password), any(not c.isalnum() for c in password)])
        if classes < 3:
            return "needs at least 3 of lower case, upper case, digit, symbol"
        for local in locals_:
            if local and local.lower() in password.lower():
                return f"contains the e-mail local part {local!r}"
        return None

    def users(self, users, dept_refs, password):
        if not isinstance(users, list):
            self.err("users", "must be an array")
            return
        emails = set()
        roles = Counter()
        manager_depts = set()
        for i, u in enumerate(users):
            w = f"users[{i}]"
            if not self.obj(w, u, "user"):
                continue
            email = u.get("email")
            if not isinstance(email, str) or not EMAIL_RE.match(email):
                self.err(f"{w}.email", f"invalid or not lower-case e-mail {email!r}")
            else:
                if not email.endswith("@" + STAFF_DOMAIN):
                    self.err(f"{w}.email", f"staff e-mail must be in {STAFF_DOMAIN}")
                if email in emails:
                    self.err(f"{w}.email", f"duplicate e-mail {email}")
                emails.add(email)
            self.string(f"{w}.name", u.get("name"), 1, 100)
            role = u.get("role")
            if role not in ROLES:
                self.err(f"{w}.role", f"unknown role {role!r}")
            roles[role] += 1
            drefs = u.get("department_refs")
            if not isinstance(drefs, list):
                self.err(f"{w}.department_refs", "must be an array")
                continue
            for r in drefs:
                if r not in dept_refs:
                    self.err(f"{w}.department_refs", f"unknown department ref {r!r}")
            if len(set(drefs)) != len(drefs):
                self.err(f"{w}.department_refs", "contains duplicates")
            if role == "manager":
                if not 1 <= len(drefs) <= 2:
                    self.err(f"{w}.department_refs", "a manager needs 1..2 departments")
                manager_depts.update(drefs)
        for role in ROLES:
            if roles[role] != 3:
                self.err("users", f"{roles[role]} users with role {role}, expected 3")
        if dept_refs and manager_depts != dept_refs:
            self.err("users", f"departments without a manager: {sorted(dept_refs - manager_depts)}")
        problem = self.password_ok(password, [e.split("@")[0] for e in emails])
        if problem:
            self.err("demo_password", problem)

    def jobs(self, jobs, dept_refs):
        result = {}
        if not isinstance(jobs, list):
            self.err("jobs", "must be an array")
            return result
        if len(jobs) < 6:
            self.err("jobs", f"{len(jobs)} jobs, need at least 6")
        question_refs = set()
        for i, j in enumerate(jobs):
            w = f"jobs[{i}]"
            if not self.obj(w, j, "job"):
                continue
            ref = j.get("ref")
            if self.key(f"{w}.ref", ref):
                if ref in result:
                    self.err(f"{w}.ref", f"duplicate job ref {ref!r}")
                result[ref] = j
                w = f"jobs[{ref}]"
            self.string(f"{w}.title", j.get("title"), 1, 200)
            if j.get("department_ref") not in dept_refs:
                self.err(f"{w}.department_ref", f"unknown department ref {j.get('department_ref')!r}")
            self.string(f"{w}.description", j.get("description"), 1, 20000)
            self.strings(f"{w}.requirements", j.get("requirements"), 1, 50, 500)
            self.string(f"{w}.location", j.get("location"), 1, 200)
            if j.get("employment_type") not in EMPLOYMENT_TYPES:
                self.err(f"{w}.employment_type", f"invalid {j.get('employment_type')!r}")
            if j.get("status") not in JOB_STATUSES:
                self.err(f"{w}.status", f"invalid {j.get('status')!r}")
            t = j.get("thresholds")
            if self.obj(f"{w}.thresholds", t, "thresholds"):
                ok = self.integer(f"{w}.thresholds.recommend", t.get("recommend"), 0, 100)
                ok = self.integer(f"{w}.thresholds.review", t.get("review"), 0, 100) and ok
                if ok and not t["recommend"] > t["review"]:
                    self.err(f"{w}.thresholds", "recommend must be greater than review")
            dims = self.model(w, j.get("competency_model"))
            th = j.get("thresholds") if isinstance(j.get("thresholds"), dict) else {}
            qrefs = self.questions(w, j.get("questions"), dims, question_refs,
                                   th.get("recommend", 80), th.get("review", 60))
            self.plan(w, j.get("interview_plan"), qrefs)
        return result

    def model(self, w, model):
        dims = set()
        if not self.obj(f"{w}.competency_model", model, "competency_model"):
            return dims
        ds = model.get("dimensions")
        if not isinstance(ds, list) or not 1 <= len(ds) <= 12:
            self.err(f"{w}.competency_model.dimensions", "must be an array of 1..12 dimensions")
            return dims
        if not 4 <= len(ds) <= 6:
            self.err(f"{w}.competency_model.dimensions", f"{len(ds)} dimensions, expected 4..6")
        total = 0
        for k, d in enumerate(ds):
            dw = f"{w}.dimensions[{k}]"
            if not self.obj(dw, d, "dimension"):
                continue
            if self.key(f"{dw}.key", d.get("key")):
                if d["key"] in dims:
                    self.err(f"{dw}.key", f"duplicate dimension key {d['key']!r}")
                dims.add(d["key"])
                dw = f"{w}.dimensions[{d['key']}]"
            self.string(f"{dw}.name", d.get("name"), 1, 100)
            self.string(f"{dw}.name_en", d.get("name_en"), 1, 100)
            self.string(f"{dw}.description", d.get("description"), 1, 2000)
            weight = d.get("weight")
            if self.integer(f"{dw}.weight", weight, 0, 100):
                total += weight
            inds = d.get("indicators")
            if not isinstance(inds, list) or not 2 <= len(inds) <= 4:
                self.err(f"{dw}.indicators", "expected 2..4 indicators")
                inds = inds if isinstance(inds, list) else []
            ikeys = set()
            for m, ind in enumerate(inds):
                iw = f"{dw}.indicators[{m}]"
                if not self.obj(iw, ind, "indicator"):
                    continue
                if self.key(f"{iw}.key", ind.get("key")):
                    if ind["key"] in ikeys:
                        self.err(f"{iw}.key", f"duplicate indicator key {ind['key']!r}")
                    ikeys.add(ind["key"])
                self.string(f"{iw}.name", ind.get("name"), 1, 100)
                self.string(f"{iw}.name_en", ind.get("name_en"), 1, 100)
                self.strings(f"{iw}.synonyms", ind.get("synonyms"), 2, 4, 100)
            anchors = d.get("level_anchors")
            if not isinstance(anchors, list) or len(anchors) != 5:
                self.err(f"{dw}.level_anchors", "exactly 5 level anchors required")
            else:
                for n, a in enumerate(anchors):
                    if self.string(f"{dw}.level_anchors[{n}]", a, 1, 500) and not a.startswith(f"{n + 1}级"):
                        self.err(f"{dw}.level_anchors[{n}]", f"should start with '{n + 1}级'")
        if abs(total - 100) > 0.01:
            self.err(f"{w}.competency_model", f"weights sum to {total}, must be 100")
        return dims

    def questions(self, w, questions, dims, global_refs, recommend, review):
        refs = set()
        if not isinstance(questions, list):
            self.err(f"{w}.questions", "must be an array")
            return refs
        if len(questions) < 8:
            self.err(f"{w}.questions", f"{len(questions)} questions, need at least 8")
        types = Counter()
        weak = 0
        for k, qu in enumerate(questions):
            qw = f"{w}.questions[{k}]"
            if not self.obj(qw, qu, "question"):
                continue
            ref = qu.get("ref")
            if self.key(f"{qw}.ref", ref):
                if ref in global_refs:
                    self.err(f"{qw}.ref", f"duplicate question ref {ref!r}")
                global_refs.add(ref)
                refs.add(ref)
                qw = f"{w}.questions[{ref}]"
            qtype = qu.get("type")
            types[qtype] += 1
            if qtype not in QUESTION_TYPES:
                self.err(f"{qw}.type", f"invalid type {qtype!r}")
            text = qu.get("text")
            if self.obj(f"{qw}.text", text, "text"):
                self.string(f"{qw}.text.zh", text.get("zh"), 1, 4000)
                self.string(f"{qw}.text.en", text.get("en"), 1, 4000)
            qdims = qu.get("dimension_keys")
            if not isinstance(qdims, list) or not 1 <= len(qdims) <= 2:
                self.err(f"{qw}.dimension_keys", "expected 1..2 dimension keys")
                qdims = qdims if isinstance(qdims, list) else []
            for dk in qdims:
                if dk not in dims:
                    self.err(f"{qw}.dimension_keys", f"{dk!r} is not a dimension of the job's model")
            if len(set(qdims)) != len(qdims):
                self.err(f"{qw}.dimension_keys", "contains duplicates")
            sc = qu.get("scenario")
            if qtype == "scenario":
                if self.obj(f"{qw}.scenario", sc, "scenario"):
                    self.string(f"{qw}.scenario.title", sc.get("title"), 1, 200)
                    self.string(f"{qw}.scenario.context", sc.get("context"), 1, 20000)
            elif sc is not None:
                self.err(f"{qw}.scenario", "must be null unless type is scenario")
            rubric = qu.get("rubric")
            if self.obj(f"{qw}.rubric", rubric, "rubric"):
                kps = rubric.get("key_points")
                if not isinstance(kps, list) or not 2 <= len(kps) <= 4:
                    self.err(f"{qw}.rubric.key_points", "expected 2..4 key points")
                    kps = kps if isinstance(kps, list) else []
                for n, p in enumerate(kps):
                    pw = f"{qw}.rubric.key_points[{n}]"
                    if not self.obj(pw, p, "key_point"):
                        continue
                    self.string(f"{pw}.text", p.get("text"), 1, 1000)
                    self.strings(f"{pw}.synonyms", p.get("synonyms"), 1, 30, 100)
                    dk = p.get("dimension_key")
                    if dk is not None and dk not in qdims:
                        self.err(f"{pw}.dimension_key", f"{dk!r} is not one of the question's dimension keys")
                self.string(f"{qw}.rubric.notes", rubric.get("notes"), 0, 4000)
            el = qu.get("expected_length")
            lo, hi = 0, 20000
            if self.obj(f"{qw}.expected_length", el, "expected_length"):
                ok = self.integer(f"{qw}.expected_length.min", el.get("min"), 0, 20000)
                ok = self.integer(f"{qw}.expected_length.max", el.get("max"), 0, 20000) and ok
                if ok:
                    lo, hi = el["min"], el["max"]
                    if lo > hi:
                        self.err(f"{qw}.expected_length", "min must be <= max")
            answers = qu.get("reference_answers")
            if not isinstance(answers, list) or not answers:
                self.err(f"{qw}.reference_answers", "at least one reference answer required")
                answers = []
            strong = 0
            for n, a in enumerate(answers):
                aw = f"{qw}.reference_answers[{n}]"
                if not self.obj(aw, a, "reference_answer"):
                    continue
                self.string(f"{aw}.text", a.get("text"), 1, 20000)
                score = a.get("score")
                if score is not None and not self.number(f"{aw}.score", score, 0, 100):
                    score = None
                if a.get("language") not in ("zh", "en"):
                    self.err(f"{aw}.language", f"invalid language {a.get('language')!r}")
                if (score is not None and score >= recommend and a.get("language") == "zh"
                        and isinstance(a.get("text"), str)):
                    strong += 1
                    n_chars = len(a["text"])
                    if not 150 <= n_chars <= 400:
                        self.err(f"{aw}.text", f"strong answer has {n_chars} characters, expected 150..400")
                    if not lo <= n_chars <= hi:
                        self.err(f"{aw}.text", f"strong answer length {n_chars} outside expected_length {lo}..{hi}")
                if score is not None and score < review:
                    weak += 1
                    if isinstance(a.get("text"), str) and len(a["text"]) > hi:
                        self.err(f"{aw}.text", "weak answer longer than expected_length.max")
            if strong != 1:
                self.err(f"{qw}.reference_answers",
                         f"{strong} strong answers (zh, score >= recommend {recommend}), expected 1")
            think = qu.get("think_seconds")
            self.integer(f"{qw}.think_seconds", think, 0, 600)
            ans = qu.get("answer_seconds")
            self.integer(f"{qw}.answer_seconds", ans, 10, 1800)
            if qtype == "scenario" and isinstance(think, int) and isinstance(ans, int) and (think < 60 or ans < 300):
                self.err(f"{qw}", "scenario tasks need at least 60s think and 300s answer time")
            self.strings(f"{qw}.tags", qu.get("tags"), 1, 20, 50)
        if types["scenario"] < 2:
            self.err(f"{w}.questions", f"{types['scenario']} scenario tasks, need at least 2")
        if weak < 2:
            self.err(f"{w}.questions", f"{weak} weak reference answers (score < review), need at least 2")
        return refs

    def plan(self, w, plan, qrefs):
        pw = f"{w}.interview_plan"
        if not self.obj(pw, plan, "plan"):
            return
        sections = plan.get("sections")
        if not isinstance(sections, list) or not 1 <= len(sections) <= 10:
            self.err(f"{pw}.sections", "expected 1..10 sections")
            sections = sections if isinstance(sections, list) else []
        if not 2 <= len(sections) <= 3:
            self.err(f"{pw}.sections", f"{len(sections)} sections, expected 2..3")
        keys, used = set(), []
        for n, s in enumerate(sections):
            sw = f"{pw}.sections[{n}]"
            if not self.obj(sw, s, "section"):
                continue
            if self.key(f"{sw}.key", s.get("key")):
                if s["key"] in keys:
                    self.err(f"{sw}.key", f"duplicate section key {s['key']!r}")
                keys.add(s["key"])
            self.string(f"{sw}.title", s.get("title"), 1, 100)
            refs = s.get("question_refs")
            if not isinstance(refs, list) or not 1 <= len(refs) <= 30:
                self.err(f"{sw}.question_refs", "expected 1..30 question refs")
                continue
            for r in refs:
                if r not in qrefs:
                    self.err(f"{sw}.question_refs", f"{r!r} is not a question of this job")
                used.append(r)
        dup = [r for r, c in Counter(used).items() if c > 1]
        if dup:
            self.err(f"{pw}", f"question(s) used more than once: {dup}")
        if qrefs and len(set(used) & qrefs) < len(qrefs) - 2:
            self.err(f"{pw}", "the plan should use all or most of the job's questions")
        self.integer(f"{pw}.reanswer_limit", plan.get("reanswer_limit"), 0, 5)
        for b in ("feedback_enabled", "follow_ups_enabled"):
            if not isinstance(plan.get(b), bool):
                self.err(f"{pw}.{b}", "must be a boolean")
        modes = plan.get("answer_modes")
        if not isinstance(modes, list) or not modes or not set(modes) <= ANSWER_MODES or len(set(modes)) != len(modes):
            self.err(f"{pw}.answer_modes", "must be a non-empty subset of text/audio/video")
        self.integer(f"{pw}.expires_in_days", plan.get("expires_in_days"), 1, 90)

    def national_id(self, w, nid, seen):
        if not isinstance(nid, str) or not ID_RE.match(nid):
            self.err(w, f"national_id {nid!r} is not 17 digits plus a digit or X")
            return
        if nid[:2] not in PROVINCES:
            self.err(w, f"national_id {nid}: unknown province code {nid[:2]}")
        try:
            birth = datetime.date(int(nid[6:10]), int(nid[10:12]), int(nid[12:14]))
            if not datetime.date(1955, 1, 1) <= birth <= datetime.date(2008, 12, 31):
                self.err(w, f"national_id {nid}: implausible birth date {birth}")
        except ValueError:
            self.err(w, f"national_id {nid}: invalid birth date")
        expected = ID_CHECK[sum(int(c) * wt for c, wt in zip(nid[:17], ID_WEIGHTS)) % 11]
        if nid[17] != expected:
            self.err(w, f"national_id {nid}: check digit should be {expected}")
        if nid in seen:
            self.err(w, f"duplicate national_id {nid}")
        seen.add(nid)

    def candidates(self, cands, jobs):
        if not isinstance(cands, list):
            self.err("candidates", "must be an array")
            return
        if len(cands) < 64:
            self.err("candidates", f"{len(cands)} candidates, need at least 64")
        emails, phones, ids, names = set(), set(), set(), set()
        for i, c in enumerate(cands):
            w = f"candidates[{i}]"
            if not self.obj(w, c, "candidate"):
                continue
            self.string(f"{w}.name", c.get("name"), 1, 100)
            if c.get("name") in names:
                self.err(f"{w}.name", f"duplicate name {c.get('name')!r}")
            names.add(c.get("name"))
            email = c.get("email")
            if not isinstance(email, str) or not EMAIL_RE.match(email):
                self.err(f"{w}.email", f"invalid or not normalized (lower-case) e-mail {email!r}")
            else:
                if email.split("@")[1] not in CANDIDATE_DOMAINS:
                    self.err(f"{w}.email", f"domain must be one of {sorted(CANDIDATE_DOMAINS)}")
                if email in emails:
                    self.err(f"{w}.email", f"duplicate e-mail {email}")
                emails.add(email)
            phone = c.get("phone")
            if not isinstance(phone, str) or not PHONE_RE.match(phone):
                self.err(f"{w}.phone", f"{phone!r} is not an 11-digit 13x/15x/18x mobile number")
            elif phone in phones:
                self.err(f"{w}.phone", f"duplicate phone {phone}")
            phones.add(phone)
            self.national_id(f"{w}.national_id", c.get("national_id"), ids)
            self.string(f"{w}.resume_text", c.get("resume_text"), 1, 100000)
            if c.get("source") not in SOURCES:
                self.err(f"{w}.source", f"unknown source {c.get('source')!r}")
            self.strings(f"{w}.tags", c.get("tags"), 1, 10, 50)
            apps = c.get("applications")
            if not isinstance(apps, list) or not 1 <= len(apps) <= 2:
                self.err(f"{w}.applications", "expected 1..2 applications")
                continue
            seen_jobs = set()
            for n, a in enumerate(apps):
                aw = f"{w}.applications[{n}]"
                if not self.obj(aw, a, "application"):
                    continue
                if a.get("job_ref") not in jobs:
                    self.err(f"{aw}.job_ref", f"unknown job ref {a.get('job_ref')!r}")
                if a.get("job_ref") in seen_jobs:
                    self.err(f"{aw}.job_ref", "duplicate application for the same job")
                seen_jobs.add(a.get("job_ref"))
                if a.get("stage") not in STAGES:
                    self.err(f"{aw}.stage", f"unknown stage {a.get('stage')!r}")


def no_duplicate_keys(pairs):
    keys = [k for k, _ in pairs]
    dup = [k for k, n in Counter(keys).items() if n > 1]
    if dup:
        raise ValueError(f"duplicate JSON object key(s): {dup}")
    return dict(pairs)


def summary(data):
    lines = []
    lines.append(f"departments: {len(data['departments'])}")
    roles = Counter(u["role"] for u in data["users"])
    lines.append(f"users: {len(data['users'])} ({', '.join(f'{r} {roles[r]}' for r in ROLES)})")
    lines.append(f"jobs: {len(data['jobs'])}")
    total_q = 0
    for j in data["jobs"]:
        types = Counter(q["type"] for q in j["questions"])
        total_q += len(j["questions"])
        lines.append(f"  {j['ref']:<22} {j['title']:<12} questions {len(j['questions'])} "
                     f"({', '.join(f'{t} {n}' for t, n in sorted(types.items()))}), "
                     f"dimensions {len(j['competency_model']['dimensions'])}, "
                     f"plan sections {len(j['interview_plan']['sections'])}")
    lines.append(f"questions: {total_q}")
    apps = [a for c in data["candidates"] for a in c["applications"]]
    lines.append(f"candidates: {len(data['candidates'])}, applications: {len(apps)} "
                 f"({sum(1 for c in data['candidates'] if len(c['applications']) > 1)} candidates with 2)")
    stages = Counter(a["stage"] for a in apps)
    lines.append("applications per stage: " + ", ".join(f"{s} {stages[s]}" for s in STAGES))
    per_job = Counter(a["job_ref"] for a in apps)
    lines.append("applications per job: " + ", ".join(f"{j} {n}" for j, n in per_job.items()))
    return "\n".join(lines)


def main():
    default = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "cli", "demo_data.json")
    path = sys.argv[1] if len(sys.argv) > 1 else default
    try:
        with open(path, "rb") as f:
            raw = f.read()
        data = json.loads(raw.decode("utf-8"), object_pairs_hook=no_duplicate_keys)
    except (OSError, UnicodeDecodeError, ValueError) as e:
        print(f"{path}: cannot load: {e}", file=sys.stderr)
        return 1
    checker = Checker()
    checker.check(data)
    if checker.errors:
        for e in checker.errors:
            print(e, file=sys.stderr)
        print(f"{path}: {len(checker.errors)} problem(s)", file=sys.stderr)
        return 1
    print(summary(data))
    print(f"{path}: OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
