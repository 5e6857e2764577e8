"""The interview engine end to end over HTTP (issue #3), on each backend.

HR builds a job with a competency model and five questions, invites candidates; candidates
consent, answer (with a re-answer and a follow-up), report integrity events and finish; HR sees
dimension scores with evidence and explanations, the recommendation and integrity counts,
overrides and rescoring; the candidate sees the released report. Once in Chinese, once in
English. Plus invitation management (resend, revoke, extend, expiry) and bad input.
"""

import sqlite3
import time
import uuid

import pytest
import requests

from conftest import ADMIN_EMAIL, ADMIN_PASSWORD, Client, demo_users, login_as, make_server

# ----------------------------------------------------------------------------------------------
# Job fixtures in both languages.

MODEL_ZH = {"dimensions": [
    {"key": "communication", "name": "沟通能力", "name_en": "Communication", "weight": 40,
     "description": "清晰表达，倾听并回应客户需求",
     "indicators": [
         {"key": "active_listening", "name": "倾听客户需求", "name_en": "Listens to needs",
          "synonyms": ["了解客户需求", "挖掘需求", "询问客户"]},
         {"key": "negotiation", "name": "商务谈判", "name_en": "Negotiation",
          "synonyms": ["谈判", "议价", "双赢"]}],
     "level_anchors": ["1级：表达零散", "2级：单向介绍", "3级：能提问确认", "4级：善于倾听追问",
                       "5级：影响高层决策"]},
    {"key": "teamwork", "name": "团队协作", "name_en": "Teamwork", "weight": 30,
     "description": "与同事协作完成目标",
     "indicators": [
         {"key": "coordination", "name": "跨部门协调", "name_en": "Coordinates across teams",
          "synonyms": ["协调售前", "和售前团队", "跨部门"]},
         {"key": "support", "name": "支持同事", "name_en": "Supports colleagues",
          "synonyms": ["帮助同事", "分享经验"]}],
     "level_anchors": ["1级：单打独斗", "2级：被动配合", "3级：主动配合", "4级：推动协作",
                       "5级：塑造团队文化"]},
    {"key": "goal_achievement", "name": "目标达成", "name_en": "Goal achievement", "weight": 30,
     "description": "拆解目标并持续达成",
     "indicators": [
         {"key": "target_breakdown", "name": "目标拆解", "name_en": "Breaks down targets",
          "synonyms": ["拆解目标", "分解指标", "按月拆分"]},
         {"key": "result_data", "name": "结果量化", "name_en": "Quantifies results",
          "synonyms": ["完成率", "同比增长", "业绩提升"]}],
     "level_anchors": ["1级：目标模糊", "2级：偶尔达成", "3级：基本达成", "4级：稳定超额",
                       "5级：带动团队超额"]},
]}

QUESTIONS_ZH = [
    ("请讲一个你挽回重要客户的经历。", ["communication", "goal_achievement"],
     "当时一个大客户准备流失，我先拜访客户了解客户需求和真正的痛点，然后与售前团队制定针对性方案，"
     "经过三轮谈判达成双赢，最终客户续约并增购30%。"),
    ("请描述一次你和其他部门合作完成项目的经历。", ["teamwork"],
     "去年我们和交付、售前团队跨部门协作上线新系统，我负责协调售前和交付的节奏，每周同步进度，"
     "帮助同事解决客户问题，项目提前两周上线。"),
    ("你如何拆解年度销售目标？", ["goal_achievement"],
     "我会把年度目标按季度和月份拆解，按客户分级分解指标，每周复盘完成率，去年完成率达到120%，"
     "同比增长35%。"),
    ("遇到客户压价时你会怎么谈判？", ["communication"],
     "我会先询问客户压价的真实原因，了解客户需求，再给出有梯度的方案，用价值而不是价格谈判，争取双赢。"),
    ("请介绍一次你帮助新同事成长的经历。", ["teamwork", "communication"],
     "我带过两名新人，每周和他们分享经验，一起拜访客户，帮助同事梳理客户需求，三个月后他们都独立签单。"),
]

