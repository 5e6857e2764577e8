#include "workflow/stage_change.h"

#include <nlohmann/json.hpp>

#include "common/ids.h"
#include "common/time.h"
#include "jobs/queue.h"
#include "notify/notify.h"
#include "security/audit_log.h"

namespace zm::workflow {

using json = nlohmann::json;

Status EmitApplicationEvent(storage::Tx& tx, const security::FieldCipher& cipher,
                            const std::string& type, const storage::ApplicationRecord& app,
                            const std::string& data_json) {
  json data = json::parse(data_json.empty() ? "{}" : data_json, nullptr, false);
  if (!data.is_object()) return InvalidArgument("event data must be a JSON object");
  data["application_id"] = app.id;
  data["candidate_id"] = app.candidate_id;
  data["job_id"] = app.job_id;
  notify::WebhookEvent e;
  e.event_id = NewId();
  e.type = type;
  e.occurred_ms = NowMillis();
  e.data_json = data.dump();
  e.application_id = app.id;
  ZM_RETURN_IF_ERROR(notify::EnqueueWebhookEvent(tx, cipher, e));
  return Ok();
}

Status RecordStageChange(storage::Tx& tx, const security::FieldCipher& cipher,
                         const security::Context& ctx, const storage::ApplicationRecord& app,
                         const StageMove& change) {
  int64_t now = NowMillis();
  ZM_RETURN_IF_ERROR(storage::UpdateApplicationStage(tx, app.id, change.to, now));
  std::string changes =
      change.audit_changes.empty()
          ? json{{"before", {{"stage", change.from}}}, {"after", {{"stage", change.to}}}}.dump()
          : change.audit_changes;
  ZM_RETURN_IF_ERROR(security::AppendAudit(
      tx, ctx, {"application.stage_changed", "application", app.id, std::move(changes)}));

  json actor = {{"type", change.rule_id.empty() ? std::string(ctx.principal.ActorType())
                                                : std::string("rule")},
                {"id", change.rule_id.empty() ? ctx.principal.id : change.rule_id}};
  json data = {{"from", change.from}, {"to", change.to}, {"actor", actor}};
  ZM_RETURN_IF_ERROR(
      EmitApplicationEvent(tx, cipher, "application.stage_changed", app, data.dump()));
  if (change.to == "hired" || change.to == "rejected")
    ZM_RETURN_IF_ERROR(EmitApplicationEvent(
        tx, cipher, change.to == "hired" ? "candidate.hired" : "candidate.rejected", app,
        data.dump()));

  if (!change.rule_id.empty()) return Ok();
  // Only when a stage-entered rule could apply (the job's own or the organisation's), so moves
  // without such rules leave no job behind; the handler picks the effective rules.
  ZM_ASSIGN_OR_RETURN(auto any,
                      tx.QueryOne("SELECT 1 FROM automation_rules WHERE enabled = 1 AND "
                                  "trigger_type = 'stage_entered' AND (job_id IS NULL OR job_id = "
                                  "?) LIMIT 1",
                                  {app.job_id}));
  if (!any) return Ok();
  jobs::NewJob job;
  job.kind = kStageEnteredJob;
  std::string event_id = NewId();
  job.payload_json =
      json{{"application_id", app.id}, {"stage", change.to}, {"event_id", event_id}}.dump();
  job.idempotency_key = std::string(kStageEnteredJob) + ":" + event_id;
  ZM_RETURN_IF_ERROR(jobs::Enqueue(tx, job));
  return Ok();
}

}  // namespace zm::workflow
