#include "common/ids.h"
#include "common/time.h"
#include "domain/json/mapping.h"
#include "security/audit_log.h"
#include "services/audit_changes.h"
#include "services/documents.h"
#include "services/services.h"
#include "storage/hiring_repository.h"
#include "storage/model_repository.h"
#include "storage/org_repository.h"

namespace zm::services {
namespace json = zm::json;
using storage::Tx;

namespace {
Status CheckDepartment(Tx& tx, const std::string& id) {
  ZM_ASSIGN_OR_RETURN(auto d, storage::GetDepartment(tx, id));
  if (!d) return InvalidArgument("unknown department", {{"department_id", "no such department"}});
  return Ok();
}

Status CheckJobRef(Tx& tx, const std::optional<std::string>& job_id) {
  if (!job_id) return Ok();
  ZM_ASSIGN_OR_RETURN(auto j, storage::GetJob(tx, *job_id));
  if (!j) return InvalidArgument("unknown job", {{"job_id", "no such job"}});
  return Ok();
}
}  // namespace

Result<domain::Job> JobService::ScopedJob(Tx& tx, const Context& ctx, const std::string& id) {
  ZM_ASSIGN_OR_RETURN(auto j, storage::GetJob(tx, id));
  if (!j || !ctx.principal.InScope(j->department_id)) return NotFound("job");
  return *j;
}

Result<Page<domain::Job>> JobService::ListJobs(const Context& ctx, const JobFilter& f,
                                               const PageRequest& page) {
  return db_.ReadValue<Page<domain::Job>>([&](Tx& tx) {
    return storage::ListJobs(tx, {f.department_id, f.status, f.q, ctx.principal.department_scope},
                             page);
  });
}

Result<domain::Job> JobService::GetJob(const Context& ctx, const std::string& id) {
  return db_.ReadValue<domain::Job>([&](Tx& tx) { return ScopedJob(tx, ctx, id); });
}

Result<domain::Job> JobService::CreateJob(const Context& ctx, domain::Job job) {
  job.id = NewId();
  job.created_at = job.updated_at = NowMillis();
  ZM_RETURN_IF_ERROR(domain::ValidateJob(job));
  ZM_RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
    ZM_RETURN_IF_ERROR(CheckDepartment(tx, job.department_id));
    ZM_RETURN_IF_ERROR(storage::InsertJob(tx, job));
    return security::AppendAudit(tx, ctx,
                                 {"job.create", "job", job.id, Changes({}, json::ToJson(job))});
  }));
  return job;
}

Result<domain::Job> JobService::UpdateJob(const Context& ctx, const std::string& id,
                                          const domain::JobPatch& patch) {
  ZM_RETURN_IF_ERROR(domain::ValidateJobPatch(patch));
  return db_.WriteValue<domain::Job>([&](Tx& tx) -> Result<domain::Job> {
    ZM_ASSIGN_OR_RETURN(auto before, ScopedJob(tx, ctx, id));
    domain::Job j = before;
    patch.Apply(j);
    j.updated_at = NowMillis();
    ZM_RETURN_IF_ERROR(domain::ValidateJob(j));
    if (j.department_id != before.department_id)
      ZM_RETURN_IF_ERROR(CheckDepartment(tx, j.department_id));
    ZM_RETURN_IF_ERROR(storage::UpdateJob(tx, j));
    ZM_RETURN_IF_ERROR(security::AppendAudit(
        tx, ctx, {"job.update", "job", id, Changes(json::ToJson(before), json::ToJson(j))}));
    return j;
  });
}

Status JobService::DeleteJob(const Context& ctx, const std::string& id) {
  return db_.Write([&](Tx& tx) -> Status {
    ZM_ASSIGN_OR_RETURN(auto before, ScopedJob(tx, ctx, id));
    ZM_RETURN_IF_ERROR(storage::DeleteJob(tx, id));
    return security::AppendAudit(tx, ctx,
                                 {"job.delete", "job", id, Changes(json::ToJson(before), {})});
  });
}