STRONG_ZH = [
    "2023年我在华东区负责一个年合同额200万元的连锁零售客户。当时客户因为竞品降价准备流失，我的任务是在一个月内保住这个客户。"
    "我首先拜访了客户的采购总监和门店运营负责人，倾听客户需求，发现真正的痛点是门店系统上线慢。然后我和售前团队一起设计了分阶段上线方案，"
    "在谈判中用三轮议价争取双赢。最终客户续约三年，并增购30%，业绩提升明显。",
    "去年我们团队和交付部门、售前团队跨部门协作上线一个300家门店的项目。当时交付资源紧张，我的任务是协调售前和交付的节奏。"
    "我建立了每周例会，和同事一起梳理风险，主动帮助同事处理客户投诉，分享经验。最终项目提前两周上线，客户满意度达到95%。",
    "我会把年度目标拆解到季度和月份，再按客户分级分解指标：A类客户贡献60%。每周复盘完成率，每月调整商机跟进计划。"
    "2023年我的年度完成率是120%，同比增长35%，团队业绩提升了40%。",
    "有一次客户要求降价15%。我先询问客户压价的真实原因，了解客户需求，发现他们更在意交付周期。于是我给出有梯度的方案，"
    "用价值谈判而不是直接降价，最终以5%的折扣加快速交付达成双赢，合同金额80万元。",
    "2022年我带了两名新同事。我们每周一起拜访客户，我分享经验，帮助同事梳理客户需求和谈判要点。三个月后他们都独立签单，"
    "其中一人季度完成率达到110%。",
]

WEAK_ZH = [
    "我觉得应该多和客户沟通吧，然后尽量满足他们。",
    "我一般自己把事情做好就可以了，我自己负责我的部分，我自己搞定。",
    "目标就是努力完成，尽量多打电话。",
    "可能会看情况吧，差不多就行。",
    "嗯，就是说，我会教他们。",
]

MODEL_EN = {"dimensions": [
    {"key": "communication", "name": "Communication", "name_en": "Communication", "weight": 50,
     "description": "Explains clearly and listens to customers",
     "indicators": [
         {"key": "listening", "name": "Listens to customer needs", "name_en": "Listens to customer needs",
          "synonyms": ["understand the customer's needs", "asked the customer", "listened"]},
         {"key": "negotiation", "name": "Negotiation", "name_en": "Negotiation",
          "synonyms": ["negotiate", "win-win", "trade-off"]}],
     "level_anchors": ["Level 1: scattered", "Level 2: one-way", "Level 3: asks questions",
                       "Level 4: listens and probes", "Level 5: influences executives"]},
    {"key": "teamwork", "name": "Teamwork", "name_en": "Teamwork", "weight": 50,
     "description": "Works with colleagues towards shared goals",
     "indicators": [
         {"key": "coordination", "name": "Coordinates across teams", "name_en": "Coordinates across teams",
          "synonyms": ["cross-functional", "coordinated with", "worked with the"]},
         {"key": "support", "name": "Supports colleagues", "name_en": "Supports colleagues",
          "synonyms": ["helped my colleagues", "mentored", "shared my experience"]}],
     "level_anchors": ["Level 1: works alone", "Level 2: passive", "Level 3: cooperates",
                       "Level 4: drives collaboration", "Level 5: shapes the culture"]},
]}

QUESTIONS_EN = [
    ("Tell us about a time you won back an important customer.", ["communication"],
     "The customer was about to leave. I listened to understand the customer's needs, worked with "
     "the pre-sales team on a tailored proposal and negotiated a win-win renewal; revenue grew 20%."),
    ("Describe a project you delivered with another department.", ["teamwork"],
     "We ran a cross-functional launch with delivery; I coordinated with the delivery team weekly, "
     "helped my colleagues with escalations and we launched two weeks early."),
    ("How do you handle a customer who asks for a big discount?", ["communication"],
     "I asked the customer why, listened to their real concern and offered trade-offs instead of a "
     "flat discount, reaching a win-win deal."),
    ("How have you helped a new colleague grow?", ["teamwork"],
     "I mentored two new hires, shared my experience on weekly calls and they closed their first "
     "deals within three months."),
    ("Tell us about a conflict in your team and how it was resolved.", ["teamwork", "communication"],
     "Two colleagues disagreed on priorities; I listened to both, we agreed on a shared goal and a "
     "trade-off, and the project shipped on time."),
]

STRONG_EN = [
    "In 2023 I managed a $1.2M retail account that was about to leave for a cheaper competitor. My task "
    "was to keep them within one month. I first met their operations director and listened to understand "
    "the customer's needs: the real pain was slow store roll-outs. I worked with the pre-sales team on a "
    "phased plan and negotiated a win-win renewal. As a result they renewed for three years and grew 20%.",
    "Last year our team ran a cross-functional launch for 300 stores with the delivery department. I "
    "coordinated with the delivery team in weekly meetings, we shared risks, and I helped my colleagues "
    "handle two escalations. In the end we launched two weeks early and customer satisfaction reached 95%.",
    "A customer asked for a 15% discount. I asked the customer why and listened: delivery time mattered "
    "more than price. I offered trade-offs, a 5% discount with faster delivery, and we negotiated a "
    "win-win deal worth $300K.",
    "In 2022 I mentored two new hires. We visited customers together every week, I shared my experience "
    "on negotiation, and I helped my colleagues prepare proposals. Within three months both closed their "
    "first deals, one reaching 110% of quota.",
    "Two colleagues on my team disagreed about priorities before a launch. I listened to both, we agreed "
    "on the shared goal, and I proposed a trade-off on scope. We worked with the product team and shipped "
    "on time; the team's on-time rate rose from 70% to 95%.",
]

