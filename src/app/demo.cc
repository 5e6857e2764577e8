// Loads the built-in demo organisation (src/cli/demo_data.json, embedded at build time)
// through the same services and validation as the API.
#include <map>

#include <nlohmann/json.hpp>

#include "app/app.h"
#include "common/log.h"
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

std::unexpected<Error> DemoError(const Error& e, const std::string& where) {
  Error out = e;
  out.message = "demo data " + where + ": " + e.message;
  for (const auto& d : e.details) out.message += " [" + d.field + ": " + d.message + "]";
  return std::unexpected(out);
}
}  // namespace

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
    }
  }
  return sum;
}

}  // namespace zm::app
