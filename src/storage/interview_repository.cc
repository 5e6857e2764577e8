#include "storage/interview_repository.h"

namespace zm::storage {
namespace {

constexpr char kInterviewColumns[] =
    "SELECT id, application_id, job_id, department_id, status, token_hash, expires_at, snapshot, "
    "question_count, current_position, invitations_sent, consent_version, consent_ip_enc, "
    "consent_user_agent, consented_at, finished_at, revoked_at, report_released_at, "
    "audio_video_consent, overall, recommendation, score_version, created_by, created_at, "
    "updated_at FROM interviews WHERE ";

InterviewRecord InterviewFromRow(const Row& r) {
  InterviewRecord i;
  i.id = r.Text(0);
  i.application_id = r.Text(1);
  i.job_id = r.Text(2);
  i.department_id = r.Text(3);
  i.status = r.Text(4);
  i.token_hash = r.Text(5);
  i.expires_at = r.Int(6);
  i.snapshot = r.Text(7);
  i.question_count = r.Int(8);
  i.current_position = r.Int(9);
  i.invitations_sent = r.Int(10);
  i.consent_version = r.OptText(11);
  i.consent_ip_enc = r.OptText(12);
  i.consent_user_agent = r.OptText(13);
  i.consented_at = r.OptInt(14);
  i.finished_at = r.OptInt(15);
  i.revoked_at = r.OptInt(16);
  i.report_released_at = r.OptInt(17);
  i.audio_video_consent = r.Bool(18);
  i.overall = r.OptDouble(19);
  i.recommendation = r.OptText(20);
  i.score_version = r.Int(21);
  i.created_by = r.Text(22);
  i.created_at = r.Int(23);
  i.updated_at = r.Int(24);
  return i;
}

Result<std::optional<InterviewRecord>> GetInterviewWhere(Tx& tx, std::string_view where,
                                                         const std::string& value,
                                                         bool for_update) {
  std::string sql = std::string(kInterviewColumns) + std::string(where) + " = ?";
  if (for_update) sql += tx.ForUpdate();
  ZM_ASSIGN_OR_RETURN(auto r, tx.QueryOne(sql, {value}));
  if (!r) return std::optional<InterviewRecord>{};
  return std::optional<InterviewRecord>{InterviewFromRow(*r)};
}

template <class T>
Result<std::optional<T>> OneOf(Result<std::vector<T>> rows) {
  if (!rows) return std::unexpected(rows.error());
  if (rows->empty()) return std::optional<T>{};
  return std::optional<T>{std::move(rows->front())};
}

constexpr char kScoreColumns[] =
    "SELECT interview_id, version, scorer, scorer_version, overall, recommendation, created_by, "
    "created_at";

ScoreRecord ScoreFromRow(const Row& r, bool with_result) {
  ScoreRecord s;
  s.interview_id = r.Text(0);
  s.version = r.Int(1);
  s.scorer = r.Text(2);
  s.scorer_version = r.Text(3);
  s.overall = r.OptDouble(4);
  s.recommendation = r.OptText(5);
  s.created_by = r.Text(6);
  s.created_at = r.Int(7);
  if (with_result) s.result = r.Text(8);
  return s;
}

constexpr char kCourseSelect[] =
    "SELECT id, title, title_en, url, description, dimension_keys, max_level, created_at, "
    "updated_at FROM courses WHERE 1 = 1";

CourseRecord CourseFromRow(const Row& r) {
  CourseRecord c;
  c.id = r.Text(0);
  c.title = r.Text(1);
  c.title_en = r.Text(2);
  c.url = r.Text(3);
  c.description = r.Text(4);
  c.dimension_keys = FromJsonArray(r.Text(5));
  c.max_level = r.Int(6);
  c.created_at = r.Int(7);
  c.updated_at = r.Int(8);
  return c;
}

Result<std::vector<CourseRecord>> QueryCourses(Tx& tx, const std::string& sql,
                                               const std::vector<Value>& params) {
  ZM_ASSIGN_OR_RETURN(auto rs, tx.Query(sql, params));
  std::vector<CourseRecord> out;
  for (const auto& r : rs.rows) out.push_back(CourseFromRow(r));
  return out;
}

constexpr char kTaskSelect[] =
    "SELECT id, kind, status, application_id, department_id, title, detail_enc, resolution, "
    "resolved_by, resolved_at, created_at, updated_at, origin FROM tasks WHERE 1 = 1";

Result<std::vector<TaskRecord>> QueryTasks(Tx& tx, const std::string& sql,
                                           const std::vector<Value>& params) {
  ZM_ASSIGN_OR_RETURN(auto rs, tx.Query(sql, params));
  std::vector<TaskRecord> out;
  for (const auto& r : rs.rows) {
    TaskRecord t;
    t.id = r.Text(0);
    t.kind = r.Text(1);
    t.status = r.Text(2);
    t.application_id = r.Text(3);
    t.department_id = r.Text(4);
    t.title = r.Text(5);
    t.detail_enc = r.Text(6);
    t.resolution = r.OptText(7);
    t.resolved_by = r.OptText(8);
    t.resolved_at = r.OptInt(9);
    t.created_at = r.Int(10);
    t.updated_at = r.Int(11);
    t.origin = r.Text(12);
    out.push_back(std::move(t));
  }
  return out;
}

Status ExpectOneRow(Result<int64_t> n, std::string_view what) {
  if (!n) return std::unexpected(n.error());
  if (*n == 0) return NotFound(std::string(what));
  return Ok();
}

}  // namespace

// ---- interviews ----
Status InsertInterview(Tx& tx, const InterviewRecord& r,
                       const std::vector<std::string>& question_ids) {
  ZM_RETURN_IF_ERROR(tx.Exec(
      "INSERT INTO interviews (id, application_id, job_id, department_id, status, token_hash, "
      "expires_at, snapshot, question_count, current_position, invitations_sent, created_by, "
      "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {r.id, r.application_id, r.job_id, r.department_id, r.status, r.token_hash, r.expires_at,
       r.snapshot, r.question_count, r.current_position, r.invitations_sent, r.created_by,
       r.created_at, r.updated_at}));
  for (size_t i = 0; i < question_ids.size(); ++i)
    ZM_RETURN_IF_ERROR(tx.Exec(
        "INSERT INTO interview_items (interview_id, position, question_id) VALUES (?, ?, ?)",
        {r.id, static_cast<int64_t>(i), question_ids[i]}));
  return Ok();
}

