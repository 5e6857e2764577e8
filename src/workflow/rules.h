// Pipeline transitions and automation rules as values: parsing with strict validation, condition
// evaluation and the cycle check. No I/O (automation.h runs them).
//
// A rule: a trigger (an interview completed; an application entered a stage; no action on an
// application in a stage for N days), conditions that must all hold (overall score range,
// dimension score ranges, risk flags present or absent, current stage) and actions run in order
// (move the stage, enqueue a notification, put into the talent pool with a tag, create an HR
// task). Rules belong to a job, or to the organisation (job_id null): a job without rules of its
// own uses the organisation's.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/result.h"
#include "domain/application.h"

namespace zm::workflow {

using domain::Stage;

// ---- pipeline ----

// Whether a rule may move an application from `from` to `to`: forward along the pipeline
// (新申请 -> ... -> 已入职), to 未通过 or 人才库 from any stage before 已入职, from 未通过 to
// 人才库, and from 人才库 back to 新申请 / 简历筛选 / AI面试邀请 (re-invitation). People may move
// any application to any stage (an override); only rules are held to this table.
bool IsAutomaticTransitionAllowed(Stage from, Stage to);

// ---- rules ----

enum class TriggerType { kInterviewCompleted, kStageEntered, kNoAction };
std::string_view ToString(TriggerType t);

struct Trigger {
  TriggerType type = TriggerType::kInterviewCompleted;
  std::optional<Stage> stage;  // stage_entered (required), no_action (required)
  int days = 0;                // no_action: 1..365
};

// gte <= value < lt; either bound may be absent.
struct ScoreRange {
  std::optional<double> gte, lt;
  bool Holds(double v) const { return (!gte || v >= *gte) && (!lt || v < *lt); }
};

struct DimensionCondition {
  std::string key;
  ScoreRange range;
};

struct Conditions {
  std::optional<ScoreRange> overall;
  std::vector<DimensionCondition> dimensions;
  std::vector<std::string> flags_any;   // at least one of these risk flags is raised
  std::vector<std::string> flags_none;  // none of these is raised
  std::vector<Stage> stages;            // the application is in one of these stages
};

enum class ActionType { kMoveStage, kNotify, kTalentPool, kCreateTask };
std::string_view ToString(ActionType t);

struct Action {
  ActionType type = ActionType::kMoveStage;
  Stage stage = Stage::kNew;  // move_stage
  // notify: channel (email | sms | wecom | dingtalk | feishu), recipient (candidate | hr |
  // manager) and message template id; handled by a `notify.<channel>` job.
  std::string channel, to, template_id;
  std::string tag;    // talent_pool: added to the candidate's tags (may be empty)
  std::string title;  // create_task: the task's title
  std::string task_kind = "human_review";
};

struct RuleDefinition {
  Trigger trigger;
  Conditions conditions;
  std::vector<Action> actions;
};

struct Rule {
  std::string id;
  std::optional<std::string> job_id;  // nullopt: an organisation default
  std::string name;
  bool enabled = true;
  int64_t position = 0;  // evaluation order (ascending, then id)
  RuleDefinition definition;
  std::string created_by;
  int64_t created_at = 0, updated_at = 0;
};

inline constexpr size_t kRuleNameMax = 200;
inline constexpr size_t kMaxActions = 10;

// The risk flags the rubric scorer raises (scoring/rubric.h).
const std::vector<std::string>& KnownFlags();

// What the validator needs to know about the world.
struct RuleContext {
  // Dimension keys a condition may name: the job's competency model, or (organisation rules)
  // every job's.
  std::set<std::string> dimension_keys;
};

// Parses the definition (trigger, conditions, actions) from JSON text; strict: unknown fields,
// wrong types, unknown stages / flags / channels, impossible ranges (gte >= lt, outside 0..100)
// and unknown dimensions are errors with one FieldError each (field paths like
// "conditions.dimensions[0].key"). kInvalidArgument "validation_failed".
Result<RuleDefinition> ParseDefinition(const std::string& json_text, const RuleContext& ctx,
                                       const std::string& field_prefix = "");
std::string DefinitionJson(const RuleDefinition& d);

// Stage-move edges of stage-entered rules (trigger stage -> moved-to stage); a cycle among the
// enabled rules of one job would move an application round forever. Returns the first cycle as
// stage names ("hr_review -> second_round -> hr_review"), or nullopt.
std::optional<std::string> FindStageCycle(const std::vector<Rule>& rules);

// What a rule's conditions are checked against.
struct Facts {
  Stage stage = Stage::kNew;
  std::optional<double> overall;
  std::map<std::string, double> dimensions;
  std::set<std::string> flags;
};
// True when every condition holds. A score condition on an absent score does not hold.
bool ConditionsHold(const Conditions& c, const Facts& f);

}  // namespace zm::workflow
