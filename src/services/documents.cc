#include "services/documents.h"

#include "domain/json/mapping.h"

namespace zm::services {

std::string StoredModel(const domain::CompetencyModel& m) {
  return json::ToJson(m)["dimensions"].dump();
}

Result<domain::CompetencyModel> LoadModel(const std::string& job_id,
                                          const storage::StoredDocument& doc) {
  nlohmann::json body = {{"dimensions", nlohmann::json::parse(doc.json, nullptr, false)}};
  ZM_ASSIGN_OR_RETURN(auto m, json::ParseCompetencyModelPut(body));
  m.job_id = job_id;
  m.version = doc.version;
  m.updated_at = doc.updated_at;
  return m;
}

std::string StoredPlan(const domain::InterviewPlan& p) {
  return WithoutMeta(json::ToJson(p), {"job_id", "updated_at"}).dump();
}

Result<domain::InterviewPlan> LoadPlan(const std::string& job_id,
                                       const storage::StoredDocument& doc) {
  ZM_ASSIGN_OR_RETURN(auto p,
                      json::ParseInterviewPlanPut(nlohmann::json::parse(doc.json, nullptr, false)));
  p.job_id = job_id;
  p.updated_at = doc.updated_at;
  return p;
}

nlohmann::json WithoutMeta(nlohmann::json j, std::initializer_list<const char*> keys) {
  for (const char* k : keys) j.erase(k);
  return j;
}

storage::QuestionRecord ToRecord(const domain::Question& q) {
  storage::QuestionRecord r;
  r.id = q.id;
  r.job_id = q.job_id;
  r.type = std::string(domain::ToString(q.type));
  r.text_zh = q.text.zh;
  r.text_en = q.text.en;
  r.dimension_keys = q.dimension_keys;
  r.body_json = WithoutMeta(json::ToJson(q), {"id", "created_at", "updated_at"}).dump();
  r.created_at = q.created_at;
  r.updated_at = q.updated_at;
  return r;
}

Result<domain::Question> FromRecord(const storage::QuestionRecord& r) {
  ZM_ASSIGN_OR_RETURN(
      auto q, json::ParseQuestionCreate(nlohmann::json::parse(r.body_json, nullptr, false)));
  q.id = r.id;
  q.created_at = r.created_at;
  q.updated_at = r.updated_at;
  return q;
}

}  // namespace zm::services
