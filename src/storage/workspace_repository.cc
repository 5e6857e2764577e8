#include "storage/workspace_repository.h"

namespace zm::storage {
namespace {

// " AND <column> IN (?, ...)" for a non-empty list; appends the parameters.
std::string InClause(std::string_view column, const std::vector<std::string>& values,
                     std::vector<Value>& params) {
  std::string sql = " AND " + std::string(column) + " IN (";
  for (size_t i = 0; i < values.size(); ++i) {
    sql += i ? ", ?" : "?";
    params.push_back(values[i]);
  }
  return sql + ")";
}

// "?, ?, ..." for `values`; appends the parameters.
std::string Placeholders(const std::vector<std::string>& values, std::vector<Value>& params) {
  std::string sql;
  for (size_t i = 0; i < values.size(); ++i) {
    sql += i ? ", ?" : "?";
    params.push_back(values[i]);
  }
  return sql;
}

bool ByOverall(ApplicationSort s) {
  return s == ApplicationSort::kOverallDesc || s == ApplicationSort::kOverallAsc;
}

// The overall sort key: the effective overall in tenths, rounded the same way on both backends
// (ROUND gives an integral value, so the cast cannot differ); applications without a score sort
// last in both directions.
std::string ScoreKeyExpr(ApplicationSort s) {
  switch (s) {
    case ApplicationSort::kOverallDesc:
      return "CAST(ROUND(COALESCE(iv.overall, -1) * 10) AS BIGINT)";
    case ApplicationSort::kOverallAsc:
      return "CAST(ROUND(COALESCE(iv.overall, 1000) * 10) AS BIGINT)";
    default:
      return "0";
  }
}

// The WHERE conditions of a query (after "WHERE 1 = 1"), appending their parameters.
std::string QueryConditions(const ApplicationQuery& q, std::vector<Value>& params) {
  std::string sql;
  auto add = [&](const char* clause, Value v) {
    sql += clause;
    params.push_back(std::move(v));
  };
  if (q.job_id) add(" AND a.job_id = ?", *q.job_id);
  if (q.department_id) add(" AND a.department_id = ?", *q.department_id);
  if (q.candidate_id) add(" AND a.candidate_id = ?", *q.candidate_id);
  if (!q.stages.empty()) sql += InClause("a.stage", q.stages, params);
  if (q.name_bidx) add(" AND c.name_bidx = ?", *q.name_bidx);
  if (q.email_bidx) add(" AND c.email_bidx = ?", *q.email_bidx);
  if (q.phone_bidx) add(" AND c.phone_bidx = ?", *q.phone_bidx);
  if (q.interview_status) {
    if (*q.interview_status == "none")
      sql += " AND iv.id IS NULL";
    else
      add(" AND iv.status = ?", *q.interview_status);
  }
  if (q.recommendation) add(" AND iv.recommendation = ?", *q.recommendation);
  if (q.min_overall) add(" AND iv.overall >= ?", *q.min_overall);
  if (q.max_overall) add(" AND iv.overall <= ?", *q.max_overall);
  for (const auto& d : q.dimension_min) {
    sql +=
        " AND EXISTS (SELECT 1 FROM dimension_scores ds WHERE ds.interview_id = iv.id AND "
        "ds.dimension_key = ? AND ds.score >= ?)";
    params.push_back(d.key);
    params.push_back(d.min);
  }
  sql += ScopeClause(q.department_scope, "a.department_id", params);
  return sql;
}

bool NeedsCandidates(const ApplicationQuery& q) {
  return q.name_bidx || q.email_bidx || q.phone_bidx;
}

bool NeedsInterviews(const ApplicationQuery& q) {
  return q.interview_status || q.recommendation || q.min_overall || q.max_overall ||
         !q.dimension_min.empty() || ByOverall(q.sort);
}

// Risk flags of the current score version of each interview: the flags of every answer in the
// stored result document, counted by the database's JSON functions.
std::string FlagsCountSql(Dialect dialect) {
  if (dialect == Dialect::kPostgres)
    return "SELECT s.interview_id, (SELECT COALESCE(SUM(jsonb_array_length(ans -> 'flags')), 0) "
           "FROM jsonb_array_elements(CASE WHEN jsonb_typeof(s.result::jsonb -> 'answers') = "
           "'array' THEN s.result::jsonb -> 'answers' ELSE '[]'::jsonb END) ans WHERE "
           "jsonb_typeof(ans -> 'flags') = 'array') FROM interview_scores s JOIN interviews iv ON "
           "iv.id = s.interview_id AND iv.score_version = s.version WHERE s.interview_id IN (";
  return "SELECT s.interview_id, CASE WHEN json_valid(s.result) THEN (SELECT "
         "COALESCE(SUM(json_array_length(ans.value, '$.flags')), 0) FROM json_each(s.result, "
         "'$.answers') ans WHERE json_type(ans.value, '$.flags') = 'array') ELSE 0 END FROM "
         "interview_scores s JOIN interviews iv ON iv.id = s.interview_id AND iv.score_version = "
         "s.version WHERE s.interview_id IN (";
}

// Fills dimension scores and flag counts of the interviews on a page.
Status FillInterviewDetails(Tx& tx, std::vector<ApplicationSummary>& items) {
  std::vector<std::string> ids;
  std::map<std::string, InterviewSummary*> by_id;
  for (auto& item : items)
    if (item.interview) {
      ids.push_back(item.interview->id);
      by_id[item.interview->id] = &*item.interview;
    }
  if (ids.empty()) return Ok();
  std::vector<Value> params;
  std::string in = Placeholders(ids, params);
  ZM_ASSIGN_OR_RETURN(auto dims, tx.Query("SELECT interview_id, dimension_key, score FROM "
                                          "dimension_scores WHERE interview_id IN (" +
                                              in + ")",
                                          params));
  for (const auto& r : dims.rows)
    if (auto it = by_id.find(r.Text(0)); it != by_id.end())
      it->second->dimension_scores[r.Text(1)] = r.Double(2);
  ZM_ASSIGN_OR_RETURN(auto flags, tx.Query(FlagsCountSql(tx.dialect()) + in + ")", params));
  for (const auto& r : flags.rows)
    if (auto it = by_id.find(r.Text(0)); it != by_id.end()) it->second->flags_count = r.Int(1);
  return Ok();
}

constexpr char kActivitySelect[] =
    "SELECT al.seq, al.id, al.at, al.actor_type, al.actor_id, COALESCE(u.name, t.name), "
    "al.action, al.target_type, al.target_id, al.changes, a.id, j.title FROM audit_log al "
    "LEFT JOIN interviews iv ON al.target_type = 'interview' AND iv.id = al.target_id "
    "LEFT JOIN tasks tk ON al.target_type = 'task' AND tk.id = al.target_id "
    "JOIN applications a ON a.id = CASE al.target_type WHEN 'application' THEN al.target_id "
    "WHEN 'interview' THEN iv.application_id ELSE tk.application_id END "
    "JOIN jobs j ON j.id = a.job_id "
    "LEFT JOIN users u ON al.actor_type = 'user' AND u.id = al.actor_id "
    "LEFT JOIN api_tokens t ON al.actor_type = 'token' AND t.id = al.actor_id "
    "WHERE al.target_type IN ('application', 'interview', 'task') AND al.action NOT IN "
    "('interview.answer', 'interview.advance', 'interview.follow_up_answer')";

std::vector<ActivityRecord> ActivityFromRows(const QueryResult& rs) {
  std::vector<ActivityRecord> out;
  out.reserve(rs.rows.size());
  for (const auto& r : rs.rows) {
    ActivityRecord e;
    e.seq = r.Int(0);
    e.id = r.Text(1);
    e.at = r.Int(2);
    e.actor_type = r.Text(3);
    e.actor_id = r.Text(4);
    e.actor_name = r.OptText(5);
    e.action = r.Text(6);
    e.target_type = r.Text(7);
    e.target_id = r.Text(8);
    e.changes_json = r.Text(9);
    e.application_id = r.OptText(10);
    e.job_title = r.OptText(11);
    out.push_back(std::move(e));
  }
  return out;
}

constexpr char kCommentSelect[] =
    "SELECT cm.id, cm.application_id, cm.author_id, cm.kind, cm.body_enc, cm.body_chars, "
    "cm.created_at, COALESCE(u.name, '') FROM application_comments cm LEFT JOIN users u ON u.id "
    "= cm.author_id WHERE cm.application_id = ?";

Result<std::vector<CommentRecord>> QueryComments(Tx& tx, const std::string& sql,
                                                 const std::vector<Value>& params) {
  ZM_ASSIGN_OR_RETURN(auto rs, tx.Query(sql, params));
  std::vector<CommentRecord> out;
  std::map<std::string, size_t> index;
  for (const auto& r : rs.rows) {
    CommentRecord c;
    c.id = r.Text(0);
    c.application_id = r.Text(1);
    c.author_id = r.Text(2);
    c.kind = r.Text(3);
    c.body_enc = r.Text(4);
    c.body_chars = r.Int(5);
    c.created_at = r.Int(6);
    c.author_name = r.Text(7);
    index[c.id] = out.size();
    out.push_back(std::move(c));
  }
  if (out.empty()) return out;
  std::vector<std::string> ids;
  for (const auto& c : out) ids.push_back(c.id);
  std::vector<Value> mparams;
  ZM_ASSIGN_OR_RETURN(auto ms,
                      tx.Query("SELECT m.comment_id, m.user_id, u.name FROM "
                               "comment_mentions m JOIN users u ON u.id = m.user_id "
                               "WHERE m.comment_id IN (" +
                                   Placeholders(ids, mparams) + ") ORDER BY u.name, m.user_id",
                               mparams));
  for (const auto& r : ms.rows)
    if (auto it = index.find(r.Text(0)); it != index.end())
      out[it->second].mentions.push_back({r.Text(1), r.Text(2)});
  return out;
}

}  // namespace

// ---- the applications table ----

Result<ApplicationSummaryPage> ListApplicationSummaries(
    Tx& tx, const ApplicationQuery& q, const std::optional<ApplicationCursor>& after, int limit) {
  const std::string key = ScoreKeyExpr(q.sort);
  std::vector<Value> params;
  std::string sql =
      "SELECT a.id, a.candidate_id, a.job_id, a.department_id, a.stage, a.source, a.created_at, "
      "a.updated_at, c.name_enc, j.title, iv.id, iv.status, iv.finished_at, iv.overall, "
      "iv.recommendation, iv.score_version, iv.viewed_at, iv.viewed_by, " +
      key +
      " AS score_key FROM applications a JOIN candidates c ON c.id = a.candidate_id JOIN jobs j "
      "ON j.id = a.job_id LEFT JOIN interviews iv ON iv.application_id = a.id WHERE 1 = 1";
  sql += QueryConditions(q, params);
  if (after) {
    switch (q.sort) {
      case ApplicationSort::kCreatedDesc:
        sql += " AND a.id < ?";
        params.push_back(after->id);
        break;
      case ApplicationSort::kCreatedAsc:
        sql += " AND a.id > ?";
        params.push_back(after->id);
        break;
      case ApplicationSort::kOverallDesc:
      case ApplicationSort::kOverallAsc: {
        const char* op = q.sort == ApplicationSort::kOverallDesc ? " < " : " > ";
        sql += " AND (" + key + op + "? OR (" + key + " = ? AND a.id < ?))";
        params.push_back(after->score_key);
        params.push_back(after->score_key);
        params.push_back(after->id);
        break;
      }
    }
  }
  switch (q.sort) {
    case ApplicationSort::kCreatedDesc:
      sql += " ORDER BY a.id DESC";
      break;
    case ApplicationSort::kCreatedAsc:
      sql += " ORDER BY a.id ASC";
      break;
    case ApplicationSort::kOverallDesc:
      sql += " ORDER BY score_key DESC, a.id DESC";
      break;
    case ApplicationSort::kOverallAsc:
      sql += " ORDER BY score_key ASC, a.id DESC";
      break;
  }
  sql += " LIMIT ?";
  params.push_back(int64_t{limit + 1});
  ZM_ASSIGN_OR_RETURN(auto rs, tx.Query(sql, params));

  ApplicationSummaryPage page;
  for (const auto& r : rs.rows) {
    ApplicationSummary s;
    s.application = ApplicationFromRow(r);
    if (!r.IsNull(10)) {
      InterviewSummary iv;
      iv.id = r.Text(10);
      iv.status = r.Text(11);
      iv.finished_at = r.OptInt(12);
      iv.overall = r.OptDouble(13);
      iv.recommendation = r.OptText(14);
      iv.score_version = r.Int(15);
      iv.viewed_at = r.OptInt(16);
      iv.viewed_by = r.OptText(17);
      s.interview = std::move(iv);
    }
    s.score_key = r.Int(18);
    page.items.push_back(std::move(s));
  }
  if (static_cast<int>(page.items.size()) > limit) {
    page.items.resize(static_cast<size_t>(limit));
    page.next = ApplicationCursor{page.items.back().score_key, page.items.back().application.id};
  }
  ZM_RETURN_IF_ERROR(FillInterviewDetails(tx, page.items));
  return page;
}

Result<int64_t> CountApplicationSummaries(Tx& tx, const ApplicationQuery& q) {
  std::vector<Value> params;
  std::string sql = "SELECT COUNT(*) FROM applications a";
  if (NeedsCandidates(q)) sql += " JOIN candidates c ON c.id = a.candidate_id";
  if (NeedsInterviews(q)) sql += " LEFT JOIN interviews iv ON iv.application_id = a.id";
  sql += " WHERE 1 = 1" + QueryConditions(q, params);
  ZM_ASSIGN_OR_RETURN(auto r, tx.QueryOne(sql, params));
  return r ? r->Int(0) : 0;
}

// ---- result views ----

Result<std::optional<ResultViewState>> GetResultViewState(Tx& tx,
                                                          const std::string& application_id) {
  ZM_ASSIGN_OR_RETURN(auto r, tx.QueryOne("SELECT id, finished_at, viewed_at FROM interviews "
                                          "WHERE application_id = ?",
                                          {application_id}));
  if (!r) return std::optional<ResultViewState>{};
  return std::optional<ResultViewState>{ResultViewState{r->Text(0), !r->IsNull(1), r->OptInt(2)}};
}

Result<bool> MarkResultViewed(Tx& tx, const std::string& interview_id, const std::string& user_id,
                              int64_t now) {
  ZM_ASSIGN_OR_RETURN(auto n, tx.Exec("UPDATE interviews SET viewed_at = ?, viewed_by = ? WHERE "
                                      "id = ? AND finished_at IS NOT NULL AND viewed_at IS NULL",
                                      {now, user_id, interview_id}));
  return n > 0;
}

// ---- dashboard ----

Result<std::vector<UnviewedResult>> ListUnviewedResults(
    Tx& tx, const std::optional<std::vector<std::string>>& department_scope, int limit) {
  std::vector<Value> params;
  std::string sql =
      "SELECT a.id, iv.id, a.candidate_id, c.name_enc, a.job_id, j.title, a.department_id, "
      "a.stage, iv.finished_at, iv.overall, iv.recommendation FROM interviews iv JOIN "
      "applications a ON a.id = iv.application_id JOIN candidates c ON c.id = a.candidate_id "
      "JOIN jobs j ON j.id = a.job_id WHERE iv.finished_at IS NOT NULL AND iv.viewed_at IS NULL";
  sql += ScopeClause(department_scope, "a.department_id", params);
  sql += " ORDER BY iv.finished_at, iv.id LIMIT ?";
  params.push_back(int64_t{limit});
  ZM_ASSIGN_OR_RETURN(auto rs, tx.Query(sql, params));
  std::vector<UnviewedResult> out;
  for (const auto& r : rs.rows)
    out.push_back({r.Text(0), r.Text(1), r.Text(2), r.Text(3), r.Text(4), r.Text(5), r.Text(6),
                   r.Text(7), r.Int(8), r.OptDouble(9), r.OptText(10)});
  return out;
}

Result<UnviewedCounts> CountUnviewedResults(
    Tx& tx, const std::optional<std::vector<std::string>>& department_scope,
    int64_t overdue_before) {
  std::vector<Value> params{overdue_before};
  std::string sql =
      "SELECT COUNT(*), COALESCE(SUM(CASE WHEN iv.finished_at < ? THEN 1 ELSE 0 END), 0) FROM "
      "interviews iv JOIN applications a ON a.id = iv.application_id WHERE iv.finished_at IS NOT "
      "NULL AND iv.viewed_at IS NULL";
  sql += ScopeClause(department_scope, "a.department_id", params);
  ZM_ASSIGN_OR_RETURN(auto r, tx.QueryOne(sql, params));
  if (!r) return UnviewedCounts{};
  return UnviewedCounts{r->Int(0), r->Int(1)};
}

Result<std::vector<StageCount>> PipelineStageCounts(
    Tx& tx, const std::optional<std::vector<std::string>>& department_scope) {
  std::vector<Value> params;
  std::string sql =
      "SELECT j.id, j.title, j.department_id, j.status, COALESCE(a.stage, ''), COUNT(a.id) FROM "
      "jobs j LEFT JOIN applications a ON a.job_id = j.id WHERE (j.status = 'open' OR a.id IS "
      "NOT NULL)";
  sql += ScopeClause(department_scope, "j.department_id", params);
  sql +=
      " GROUP BY j.id, j.title, j.department_id, j.status, a.stage ORDER BY j.id DESC, "
      "COALESCE(a.stage, '')";
  ZM_ASSIGN_OR_RETURN(auto rs, tx.Query(sql, params));
  std::vector<StageCount> out;
  for (const auto& r : rs.rows)
    out.push_back({r.Text(0), r.Text(1), r.Text(2), r.Text(3), r.Text(4), r.Int(5)});
  return out;
}

Result<int64_t> CountOpenReviewTasks(
    Tx& tx, const std::optional<std::vector<std::string>>& department_scope) {
  std::vector<Value> params;
  std::string sql =
      "SELECT COUNT(*) FROM tasks t JOIN applications a ON a.id = t.application_id WHERE "
      "t.status = 'open' AND t.kind = 'human_review'";
  sql += ScopeClause(department_scope, "a.department_id", params);
  ZM_ASSIGN_OR_RETURN(auto r, tx.QueryOne(sql, params));
  return r ? r->Int(0) : 0;
}

Result<std::vector<ActivityRecord>> RecentPipelineActivity(
    Tx& tx, const std::optional<std::vector<std::string>>& department_scope, int limit) {
  std::vector<Value> params;
  std::string sql = kActivitySelect;
  sql += ScopeClause(department_scope, "a.department_id", params);
  sql += " ORDER BY al.seq DESC LIMIT ?";
  params.push_back(int64_t{limit});
  ZM_ASSIGN_OR_RETURN(auto rs, tx.Query(sql, params));
  return ActivityFromRows(rs);
}

Result<std::vector<ActivityRecord>> ApplicationActivity(Tx& tx, const std::string& application_id,
                                                        int limit) {
  std::string sql = kActivitySelect;
  sql +=
      " AND ((al.target_type = 'application' AND al.target_id = ?) OR (al.target_type = "
      "'interview' AND al.target_id IN (SELECT id FROM interviews WHERE application_id = ?)) OR "
      "(al.target_type = 'task' AND al.target_id IN (SELECT id FROM tasks WHERE application_id "
      "= ?))) ORDER BY al.seq LIMIT ?";
  ZM_ASSIGN_OR_RETURN(
      auto rs, tx.Query(sql, {application_id, application_id, application_id, int64_t{limit}}));
  return ActivityFromRows(rs);
}

// ---- comments ----

Status InsertComment(Tx& tx, const CommentRecord& c, const std::vector<std::string>& mentioned) {
  ZM_RETURN_IF_ERROR(tx.Exec(
      "INSERT INTO application_comments (id, application_id, author_id, kind, body_enc, "
      "body_chars, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
      {c.id, c.application_id, c.author_id, c.kind, c.body_enc, c.body_chars, c.created_at}));
  for (const auto& user_id : mentioned)
    ZM_RETURN_IF_ERROR(tx.Exec(
        "INSERT INTO comment_mentions (comment_id, user_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
        {c.id, user_id}));
  return Ok();
}

Result<Page<CommentRecord>> ListComments(Tx& tx, const std::string& application_id,
                                         const PageRequest& page) {
  std::vector<Value> params{application_id};
  std::string sql = kCommentSelect;
  sql += PageClause(page, "cm.id", params);
  ZM_ASSIGN_OR_RETURN(auto items, QueryComments(tx, sql, params));
  return MakePage(std::move(items), page, [](const auto& c) { return c.id; });
}

Result<std::vector<CommentRecord>> AllComments(Tx& tx, const std::string& application_id,
                                               int limit) {
  return QueryComments(tx, std::string(kCommentSelect) + " ORDER BY cm.id LIMIT ?",
                       {application_id, int64_t{limit}});
}

Result<std::optional<CommentRecord>> GetComment(Tx& tx, const std::string& application_id,
                                                const std::string& comment_id) {
  ZM_ASSIGN_OR_RETURN(auto rows, QueryComments(tx, std::string(kCommentSelect) + " AND cm.id = ?",
                                               {application_id, comment_id}));
  if (rows.empty()) return std::optional<CommentRecord>{};
  return std::optional<CommentRecord>{std::move(rows.front())};
}

Result<std::vector<StaffRef>> ListActiveStaff(Tx& tx, const std::vector<std::string>& roles,
                                              const std::vector<std::string>& scoped_roles,
                                              const std::string& department_id) {
  std::vector<Value> params;
  std::vector<std::string> alternatives;
  if (!roles.empty()) alternatives.push_back("u.role IN (" + Placeholders(roles, params) + ")");
  if (!scoped_roles.empty()) {
    std::string alt = "(u.role IN (" + Placeholders(scoped_roles, params) +
                      ") AND EXISTS (SELECT 1 FROM user_departments ud WHERE ud.user_id = u.id "
                      "AND ud.department_id = ?))";
    params.push_back(department_id);
    alternatives.push_back(std::move(alt));
  }
  if (alternatives.empty()) return std::vector<StaffRef>{};
  std::string sql = "SELECT u.id, u.name, u.role FROM users u WHERE u.status = 'active' AND (";
  for (size_t i = 0; i < alternatives.size(); ++i) sql += (i ? " OR " : "") + alternatives[i];
  sql += ") ORDER BY u.name, u.id";
  ZM_ASSIGN_OR_RETURN(auto rs, tx.Query(sql, params));
  std::vector<StaffRef> out;
  for (const auto& r : rs.rows) out.push_back({r.Text(0), r.Text(1), r.Text(2)});
  return out;
}

// ---- notifications ----

Status InsertNotification(Tx& tx, const NotificationRecord& n) {
  ZM_RETURN_IF_ERROR(
      tx.Exec("INSERT INTO notifications (id, recipient_id, kind, application_id, comment_id, "
              "actor_id, created_at, read_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
              {n.id, n.recipient_id, n.kind, n.application_id, OptText(n.comment_id), n.actor_id,
               n.created_at, OptInt(n.read_at)}));
  return Ok();
}

Result<Page<NotificationRecord>> ListNotifications(Tx& tx, const NotificationFilter& f,
                                                   const PageRequest& page) {
  std::vector<Value> params{f.recipient_id};
  std::string sql =
      "SELECT n.id, n.recipient_id, n.kind, n.application_id, n.comment_id, n.actor_id, "
      "n.created_at, n.read_at, u.name, cm.body_enc, a.candidate_id, c.name_enc, a.job_id, "
      "j.title, a.department_id FROM notifications n JOIN applications a ON a.id = "
      "n.application_id JOIN candidates c ON c.id = a.candidate_id JOIN jobs j ON j.id = "
      "a.job_id LEFT JOIN users u ON u.id = n.actor_id LEFT JOIN application_comments cm ON "
      "cm.id = n.comment_id WHERE n.recipient_id = ?";
  if (f.unread_only) sql += " AND n.read_at IS NULL";
  sql += ScopeClause(f.department_scope, "a.department_id", params);
  sql += PageClause(page, "n.id", params);
  ZM_ASSIGN_OR_RETURN(auto rs, tx.Query(sql, params));
  std::vector<NotificationRecord> items;
  for (const auto& r : rs.rows) {
    NotificationRecord n;
    n.id = r.Text(0);
    n.recipient_id = r.Text(1);
    n.kind = r.Text(2);
    n.application_id = r.Text(3);
    n.comment_id = r.OptText(4);
    n.actor_id = r.Text(5);
    n.created_at = r.Int(6);
    n.read_at = r.OptInt(7);
    n.actor_name = r.OptText(8);
    n.comment_body_enc = r.OptText(9);
    n.candidate_id = r.Text(10);
    n.candidate_name_enc = r.Text(11);
    n.job_id = r.Text(12);
    n.job_title = r.Text(13);
    n.department_id = r.Text(14);
    items.push_back(std::move(n));
  }
  return MakePage(std::move(items), page, [](const auto& n) { return n.id; });
}

Result<int64_t> CountUnreadNotifications(
    Tx& tx, const std::string& recipient_id,
    const std::optional<std::vector<std::string>>& department_scope) {
  std::vector<Value> params{recipient_id};
  std::string sql =
      "SELECT COUNT(*) FROM notifications n JOIN applications a ON a.id = n.application_id WHERE "
      "n.recipient_id = ? AND n.read_at IS NULL";
  sql += ScopeClause(department_scope, "a.department_id", params);
  ZM_ASSIGN_OR_RETURN(auto r, tx.QueryOne(sql, params));
  return r ? r->Int(0) : 0;
}

Result<int64_t> MarkNotificationsRead(Tx& tx, const std::string& recipient_id,
                                      const std::optional<std::vector<std::string>>& ids,
                                      int64_t now) {
  if (ids && ids->empty()) return 0;
  std::vector<Value> params{now, recipient_id};
  std::string sql =
      "UPDATE notifications SET read_at = ? WHERE recipient_id = ? AND read_at IS NULL";
  if (ids) sql += InClause("id", *ids, params);
  return tx.Exec(sql, params);
}

// ---- exports ----

Result<std::vector<CandidateContact>> CandidateContacts(Tx& tx,
                                                        const std::vector<std::string>& ids) {
  std::vector<CandidateContact> out;
  if (ids.empty()) return out;
  std::vector<Value> params;
  ZM_ASSIGN_OR_RETURN(auto rs, tx.Query("SELECT id, email_enc, phone_enc FROM candidates WHERE "
                                        "id IN (" +
                                            Placeholders(ids, params) + ")",
                                        params));
  for (const auto& r : rs.rows) out.push_back({r.Text(0), r.OptText(1), r.OptText(2)});
  return out;
}

Result<std::map<std::string, std::string>> DepartmentNames(Tx& tx) {
  ZM_ASSIGN_OR_RETURN(auto rs, tx.Query("SELECT id, name FROM departments"));
  std::map<std::string, std::string> out;
  for (const auto& r : rs.rows) out[r.Text(0)] = r.Text(1);
  return out;
}

// ---- exact-name index backfill ----

Result<std::vector<NameIndexRow>> CandidatesWithoutNameIndex(Tx& tx, int limit) {
  ZM_ASSIGN_OR_RETURN(auto rs, tx.Query("SELECT id, name_enc FROM candidates WHERE name_bidx IS "
                                        "NULL ORDER BY id LIMIT ?",
                                        {int64_t{limit}}));
  std::vector<NameIndexRow> out;
  for (const auto& r : rs.rows) out.push_back({r.Text(0), r.Text(1)});
  return out;
}

Status SetCandidateNameIndex(Tx& tx, const std::string& id, const std::string& name_bidx) {
  ZM_RETURN_IF_ERROR(tx.Exec("UPDATE candidates SET name_bidx = ? WHERE id = ?", {name_bidx, id}));
  return Ok();
}

// ---- talent pool ----
Result<Page<TalentPoolEntry>> ListTalentPool(Tx& tx, const TalentPoolQuery& q,
                                             const PageRequest& page) {
  std::vector<Value> params;
  std::string sql =
      "SELECT c.id, c.name_enc FROM candidates c WHERE EXISTS (SELECT 1 FROM applications p "
      "WHERE p.candidate_id = c.id AND p.stage = 'talent_pool'" +
      ScopeClause(q.department_scope, "p.department_id", params) + ")";
  if (q.name_bidx) {
    sql += " AND c.name_bidx = ?";
    params.push_back(*q.name_bidx);
  }
  if (q.email_bidx) {
    sql += " AND c.email_bidx = ?";
    params.push_back(*q.email_bidx);
  }
  if (q.phone_bidx) {
    sql += " AND c.phone_bidx = ?";
    params.push_back(*q.phone_bidx);
  }
  if (q.tag) {
    sql += " AND EXISTS (SELECT 1 FROM candidate_tags t WHERE t.candidate_id = c.id AND t.tag = ?)";
    params.push_back(*q.tag);
  }
  if (q.min_best) {
    sql +=
        " AND EXISTS (SELECT 1 FROM applications b JOIN interviews iv ON iv.application_id = "
        "b.id WHERE b.candidate_id = c.id AND iv.overall >= ?";
    params.push_back(*q.min_best);
    sql += ScopeClause(q.department_scope, "b.department_id", params) + ")";
  }
  sql += PageClause(page, "c.id", params);
  ZM_ASSIGN_OR_RETURN(auto rows, tx.Query(sql, params));
  std::vector<TalentPoolEntry> items;
  for (const auto& r : rows.rows) {
    TalentPoolEntry e;
    e.candidate_id = r.Text(0);
    e.name_enc = r.Text(1);
    items.push_back(std::move(e));
  }
  auto out = MakePage(std::move(items), page, [](const auto& e) { return e.candidate_id; });
  if (out.items.empty()) return out;

  std::map<std::string, TalentPoolEntry*> by_id;
  std::vector<std::string> ids;
  for (auto& e : out.items) {
    by_id[e.candidate_id] = &e;
    ids.push_back(e.candidate_id);
  }
  std::vector<Value> tp;
  std::string in = Placeholders(ids, tp);
  ZM_ASSIGN_OR_RETURN(auto tags, tx.Query("SELECT candidate_id, tag FROM candidate_tags WHERE "
                                          "candidate_id IN (" +
                                              in + ") ORDER BY tag",
                                          tp));
  for (const auto& r : tags.rows) by_id[r.Text(0)]->tags.push_back(r.Text(1));
  std::vector<Value> ap;
  std::string ain = Placeholders(ids, ap);
  std::string asql =
      "SELECT a.candidate_id, a.id, a.job_id, j.title, a.stage, iv.overall, a.updated_at FROM "
      "applications a JOIN jobs j ON j.id = a.job_id LEFT JOIN interviews iv ON "
      "iv.application_id = a.id WHERE a.candidate_id IN (" +
      ain + ")" + ScopeClause(q.department_scope, "a.department_id", ap) +
      " ORDER BY a.updated_at DESC, a.id DESC";
  ZM_ASSIGN_OR_RETURN(auto apps, tx.Query(asql, ap));
  for (const auto& r : apps.rows) {
    TalentPoolEntry& e = *by_id[r.Text(0)];
    TalentPoolApplication a{r.Text(1), r.Text(2), r.Text(3), r.Text(4), r.OptDouble(5), r.Int(6)};
    if (a.overall && (!e.best_overall || *a.overall > *e.best_overall)) e.best_overall = a.overall;
    e.applications.push_back(std::move(a));
  }
  return out;
}

}  // namespace zm::storage