WEAK_EN = [
    "I think I would talk to them more, maybe.",
    "I usually do my own part myself and I finish it myself.",
    "Probably I would just say no, I guess.",
    "Um, I would tell them what to do.",
    "I don't really know, it depends.",
]

LANGS = {
    "zh": (MODEL_ZH, QUESTIONS_ZH, STRONG_ZH, WEAK_ZH),
    "en": (MODEL_EN, QUESTIONS_EN, STRONG_EN, WEAK_EN),
}


def chars(text, begin, end):
    """Code-point slice, as the API's evidence offsets are code points."""
    return text[begin:end]


# ----------------------------------------------------------------------------------------------
# Setup helpers.

def hr_client(server):
    return login_as(server, demo_users("hr")[0]["email"])


def department_id(hr, name="销售部"):
    items = hr.get("/api/v1/departments?limit=200").json()["items"]
    return next(d["id"] for d in items if d["name"] == name)


def create_job(hr, lang, reanswer_limit=1, feedback=True, timing=None):
    model, questions, _, _ = LANGS[lang]
    r = hr.post("/api/v1/jobs", json={"title": f"Interview test {lang} {uuid.uuid4().hex[:6]}",
                                      "department_id": department_id(hr), "status": "open"})
    assert r.status_code == 201, r.text
    job = r.json()
    r = hr.put(f"/api/v1/jobs/{job['id']}/competency-model", json=model)
    assert r.status_code == 200, r.text
    qids = []
    for text, dims, reference in questions:
        body = {"type": "behavioural", "job_id": job["id"], "dimension_keys": dims,
                "text": {lang: text}, "reference_answers": [{"text": reference, "language": lang}],
                "expected_length": {"min": 60, "max": 800}}
        if timing:
            body.update(timing)
        r = hr.post("/api/v1/questions", json=body)
        assert r.status_code == 201, r.text
        qids.append(r.json()["id"])
    plan = {"sections": [{"key": "main", "title": "行为面试" if lang == "zh" else "Behavioural",
                          "question_ids": qids[:3]},
                         {"key": "more", "title": "补充" if lang == "zh" else "More",
                          "question_ids": qids[3:]}],
            "reanswer_limit": reanswer_limit, "feedback_enabled": feedback,
            "follow_ups_enabled": feedback}
    r = hr.put(f"/api/v1/jobs/{job['id']}/interview-plan", json=plan)
    assert r.status_code == 200, r.text
    return job, qids


def create_application(hr, job):
    tag = uuid.uuid4().hex[:8]
    r = hr.post("/api/v1/candidates", json={"name": f"测试候选人{tag}",
                                            "email": f"cand-{tag}@example.com"})
    assert r.status_code == 201, r.text
    r = hr.post("/api/v1/applications", json={"candidate_id": r.json()["id"], "job_id": job["id"]})
    assert r.status_code == 201, r.text
    return r.json()


def invite(hr, application, **body):
    r = hr.post(f"/api/v1/applications/{application['id']}/invitation", json=body)
    assert r.status_code == 201, r.text
    inv = r.json()
    assert len(inv["token"]) == 43 and inv["link"].endswith("/interview/" + inv["token"])
    return inv


class Candidate:
    """The candidate's browser: no cookies, only the token in the path."""

    def __init__(self, server, token):
        self.c = Client(server.url)
        self.base = f"/api/v1/interview/{token}"

    def get(self, path=""):
        return self.c.get(self.base + path)

    def post(self, path, body=None):
        return self.c.post(self.base + path, json=body) if body is not None else self.c.post(
            self.base + path)

    def consent(self):
        version = self.get().json()["data_use"]["version"]
        r = self.post("/consent", {"consent_version": version, "accept": True,
                                   "audio_video_analysis": False})
        assert r.status_code == 200, r.text
        return r.json()

    def answer(self, position, text):
        return self.post(f"/questions/{position}/answers", {"text": text})

    def next(self, position):
        r = self.post(f"/questions/{position}/next")
        assert r.status_code == 200, r.text
        return r.json()


