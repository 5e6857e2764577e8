#include "storage/hiring_repository.h"

#include <nlohmann/json.hpp>

namespace zm::storage {

Result<int64_t> InUseOnForeignKey(Result<int64_t> r) {
  // A reference added concurrently after the explicit check still means "in use".
  if (!r && r.error().reason == "foreign_key_violation")
    return Conflict("in_use", "still referenced by other records");
  return r;
}

namespace {

// LIKE pattern matching `q` literally anywhere.
std::string LikePattern(const std::string& q) {
  std::string out = "%";
  for (char c : q) {
    if (c == '%' || c == '_' || c == '\\') out += '\\';
    out += c;
  }
  return out + "%";
}

constexpr char kJobColumns[] =
    "id, title, department_id, description, requirements, location, employment_type, status, "
    "threshold_recommend, threshold_review, created_at, updated_at";

Result<domain::Job> JobFromRow(const Row& r) {
  domain::Job j;
  j.id = r.Text(0);
  j.title = r.Text(1);
  j.department_id = r.Text(2);
  j.description = r.Text(3);
  j.requirements = FromJsonArray(r.Text(4));
  j.location = r.Text(5);
  auto et = domain::ParseEmploymentType(r.Text(6));
  auto st = domain::ParseJobStatus(r.Text(7));
  if (!et || !st) return Internal("corrupt job row " + j.id);
  j.employment_type = *et;
  j.status = *st;
  j.thresholds.recommend = static_cast<int>(r.Double(8));
  j.thresholds.review = static_cast<int>(r.Double(9));
  j.created_at = r.Int(10);
  j.updated_at = r.Int(11);
  return j;
}

constexpr char kQuestionColumns[] =
    "id, job_id, type, text_zh, text_en, body, created_at, updated_at";

Result<QuestionRecord> QuestionFromRow(Tx& tx, const Row& r) {
  QuestionRecord q;
  q.id = r.Text(0);
  q.job_id = r.OptText(1);
  q.type = r.Text(2);
  q.text_zh = r.Text(3);
  q.text_en = r.Text(4);
  q.body_json = r.Text(5);
  q.created_at = r.Int(6);
  q.updated_at = r.Int(7);
  ZM_ASSIGN_OR_RETURN(auto rs, tx.Query("SELECT dimension_key FROM question_dimensions WHERE "
                                        "question_id = ? ORDER BY dimension_key",
                                        {q.id}));
  for (const auto& d : rs.rows) q.dimension_keys.push_back(d.Text(0));
  return q;
}

Status WriteQuestionDimensions(Tx& tx, const QuestionRecord& q) {
  ZM_RETURN_IF_ERROR(tx.Exec("DELETE FROM question_dimensions WHERE question_id = ?", {q.id}));
  for (const auto& k : q.dimension_keys)
    ZM_RETURN_IF_ERROR(tx.Exec(
        "INSERT INTO question_dimensions (question_id, dimension_key) VALUES (?, ?)", {q.id, k}));
  return Ok();
}

constexpr char kCandidateColumns[] =
    "id, name_enc, email_enc, phone_enc, national_id_enc, resume_enc, email_bidx, phone_bidx, "
    "source, tags, created_at, updated_at, name_bidx";

CandidateRecord CandidateFromRow(const Row& r) {
  CandidateRecord c;
  c.id = r.Text(0);
  c.name_enc = r.Text(1);
  c.email_enc = r.OptText(2);
  c.phone_enc = r.OptText(3);
  c.national_id_enc = r.OptText(4);
  c.resume_enc = r.OptText(5);
  c.email_bidx = r.OptText(6);
  c.phone_bidx = r.OptText(7);
  c.source = r.Text(8);
  c.tags = FromJsonArray(r.Text(9));
  c.created_at = r.Int(10);
  c.updated_at = r.Int(11);
  c.name_bidx = r.OptText(12);
  return c;
}

constexpr char kApplicationSelect[] =
    "SELECT a.id, a.candidate_id, a.job_id, a.department_id, a.stage, a.source, a.created_at, "
    "a.updated_at, c.name_enc, j.title FROM applications a JOIN candidates c ON c.id = "
    "a.candidate_id JOIN jobs j ON j.id = a.job_id WHERE 1 = 1";

}  // namespace

ApplicationRecord ApplicationFromRow(const Row& r) {
  ApplicationRecord a;
  a.id = r.Text(0);
  a.candidate_id = r.Text(1);
  a.job_id = r.Text(2);
  a.department_id = r.Text(3);
  a.stage = r.Text(4);
  a.source = r.Text(5);
  a.created_at = r.Int(6);
  a.updated_at = r.Int(7);
  a.candidate_name_enc = r.Text(8);
  a.job_title = r.Text(9);
  return a;
}

// ---- jobs ----
Status InsertJob(Tx& tx, const domain::Job& j) {
  ZM_RETURN_IF_ERROR(tx.Exec(
      std::string("INSERT INTO jobs (") + kJobColumns +
          ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {j.id, j.title, j.department_id, j.description, ToJsonArray(j.requirements), j.location,
       std::string(domain::ToString(j.employment_type)), std::string(domain::ToString(j.status)),
       double{static_cast<double>(j.thresholds.recommend)},
       double{static_cast<double>(j.thresholds.review)}, j.created_at, j.updated_at}));
  return Ok();
}

Result<std::optional<domain::Job>> GetJob(Tx& tx, const std::string& id) {
  ZM_ASSIGN_OR_RETURN(
      auto r, tx.QueryOne(std::string("SELECT ") + kJobColumns + " FROM jobs WHERE id = ?", {id}));
  if (!r) return std::optional<domain::Job>{};
  ZM_ASSIGN_OR_RETURN(auto j, JobFromRow(*r));
  return std::optional<domain::Job>{std::move(j)};
}

Result<std::optional<domain::Job>> GetJobForUpdate(Tx& tx, const std::string& id) {
  ZM_ASSIGN_OR_RETURN(auto r,
                      tx.QueryOne(std::string("SELECT ") + kJobColumns + " FROM jobs WHERE id = ?" +
                                      std::string(tx.ForUpdate()),
                                  {id}));
  if (!r) return std::optional<domain::Job>{};
  ZM_ASSIGN_OR_RETURN(auto j, JobFromRow(*r));
  return std::optional<domain::Job>{std::move(j)};
}

Status UpdateJob(Tx& tx, const domain::Job& j) {
  ZM_ASSIGN_OR_RETURN(
      auto n,
      tx.Exec("UPDATE jobs SET title = ?, department_id = ?, description = ?, requirements = ?, "
              "location = ?, employment_type = ?, status = ?, threshold_recommend = ?, "
              "threshold_review = ?, updated_at = ? WHERE id = ?",
              {j.title, j.department_id, j.description, ToJsonArray(j.requirements), j.location,
               std::string(domain::ToString(j.employment_type)),
               std::string(domain::ToString(j.status)),
               double{static_cast<double>(j.thresholds.recommend)},
               double{static_cast<double>(j.thresholds.review)}, j.updated_at, j.id}));
  if (n == 0) return NotFound("job");
  // Applications carry their job's department for scoped queries.
  ZM_RETURN_IF_ERROR(
      tx.Exec("UPDATE applications SET department_id = ? WHERE job_id = ? AND "
              "department_id <> ?",
              {j.department_id, j.id, j.department_id}));
  return Ok();
}

Status DeleteJob(Tx& tx, const std::string& id) {
  ZM_ASSIGN_OR_RETURN(auto used,
                      tx.QueryOne("SELECT 1 FROM applications WHERE job_id = ? LIMIT 1", {id}));
  if (used) return Conflict("in_use", "job has applications; close it instead of deleting");
  ZM_RETURN_IF_ERROR(tx.Exec("UPDATE questions SET job_id = NULL WHERE job_id = ?", {id}));
  ZM_ASSIGN_OR_RETURN(auto n, InUseOnForeignKey(tx.Exec("DELETE FROM jobs WHERE id = ?", {id})));
  if (n == 0) return NotFound("job");
  return Ok();
}

Result<Page<domain::Job>> ListJobs(Tx& tx, const JobFilter& f, const PageRequest& page) {
  std::vector<Value> params;
  std::string sql = std::string("SELECT ") + kJobColumns + " FROM jobs WHERE 1 = 1";
  if (f.department_id) {
    sql += " AND department_id = ?";
    params.push_back(*f.department_id);
  }
  if (f.status) {
    sql += " AND status = ?";
    params.push_back(*f.status);
  }
  if (f.q) {
    // LOWER on both sides: SQLite's LIKE ignores ASCII case, PostgreSQL's does not.
    sql += " AND LOWER(title) LIKE LOWER(?) ESCAPE '\\'";
    params.push_back(LikePattern(*f.q));
  }
  sql += ScopeClause(f.department_scope, "department_id", params);
  sql += PageClause(page, "id", params);
  ZM_ASSIGN_OR_RETURN(auto rs, tx.Query(sql, params));
  std::vector<domain::Job> items;
  for (const auto& r : rs.rows) {
    ZM_ASSIGN_OR_RETURN(auto j, JobFromRow(r));
    items.push_back(std::move(j));
  }
  return MakePage(std::move(items), page, [](const auto& j) { return j.id; });
}

Result<std::optional<StoredDocument>> GetCompetencyModelDoc(Tx& tx, const std::string& job_id) {
  ZM_ASSIGN_OR_RETURN(auto r, tx.QueryOne("SELECT competency_model, competency_model_version, "
                                          "competency_model_updated_at FROM jobs WHERE id = ?",
                                          {job_id}));
  if (!r || r->IsNull(0)) return std::optional<StoredDocument>{};
  return std::optional<StoredDocument>{StoredDocument{r->Text(0), r->Int(1), r->Int(2)}};
}

Result<int64_t> PutCompetencyModelDoc(Tx& tx, const std::string& job_id, const std::string& json,
                                      int64_t now) {
  ZM_ASSIGN_OR_RETURN(auto n, tx.Exec("UPDATE jobs SET competency_model = ?, "
                                      "competency_model_version = competency_model_version + 1, "
                                      "competency_model_updated_at = ? WHERE id = ?",
                                      {json, now, job_id}));
  if (n == 0) return NotFound("job");
  ZM_ASSIGN_OR_RETURN(
      auto r, tx.QueryOne("SELECT competency_model_version FROM jobs WHERE id = ?", {job_id}));
  return r ? r->Int(0) : 0;
}

Result<std::optional<StoredDocument>> GetInterviewPlanDoc(Tx& tx, const std::string& job_id) {
  ZM_ASSIGN_OR_RETURN(auto r, tx.QueryOne("SELECT interview_plan, interview_plan_updated_at FROM "
                                          "jobs WHERE id = ?",
                                          {job_id}));
  if (!r || r->IsNull(0)) return std::optional<StoredDocument>{};
  return std::optional<StoredDocument>{StoredDocument{r->Text(0), 0, r->Int(1)}};
}

Status PutInterviewPlanDoc(Tx& tx, const std::string& job_id, const std::string& json,
                           const std::vector<std::string>& question_ids, int64_t now) {
  ZM_ASSIGN_OR_RETURN(auto n, tx.Exec("UPDATE jobs SET interview_plan = ?, "
                                      "interview_plan_updated_at = ? WHERE id = ?",
                                      {json, now, job_id}));
  if (n == 0) return NotFound("job");
  ZM_RETURN_IF_ERROR(tx.Exec("DELETE FROM plan_questions WHERE job_id = ?", {job_id}));
  for (const auto& q : question_ids)
    ZM_RETURN_IF_ERROR(
        tx.Exec("INSERT INTO plan_questions (job_id, question_id) VALUES (?, ?)", {job_id, q}));
  return Ok();
}

// ---- questions ----
Status InsertQuestion(Tx& tx, const QuestionRecord& q) {
  ZM_RETURN_IF_ERROR(tx.Exec(std::string("INSERT INTO questions (") + kQuestionColumns +
                                 ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                             {q.id, OptText(q.job_id), q.type, q.text_zh, q.text_en, q.body_json,
                              q.created_at, q.updated_at}));
  return WriteQuestionDimensions(tx, q);
}

Result<std::optional<QuestionRecord>> GetQuestion(Tx& tx, const std::string& id) {
  ZM_ASSIGN_OR_RETURN(auto r, tx.QueryOne(std::string("SELECT ") + kQuestionColumns +
                                              " FROM questions WHERE id = ?",
                                          {id}));
  if (!r) return std::optional<QuestionRecord>{};
  ZM_ASSIGN_OR_RETURN(auto q, QuestionFromRow(tx, *r));
  return std::optional<QuestionRecord>{std::move(q)};
}

Status UpdateQuestion(Tx& tx, const QuestionRecord& q) {
  ZM_ASSIGN_OR_RETURN(auto n, tx.Exec("UPDATE questions SET job_id = ?, type = ?, text_zh = ?, "
                                      "text_en = ?, body = ?, updated_at = ? WHERE id = ?",
                                      {OptText(q.job_id), q.type, q.text_zh, q.text_en, q.body_json,
                                       q.updated_at, q.id}));
  if (n == 0) return NotFound("question");
  return WriteQuestionDimensions(tx, q);
}

Status DeleteQuestion(Tx& tx, const std::string& id) {
  ZM_ASSIGN_OR_RETURN(auto used, tx.QueryOne("SELECT job_id FROM plan_questions WHERE "
                                             "question_id = ? LIMIT 1",
                                             {id}));
  if (used)
    return Conflict("in_use", "question is used by an interview plan; remove it there first");
  ZM_ASSIGN_OR_RETURN(auto n,
                      InUseOnForeignKey(tx.Exec("DELETE FROM questions WHERE id = ?", {id})));
  if (n == 0) return NotFound("question");
  return Ok();
}

Result<Page<QuestionRecord>> ListQuestions(Tx& tx, const QuestionFilter& f,
                                           const PageRequest& page) {
  std::vector<Value> params;
  std::string sql = std::string("SELECT ") + kQuestionColumns + " FROM questions WHERE 1 = 1";
  if (f.job_id) {
    sql += " AND job_id = ?";
    params.push_back(*f.job_id);
  }
  if (f.type) {
    sql += " AND type = ?";
    params.push_back(*f.type);
  }
  if (f.dimension_key) {
    sql += " AND id IN (SELECT question_id FROM question_dimensions WHERE dimension_key = ?)";
    params.push_back(*f.dimension_key);
  }
  if (f.q) {
    sql +=
        " AND (LOWER(text_zh) LIKE LOWER(?) ESCAPE '\\' OR LOWER(text_en) LIKE LOWER(?) ESCAPE "
        "'\\')";
    params.push_back(LikePattern(*f.q));
    params.push_back(LikePattern(*f.q));
  }
  sql += PageClause(page, "id", params);
  ZM_ASSIGN_OR_RETURN(auto rs, tx.Query(sql, params));
  std::vector<QuestionRecord> items;
  for (const auto& r : rs.rows) {
    ZM_ASSIGN_OR_RETURN(auto q, QuestionFromRow(tx, r));
    items.push_back(std::move(q));
  }
  return MakePage(std::move(items), page, [](const auto& q) { return q.id; });
}

Result<std::vector<std::string>> MissingQuestions(Tx& tx, const std::vector<std::string>& ids) {
  std::vector<std::string> missing;
  for (const auto& id : ids) {
    ZM_ASSIGN_OR_RETURN(auto r, tx.QueryOne("SELECT 1 FROM questions WHERE id = ?", {id}));
    if (!r) missing.push_back(id);
  }
  return missing;
}

// ---- candidates ----
namespace {
// Tags are kept as a JSON array on the row (for reads) and one row each in candidate_tags
// (for exact, case-sensitive filtering).
Status WriteCandidateTags(Tx& tx, const CandidateRecord& c) {
  ZM_RETURN_IF_ERROR(tx.Exec("DELETE FROM candidate_tags WHERE candidate_id = ?", {c.id}));
  for (const auto& t : c.tags)
    ZM_RETURN_IF_ERROR(
        tx.Exec("INSERT INTO candidate_tags (candidate_id, tag) VALUES (?, ?) ON "
                "CONFLICT DO NOTHING",
                {c.id, t}));
  return Ok();
}
}  // namespace

Status InsertCandidate(Tx& tx, const CandidateRecord& c) {
  ZM_RETURN_IF_ERROR(tx.Exec(
      std::string("INSERT INTO candidates (") + kCandidateColumns +
          ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {c.id, c.name_enc, OptText(c.email_enc), OptText(c.phone_enc), OptText(c.national_id_enc),
       OptText(c.resume_enc), OptText(c.email_bidx), OptText(c.phone_bidx), c.source,
       ToJsonArray(c.tags), c.created_at, c.updated_at, OptText(c.name_bidx)}));
  return WriteCandidateTags(tx, c);
}

Result<std::optional<CandidateRecord>> GetCandidate(Tx& tx, const std::string& id) {
  ZM_ASSIGN_OR_RETURN(auto r, tx.QueryOne(std::string("SELECT ") + kCandidateColumns +
                                              " FROM candidates WHERE id = ?",
                                          {id}));
  if (!r) return std::optional<CandidateRecord>{};
  return std::optional<CandidateRecord>{CandidateFromRow(*r)};
}

Status UpdateCandidate(Tx& tx, const CandidateRecord& c) {
  ZM_ASSIGN_OR_RETURN(
      auto n,
      tx.Exec("UPDATE candidates SET name_enc = ?, email_enc = ?, phone_enc = ?, "
              "national_id_enc = ?, resume_enc = ?, email_bidx = ?, phone_bidx = ?, "
              "source = ?, tags = ?, updated_at = ?, name_bidx = ? WHERE id = ?",
              {c.name_enc, OptText(c.email_enc), OptText(c.phone_enc), OptText(c.national_id_enc),
               OptText(c.resume_enc), OptText(c.email_bidx), OptText(c.phone_bidx), c.source,
               ToJsonArray(c.tags), c.updated_at, OptText(c.name_bidx), c.id}));
  if (n == 0) return NotFound("candidate");
  return WriteCandidateTags(tx, c);
}

Status DeleteCandidate(Tx& tx, const std::string& id) {
  ZM_RETURN_IF_ERROR(tx.Exec("DELETE FROM applications WHERE candidate_id = ?", {id}));
  ZM_ASSIGN_OR_RETURN(auto n, tx.Exec("DELETE FROM candidates WHERE id = ?", {id}));
  if (n == 0) return NotFound("candidate");
  return Ok();
}

Result<std::optional<std::string>> FindCandidateByBlindIndex(
    Tx& tx, const std::optional<std::string>& email_bidx,
    const std::optional<std::string>& phone_bidx, const std::string& except_id) {
  for (const auto& [column, value] :
       {std::pair{"email_bidx", email_bidx}, std::pair{"phone_bidx", phone_bidx}}) {
    if (!value) continue;
    ZM_ASSIGN_OR_RETURN(auto r, tx.QueryOne(std::string("SELECT id FROM candidates WHERE ") +
                                                column + " = ? AND id <> ?",
                                            {*value, except_id}));
    if (r) return std::optional<std::string>{r->Text(0)};
  }
  return std::optional<std::string>{};
}

Result<Page<CandidateRecord>> ListCandidates(Tx& tx, const CandidateFilter& f,
                                             const PageRequest& page) {
  std::vector<Value> params;
  std::string sql = std::string("SELECT ") + kCandidateColumns + " FROM candidates WHERE 1 = 1";
  if (f.email_bidx) {
    sql += " AND email_bidx = ?";
    params.push_back(*f.email_bidx);
  }
  if (f.phone_bidx) {
    sql += " AND phone_bidx = ?";
    params.push_back(*f.phone_bidx);
  }
  if (f.tag) {
    sql += " AND id IN (SELECT candidate_id FROM candidate_tags WHERE tag = ?)";
    params.push_back(*f.tag);
  }
  if (f.department_scope) {
    std::vector<Value> scope_params;
    std::string scope = ScopeClause(f.department_scope, "department_id", scope_params);
    sql += " AND id IN (SELECT candidate_id FROM applications WHERE 1 = 1" + scope + ")";
    params.insert(params.end(), scope_params.begin(), scope_params.end());
  }
  sql += PageClause(page, "id", params);
  ZM_ASSIGN_OR_RETURN(auto rs, tx.Query(sql, params));
  std::vector<CandidateRecord> items;
  for (const auto& r : rs.rows) items.push_back(CandidateFromRow(r));
  return MakePage(std::move(items), page, [](const auto& c) { return c.id; });
}

Result<bool> CandidateInDepartments(Tx& tx, const std::string& candidate_id,
                                    const std::vector<std::string>& department_ids) {
  std::vector<Value> params{candidate_id};
  std::string sql = "SELECT 1 FROM applications WHERE candidate_id = ?" +
                    ScopeClause(department_ids, "department_id", params) + " LIMIT 1";
  ZM_ASSIGN_OR_RETURN(auto r, tx.QueryOne(sql, params));
  return r.has_value();
}

// ---- applications ----
Status InsertApplication(Tx& tx, const ApplicationRecord& a) {
  ZM_RETURN_IF_ERROR(
      tx.Exec("INSERT INTO applications (id, candidate_id, job_id, department_id, stage, source, "
              "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
              {a.id, a.candidate_id, a.job_id, a.department_id, a.stage, a.source, a.created_at,
               a.updated_at}));
  return Ok();
}

Result<std::optional<ApplicationRecord>> GetApplication(Tx& tx, const std::string& id) {
  ZM_ASSIGN_OR_RETURN(auto r, tx.QueryOne(std::string(kApplicationSelect) + " AND a.id = ?", {id}));
  if (!r) return std::optional<ApplicationRecord>{};
  return std::optional<ApplicationRecord>{ApplicationFromRow(*r)};
}

Status UpdateApplicationStage(Tx& tx, const std::string& id, const std::string& stage,
                              int64_t now) {
  ZM_ASSIGN_OR_RETURN(auto n, tx.Exec("UPDATE applications SET stage = ?, updated_at = ? WHERE "
                                      "id = ?",
                                      {stage, now, id}));
  if (n == 0) return NotFound("application");
  return Ok();
}

Result<Page<ApplicationRecord>> ListApplications(Tx& tx, const ApplicationFilter& f,
                                                 const PageRequest& page) {
  std::vector<Value> params;
  std::string sql = kApplicationSelect;
  if (f.job_id) {
    sql += " AND a.job_id = ?";
    params.push_back(*f.job_id);
  }
  if (f.department_id) {
    sql += " AND a.department_id = ?";
    params.push_back(*f.department_id);
  }
  if (f.stage) {
    sql += " AND a.stage = ?";
    params.push_back(*f.stage);
  }
  if (f.candidate_id) {
    sql += " AND a.candidate_id = ?";
    params.push_back(*f.candidate_id);
  }
  sql += ScopeClause(f.department_scope, "a.department_id", params);
  sql += PageClause(page, "a.id", params);
  ZM_ASSIGN_OR_RETURN(auto rs, tx.Query(sql, params));
  std::vector<ApplicationRecord> items;
  for (const auto& r : rs.rows) items.push_back(ApplicationFromRow(r));
  return MakePage(std::move(items), page, [](const auto& a) { return a.id; });
}

}  // namespace zm::storage