Result<std::optional<InterviewRecord>> GetInterview(Tx& tx, const std::string& id,
                                                    bool for_update) {
  return GetInterviewWhere(tx, "id", id, for_update);
}

Result<std::optional<InterviewRecord>> GetInterviewByApplication(
    Tx& tx, const std::string& application_id) {
  return GetInterviewWhere(tx, "application_id", application_id, false);
}

Result<std::optional<InterviewRecord>> GetInterviewByToken(Tx& tx, const std::string& token_hash,
                                                           bool for_update) {
  return GetInterviewWhere(tx, "token_hash", token_hash, for_update);
}

Status UpdateInterview(Tx& tx, const InterviewRecord& r) {
  return ExpectOneRow(
      tx.Exec("UPDATE interviews SET status = ?, token_hash = ?, expires_at = ?, "
              "current_position = ?, invitations_sent = ?, consent_version = ?, "
              "consent_ip_enc = ?, consent_user_agent = ?, consented_at = ?, finished_at = ?, "
              "revoked_at = ?, report_released_at = ?, audio_video_consent = ?, overall = ?, "
              "recommendation = ?, score_version = ?, updated_at = ? WHERE id = ?",
              {r.status, r.token_hash, r.expires_at, r.current_position, r.invitations_sent,
               OptText(r.consent_version), OptText(r.consent_ip_enc), OptText(r.consent_user_agent),
               OptInt(r.consented_at), OptInt(r.finished_at), OptInt(r.revoked_at),
               OptInt(r.report_released_at), int64_t{r.audio_video_consent ? 1 : 0},
               OptReal(r.overall), OptText(r.recommendation), r.score_version, r.updated_at, r.id}),
      "interview");
}

Result<std::vector<InterviewItemRecord>> ListItems(Tx& tx, const std::string& interview_id) {
  ZM_ASSIGN_OR_RETURN(auto rs,
                      tx.Query("SELECT interview_id, position, question_id, shown_at, draft_enc, "
                               "draft_at, feedback, completed_at FROM interview_items WHERE "
                               "interview_id = ? ORDER BY position",
                               {interview_id}));
  std::vector<InterviewItemRecord> out;
  for (const auto& r : rs.rows)
    out.push_back({r.Text(0), r.Int(1), r.Text(2), r.OptInt(3), r.OptText(4), r.OptInt(5),
                   r.OptText(6), r.OptInt(7)});
  return out;
}