def run_interview(server, cand, answers, reanswer_first=None, answer_follow_up=True):
    """Answers every question; returns the number of follow-ups answered."""
    follow_ups = 0
    cand.consent()
    for pos, text in enumerate(answers):
        cur = cand.get("/current").json()
        assert cur["done"] is False and cur["position"] == pos
        if pos == 0 and reanswer_first is not None:
            r = cand.answer(pos, reanswer_first)
            assert r.status_code == 201, r.text
        r = cand.answer(pos, text)
        assert r.status_code == 201, r.text
        receipt = r.json()
        if receipt["follow_up"] and answer_follow_up and not receipt["follow_up"]["answered"]:
            r = cand.post(f"/questions/{pos}/follow-up", {"text": text})
            assert r.status_code == 201, r.text
            follow_ups += 1
        cand.next(pos)
    assert cand.get("/current").json()["done"] is True
    r = cand.post("/finish")
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "completed" and r.json()["scored"] is True
    return follow_ups


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def server(request, tmp_path_factory):
    from conftest import PG_URL
    if request.param == "postgres" and not PG_URL:
        pytest.skip("no PostgreSQL test cluster (ZHIMIAN_TEST_PG_URL)")
    srv = make_server(tmp_path_factory.mktemp("interview"), request.param).start()
    yield srv
    srv.stop()


# ----------------------------------------------------------------------------------------------
# The end-to-end flow (issue #3 "Done means"), in Chinese and in English.

