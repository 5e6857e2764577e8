// Loads the built-in demo organisation (src/cli/demo_data.json, embedded at build time)
// through the same services and validation as the API.
#include <map>

#include <nlohmann/json.hpp>

#include "app/app.h"
#include "common/log.h"
#include "domain/interview.h"
#include "domain/json/mapping.h"
#include "storage/hiring_repository.h"

namespace zm::embedded {
extern const char kDemoDataJson[];
}

namespace zm::app {
namespace json = zm::json;

namespace {
// The demo file adds reference fields ("ref", "department_ref", ...) to API request bodies.
nlohmann::json Body(const nlohmann::json& item, std::initializer_list<const char*> drop) {
  nlohmann::json out = item;
  for (const char* k : drop) out.erase(k);
  return out;
}

// Stages whose applications have a finished AI interview in the demo, and the ones still
// answering.
bool InterviewFinished(std::string_view stage) {
  return stage == "interview_completed" || stage == "hr_review" || stage == "second_round" ||
         stage == "offer" || stage == "hired" || stage == "rejected" || stage == "talent_pool";
}

// Sentences of a reference answer (split after 。！？; keeps the punctuation).
std::vector<std::string> SplitSentences(const std::string& text) {
  std::vector<std::string> out;
  std::string cur;
  for (size_t i = 0; i < text.size();) {
    size_t len = (static_cast<unsigned char>(text[i]) >= 0xF0)   ? 4
                 : (static_cast<unsigned char>(text[i]) >= 0xE0) ? 3
                 : (static_cast<unsigned char>(text[i]) >= 0xC0) ? 2
                                                                 : 1;
    std::string ch = text.substr(i, len);
    cur += ch;
    i += len;
    if (ch == "。" || ch == "！" || ch == "？") {
      out.push_back(std::move(cur));
      cur.clear();
    }
  }
  if (!cur.empty()) out.push_back(std::move(cur));
  return out;
}

// A deterministic demo answer of the given quality (0 weak .. 2 strong) built from the
// question's reference answer, so that scores spread the way real cohorts do. Candidates keep
// different sentence subsets, so their answers are not near-copies of each other.
std::string DemoAnswer(const std::string& reference, int quality, size_t seed) {
  static const char* kGeneric[] = {
      "我觉得这个问题主要看情况，我会尽力去做好。",   "我平时工作比较认真，遇到问题会想办法解决。",
      "这个我之前接触过一些，具体的细节记不太清了。", "我会和领导沟通，听取大家的意见。",
      "我认为态度最重要，只要努力就能做好。",         "嗯，我可能会先了解一下情况再决定。"};
  if (quality == 0) return std::string(kGeneric[seed % 6]) + kGeneric[(seed / 6 + 1) % 6];
  auto sentences = SplitSentences(reference);
  std::string out;
  for (size_t i = 0; i < sentences.size(); ++i) {
    bool keep = quality == 2 ? (i + seed) % 5 != 4 : i < 2;
    if (keep) out += sentences[i];
  }
  return out.empty() ? reference : out;
}

std::unexpected<Error> DemoError(const Error& e, const std::string& where) {
  Error out = e;
  out.message = "demo data " + where + ": " + e.message;
  for (const auto& d : e.details) out.message += " [" + d.field + ": " + d.message + "]";
  return std::unexpected(out);
}
}  // namespace

namespace {
// Takes the application's interview through the same service calls the candidate's browser
// makes: invite, consent, answer each question, finish (or stop halfway when still answering).
Status RunDemoInterview(App& app, const security::Context& ctx, const std::string& application_id,
                        std::string_view stage, int quality, size_t seed,
                        const std::map<std::string, std::string>& reference_of) {
  ZM_ASSIGN_OR_RETURN(auto inv, app.interviews->Invite(ctx, application_id, std::nullopt));
  std::string token = inv["token"].get<std::string>();
  if (stage == "interview_invited") return Ok();
  security::Context cand{{}, "demo", "127.0.0.1", "Mozilla/5.0 (demo)"};
  ZM_RETURN_IF_ERROR(app.interviews->Consent(
      cand, token, {std::string(domain::kConsentTextVersion), true, false}));
  int total = inv["question_count"].get<int>();
  int answer_count = InterviewFinished(stage) ? total : total / 2;
  for (int pos = 0; pos < answer_count; ++pos) {
    ZM_ASSIGN_OR_RETURN(auto step, app.interviews->Current(cand, token));
    std::string qid = step["question"]["id"].get<std::string>();
    auto ref = reference_of.find(qid);
    std::string text = DemoAnswer(ref == reference_of.end() ? "" : ref->second, quality,
                                  seed * 31 + static_cast<size_t>(pos));
    ZM_RETURN_IF_ERROR(app.interviews->Answer(cand, token, pos, {text, std::nullopt}));
    if (seed % 4 == 1 && pos == 1)  // some candidates switch tabs now and then
      ZM_RETURN_IF_ERROR(app.interviews->RecordIntegrityEvent(
          cand, token, {domain::IntegrityEventKind::kTabHidden, pos, 4000}));
    ZM_RETURN_IF_ERROR(app.interviews->Advance(cand, token, pos));
  }
  if (!InterviewFinished(stage)) return Ok();
  ZM_RETURN_IF_ERROR(app.interviews->Finish(cand, token));
  if (stage == "hired" || stage == "offer")
    ZM_RETURN_IF_ERROR(app.interviews->ReleaseReport(ctx, application_id));
  return Ok();
}
}  // namespace

void ApplyDemoDefaults(Config& config) {
  if (config.organisation_name != Config{}.organisation_name) return;
  auto data = nlohmann::json::parse(embedded::kDemoDataJson, nullptr, false);
  if (data.is_discarded()) return;
  auto name = data["organisation"].value("name", std::string());
  if (!name.empty()) config.organisation_name = std::move(name);
}

Result<DemoSummary> LoadDemo(App& app) {
  ZM_ASSIGN_OR_RETURN(auto not_empty, app.db->ReadValue<bool>([](storage::Tx& tx) -> Result<bool> {
    ZM_ASSIGN_OR_RETURN(auto r, tx.QueryOne("SELECT 1 WHERE EXISTS (SELECT 1 FROM "
                                            "jobs) OR EXISTS (SELECT 1 FROM "
                                            "candidates)"));
    return r.has_value();
  }));
  if (not_empty) return Conflict("not_empty", "the database already holds jobs or candidates");

  auto data = nlohmann::json::parse(embedded::kDemoDataJson, nullptr, false);
  if (data.is_discarded()) return Internal("embedded demo data is not valid JSON");
  security::Context ctx{security::Principal::System(), "demo", "", ""};
  DemoSummary sum;
  std::map<std::string, std::string> dept_ids, job_ids;
  std::map<std::string, std::string> reference_of;  // question id -> first reference answer

  for (const auto& d : data["departments"]) {
    auto parsed = json::ParseDepartmentCreate(Body(d, {"ref"}));
    if (!parsed) return DemoError(parsed.error(), "department");
    auto created = app.org->CreateDepartment(ctx, *parsed);
    if (!created) return DemoError(created.error(), "department");
    dept_ids[d["ref"].get<std::string>()] = created->id;
    ++sum.departments;
  }
  const std::string password = data["demo_password"].get<std::string>();
  sum.staff_password = password;
  for (const auto& u : data["users"]) {
    auto body = Body(u, {"department_refs"});
    body["password"] = password;
    body["department_ids"] = nlohmann::json::array();
    for (const auto& ref : u.value("department_refs", nlohmann::json::array()))
      body["department_ids"].push_back(dept_ids[ref.get<std::string>()]);
    auto parsed = json::ParseUserCreate(body);
    if (!parsed) return DemoError(parsed.error(), "user " + u.value("email", ""));
    auto created = app.org->CreateUser(ctx, *parsed);
    if (!created) return DemoError(created.error(), "user " + u.value("email", ""));
    ++sum.users;
  }
  for (const auto& j : data["jobs"]) {
    const std::string where = "job " + j.value("ref", "");
    auto body =
        Body(j, {"ref", "department_ref", "competency_model", "questions", "interview_plan"});
    body["department_id"] = dept_ids[j["department_ref"].get<std::string>()];
    auto parsed = json::ParseJobCreate(body);
    if (!parsed) return DemoError(parsed.error(), where);
    auto job = app.jobs->CreateJob(ctx, *parsed);
    if (!job) return DemoError(job.error(), where);
    job_ids[j["ref"].get<std::string>()] = job->id;
    ++sum.jobs;

    auto model = json::ParseCompetencyModelPut(j["competency_model"]);
    if (!model) return DemoError(model.error(), where + " competency model");
    if (auto st = app.jobs->PutCompetencyModel(ctx, job->id, *model); !st)
      return DemoError(st.error(), where + " competency model");

    std::map<std::string, std::string> question_ids;
    for (const auto& q : j["questions"]) {
      auto qbody = Body(q, {"ref"});
      qbody["job_id"] = job->id;
      auto pq = json::ParseQuestionCreate(qbody);
      if (!pq) return DemoError(pq.error(), where + " question " + q.value("ref", ""));
      auto cq = app.jobs->CreateQuestion(ctx, *pq);
      if (!cq) return DemoError(cq.error(), where + " question " + q.value("ref", ""));
      question_ids[q["ref"].get<std::string>()] = cq->id;
      if (!cq->reference_answers.empty()) reference_of[cq->id] = cq->reference_answers.front().text;
      ++sum.questions;
    }
    auto plan_body = j["interview_plan"];
    for (auto& section : plan_body["sections"]) {
      section["question_ids"] = nlohmann::json::array();
      for (const auto& ref : section["question_refs"])
        section["question_ids"].push_back(question_ids[ref.get<std::string>()]);
      section.erase("question_refs");
    }
    auto plan = json::ParseInterviewPlanPut(plan_body);
    if (!plan) return DemoError(plan.error(), where + " interview plan");
    if (auto st = app.jobs->PutInterviewPlan(ctx, job->id, *plan); !st)
      return DemoError(st.error(), where + " interview plan");
  }
  for (const auto& c : data["candidates"]) {
    auto parsed = json::ParseCandidateCreate(Body(c, {"applications"}));
    if (!parsed) return DemoError(parsed.error(), "candidate");
    auto cand = app.candidates->CreateCandidate(ctx, *parsed);
    if (!cand) return DemoError(cand.error(), "candidate");
    ++sum.candidates;
    for (const auto& a : c.value("applications", nlohmann::json::array())) {
      nlohmann::json abody = {{"candidate_id", cand->id},
                              {"job_id", job_ids[a["job_ref"].get<std::string>()]},
                              {"stage", a["stage"]},
                              {"source", c.value("source", "")}};
      auto pa = json::ParseApplicationCreate(abody);
      if (!pa) return DemoError(pa.error(), "application");
      auto ca = app.candidates->CreateApplication(ctx, *pa);
      if (!ca) return DemoError(ca.error(), "application");
      ++sum.applications;
      std::string stage = a["stage"].get<std::string>();
      if (stage == "interview_invited" || stage == "interviewing" || InterviewFinished(stage)) {
        // Quality follows the pipeline: hired/offer/second round strong, rejected weak.
        int quality = stage == "hired" || stage == "offer" || stage == "second_round" ? 2
                      : stage == "rejected" || stage == "talent_pool"                 ? 0
                                                                                      : 1;
        if (stage == "interview_completed" || stage == "hr_review")
          quality = static_cast<int>(sum.applications % 3);
        if (auto st = RunDemoInterview(app, ctx, ca->id, stage, quality,
                                       static_cast<size_t>(sum.applications), reference_of);
            !st)
          return DemoError(st.error(), "interview");
        sum.interviews += InterviewFinished(stage) ? 1 : 0;
      }
    }
  }
  // The demo's stages are authored history: its finished interviews must not run the
  // automation rules (they would move the demo applications on).
  ZM_RETURN_IF_ERROR(app.queue->SkipQueued(
      "interview.completed", "demo data: the stages are history; automation not run"));
  return sum;
}

}  // namespace zm::app