Status UpdateItem(Tx& tx, const InterviewItemRecord& r) {
  return ExpectOneRow(
      tx.Exec("UPDATE interview_items SET shown_at = ?, draft_enc = ?, draft_at = ?, "
              "feedback = ?, completed_at = ? WHERE interview_id = ? AND position = ?",
              {OptInt(r.shown_at), OptText(r.draft_enc), OptInt(r.draft_at), OptText(r.feedback),
               OptInt(r.completed_at), r.interview_id, r.position}),
      "interview question");
}

// ---- answers ----
Status InsertAnswer(Tx& tx, const AnswerRecord& r) {
  ZM_RETURN_IF_ERROR(
      tx.Exec("INSERT INTO interview_answers (id, interview_id, position, kind, attempt, text_enc, "
              "text_chars, elapsed_ms, late, submitted_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
              {r.id, r.interview_id, r.position, r.kind, r.attempt, r.text_enc, r.text_chars,
               r.elapsed_ms, int64_t{r.late ? 1 : 0}, r.submitted_at}));
  return Ok();
}

Result<std::vector<AnswerRecord>> ListAnswers(Tx& tx, const std::string& interview_id) {
  ZM_ASSIGN_OR_RETURN(
      auto rs,
      tx.Query("SELECT id, interview_id, position, kind, attempt, text_enc, text_chars, "
               "elapsed_ms, late, submitted_at FROM interview_answers WHERE interview_id = ? "
               "ORDER BY position, kind, attempt",
               {interview_id}));
  std::vector<AnswerRecord> out;
  for (const auto& r : rs.rows)
    out.push_back({r.Text(0), r.Text(1), r.Int(2), r.Text(3), r.Int(4), r.Text(5), r.Int(6),
                   r.Int(7), r.Bool(8), r.Int(9)});
  return out;
}

Result<std::vector<OtherAnswer>> ListOtherAnswers(Tx& tx, const std::string& question_id,
                                                  const std::string& except_interview_id,
                                                  int limit) {
  // The last attempt of each other interview: no later attempt of the same kind exists.
  ZM_ASSIGN_OR_RETURN(
      auto rs,
      tx.Query("SELECT a.interview_id, a.id, a.text_enc FROM interview_answers a JOIN "
               "interview_items i ON i.interview_id = a.interview_id AND i.position = a.position "
               "WHERE i.question_id = ? AND a.interview_id <> ? AND a.kind = 'answer' AND NOT "
               "EXISTS (SELECT 1 FROM interview_answers b WHERE b.interview_id = a.interview_id "
               "AND b.position = a.position AND b.kind = a.kind AND b.attempt > a.attempt) "
               "ORDER BY a.id DESC LIMIT ?",
               {question_id, except_interview_id, int64_t{limit}}));
  std::vector<OtherAnswer> out;
  for (const auto& r : rs.rows) out.push_back({r.Text(0), r.Text(1), r.Text(2)});
  return out;
}

// ---- integrity ----
Status InsertIntegrityEvent(Tx& tx, const IntegrityRecord& r) {
  ZM_RETURN_IF_ERROR(
      tx.Exec("INSERT INTO integrity_events (id, interview_id, position, kind, duration_ms, at) "
              "VALUES (?, ?, ?, ?, ?, ?)",
              {r.id, r.interview_id, OptInt(r.position), r.kind, OptInt(r.duration_ms), r.at}));
  return Ok();
}

Result<std::vector<IntegrityCount>> CountIntegrityEvents(Tx& tx, const std::string& interview_id) {
  ZM_ASSIGN_OR_RETURN(
      auto rs, tx.Query("SELECT COALESCE(position, -1) AS p, kind, COUNT(*) FROM "
                        "integrity_events WHERE interview_id = ? GROUP BY COALESCE(position, -1), "
                        "kind ORDER BY p, kind",
                        {interview_id}));
  std::vector<IntegrityCount> out;
  for (const auto& r : rs.rows) out.push_back({r.Int(0), r.Text(1), r.Int(2)});
  return out;
}