@pytest.mark.parametrize("lang", ["zh", "en"])
def test_end_to_end_interview(server, lang):
    hr = hr_client(server)
    admin = Client(server.url)
    admin.login(ADMIN_EMAIL, ADMIN_PASSWORD)
    _, _, strong, weak = LANGS[lang]
    job, qids = create_job(hr, lang)
    r = admin.post("/api/v1/courses", json={
        "title": "高效沟通" if lang == "zh" else "Effective communication",
        "title_en": "Effective communication", "url": "https://learn.example.com/communication",
        "dimension_keys": ["communication", "teamwork"], "max_level": 4})
    assert r.status_code == 201, r.text

    strong_app, weak_app = create_application(hr, job), create_application(hr, job)
    strong_inv, weak_inv = invite(hr, strong_app), invite(hr, weak_app)
    assert hr.get(f"/api/v1/applications/{strong_app['id']}").json()["stage"] == "interview_invited"

    cand = Candidate(server, strong_inv["token"])
    # Before starting: what is assessed, how, with which weights; data use; time limits.
    ov = cand.get().json()
    assert ov["job_title"] == job["title"] and ov["question_count"] == 5
    assert [s["question_count"] for s in ov["sections"]] == [3, 2]
    assert {d["key"]: d["weight"] for d in ov["dimensions"]} == {
        d["key"]: d["weight"] for d in LANGS[lang][0]["dimensions"]}
    assert ov["audio_video_analysis"] is False and ov["consent"]["given"] is False
    assert "365" in ov["data_use"]["text_zh"] and "365" in ov["data_use"]["text_en"]
    assert len(ov["time_limits"]["per_question"]) == 5
    # Nothing works before consent.
    for method, path, body in [("GET", "/current", None), ("POST", "/questions/0/answers", {"text": "x"}),
                               ("POST", "/finish", None), ("PUT", "/questions/0/draft", {"text": "x"})]:
        r = cand.c.request(method, cand.base + path, json=body)
        assert r.status_code == 409 and r.json()["error"]["code"] == "consent_required", (path, r.text)

    # A draft autosaves and comes back on resume (a new browser with the same link).
    cand.consent()
    assert hr.get(f"/api/v1/applications/{strong_app['id']}").json()["stage"] == "interviewing"
    first = cand.get("/current").json()
    r = cand.c.put(cand.base + "/questions/0/draft", json={"text": "草稿 draft ✍️"})
    assert r.status_code == 204, r.text
    resumed = Candidate(server, strong_inv["token"]).get("/current").json()
    assert resumed["draft"] == "草稿 draft ✍️" and resumed["shown_at"] == first["shown_at"]
    assert resumed["attempts_allowed"] == 2

    # Integrity events are stored and counted, never scored.
    for kind in ["tab_hidden", "tab_hidden", "paste"]:
        r = cand.post("/events", {"kind": kind, "position": 0})
        assert r.status_code == 204, r.text
    r = cand.post("/events", {"kind": "window_blur"})
    assert r.status_code == 204

    # One re-answer on the first question (the last attempt is scored), then the rest.
    r = cand.answer(0, weak[0])
    assert r.status_code == 201 and r.json()["attempt"] == 1 and r.json()["late"] is False
    fb = r.json()
    assert fb["feedback"]["note_zh"] and fb["feedback"]["note_en"]
    follow_up = fb["follow_up"]
    assert follow_up and follow_up["question_zh"] and follow_up["question_en"], fb
    r = cand.answer(0, strong[0])
    assert r.status_code == 201 and r.json()["attempt"] == 2
    r = cand.answer(0, strong[0])
    assert r.status_code == 409 and r.json()["error"]["code"] == "reanswer_limit_reached"
    # The follow-up probe stays the first one; its answer is scored with the original.
    assert r.status_code == 409
    r = cand.post("/questions/0/follow-up", {"text": strong[0][:80]})
    assert r.status_code == 201, r.text
    r = cand.post("/questions/0/follow-up", {"text": "again"})
    assert r.status_code == 409 and r.json()["error"]["code"] == "follow_up_answered"
    r = cand.answer(1, strong[1])
    assert r.status_code == 409 and r.json()["error"]["code"] == "not_current_question"
    cand.next(0)
    for pos in range(1, 5):
        r = cand.answer(pos, strong[pos])
        assert r.status_code == 201, r.text
        cand.next(pos)
    r = cand.post("/finish")
    assert r.status_code == 200 and r.json()["answered"] == 5
    r = cand.answer(4, "late")
    assert r.status_code == 409 and r.json()["error"]["code"] == "interview_finished"
    r = cand.post("/finish")
    assert r.status_code == 409 and r.json()["error"]["code"] == "interview_finished"
    assert hr.get(f"/api/v1/applications/{strong_app['id']}").json()["stage"] == "interview_completed"

    # A weak candidate for comparison (no re-answers, follow-ups ignored).
    run_interview(server, Candidate(server, weak_inv["token"]), weak, answer_follow_up=False)

    # HR's view.
    view = hr.get(f"/api/v1/applications/{strong_app['id']}/interview").json()
    weak_view = hr.get(f"/api/v1/applications/{weak_app['id']}/interview").json()
    score = view["score"]
    assert score["scorer"] == "rubric" and score["version"] == 1
    assert score["overall"] > weak_view["score"]["overall"] + 20, (score["overall"],
                                                                    weak_view["score"]["overall"])
    assert score["recommendation"] in ("recommend", "review")
    assert weak_view["score"]["recommendation"] == "not_recommended"
    assert 0 <= score["percentile"] <= 100 and score["cohort_size"] == 2
    assert score["percentile"] > weak_view["score"]["percentile"]
    keys = [d["dimension_key"] for d in score["dimensions"]]
    assert set(keys) == {d["key"] for d in LANGS[lang][0]["dimensions"]}
    for d in score["dimensions"]:
        assert 0 <= d["score"] <= 100 and 1 <= d["level"] <= 5 and d["level_anchor"]
        for a in d["answers"]:
            assert a["explanation_zh"].startswith("得分依据")
            assert a["explanation_en"].startswith("Basis")
    assert view["integrity"]["tab_hidden"] == 2 and view["integrity"]["paste"] == 1
    assert view["integrity"]["window_blur"] == 1 and view["integrity"]["total"] == 4
    q0 = view["questions"][0]
    assert [a["attempt"] for a in q0["attempts"]] == [1, 2]
    assert q0["attempts"][1]["scored"] and not q0["attempts"][0]["scored"]
    assert q0["attempts"][1]["text"] == strong[0]
    assert q0["follow_up"]["answer"]["text"] == strong[0][:80]
    assert q0["integrity"]["tab_hidden"] == 2
    # Evidence: offsets point at the quoted text of the scored attempt.
    found = 0
    for q in view["questions"]:
        text = q["attempts"][-1]["text"]
        follow = (q["follow_up"] or {}).get("answer") or {}
        for dim in q["score"]["dimensions"]:
            for ind in dim["indicators"]:
                for e in ind["evidence"]:
                    source = text if e["part"] == "answer" else follow["text"]
                    assert chars(source, e["begin"], e["end"]) == e["text"], e
                    found += 1
    assert found >= 5
    # Flags: the weak teamwork answer said only "I".
    weak_flags = {f["code"] for f in weak_view["score"]["flags"]}
    assert {"teamwork_only_i", "no_example"} <= weak_flags, weak_flags
    assert not {"teamwork_only_i", "near_copy_answer"} & {f["code"] for f in score["flags"]}

    # Score override: reason required, original visible, recommendation follows.
    app_path = f"/api/v1/applications/{strong_app['id']}/interview"
    r = hr.post(app_path + "/overrides", json={"dimension_key": "communication", "score": 12})
    assert r.status_code == 400 and r.json()["error"]["details"][0]["field"] == "reason"
    before = hr.get(app_path).json()
    assert before == view or before["score"]["overall"] == view["score"]["overall"]
    r = hr.post(app_path + "/overrides", json={"dimension_key": None, "score": 41.5,
                                               "reason": "面试官复核：回答内容与简历不符"})
    assert r.status_code == 201, r.text
    after = r.json()
    assert after["score"]["overall"] == 41.5 and after["score"]["overall_overridden"] is True
    assert after["score"]["original_overall"] == view["score"]["overall"]
    assert after["score"]["recommendation"] == "not_recommended"
    assert after["overrides"][0]["reason"] == "面试官复核：回答内容与简历不符"
    assert after["overrides"][0]["original"] == view["score"]["overall"]
    audit = admin.get("/api/v1/audit-log?action=interview.score_override").json()["items"]
    assert any(e["target_id"] == view["interview"]["id"] for e in audit)

    # Rescoring adds a version and keeps the old one.
    r = hr.post(app_path + "/rescore")
    assert r.status_code == 200, r.text
    rescored = r.json()
    assert [v["version"] for v in rescored["score_versions"]] == [2, 1]
    assert rescored["score"]["version"] == 2 and rescored["score"]["overall"] == 41.5

    # The candidate's report, once released.
    r = cand.get("/report")
    assert r.status_code == 409 and r.json()["error"]["code"] == "report_not_released"
    assert hr.post(app_path + "/release-report").status_code == 200
    weak_cand = Candidate(server, weak_inv["token"])
    assert hr.post(f"/api/v1/applications/{weak_app['id']}/interview/release-report").status_code == 200
    report = weak_cand.get("/report").json()
    assert report["job_title"] == job["title"] and len(report["dimensions"]) == len(keys)
    weak_dims = [d for d in report["dimensions"] if not d["strength"]]
    assert weak_dims, report
    for d in weak_dims:
        assert d["advice_zh"] and d["advice_en"] and d["summary_zh"]
    assert any(c["url"] == "https://learn.example.com/communication"
               for c in report["recommended_courses"])
    strong_report = cand.get("/report").json()
    assert strong_report["overall"] == 41.5

    # Human review (PIPL Art. 24) becomes an HR task.
    r = weak_cand.post("/review-request", {"reason": "我认为评分没有考虑我的项目经历"})
    assert r.status_code == 201, r.text
    r = weak_cand.post("/review-request", {"reason": "again"})
    assert r.status_code == 409
    tasks = hr.get(f"/api/v1/tasks?application_id={weak_app['id']}").json()["items"]
    assert len(tasks) == 1 and tasks[0]["kind"] == "human_review"
    assert tasks[0]["detail"] == "我认为评分没有考虑我的项目经历"
    r = hr.patch(f"/api/v1/tasks/{tasks[0]['id']}", json={"resolution": "已人工复核，维持结果"})
    assert r.status_code == 200 and r.json()["status"] == "done"


