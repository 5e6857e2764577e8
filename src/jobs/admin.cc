#include "jobs/admin.h"

#include <nlohmann/json.hpp>

#include "security/audit_log.h"

namespace zm::jobs {

using security::Permission;

namespace {
Status Need(const security::Context& ctx, Permission p) {
  if (!ctx.principal.Has(p))
    return PermissionDenied("requires " + std::string(security::PermissionName(p)));
  return Ok();
}
}  // namespace

Result<storage::Page<JobRecord>> JobsAdmin::List(const security::Context& ctx,
                                                 const JobFilter& filter,
                                                 const storage::PageRequest& page) {
  ZM_RETURN_IF_ERROR(Need(ctx, Permission::kQueueRead));
  return queue_.List(filter, page);
}

Result<JobRecord> JobsAdmin::Get(const security::Context& ctx, const std::string& id) {
  ZM_RETURN_IF_ERROR(Need(ctx, Permission::kQueueRead));
  ZM_ASSIGN_OR_RETURN(auto job, queue_.Get(id));
  if (!job) return NotFound("job");
  return *job;
}

Result<QueueCounts> JobsAdmin::Counts(const security::Context& ctx) {
  ZM_RETURN_IF_ERROR(Need(ctx, Permission::kQueueRead));
  return queue_.Counts();
}

Result<JobRecord> JobsAdmin::Retry(const security::Context& ctx, const std::string& id) {
  ZM_RETURN_IF_ERROR(Need(ctx, Permission::kQueueManage));
  return queue_.db().WriteValue<JobRecord>([&](storage::Tx& tx) -> Result<JobRecord> {
    ZM_ASSIGN_OR_RETURN(auto job, RetryDeadJob(tx, id));
    nlohmann::json changes = {{"before", {{"state", "dead"}, {"kind", job.kind}}},
                              {"after", {{"state", "queued"}, {"attempts", 0}}}};
    ZM_RETURN_IF_ERROR(
        security::AppendAudit(tx, ctx, {"job.retry", "background_job", id, changes.dump()}));
    return job;
  });
}

}  // namespace zm::jobs
