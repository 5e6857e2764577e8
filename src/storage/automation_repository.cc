#include "storage/automation_repository.h"

#include <algorithm>
#include <set>

#include <nlohmann/json.hpp>

namespace zm::storage {

namespace {
constexpr std::string_view kRuleColumns =
    "id, job_id, name, enabled, trigger_type, position, definition, created_by, created_at, "
    "updated_at";

RuleRecord RuleFromRow(const Row& r) {
  RuleRecord x;
  x.id = r.Text(0);
  x.job_id = r.OptText(1);
  x.name = r.Text(2);
  x.enabled = r.Bool(3);
  x.trigger_type = r.Text(4);
  x.position = r.Int(5);
  x.definition = r.Text(6);
  x.created_by = r.Text(7);
  x.created_at = r.Int(8);
  x.updated_at = r.Int(9);
  return x;
}
}  // namespace

Status InsertRule(Tx& tx, const RuleRecord& r) {
  ZM_RETURN_IF_ERROR(tx.Exec(
      "INSERT INTO automation_rules (id, job_id, name, enabled, trigger_type, position, "
      "definition, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {r.id, OptText(r.job_id), r.name, int64_t{r.enabled ? 1 : 0}, r.trigger_type, r.position,
       r.definition, r.created_by, r.created_at, r.updated_at}));
  return Ok();
}

Result<std::optional<RuleRecord>> GetRule(Tx& tx, const std::string& id) {
  ZM_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT " + std::string(kRuleColumns) +
                                                " FROM automation_rules WHERE id = ?",
                                            {id}));
  if (!row) return std::optional<RuleRecord>{};
  return std::optional<RuleRecord>{RuleFromRow(*row)};
}

Status UpdateRule(Tx& tx, const RuleRecord& r) {
  ZM_RETURN_IF_ERROR(
      tx.Exec("UPDATE automation_rules SET name = ?, enabled = ?, trigger_type = ?, position = ?, "
              "definition = ?, updated_at = ? WHERE id = ?",
              {r.name, int64_t{r.enabled ? 1 : 0}, r.trigger_type, r.position, r.definition,
               r.updated_at, r.id}));
  return Ok();
}

Status DeleteRule(Tx& tx, const std::string& id) {
  ZM_ASSIGN_OR_RETURN(int64_t n, tx.Exec("DELETE FROM automation_rules WHERE id = ?", {id}));
  if (n == 0) return NotFound("rule");
  return Ok();
}

Result<std::vector<RuleRecord>> ListRules(Tx& tx, const RuleFilter& f) {
  std::string sql = "SELECT " + std::string(kRuleColumns) + " FROM automation_rules WHERE 1 = 1";
  std::vector<Value> params;
  if (f.job_id) {
    if (f.job_id->empty()) {
      sql += " AND job_id IS NULL";
    } else {
      sql += " AND job_id = ?";
      params.emplace_back(*f.job_id);
    }
  }
  if (f.trigger_type) {
    sql += " AND trigger_type = ?";
    params.emplace_back(*f.trigger_type);
  }
  sql += " ORDER BY position, id LIMIT 1000";
  ZM_ASSIGN_OR_RETURN(auto rows, tx.Query(sql, params));
  std::vector<RuleRecord> out;
  for (const auto& r : rows.rows) out.push_back(RuleFromRow(r));
  return out;
}

Result<std::vector<RuleRecord>> EffectiveRules(Tx& tx, const std::string& job_id) {
  ZM_ASSIGN_OR_RETURN(auto own, ListRules(tx, {.job_id = job_id}));
  if (!own.empty()) return own;
  return ListRules(tx, {.job_id = std::string()});
}

Result<bool> InsertRuleFiring(Tx& tx, const std::string& rule_id, const std::string& event_key,
                              const std::string& application_id, int64_t now,
                              const std::string& outcome_json) {
  ZM_ASSIGN_OR_RETURN(
      int64_t n,
      tx.Exec("INSERT INTO rule_firings (rule_id, event_key, application_id, fired_at, outcome) "
              "VALUES (?, ?, ?, ?, ?) ON CONFLICT (rule_id, event_key) DO NOTHING",
              {rule_id, event_key, application_id, now, outcome_json}));
  return n == 1;
}