# ----------------------------------------------------------------------------------------------
# Invitations: resend, revoke, extend, expiry; scope.

def test_invitation_lifecycle(server):
    hr = hr_client(server)
    job, _ = create_job(hr, "zh")
    app = create_application(hr, job)
    inv = invite(hr, app)
    base = f"/api/v1/applications/{app['id']}/invitation"
    r = hr.post(base, json={})
    assert r.status_code == 409 and r.json()["error"]["code"] == "interview_exists"

    # Resend rotates the token: the old link stops working.
    r = hr.post(base + "/resend")
    assert r.status_code == 200 and r.json()["invitations_sent"] == 2
    new_token = r.json()["token"]
    assert new_token != inv["token"]
    r = Candidate(server, inv["token"]).get()
    assert r.status_code == 404 and "unknown" in r.json()["error"]["message"]
    cand = Candidate(server, new_token)
    assert cand.get().status_code == 200

    # Extend moves the expiry later.
    r = hr.post(base + "/extend", json={"days": 3})
    assert r.status_code == 200
    assert r.json()["expires_at"] > inv["expires_at"]
    for bad in [{"days": 0}, {"days": 91}, {"days": "3"}, {}, {"days": 3, "x": 1}]:
        r = hr.post(base + "/extend", json=bad)
        assert r.status_code == 400, (bad, r.text)

    # Revoke: the link answers 404 saying so; resend revives it with a new token.
    r = hr.post(base + "/revoke")
    assert r.status_code == 200 and r.json()["status"] == "revoked"
    r = cand.get()
    assert r.status_code == 404 and "revoked" in r.json()["error"]["message"]
    r = hr.post(base + "/resend")
    assert r.status_code == 200 and r.json()["status"] == "invited"
    assert Candidate(server, r.json()["token"]).get().status_code == 200

    # A manager of another department cannot see or invite.
    other = login_as(server, "mgr.huang@xinghai.example")
    assert other.get(f"/api/v1/applications/{app['id']}/interview").status_code == 404
    own = login_as(server, "mgr.liu@xinghai.example")
    assert own.get(f"/api/v1/applications/{app['id']}/interview").status_code == 200
    assert own.post(base + "/resend").status_code == 403