Result<int64_t> CountIntegrityEventsTotal(Tx& tx, const std::string& interview_id) {
  ZM_ASSIGN_OR_RETURN(auto r, tx.QueryOne("SELECT COUNT(*) FROM integrity_events WHERE "
                                          "interview_id = ?",
                                          {interview_id}));
  return r ? r->Int(0) : 0;
}

// ---- scores ----
Status InsertScore(Tx& tx, const ScoreRecord& r) {
  ZM_RETURN_IF_ERROR(tx.Exec(
      "INSERT INTO interview_scores (interview_id, version, scorer, scorer_version, overall, "
      "recommendation, result, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {r.interview_id, r.version, r.scorer, r.scorer_version, OptReal(r.overall),
       OptText(r.recommendation), r.result, r.created_by, r.created_at}));
  return Ok();
}

Result<std::vector<ScoreRecord>> ListScores(Tx& tx, const std::string& interview_id,
                                            bool with_result) {
  std::string sql = kScoreColumns;
  if (with_result) sql += ", result";
  sql += " FROM interview_scores WHERE interview_id = ? ORDER BY version DESC";
  ZM_ASSIGN_OR_RETURN(auto rs, tx.Query(sql, {interview_id}));
  std::vector<ScoreRecord> out;
  for (const auto& r : rs.rows) out.push_back(ScoreFromRow(r, with_result));
  return out;
}

Result<std::optional<ScoreRecord>> GetScore(Tx& tx, const std::string& interview_id,
                                            int64_t version) {
  ZM_ASSIGN_OR_RETURN(
      auto r, tx.QueryOne(std::string(kScoreColumns) + ", result FROM interview_scores WHERE "
                                                       "interview_id = ? AND version = ?",
                          {interview_id, version}));
  if (!r) return std::optional<ScoreRecord>{};
  return std::optional<ScoreRecord>{ScoreFromRow(*r, true)};
}

Status ReplaceDimensionScores(Tx& tx, const std::string& interview_id, const std::string& job_id,
                              const std::map<std::string, double>& scores) {
  ZM_RETURN_IF_ERROR(
      tx.Exec("DELETE FROM dimension_scores WHERE interview_id = ?", {interview_id}));
  for (const auto& [key, score] : scores)
    ZM_RETURN_IF_ERROR(
        tx.Exec("INSERT INTO dimension_scores (interview_id, dimension_key, "
                "job_id, score) VALUES (?, ?, ?, ?)",
                {interview_id, key, job_id, score}));
  return Ok();
}

Result<std::vector<double>> CohortOverall(Tx& tx, const std::string& job_id) {
  ZM_ASSIGN_OR_RETURN(auto rs, tx.Query("SELECT overall FROM interviews WHERE job_id = ? AND "
                                        "overall IS NOT NULL",
                                        {job_id}));
  std::vector<double> out;
  out.reserve(rs.rows.size());
  for (const auto& r : rs.rows) out.push_back(r.Double(0));
  return out;
}

Status InsertOverride(Tx& tx, const OverrideRecord& r) {
  ZM_RETURN_IF_ERROR(
      tx.Exec("INSERT INTO score_overrides (id, interview_id, dimension_key, score, original, "
              "reason_enc, actor_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
              {r.id, r.interview_id, r.dimension_key, r.score, OptReal(r.original), r.reason_enc,
               r.actor_id, r.created_at}));
  return Ok();
}

Result<std::vector<OverrideRecord>> ListOverrides(Tx& tx, const std::string& interview_id) {
  ZM_ASSIGN_OR_RETURN(auto rs, tx.Query("SELECT id, interview_id, dimension_key, score, "
                                        "original, reason_enc, actor_id, created_at FROM "
                                        "score_overrides WHERE interview_id = ? ORDER BY id",
                                        {interview_id}));
  std::vector<OverrideRecord> out;
  for (const auto& r : rs.rows)
    out.push_back({r.Text(0), r.Text(1), r.Text(2), r.Double(3), r.OptDouble(4), r.Text(5),
                   r.Text(6), r.Int(7)});
  return out;
}

// ---- courses ----
Status InsertCourse(Tx& tx, const CourseRecord& r) {
  ZM_RETURN_IF_ERROR(tx.Exec(
      "INSERT INTO courses (id, title, title_en, url, description, dimension_keys, max_level, "
      "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {r.id, r.title, r.title_en, r.url, r.description, ToJsonArray(r.dimension_keys), r.max_level,
       r.created_at, r.updated_at}));
  return Ok();
}