Result<ScoreFacts> InterviewScoreFacts(Tx& tx, const std::string& interview_id) {
  ScoreFacts f;
  ZM_ASSIGN_OR_RETURN(
      auto iv,
      tx.QueryOne("SELECT overall, score_version FROM interviews WHERE id = ?", {interview_id}));
  if (!iv) return f;
  f.overall = iv->OptDouble(0);
  ZM_ASSIGN_OR_RETURN(auto dims, tx.Query("SELECT dimension_key, score FROM dimension_scores "
                                          "WHERE interview_id = ?",
                                          {interview_id}));
  for (const auto& r : dims.rows) f.dimensions[r.Text(0)] = r.Double(1);
  ZM_ASSIGN_OR_RETURN(auto score, tx.QueryOne("SELECT result FROM interview_scores WHERE "
                                              "interview_id = ? AND version = ?",
                                              {interview_id, iv->Int(1)}));
  if (score) {
    auto doc = nlohmann::json::parse(score->Text(0), nullptr, false);
    std::set<std::string> codes;
    if (doc.is_object() && doc.contains("answers") && doc["answers"].is_array())
      for (const auto& a : doc["answers"])
        if (a.is_object() && a.contains("flags") && a["flags"].is_array())
          for (const auto& fl : a["flags"])
            if (fl.is_object() && fl.contains("code") && fl["code"].is_string())
              codes.insert(fl["code"].get<std::string>());
    f.flags.assign(codes.begin(), codes.end());
  }
  return f;
}

Result<std::vector<std::string>> AllDimensionKeys(Tx& tx,
                                                  const std::optional<std::string>& job_id) {
  std::string sql = "SELECT competency_model FROM jobs WHERE competency_model IS NOT NULL";
  std::vector<Value> params;
  if (job_id) {
    sql += " AND id = ?";
    params.emplace_back(*job_id);
  }
  ZM_ASSIGN_OR_RETURN(auto rows, tx.Query(sql, params));
  std::set<std::string> keys;
  for (const auto& r : rows.rows) {
    auto doc = nlohmann::json::parse(r.Text(0), nullptr, false);
    // Stored as the dimensions array (hiring_repository); an object with "dimensions" is
    // accepted too.
    if (doc.is_object() && doc.contains("dimensions")) doc = doc["dimensions"];
    if (doc.is_array())
      for (const auto& d : doc)
        if (d.is_object() && d.contains("key") && d["key"].is_string())
          keys.insert(d["key"].get<std::string>());
  }
  return std::vector<std::string>(keys.begin(), keys.end());
}

Result<std::vector<FinishedApplication>> FinishedApplications(Tx& tx, const std::string& job_id,
                                                              int limit) {
  ZM_ASSIGN_OR_RETURN(
      auto rows,
      tx.Query("SELECT a.id, iv.id, a.stage FROM applications a JOIN interviews iv ON "
               "iv.application_id = a.id WHERE a.job_id = ? AND iv.finished_at IS NOT NULL "
               "ORDER BY a.id DESC LIMIT ?",
               {job_id, int64_t{limit}}));
  std::vector<FinishedApplication> out;
  for (const auto& r : rows.rows) out.push_back({r.Text(0), r.Text(1), r.Text(2)});
  return out;
}

Status AddCandidateTag(Tx& tx, const std::string& candidate_id, const std::string& tag,
                       int64_t now) {
  ZM_ASSIGN_OR_RETURN(auto row, tx.QueryOne("SELECT tags FROM candidates WHERE id = ?" +
                                                std::string(tx.ForUpdate()),
                                            {candidate_id}));
  if (!row) return NotFound("candidate");
  auto tags = FromJsonArray(row->Text(0));
  if (std::ranges::find(tags, tag) != tags.end()) return Ok();
  tags.push_back(tag);
  ZM_RETURN_IF_ERROR(tx.Exec("UPDATE candidates SET tags = ?, updated_at = ? WHERE id = ?",
                             {ToJsonArray(tags), now, candidate_id}));
  ZM_RETURN_IF_ERROR(
      tx.Exec("INSERT INTO candidate_tags (candidate_id, tag) VALUES (?, ?) ON CONFLICT DO NOTHING",
              {candidate_id, tag}));
  return Ok();
}

}  // namespace zm::storage