Result<domain::CompetencyModel> JobService::GetCompetencyModel(const Context& ctx,
                                                               const std::string& job_id) {
  return db_.ReadValue<domain::CompetencyModel>([&](Tx& tx) -> Result<domain::CompetencyModel> {
    ZM_RETURN_IF_ERROR(ScopedJob(tx, ctx, job_id));
    ZM_ASSIGN_OR_RETURN(auto doc, storage::GetCompetencyModelDoc(tx, job_id));
    if (!doc) return NotFound("competency model");
    return LoadModel(job_id, *doc);
  });
}

Result<domain::CompetencyModel> JobService::PutCompetencyModel(const Context& ctx,
                                                               const std::string& job_id,
                                                               domain::CompetencyModel model) {
  model.job_id = job_id;
  ZM_RETURN_IF_ERROR(domain::ValidateCompetencyModel(model));
  return db_.WriteValue<domain::CompetencyModel>([&](Tx& tx) -> Result<domain::CompetencyModel> {
    ZM_RETURN_IF_ERROR(ScopedJob(tx, ctx, job_id));
    ZM_ASSIGN_OR_RETURN(auto before_doc, storage::GetCompetencyModelDoc(tx, job_id));
    model.updated_at = NowMillis();
    ZM_ASSIGN_OR_RETURN(model.version, storage::PutCompetencyModelDoc(
                                           tx, job_id, StoredModel(model), model.updated_at));
    std::optional<nlohmann::json> before;
    if (before_doc) before = nlohmann::json::parse(before_doc->json, nullptr, false);
    ZM_RETURN_IF_ERROR(
        security::AppendAudit(tx, ctx,
                              {"competency_model.update", "job", job_id,
                               Changes(before, nlohmann::json::parse(StoredModel(model)))}));
    return model;
  });
}

Result<domain::InterviewPlan> JobService::GetInterviewPlan(const Context& ctx,
                                                           const std::string& job_id) {
  return db_.ReadValue<domain::InterviewPlan>([&](Tx& tx) -> Result<domain::InterviewPlan> {
    ZM_RETURN_IF_ERROR(ScopedJob(tx, ctx, job_id));
    ZM_ASSIGN_OR_RETURN(auto doc, storage::GetInterviewPlanDoc(tx, job_id));
    if (!doc) return NotFound("interview plan");
    return LoadPlan(job_id, *doc);
  });
}

Result<domain::InterviewPlan> JobService::PutInterviewPlan(const Context& ctx,
                                                           const std::string& job_id,
                                                           domain::InterviewPlan plan) {
  plan.job_id = job_id;
  ZM_RETURN_IF_ERROR(domain::ValidateInterviewPlan(plan));
  return db_.WriteValue<domain::InterviewPlan>([&](Tx& tx) -> Result<domain::InterviewPlan> {
    ZM_RETURN_IF_ERROR(ScopedJob(tx, ctx, job_id));
    ZM_ASSIGN_OR_RETURN(auto missing, storage::MissingQuestions(tx, plan.QuestionIds()));
    if (!missing.empty()) {
      std::vector<FieldError> details;
      for (size_t s = 0; s < plan.sections.size(); ++s)
        for (size_t q = 0; q < plan.sections[s].question_ids.size(); ++q)
          if (std::ranges::find(missing, plan.sections[s].question_ids[q]) != missing.end())
            details.push_back(
                {"sections[" + std::to_string(s) + "].question_ids[" + std::to_string(q) + "]",
                 "no such question"});
      return InvalidArgument("unknown questions in plan", std::move(details));
    }
    ZM_ASSIGN_OR_RETURN(auto before_doc, storage::GetInterviewPlanDoc(tx, job_id));
    plan.updated_at = NowMillis();
    std::string stored = StoredPlan(plan);
    ZM_RETURN_IF_ERROR(
        storage::PutInterviewPlanDoc(tx, job_id, stored, plan.QuestionIds(), plan.updated_at));
    std::optional<nlohmann::json> before;
    if (before_doc) before = nlohmann::json::parse(before_doc->json, nullptr, false);
    ZM_RETURN_IF_ERROR(security::AppendAudit(
        tx, ctx,
        {"interview_plan.update", "job", job_id, Changes(before, nlohmann::json::parse(stored))}));
    return plan;
  });
}