Result<std::optional<CourseRecord>> GetCourse(Tx& tx, const std::string& id) {
  return OneOf(QueryCourses(tx, std::string(kCourseSelect) + " AND id = ?", {id}));
}

Status UpdateCourse(Tx& tx, const CourseRecord& r) {
  return ExpectOneRow(
      tx.Exec("UPDATE courses SET title = ?, title_en = ?, url = ?, description = ?, "
              "dimension_keys = ?, max_level = ?, updated_at = ? WHERE id = ?",
              {r.title, r.title_en, r.url, r.description, ToJsonArray(r.dimension_keys),
               r.max_level, r.updated_at, r.id}),
      "course");
}

Status DeleteCourse(Tx& tx, const std::string& id) {
  return ExpectOneRow(tx.Exec("DELETE FROM courses WHERE id = ?", {id}), "course");
}

Result<Page<CourseRecord>> ListCourses(Tx& tx, const std::optional<std::string>& dimension_key,
                                       const PageRequest& page) {
  std::vector<Value> params;
  std::string sql = kCourseSelect;
  if (dimension_key) {
    // Keys are [a-z0-9_], so the quoted key cannot contain LIKE wildcards other than '_',
    // which is escaped.
    std::string pattern = "%\"";
    for (char c : *dimension_key) {
      if (c == '_' || c == '%' || c == '\\') pattern += '\\';
      pattern += c;
    }
    sql += " AND dimension_keys LIKE ? ESCAPE '\\'";
    params.push_back(pattern + "\"%");
  }
  sql += PageClause(page, "id", params);
  ZM_ASSIGN_OR_RETURN(auto items, QueryCourses(tx, sql, params));
  return MakePage(std::move(items), page, [](const auto& c) { return c.id; });
}

Result<std::vector<CourseRecord>> AllCourses(Tx& tx) {
  return QueryCourses(tx, std::string(kCourseSelect) + " ORDER BY id LIMIT 1000", {});
}

// ---- tasks ----
Status InsertTask(Tx& tx, const TaskRecord& r) {
  ZM_RETURN_IF_ERROR(tx.Exec(
      "INSERT INTO tasks (id, kind, status, application_id, department_id, title, detail_enc, "
      "resolution, resolved_by, resolved_at, created_at, updated_at, origin) VALUES (?, ?, ?, ?, "
      "?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {r.id, r.kind, r.status, r.application_id, r.department_id, r.title, r.detail_enc,
       OptText(r.resolution), OptText(r.resolved_by), OptInt(r.resolved_at), r.created_at,
       r.updated_at, r.origin}));
  return Ok();
}

Result<std::optional<TaskRecord>> GetTask(Tx& tx, const std::string& id) {
  return OneOf(QueryTasks(tx, std::string(kTaskSelect) + " AND id = ?", {id}));
}

Status UpdateTask(Tx& tx, const TaskRecord& r) {
  return ExpectOneRow(tx.Exec("UPDATE tasks SET status = ?, resolution = ?, resolved_by = ?, "
                              "resolved_at = ?, updated_at = ? WHERE id = ?",
                              {r.status, OptText(r.resolution), OptText(r.resolved_by),
                               OptInt(r.resolved_at), r.updated_at, r.id}),
                      "task");
}

Result<Page<TaskRecord>> ListTasks(Tx& tx, const TaskFilter& f, const PageRequest& page) {
  std::vector<Value> params;
  std::string sql = kTaskSelect;
  if (f.status) {
    sql += " AND status = ?";
    params.push_back(*f.status);
  }
  if (f.kind) {
    sql += " AND kind = ?";
    params.push_back(*f.kind);
  }
  if (f.application_id) {
    sql += " AND application_id = ?";
    params.push_back(*f.application_id);
  }
  if (f.origin) {
    sql += " AND origin = ?";
    params.push_back(*f.origin);
  }
  sql += ScopeClause(f.department_scope, "department_id", params);
  sql += PageClause(page, "id", params);
  ZM_ASSIGN_OR_RETURN(auto items, QueryTasks(tx, sql, params));
  return MakePage(std::move(items), page, [](const auto& t) { return t.id; });
}

}  // namespace zm::storage
