// Automation rules at work: CRUD with strict validation, the dry run, and the job handlers that
// run rules when an interview completes (job kind "interview.completed"), a person moves an
// application into a stage ("application.stage_entered", see stage_change.h) or a rule does
// (stage-entered rules, run in the same transaction).
//
// Exactly once: a rule fires at most once per event (rule_firings primary key), and its effects
// (stage move, tag, task, enqueued notifications) commit in one transaction with the job's
// completion, so a worker that dies or loses its lease leaves no partial or doubled effect.
// Notifications are `notify.<channel>` jobs whose idempotency key is derived from rule id, event
// and action index; their handlers live in notify/.
//
// Every stage move is audited (application.stage_changed) with the rule as the actor
// (actor_type "system", actor_id "rule:<id>"). Thread-safe; the database and cipher must outlive
// the object.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "jobs/worker.h"
#include "security/principal.h"
#include "storage/database.h"
#include "workflow/rules.h"

namespace zm::security {
class FieldCipher;
}

namespace zm::workflow {

inline constexpr char kInterviewCompletedJob[] = "interview.completed";
// The periodic sweep: no-action rules and reminders. One job per hour slot (idempotency key
// "workflow.sweep:<slot>"); each sweep enqueues the next.
inline constexpr char kSweepJob[] = "workflow.sweep";
inline constexpr int64_t kSweepIntervalMs = 3600000;
// A finished interview whose result nobody viewed for this long gets an HR task (once).
inline constexpr int64_t kUnviewedReminderMs = 3 * 86400000LL;
// An invited candidate who has not started after this long gets one reminder (a job of this
// kind, run by the interview service: it mints a fresh link and e-mails it), unless the link
// expires within kReminderMinValidityMs anyway.
inline constexpr char kInterviewRemindJob[] = "interview.remind";
inline constexpr int64_t kNotStartedReminderMs = 2 * 86400000LL;
inline constexpr int64_t kReminderMinValidityMs = 3600000LL;

// Payload of an interview.completed job (ids only).
std::string InterviewCompletedPayload(const std::string& interview_id,
                                      const std::string& application_id);

struct RuleInput {
  // Fields present in the request (PATCH applies only these).
  std::optional<std::optional<std::string>> job_id;  // create only; null = organisation
  std::optional<std::string> name;
  std::optional<bool> enabled;
  std::optional<int64_t> position;
  // The JSON text of {trigger, conditions, actions}, each member present when given.
  std::optional<std::string> trigger_json, conditions_json, actions_json;
};
// Strict parse of a create / patch body. kInvalidArgument for unknown fields or wrong types.
Result<RuleInput> ParseRuleInput(const std::string& body_json, bool create);

// One application in a dry run.
struct DryRunAction {
  std::string type, detail;  // detail: the stage, template or tag
  bool allowed = true;       // false: a stage move the pipeline refuses from the current stage
};
struct DryRunRule {
  std::string rule_id, name;
  bool would_fire = false, already_fired = false;
  std::vector<DryRunAction> actions;
};
struct DryRunItem {
  std::string application_id, interview_id, stage;
  std::optional<double> overall;
  std::vector<DryRunRule> rules;
};

class Automation {
 public:
  Automation(storage::Database& db, const security::FieldCipher& cipher)
      : db_(db), cipher_(cipher) {}

  // Reads need jobs:read (managers: organisation rules and rules of jobs in scope); writes
  // need jobs:write. A job id outside the caller's scope is kNotFound.
  Result<std::vector<Rule>> List(const security::Context& ctx,
                                 const std::optional<std::string>& job_id, bool org_only);
  Result<Rule> Get(const security::Context& ctx, const std::string& id);
  // kInvalidArgument "validation_failed" with details (unknown fields, impossible conditions,
  // unknown stage or dimension, a cycle of stage moves among the job's rules).
  Result<Rule> Create(const security::Context& ctx, const RuleInput& in);
  Result<Rule> Update(const security::Context& ctx, const std::string& id, const RuleInput& in);
  Status Delete(const security::Context& ctx, const std::string& id);
  // What the job's interview-completed rules (or `proposed`, a definition not yet saved) would
  // do to its applications with a finished interview (newest 200). Changes nothing.
  Result<std::vector<DryRunItem>> DryRun(const security::Context& ctx, const std::string& job_id,
                                         const std::optional<RuleInput>& proposed);

  // Handler of "interview.completed" jobs.
  Status OnInterviewCompleted(jobs::JobContext& job);
  // Handler of "workflow.sweep": runs no_action rules on applications idle in their stage for
  // the rule's days (event "no_action:<application>:<updated_at>", so once per idle period),
  // creates one HR task per finished interview whose result was not viewed within 3 days and
  // one per invitation that expired unfinished, and enqueues one interview.remind job per
  // invited candidate who has not started within 2 days.
  Status OnSweep(jobs::JobContext& job);
  // Handler of "application.stage_entered" (a person or the interview engine moved an
  // application): runs the job's stage-entered rules for that stage, once per event, unless the
  // application has left the stage meanwhile.
  Status OnStageEntered(jobs::JobContext& job);
  // Enqueues the sweep of the current hour slot (idempotent); workers call it when they start.
  Status ScheduleSweep();
  void Register(jobs::Registry& registry);

 private:
  struct Application;
  // The application (row locked for the transaction) with the score facts of `interview_id`, or
  // of its latest interview when empty. nullopt when it is gone.
  Result<std::optional<Application>> LoadApplication(storage::Tx& tx,
                                                     const std::string& application_id,
                                                     const std::string& interview_id);
  Status RunRules(storage::Tx& tx, Application& app, const std::vector<Rule>& rules,
                  const Facts& facts, const std::string& event_key, int depth);
  Status ApplyStageMove(storage::Tx& tx, Application& app, const Rule& rule, Stage to,
                        std::string& outcome, const std::string& event_key, int depth);
  // One open follow_up task per (reminder, key), e.g. ("reminder.unviewed_result",
  // "unviewed:<interview>"); a key seen before adds nothing.
  Status ReminderTask(storage::Tx& tx, const std::string& reminder, const std::string& key,
                      const std::string& application_id, const std::string& department_id,
                      const std::string& title, const std::string& detail, int64_t now);
  Result<Rule> Save(const security::Context& ctx, const std::optional<std::string>& id,
                    const RuleInput& in);

  storage::Database& db_;
  const security::FieldCipher& cipher_;
};

}  // namespace zm::workflow