Result<Page<domain::Question>> JobService::ListQuestions(const Context&, const QuestionFilter& f,
                                                         const PageRequest& page) {
  return db_.ReadValue<Page<domain::Question>>([&](Tx& tx) -> Result<Page<domain::Question>> {
    ZM_ASSIGN_OR_RETURN(auto records,
                        storage::ListQuestions(tx, {f.job_id, f.type, f.dimension_key, f.q}, page));
    Page<domain::Question> out;
    out.next_cursor = records.next_cursor;
    for (const auto& r : records.items) {
      ZM_ASSIGN_OR_RETURN(auto q, FromRecord(r));
      out.items.push_back(std::move(q));
    }
    return out;
  });
}

Result<domain::Question> JobService::GetQuestion(const Context&, const std::string& id) {
  return db_.ReadValue<domain::Question>([&](Tx& tx) -> Result<domain::Question> {
    ZM_ASSIGN_OR_RETURN(auto r, storage::GetQuestion(tx, id));
    if (!r) return NotFound("question");
    return FromRecord(*r);
  });
}

Result<domain::Question> JobService::CreateQuestion(const Context& ctx, domain::Question q) {
  q.id = NewId();
  q.created_at = q.updated_at = NowMillis();
  ZM_RETURN_IF_ERROR(domain::ValidateQuestion(q));
  ZM_RETURN_IF_ERROR(db_.Write([&](Tx& tx) -> Status {
    ZM_RETURN_IF_ERROR(CheckJobRef(tx, q.job_id));
    ZM_RETURN_IF_ERROR(storage::InsertQuestion(tx, ToRecord(q)));
    return security::AppendAudit(
        tx, ctx, {"question.create", "question", q.id, Changes({}, json::ToJson(q))});
  }));
  return q;
}

Result<domain::Question> JobService::UpdateQuestion(const Context& ctx, const std::string& id,
                                                    const domain::QuestionPatch& patch) {
  ZM_RETURN_IF_ERROR(domain::ValidateQuestionPatch(patch));
  return db_.WriteValue<domain::Question>([&](Tx& tx) -> Result<domain::Question> {
    ZM_ASSIGN_OR_RETURN(auto r, storage::GetQuestion(tx, id));
    if (!r) return NotFound("question");
    ZM_ASSIGN_OR_RETURN(auto before, FromRecord(*r));
    domain::Question q = before;
    patch.Apply(q);
    q.updated_at = NowMillis();
    ZM_RETURN_IF_ERROR(domain::ValidateQuestion(q));
    ZM_RETURN_IF_ERROR(CheckJobRef(tx, q.job_id));
    if (q.rating_max < before.rating_max) {
      // The scale belongs to the stored ratings too: it cannot shrink below one of them.
      ZM_ASSIGN_OR_RETURN(auto highest, storage::MaxRatingLabel(tx, id));
      if (highest && *highest > q.rating_max)
        return Conflict("ratings_outside_scale",
                        "已有评分 " + std::to_string(*highest) + " 超出新的评分范围 0.." +
                            std::to_string(q.rating_max) +
                            "；请先删除这些评分。 / A stored rating (" + std::to_string(*highest) +
                            ") is outside the new scale 0.." + std::to_string(q.rating_max) +
                            "; delete those ratings first.",
                        {{"rating_max", "must be >= " + std::to_string(*highest)}});
    }
    ZM_RETURN_IF_ERROR(storage::UpdateQuestion(tx, ToRecord(q)));
    ZM_RETURN_IF_ERROR(security::AppendAudit(
        tx, ctx,
        {"question.update", "question", id, Changes(json::ToJson(before), json::ToJson(q))}));
    return q;
  });
}

Status JobService::DeleteQuestion(const Context& ctx, const std::string& id) {
  return db_.Write([&](Tx& tx) -> Status {
    ZM_ASSIGN_OR_RETURN(auto r, storage::GetQuestion(tx, id));
    if (!r) return NotFound("question");
    ZM_RETURN_IF_ERROR(storage::DeleteQuestion(tx, id));
    return security::AppendAudit(tx, ctx, {"question.delete", "question", id, ""});
  });
}

}  // namespace zm::services