def test_link_tokens_never_reach_the_log(server):
    """The token in the link is a credential: the request log shows /interview/{token} instead."""
    hr = hr_client(server)
    job, _ = create_job(hr, "zh")
    inv = invite(hr, create_application(hr, job))
    cand = Candidate(server, inv["token"])
    assert cand.get().status_code == 200
    assert cand.c.get(cand.base + "/no-such-route").status_code == 404
    requests.get(server.url + "/interview/" + inv["token"])  # the web app's page for the link
    log = (server.data_dir / "server.log").read_text(errors="replace")
    assert inv["token"] not in log
    assert '"path":"/api/v1/interview/{token}"' in log
    assert '"path":"/api/v1/interview/{token}/no-such-route"' in log
    assert '"path":"/interview/{token}"' in log


def test_job_without_plan_cannot_invite(server):
    hr = hr_client(server)
    r = hr.post("/api/v1/jobs", json={"title": "No plan", "department_id": department_id(hr)})
    app = create_application(hr, r.json())
    r = hr.post(f"/api/v1/applications/{app['id']}/invitation", json={})
    assert r.status_code == 409 and r.json()["error"]["code"] == "plan_missing"
    r = hr.post(f"/api/v1/applications/{app['id']}/invitation", json={"expires_in_days": 0})
    assert r.status_code == 400


def test_expired_link_answers_404(server):
    if server.db_url:
        pytest.skip("expiry is simulated by editing the SQLite file")
    hr = hr_client(server)
    job, _ = create_job(hr, "en")
    app = create_application(hr, job)
    inv = invite(hr, app, expires_in_days=1)
    cand = Candidate(server, inv["token"])
    assert cand.get().status_code == 200
    with sqlite3.connect(server.data_dir / "zhimian.db") as db:
        db.execute("UPDATE interviews SET expires_at = 1000 WHERE application_id = ?", (app["id"],))
    r = cand.get()
    assert r.status_code == 404 and "expired" in r.json()["error"]["message"]
    # Extending from an expired state counts from now.
    r = hr.post(f"/api/v1/applications/{app['id']}/invitation/extend", json={"days": 2})
    assert r.status_code == 200 and r.json()["link_active"] is True
    assert cand.get().status_code == 200


# ----------------------------------------------------------------------------------------------
# Timing, bad input, odd text.

def test_late_answer_is_kept_and_flagged(server):
    hr = hr_client(server)
    job, _ = create_job(hr, "zh", feedback=False,
                        timing={"think_seconds": 0, "answer_seconds": 10})
    inv = invite(hr, create_application(hr, job))
    cand = Candidate(server, inv["token"])
    cand.consent()
    cur = cand.get("/current").json()
    assert cur["remaining_answer_ms"] <= 10_000 and cur["feedback"] is None
    time.sleep(15.5)  # 10 s answer time + 5 s grace
    r = cand.answer(0, STRONG_ZH[0])
    assert r.status_code == 201 and r.json()["late"] is True
    assert r.json()["follow_up"] is None and r.json()["feedback"] is None
    view = hr.get(f"/api/v1/applications/{inv['application_id']}/interview").json()
    assert view["questions"][0]["attempts"][0]["late"] is True
    assert view["questions"][0]["attempts"][0]["text"] == STRONG_ZH[0]


def test_bad_input_and_odd_text(server):
    hr = hr_client(server)
    job, _ = create_job(hr, "zh")
    inv = invite(hr, create_application(hr, job))
    cand = Candidate(server, inv["token"])

    # Unknown and malformed tokens.
    for token in ["A" * 43, "short", "x" * 200, "%E4%BD%A0" * 5]:
        r = Client(server.url).get(f"/api/v1/interview/{token}")
        assert r.status_code == 404, token
        assert r.json()["error"]["code"] == "not_found"

    # Consent must name the current text version and accept it.
    for bad in [{"consent_version": "old", "accept": True}, {"consent_version": "2026-11-v1",
                                                             "accept": False},
                {"accept": True}, {"consent_version": "2026-11-v1", "accept": "yes"},
                {"consent_version": "2026-11-v1", "accept": True, "extra": 1}]:
        r = cand.post("/consent", bad)
        assert r.status_code == 400, (bad, r.text)
    assert cand.get().json()["consent"]["given"] is False
    cand.consent()

    # Over 20,000 characters: refused, nothing stored.
    r = cand.answer(0, "长" * 20001)
    assert r.status_code == 400 and r.json()["error"]["details"][0]["field"] == "text"
    assert cand.get("/current").json()["attempts_used"] == 0
    for bad in [{}, {"text": 5}, {"text": "x", "y": 1}, []]:
        r = cand.post("/questions/0/answers", bad)
        assert r.status_code == 400, (bad, r.text)
    r = cand.c.post(cand.base + "/questions/0/answers", data="{not json",
                    headers={"Content-Type": "application/json"})
    assert r.status_code == 400
    for pos in ["99", "-1", "abc"]:
        r = cand.post(f"/questions/{pos}/answers", {"text": "x"})
        assert r.status_code in (404, 409), (pos, r.text)
    r = cand.post("/events", {"kind": "teleport"})
    assert r.status_code == 400
    r = cand.post("/questions/0/follow-up", {"text": "x"})
    assert r.status_code == 409

    # An empty answer scores 0 with an explanation; emoji, traditional characters and mixed
    # scripts are handled.
    assert cand.answer(0, "").status_code == 201
    cand.next(0)
    assert cand.answer(1, "我們團隊和售前跨部門協作 🚀🚀，I coordinated with delivery，提前兩週上線。").status_code == 201
    cand.next(1)
    assert cand.answer(2, "😀" * 300).status_code == 201
    assert cand.post("/finish").status_code == 200
    view = hr.get(f"/api/v1/applications/{inv['application_id']}/interview").json()
    q0 = view["questions"][0]["score"]
    assert q0["empty"] is True
    assert all(d["score"] == 0 for d in q0["dimensions"])
    assert all(d["explanation_zh"] and d["explanation_en"] for d in q0["dimensions"])
    q1 = view["questions"][1]["score"]
    teamwork = next(d for d in q1["dimensions"] if d["dimension_key"] == "teamwork")
    assert any(i["found"] for i in teamwork["indicators"]), teamwork  # 跨部門 -> 跨部门
    # Unanswered questions after finishing count as empty.
    assert view["questions"][3]["score"]["empty"] is True
    assert view["questions"][3]["attempts"] == []


