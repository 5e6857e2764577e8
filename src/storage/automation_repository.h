// Automation rules, their firings and the facts rules are evaluated on (workflow/automation.h).
// Functions run inside the caller's transaction; errors as in database.h.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "storage/database.h"
#include "storage/page.h"

namespace zm::storage {

struct RuleRecord {
  std::string id;
  std::optional<std::string> job_id;  // nullopt: an organisation default
  std::string name;
  bool enabled = true;
  std::string trigger_type;
  int64_t position = 0;
  std::string definition;  // JSON: trigger, conditions, actions
  std::string created_by;
  int64_t created_at = 0, updated_at = 0;
};
Status InsertRule(Tx& tx, const RuleRecord& r);
Result<std::optional<RuleRecord>> GetRule(Tx& tx, const std::string& id);
Status UpdateRule(Tx& tx, const RuleRecord& r);
Status DeleteRule(Tx& tx, const std::string& id);
struct RuleFilter {
  // nullopt: every rule; "" organisation defaults only; an id: that job's rules only.
  std::optional<std::string> job_id;
  std::optional<std::string> trigger_type;
};
// In evaluation order: position, then id.
Result<std::vector<RuleRecord>> ListRules(Tx& tx, const RuleFilter& f);
// The rules that apply to a job: its own when it has any, else the organisation defaults.
Result<std::vector<RuleRecord>> EffectiveRules(Tx& tx, const std::string& job_id);

// Records that `rule_id` fired for `event_key`. False (and nothing written) when it fired for
// that event before: a rule never fires twice for one event.
Result<bool> InsertRuleFiring(Tx& tx, const std::string& rule_id, const std::string& event_key,
                              const std::string& application_id, int64_t now,
                              const std::string& outcome_json);

// The effective scores of an application's interview and the risk flag codes of its current
// score version.
struct ScoreFacts {
  std::optional<double> overall;
  std::map<std::string, double> dimensions;
  std::vector<std::string> flags;
};
Result<ScoreFacts> InterviewScoreFacts(Tx& tx, const std::string& interview_id);

// Every dimension key of every job's competency model (organisation rules may name any), or of
// one job's when `job_id` is set.
Result<std::vector<std::string>> AllDimensionKeys(Tx& tx,
                                                  const std::optional<std::string>& job_id = {});

// Applications of a job with a finished interview (dry runs), newest first, at most `limit`.
struct FinishedApplication {
  std::string application_id, interview_id, stage;
};
Result<std::vector<FinishedApplication>> FinishedApplications(Tx& tx, const std::string& job_id,
                                                              int limit);

// Adds `tag` to the candidate's tags (no-op when present).
Status AddCandidateTag(Tx& tx, const std::string& candidate_id, const std::string& tag,
                       int64_t now);

}  // namespace zm::storage
