#include "workflow/automation.h"

#include <algorithm>
#include <set>

#include <nlohmann/json.hpp>

#include "common/ids.h"
#include "common/log.h"
#include "common/time.h"
#include "jobs/queue.h"
#include "security/audit_log.h"
#include "security/crypto.h"
#include "storage/automation_repository.h"
#include "storage/hiring_repository.h"
#include "storage/interview_repository.h"
#include "workflow/stage_change.h"

namespace zm::workflow {

using nlohmann::json;
using security::Context;
using security::Permission;
using storage::Tx;

namespace {

constexpr int kMaxChainDepth = 5;  // stage-entered rules triggered by rule moves

Context RuleContextFor(const std::string& rule_id) {
  Context c;
  c.principal = security::Principal::System();
  c.principal.id = "rule:" + rule_id;
  return c;
}

Status Need(const Context& ctx, Permission p) {
  if (!ctx.principal.Has(p))
    return PermissionDenied("requires " + std::string(security::PermissionName(p)));
  return Ok();
}

Result<Rule> FromRecord(const storage::RuleRecord& r) {
  Rule out;
  out.id = r.id;
  out.job_id = r.job_id;
  out.name = r.name;
  out.enabled = r.enabled;
  out.position = r.position;
  out.created_by = r.created_by;
  out.created_at = r.created_at;
  out.updated_at = r.updated_at;
  // Stored definitions were validated on save; dimension keys are not re-checked on reads (a
  // model may have changed since), so any key is accepted here.
  RuleContext any;
  auto doc = json::parse(r.definition, nullptr, false);
  if (doc.is_object() && doc.contains("conditions") && doc["conditions"].contains("dimensions"))
    for (const auto& d : doc["conditions"]["dimensions"])
      if (d.is_object() && d.contains("key") && d["key"].is_string())
        any.dimension_keys.insert(d["key"].get<std::string>());
  auto def = ParseDefinition(r.definition, any);
  if (!def) return Internal("stored rule " + r.id + " does not parse");
  out.definition = std::move(*def);
  return out;
}

Result<std::vector<Rule>> FromRecords(const std::vector<storage::RuleRecord>& rs) {
  std::vector<Rule> out;
  for (const auto& r : rs) {
    ZM_ASSIGN_OR_RETURN(auto rule, FromRecord(r));
    out.push_back(std::move(rule));
  }
  return out;
}

json StageChange(const std::string& from, const std::string& to, const std::string& rule_id,
                 const std::string& rule_name) {
  return {{"before", {{"stage", from}}},
          {"after", {{"stage", to}}},
          {"rule_id", rule_id},
          {"rule_name", rule_name}};
}

}  // namespace

std::string InterviewCompletedPayload(const std::string& interview_id,
                                      const std::string& application_id) {
  return json{{"interview_id", interview_id}, {"application_id", application_id}}.dump();
}

Result<RuleInput> ParseRuleInput(const std::string& body_json, bool create) {
  auto doc = json::parse(body_json, nullptr, false);
  if (doc.is_discarded() || !doc.is_object())
    return InvalidArgument("invalid rule", {{"body", "must be a JSON object"}});
  std::vector<FieldError> errors;
  RuleInput in;
  static const std::set<std::string> kAllowed = {"job_id",  "name",       "enabled", "position",
                                                 "trigger", "conditions", "actions"};
  for (const auto& [k, v] : doc.items()) {
    if (!kAllowed.contains(k)) {
      errors.push_back({k, "unknown field"});
      continue;
    }
    if (k == "job_id") {
      if (!create)
        errors.push_back({k, "cannot be changed; create a rule for the other job"});
      else if (v.is_null())
        in.job_id = std::optional<std::string>{};
      else if (v.is_string() && IsValidId(v.get<std::string>()))
        in.job_id = std::optional<std::string>{v.get<std::string>()};
      else
        errors.push_back({k, "must be a job id or null (organisation default)"});
    } else if (k == "name") {
      if (!v.is_string() || v.get<std::string>().empty() ||
          v.get<std::string>().size() > kRuleNameMax)
        errors.push_back({k, "must be a string of 1..200 bytes"});
      else
        in.name = v.get<std::string>();
    } else if (k == "enabled") {
      if (!v.is_boolean())
        errors.push_back({k, "must be true or false"});
      else
        in.enabled = v.get<bool>();
    } else if (k == "position") {
      if (!v.is_number_integer() || v.get<int64_t>() < 0 || v.get<int64_t>() > 1000000)
        errors.push_back({k, "must be an integer 0..1000000"});
      else
        in.position = v.get<int64_t>();
    } else if (k == "trigger") {
      in.trigger_json = v.dump();
    } else if (k == "conditions") {
      in.conditions_json = v.dump();
    } else if (k == "actions") {
      in.actions_json = v.dump();
    }
  }
  if (create) {
    if (!in.name && !doc.contains("name")) errors.push_back({"name", "required"});
    if (!doc.contains("trigger")) errors.push_back({"trigger", "required"});
    if (!doc.contains("actions")) errors.push_back({"actions", "required"});
  }
  if (!errors.empty()) return InvalidArgument("invalid rule", std::move(errors));
  return in;
}

// ---- CRUD ----

Result<std::vector<Rule>> Automation::List(const Context& ctx,
                                           const std::optional<std::string>& job_id,
                                           bool org_only) {
  ZM_RETURN_IF_ERROR(Need(ctx, Permission::kJobsRead));
  return db_.ReadValue<std::vector<Rule>>([&](Tx& tx) -> Result<std::vector<Rule>> {
    storage::RuleFilter f;
    if (org_only) f.job_id = std::string();
    if (job_id) {
      ZM_ASSIGN_OR_RETURN(auto job, storage::GetJob(tx, *job_id));
      if (!job || !ctx.principal.InScope(job->department_id)) return NotFound("job");
      f.job_id = *job_id;
    }
    ZM_ASSIGN_OR_RETURN(auto recs, storage::ListRules(tx, f));
    if (!job_id && ctx.principal.department_scope) {
      // Managers: organisation rules and rules of jobs in their departments.
      std::vector<storage::RuleRecord> kept;
      for (auto& r : recs) {
        if (!r.job_id) {
          kept.push_back(std::move(r));
          continue;
        }
        ZM_ASSIGN_OR_RETURN(auto job, storage::GetJob(tx, *r.job_id));
        if (job && ctx.principal.InScope(job->department_id)) kept.push_back(std::move(r));
      }
      recs = std::move(kept);
    }
    return FromRecords(recs);
  });
}

Result<Rule> Automation::Get(const Context& ctx, const std::string& id) {
  ZM_RETURN_IF_ERROR(Need(ctx, Permission::kJobsRead));
  return db_.ReadValue<Rule>([&](Tx& tx) -> Result<Rule> {
    ZM_ASSIGN_OR_RETURN(auto rec, storage::GetRule(tx, id));
    if (!rec) return NotFound("rule");
    if (rec->job_id) {
      ZM_ASSIGN_OR_RETURN(auto job, storage::GetJob(tx, *rec->job_id));
      if (!job || !ctx.principal.InScope(job->department_id)) return NotFound("rule");
    }
    return FromRecord(*rec);
  });
}

Result<Rule> Automation::Create(const Context& ctx, const RuleInput& in) {
  return Save(ctx, std::nullopt, in);
}

Result<Rule> Automation::Update(const Context& ctx, const std::string& id, const RuleInput& in) {
  return Save(ctx, id, in);
}

Result<Rule> Automation::Save(const Context& ctx, const std::optional<std::string>& id,
                              const RuleInput& in) {
  ZM_RETURN_IF_ERROR(Need(ctx, Permission::kJobsWrite));
  return db_.WriteValue<Rule>([&](Tx& tx) -> Result<Rule> {
    storage::RuleRecord rec;
    std::optional<storage::RuleRecord> before;
    int64_t now = NowMillis();
    if (id) {
      ZM_ASSIGN_OR_RETURN(before, storage::GetRule(tx, *id));
      if (!before) return NotFound("rule");
      rec = *before;
    } else {
      rec.id = NewId();
      rec.job_id = in.job_id.value_or(std::nullopt);
      rec.created_by = ctx.principal.id;
      rec.created_at = now;
      rec.position = 100;
    }
    if (rec.job_id) {
      ZM_ASSIGN_OR_RETURN(auto job, storage::GetJob(tx, *rec.job_id));
      if (!job || !ctx.principal.InScope(job->department_id)) {
        if (id) return NotFound("rule");
        return InvalidArgument("invalid rule", {{"job_id", "no such job"}});
      }
    }
    if (in.name) rec.name = *in.name;
    if (in.enabled) rec.enabled = *in.enabled;
    if (in.position) rec.position = *in.position;
    rec.updated_at = now;

    // The definition: stored parts overlaid with the given ones, then validated as a whole.
    json def = before ? json::parse(before->definition, nullptr, false) : json::object();
    if (!def.is_object()) def = json::object();
    if (in.trigger_json) def["trigger"] = json::parse(*in.trigger_json);
    if (in.conditions_json) def["conditions"] = json::parse(*in.conditions_json);
    if (in.actions_json) def["actions"] = json::parse(*in.actions_json);
    RuleContext rctx;
    ZM_ASSIGN_OR_RETURN(auto keys, storage::AllDimensionKeys(tx, rec.job_id));
    rctx.dimension_keys.insert(keys.begin(), keys.end());
    ZM_ASSIGN_OR_RETURN(auto parsed, ParseDefinition(def.dump(), rctx));
    rec.definition = DefinitionJson(parsed);
    rec.trigger_type = std::string(ToString(parsed.trigger.type));

    // No cycle of stage moves among the rules that run together.
    ZM_ASSIGN_OR_RETURN(auto siblings_recs,
                        storage::ListRules(tx, {.job_id = rec.job_id.value_or("")}));
    ZM_ASSIGN_OR_RETURN(auto siblings, FromRecords(siblings_recs));
    std::erase_if(siblings, [&](const Rule& r) { return r.id == rec.id; });
    Rule self;
    self.id = rec.id;
    self.enabled = rec.enabled;
    self.definition = parsed;
    siblings.push_back(self);
    if (auto cycle = FindStageCycle(siblings))
      return InvalidArgument("invalid rule",
                             {{"actions", "cycle of stage moves among the rules: " + *cycle}});

    json after = {{"name", rec.name},
                  {"enabled", rec.enabled},
                  {"position", rec.position},
                  {"job_id", rec.job_id ? json(*rec.job_id) : json(nullptr)},
                  {"definition", json::parse(rec.definition)}};
    json changes = {{"after", after}};
    if (before) {
      ZM_RETURN_IF_ERROR(storage::UpdateRule(tx, rec));
      changes["before"] = {{"name", before->name},
                           {"enabled", before->enabled},
                           {"position", before->position},
                           {"definition", json::parse(before->definition, nullptr, false)}};
    } else {
      ZM_RETURN_IF_ERROR(storage::InsertRule(tx, rec));
    }
    ZM_RETURN_IF_ERROR(security::AppendAudit(
        tx, ctx,
        {before ? "rule.update" : "rule.create", "automation_rule", rec.id, changes.dump()}));
    return FromRecord(rec);
  });
}

Status Automation::Delete(const Context& ctx, const std::string& id) {
  ZM_RETURN_IF_ERROR(Need(ctx, Permission::kJobsWrite));
  return db_.Write([&](Tx& tx) -> Status {
    ZM_ASSIGN_OR_RETURN(auto rec, storage::GetRule(tx, id));
    if (!rec) return NotFound("rule");
    if (rec->job_id) {
      ZM_ASSIGN_OR_RETURN(auto job, storage::GetJob(tx, *rec->job_id));
      if (!job || !ctx.principal.InScope(job->department_id)) return NotFound("rule");
    }
    ZM_RETURN_IF_ERROR(storage::DeleteRule(tx, id));
    json changes = {
        {"before", {{"name", rec->name}, {"definition", json::parse(rec->definition)}}}};
    return security::AppendAudit(tx, ctx, {"rule.delete", "automation_rule", id, changes.dump()});
  });
}

// ---- dry run ----

Result<std::vector<DryRunItem>> Automation::DryRun(const Context& ctx, const std::string& job_id,
                                                   const std::optional<RuleInput>& proposed) {
  ZM_RETURN_IF_ERROR(Need(ctx, Permission::kJobsRead));
  return db_.ReadValue<std::vector<DryRunItem>>([&](Tx& tx) -> Result<std::vector<DryRunItem>> {
    ZM_ASSIGN_OR_RETURN(auto job, storage::GetJob(tx, job_id));
    if (!job || !ctx.principal.InScope(job->department_id)) return NotFound("job");
    std::vector<Rule> rules;
    if (proposed) {
      json def = json::object();
      if (proposed->trigger_json) def["trigger"] = json::parse(*proposed->trigger_json);
      if (proposed->conditions_json) def["conditions"] = json::parse(*proposed->conditions_json);
      if (proposed->actions_json) def["actions"] = json::parse(*proposed->actions_json);
      RuleContext rctx;
      ZM_ASSIGN_OR_RETURN(auto keys, storage::AllDimensionKeys(tx, job_id));
      rctx.dimension_keys.insert(keys.begin(), keys.end());
      ZM_ASSIGN_OR_RETURN(auto parsed, ParseDefinition(def.dump(), rctx));
      Rule r;
      r.id = "";
      r.name = proposed->name.value_or("");
      r.definition = std::move(parsed);
      rules.push_back(std::move(r));
    } else {
      ZM_ASSIGN_OR_RETURN(auto recs, storage::EffectiveRules(tx, job_id));
      ZM_ASSIGN_OR_RETURN(rules, FromRecords(recs));
      std::erase_if(rules, [](const Rule& r) {
        return !r.enabled || r.definition.trigger.type != TriggerType::kInterviewCompleted;
      });
    }
    ZM_ASSIGN_OR_RETURN(auto apps, storage::FinishedApplications(tx, job_id, 200));
    std::vector<DryRunItem> out;
    for (const auto& a : apps) {
      DryRunItem item{a.application_id, a.interview_id, a.stage, std::nullopt, {}};
      ZM_ASSIGN_OR_RETURN(auto sf, storage::InterviewScoreFacts(tx, a.interview_id));
      item.overall = sf.overall;
      Facts facts;
      facts.stage = domain::ParseStage(a.stage).value_or(Stage::kNew);
      facts.overall = sf.overall;
      facts.dimensions = sf.dimensions;
      facts.flags.insert(sf.flags.begin(), sf.flags.end());
      for (const auto& r : rules) {
        DryRunRule dr{r.id, r.name, ConditionsHold(r.definition.conditions, facts), false, {}};
        if (!r.id.empty()) {
          ZM_ASSIGN_OR_RETURN(auto fired,
                              tx.QueryOne("SELECT 1 FROM rule_firings WHERE rule_id = ? AND "
                                          "event_key = ?",
                                          {r.id, "interview_completed:" + a.interview_id}));
          dr.already_fired = fired.has_value();
        }
        if (dr.would_fire)
          for (const auto& act : r.definition.actions) {
            DryRunAction da{std::string(ToString(act.type)), "", true};
            if (act.type == ActionType::kMoveStage || act.type == ActionType::kTalentPool) {
              da.detail = std::string(domain::ToString(act.stage));
              da.allowed = IsAutomaticTransitionAllowed(facts.stage, act.stage);
            } else if (act.type == ActionType::kNotify) {
              da.detail = act.channel + ":" + act.template_id;
            } else {
              da.detail = act.task_kind;
            }
            dr.actions.push_back(std::move(da));
          }
        item.rules.push_back(std::move(dr));
      }
      out.push_back(std::move(item));
    }
    return out;
  });
}

// ---- running rules ----

struct Automation::Application {
  storage::ApplicationRecord rec;
  Stage stage = Stage::kNew;
  Facts facts;
};

Status Automation::ApplyStageMove(Tx& tx, Application& app, const Rule& rule, Stage to,
                                  std::string& outcome, const std::string& event_key, int depth) {
  if (!IsAutomaticTransitionAllowed(app.stage, to)) {
    outcome = "skipped: " + std::string(domain::ToString(app.stage)) + " -> " +
              std::string(domain::ToString(to)) + " is not an automatic transition";
    return Ok();
  }
  std::string from(domain::ToString(app.stage));
  std::string to_name(domain::ToString(to));
  ZM_RETURN_IF_ERROR(RecordStageChange(
      tx, cipher_, RuleContextFor(rule.id), app.rec,
      {from, to_name, StageChange(from, to_name, rule.id, rule.name).dump(), rule.id}));
  app.rec.stage = to_name;
  app.stage = to;
  app.facts.stage = to;
  outcome = "moved " + from + " -> " + to_name;
  // Rules triggered by entering this stage run now, in the same transaction.
  if (depth >= kMaxChainDepth) return Ok();
  ZM_ASSIGN_OR_RETURN(auto recs, storage::EffectiveRules(tx, app.rec.job_id));
  ZM_ASSIGN_OR_RETURN(auto rules, FromRecords(recs));
  std::erase_if(rules, [&](const Rule& r) {
    return !r.enabled || r.definition.trigger.type != TriggerType::kStageEntered ||
           r.definition.trigger.stage != to;
  });
  if (rules.empty()) return Ok();
  return RunRules(tx, app, rules, app.facts, event_key + ">" + to_name, depth + 1);
}

Status Automation::RunRules(Tx& tx, Application& app, const std::vector<Rule>& rules,
                            const Facts& /*facts*/, const std::string& event_key, int depth) {
  for (const auto& rule : rules) {
    if (!ConditionsHold(rule.definition.conditions, app.facts)) continue;
    int64_t now = NowMillis();
    json outcome = json::array();
    ZM_ASSIGN_OR_RETURN(bool first,
                        storage::InsertRuleFiring(tx, rule.id, event_key, app.rec.id, now, "[]"));
    if (!first) continue;  // fired for this event before
    for (size_t i = 0; i < rule.definition.actions.size(); ++i) {
      const Action& a = rule.definition.actions[i];
      std::string result;
      switch (a.type) {
        case ActionType::kMoveStage:
          ZM_RETURN_IF_ERROR(ApplyStageMove(tx, app, rule, a.stage, result, event_key, depth));
          break;
        case ActionType::kTalentPool:
          ZM_RETURN_IF_ERROR(
              ApplyStageMove(tx, app, rule, Stage::kTalentPool, result, event_key, depth));
          if (!a.tag.empty() && app.stage == Stage::kTalentPool) {
            ZM_RETURN_IF_ERROR(storage::AddCandidateTag(tx, app.rec.candidate_id, a.tag, now));
            ZM_RETURN_IF_ERROR(security::AppendAudit(
                tx, RuleContextFor(rule.id),
                {"candidate.tag_add", "candidate", app.rec.candidate_id,
                 json{{"after", {{"tag", a.tag}}}, {"rule_id", rule.id}}.dump()}));
            result += "; tagged";
          }
          break;
        case ActionType::kNotify: {
          jobs::NewJob job;
          job.kind = "notify." + a.channel;
          job.payload_json = json{
              {"template", a.template_id},
              {"to", a.to},
              {"application_id", app.rec.id},
              {"candidate_id", app.rec.candidate_id},
              {"job_id", app.rec.job_id},
              {"rule_id", rule.id},
              {"event",
               event_key}}.dump();
          job.idempotency_key = "rule:" + rule.id + ":" + event_key + ":" + std::to_string(i);
          ZM_ASSIGN_OR_RETURN(auto enq, jobs::Enqueue(tx, job));
          result = "enqueued " + job.kind + " " + enq.id;
          break;
        }
        case ActionType::kCreateTask: {
          storage::TaskRecord t;
          t.id = NewId();
          t.kind = a.task_kind;
          t.origin = "automation";
          t.status = "open";
          t.application_id = app.rec.id;
          t.department_id = app.rec.department_id;
          t.title = a.title;
          std::string detail = "自动化规则「" + rule.name +
                               "」创建 / Created by automation rule \"" + rule.name + "\"";
          if (app.facts.overall) {
            char buf[64];
            std::snprintf(buf, sizeof buf, "；总分 / overall %.1f", *app.facts.overall);
            detail += buf;
          }
          ZM_ASSIGN_OR_RETURN(t.detail_enc, cipher_.Encrypt(detail, "task:" + t.id + ":detail"));
          t.created_at = t.updated_at = now;
          ZM_RETURN_IF_ERROR(storage::InsertTask(tx, t));
          ZM_RETURN_IF_ERROR(security::AppendAudit(
              tx, RuleContextFor(rule.id),
              {"task.create", "task", t.id,
               json{{"after", {{"kind", t.kind}, {"application_id", t.application_id}}},
                    {"rule_id", rule.id}}
                   .dump()}));
          result = "task " + t.id;
          break;
        }
      }
      outcome.push_back({{"type", ToString(a.type)}, {"result", result}});
    }
    ZM_RETURN_IF_ERROR(
        tx.Exec("UPDATE rule_firings SET outcome = ? WHERE rule_id = ? AND event_key = ?",
                {outcome.dump(), rule.id, event_key}));
  }
  return Ok();
}

Status Automation::OnInterviewCompleted(jobs::JobContext& job) {
  auto payload = json::parse(job.job().payload_json, nullptr, false);
  if (!payload.is_object() || !payload.contains("interview_id") ||
      !payload["interview_id"].is_string() || !payload.contains("application_id") ||
      !payload["application_id"].is_string())
    return InvalidArgument("payload needs interview_id and application_id");
  std::string interview_id = payload["interview_id"].get<std::string>();
  std::string application_id = payload["application_id"].get<std::string>();
  return db_.Write([&](Tx& tx) -> Status {
    ZM_ASSIGN_OR_RETURN(auto app, LoadApplication(tx, application_id, interview_id));
    if (!app) return job.CompleteIn(tx);  // erased meanwhile: nothing to do
    ZM_ASSIGN_OR_RETURN(auto recs, storage::EffectiveRules(tx, app->rec.job_id));
    ZM_ASSIGN_OR_RETURN(auto rules, FromRecords(recs));
    std::erase_if(rules, [](const Rule& r) {
      return !r.enabled || r.definition.trigger.type != TriggerType::kInterviewCompleted;
    });
    ZM_RETURN_IF_ERROR(
        RunRules(tx, *app, rules, app->facts, "interview_completed:" + interview_id, 0));
    return job.CompleteIn(tx);
  });
}

Result<std::optional<Automation::Application>> Automation::LoadApplication(
    Tx& tx, const std::string& application_id, const std::string& interview_id) {
  ZM_ASSIGN_OR_RETURN(auto rec, storage::GetApplication(tx, application_id));
  if (!rec) return std::optional<Application>{};
  // Lock the application row so a concurrent manual move is ordered with this one.
  ZM_RETURN_IF_ERROR(tx.Query(
      "SELECT id FROM applications WHERE id = ?" + std::string(tx.ForUpdate()), {application_id}));
  Application app;
  app.rec = *rec;
  app.stage = domain::ParseStage(rec->stage).value_or(Stage::kNew);
  app.facts.stage = app.stage;
  std::string iv_id = interview_id;
  if (iv_id.empty()) {
    ZM_ASSIGN_OR_RETURN(auto iv, storage::GetInterviewByApplication(tx, rec->id));
    if (iv) iv_id = iv->id;
  }
  if (!iv_id.empty()) {
    ZM_ASSIGN_OR_RETURN(auto sf, storage::InterviewScoreFacts(tx, iv_id));
    app.facts.overall = sf.overall;
    app.facts.dimensions = sf.dimensions;
    app.facts.flags.insert(sf.flags.begin(), sf.flags.end());
  }
  return std::optional<Application>{std::move(app)};
}

Status Automation::OnStageEntered(jobs::JobContext& job) {
  auto p = json::parse(job.job().payload_json, nullptr, false);
  auto str = [&](const char* k) {
    return p.is_object() && p.contains(k) && p[k].is_string() ? p[k].get<std::string>()
                                                              : std::string();
  };
  std::string application_id = str("application_id"), stage = str("stage"),
              event_id = str("event_id");
  auto entered = domain::ParseStage(stage);
  if (application_id.empty() || event_id.empty() || !entered)
    return InvalidArgument("payload needs application_id, stage and event_id");
  return db_.Write([&](Tx& tx) -> Status {
    ZM_ASSIGN_OR_RETURN(auto app, LoadApplication(tx, application_id, ""));
    // Gone, or moved on again before the rules ran: the moment of entering has passed.
    if (!app || app->stage != *entered) return job.CompleteIn(tx);
    ZM_ASSIGN_OR_RETURN(auto recs, storage::EffectiveRules(tx, app->rec.job_id));
    ZM_ASSIGN_OR_RETURN(auto rules, FromRecords(recs));
    std::erase_if(rules, [&](const Rule& r) {
      return !r.enabled || r.definition.trigger.type != TriggerType::kStageEntered ||
             r.definition.trigger.stage != *entered;
    });
    ZM_RETURN_IF_ERROR(RunRules(tx, *app, rules, app->facts, "stage_entered:" + event_id, 1));
    return job.CompleteIn(tx);
  });
}

namespace {
Status EnqueueSweep(Tx& tx, int64_t slot) {
  jobs::NewJob next;
  next.kind = kSweepJob;
  next.payload_json = json{{"slot", slot}}.dump();
  next.idempotency_key = std::string(kSweepJob) + ":" + std::to_string(slot);
  next.run_at = slot * kSweepIntervalMs;
  next.max_attempts = 3;
  ZM_RETURN_IF_ERROR(jobs::Enqueue(tx, next));
  return Ok();
}
}  // namespace

Status Automation::ScheduleSweep() {
  return db_.Write([&](Tx& tx) { return EnqueueSweep(tx, NowMillis() / kSweepIntervalMs); });
}

Status Automation::OnSweep(jobs::JobContext& job) {
  auto payload = json::parse(job.job().payload_json, nullptr, false);
  int64_t slot =
      payload.is_object() && payload.contains("slot") && payload["slot"].is_number_integer()
          ? payload["slot"].get<int64_t>()
          : NowMillis() / kSweepIntervalMs;
  return db_.Write([&](Tx& tx) -> Status {
    int64_t now = NowMillis();
    ZM_RETURN_IF_ERROR(EnqueueSweep(tx, std::max(slot + 1, now / kSweepIntervalMs + 1)));

    // no_action rules.
    ZM_ASSIGN_OR_RETURN(auto recs, storage::ListRules(tx, {.trigger_type = "no_action"}));
    ZM_ASSIGN_OR_RETURN(auto rules, FromRecords(recs));
    for (const auto& rule : rules) {
      if (!rule.enabled || !rule.definition.trigger.stage) continue;
      int64_t idle_before = now - int64_t{rule.definition.trigger.days} * 86400000LL;
      std::string sql = "SELECT a.id FROM applications a WHERE a.stage = ? AND a.updated_at <= ?";
      std::vector<storage::Value> params = {
          std::string(domain::ToString(*rule.definition.trigger.stage)), idle_before};
      if (rule.job_id) {
        sql += " AND a.job_id = ?";
        params.emplace_back(*rule.job_id);
      } else {  // organisation rules apply to jobs without rules of their own
        sql += " AND NOT EXISTS (SELECT 1 FROM automation_rules r WHERE r.job_id = a.job_id)";
      }
      ZM_ASSIGN_OR_RETURN(auto rows, tx.Query(sql + " ORDER BY a.id LIMIT 500", params));
      for (const auto& row : rows.rows) {
        ZM_ASSIGN_OR_RETURN(auto app, LoadApplication(tx, row.Text(0), ""));
        if (!app) continue;
        std::string event_key =
            "no_action:" + app->rec.id + ":" + std::to_string(app->rec.updated_at);
        ZM_RETURN_IF_ERROR(RunRules(tx, *app, {rule}, app->facts, event_key, 0));
      }
    }

    // Reminders to HR, once per interview: results not viewed for 3 days, invitations that
    // expired unfinished.
    ZM_ASSIGN_OR_RETURN(
        auto unviewed,
        tx.Query("SELECT iv.id, iv.application_id, iv.department_id FROM interviews iv WHERE "
                 "iv.finished_at IS NOT NULL AND iv.viewed_at IS NULL AND iv.finished_at <= ? "
                 "ORDER BY iv.finished_at LIMIT 500",
                 {now - kUnviewedReminderMs}));
    for (const auto& row : unviewed.rows)
      ZM_RETURN_IF_ERROR(ReminderTask(
          tx, "reminder.unviewed_result", "unviewed:" + row.Text(0), row.Text(1), row.Text(2),
          "AI面试结果3天未查看 / AI interview result not viewed for 3 days",
          "提醒：请查看该候选人的AI面试结果 / Reminder: please review the result", now));
    ZM_ASSIGN_OR_RETURN(
        auto expired,
        tx.Query("SELECT iv.id, iv.application_id, iv.department_id FROM interviews iv WHERE "
                 "iv.status IN ('invited', 'in_progress') AND iv.expires_at <= ? ORDER BY "
                 "iv.expires_at LIMIT 500",
                 {now}));
    for (const auto& row : expired.rows)
      ZM_RETURN_IF_ERROR(ReminderTask(
          tx, "reminder.invitation_expired", "expired:" + row.Text(0), row.Text(1), row.Text(2),
          "AI面试邀请已过期，候选人未完成 / AI interview invitation expired unfinished",
          "可延长或重新发送邀请链接，或更新申请阶段 / Extend or resend the link, or move the "
          "application on",
          now));

    // Reminders to candidates who were invited 2 days ago and have not started.
    ZM_ASSIGN_OR_RETURN(
        auto idle,
        tx.Query("SELECT iv.id, iv.application_id FROM interviews iv WHERE iv.status = 'invited' "
                 "AND iv.created_at <= ? AND iv.expires_at > ? ORDER BY iv.created_at LIMIT 500",
                 {now - kNotStartedReminderMs, now + kReminderMinValidityMs}));
    for (const auto& row : idle.rows) {
      ZM_ASSIGN_OR_RETURN(bool first, storage::InsertRuleFiring(tx, "reminder.not_started",
                                                                "not_started:" + row.Text(0),
                                                                row.Text(1), now, "[]"));
      if (!first) continue;
      jobs::NewJob remind;
      remind.kind = kInterviewRemindJob;
      remind.payload_json =
          json{{"interview_id", row.Text(0)}, {"application_id", row.Text(1)}}.dump();
      remind.idempotency_key = std::string(kInterviewRemindJob) + ":" + row.Text(0);
      ZM_RETURN_IF_ERROR(jobs::Enqueue(tx, remind));
    }
    return job.CompleteIn(tx);
  });
}

Status Automation::ReminderTask(Tx& tx, const std::string& reminder, const std::string& key,
                                const std::string& application_id, const std::string& department_id,
                                const std::string& title, const std::string& detail, int64_t now) {
  ZM_ASSIGN_OR_RETURN(bool first,
                      storage::InsertRuleFiring(tx, reminder, key, application_id, now, "[]"));
  if (!first) return Ok();
  storage::TaskRecord t;
  t.id = NewId();
  t.kind = "follow_up";
  t.origin = "automation";
  t.status = "open";
  t.application_id = application_id;
  t.department_id = department_id;
  t.title = title;
  ZM_ASSIGN_OR_RETURN(t.detail_enc, cipher_.Encrypt(detail, "task:" + t.id + ":detail"));
  t.created_at = t.updated_at = now;
  ZM_RETURN_IF_ERROR(storage::InsertTask(tx, t));
  Context sys;
  sys.principal = security::Principal::System();
  sys.principal.id = reminder;
  return security::AppendAudit(
      tx, sys,
      {"task.create", "task", t.id,
       json{{"after", {{"kind", t.kind}, {"application_id", t.application_id}}}}.dump()});
}

void Automation::Register(jobs::Registry& registry) {
  registry.Register(kInterviewCompletedJob,
                    [this](jobs::JobContext& job) { return OnInterviewCompleted(job); });
  registry.Register(kSweepJob, [this](jobs::JobContext& job) { return OnSweep(job); });
  registry.Register(kStageEnteredJob,
                    [this](jobs::JobContext& job) { return OnStageEntered(job); });
}

}  // namespace zm::workflow