def test_edge_cases_of_the_candidate_api(server):
    """Regression tests for behaviour pinned after review: HEAD on /current, non-canonical positions,
    follow-ups without feedback, audio/video consent on a text-only plan, the empty override key,
    an unknown task filter and an upper-case URL scheme."""
    hr = hr_client(server)
    admin = Client(server.url)
    admin.login(ADMIN_EMAIL, ADMIN_PASSWORD)
    job, qids = create_job(hr, "zh")
    # Follow-ups on, feedback off: the probe still comes, the feedback note does not.
    r = hr.put(f"/api/v1/jobs/{job['id']}/interview-plan", json={
        "sections": [{"key": "main", "title": "行为面试", "question_ids": qids[:2]}],
        "reanswer_limit": 0, "feedback_enabled": False, "follow_ups_enabled": True})
    assert r.status_code == 200, r.text
    app = create_application(hr, job)
    cand = Candidate(server, invite(hr, app)["token"])

    # A text-only plan records no audio/video consent even when the candidate ticks it.
    version = cand.get().json()["data_use"]["version"]
    r = cand.post("/consent", {"consent_version": version, "accept": True,
                               "audio_video_analysis": True})
    assert r.status_code == 200, r.text
    assert cand.get().json()["consent"]["audio_video_analysis"] is False

    r = cand.c.request("HEAD", cand.base + "/current")
    assert r.status_code == 405 and r.headers["Allow"] == "GET"
    for pos in ["00", "01", "-0", "+0", "0x0", " 0"]:
        r = cand.post(f"/questions/{pos}/answers", {"text": "x"})
        assert r.status_code == 404, (pos, r.text)
    assert cand.get("/current").json()["attempts_used"] == 0

    r = cand.answer(0, STRONG_ZH[0][:30])  # short: misses what the question asks for
    assert r.status_code == 201, r.text
    assert r.json()["feedback"] is None
    assert r.json()["follow_up"] and r.json()["follow_up"]["question_zh"], r.json()

    # The overall score is overridden with null; "" is not a second spelling of it.
    path = f"/api/v1/applications/{app['id']}/interview"
    r = hr.post(path + "/overrides", json={"dimension_key": "", "score": 50, "reason": "复核后调整分数"})
    assert r.status_code == 400 and r.json()["error"]["details"][0]["field"] == "dimension_key"

    r = hr.get("/api/v1/tasks?status=bogus")
    assert r.status_code == 400 and r.json()["error"]["details"][0]["field"] == "status"
    r = hr.get("/api/v1/tasks?kind=bogus")
    assert r.status_code == 400 and r.json()["error"]["details"][0]["field"] == "kind"

    r = admin.post("/api/v1/courses", json={
        "title": "结构化表达", "url": "HTTPS://learn.example.com/structure",
        "dimension_keys": ["communication"], "max_level": 3})
    assert r.status_code == 201, r.text
    for bad in ["ftp://learn.example.com/x", "javascript:alert(1)", "https//x"]:
        r = admin.post("/api/v1/courses", json={"title": "坏链接", "url": bad,
                                                "dimension_keys": ["communication"]})
        assert r.status_code == 400, (bad, r.text)
