// The admins' view of the job queue: list, read and retry dead jobs. Checks the caller's
// permissions (queue:read, queue:manage) and audits every change inside its transaction.
// Thread-safe like Queue. Payloads carry ids only, so nothing here is personal data.
#pragma once

#include <string>

#include "common/result.h"
#include "jobs/queue.h"
#include "security/principal.h"
#include "storage/page.h"

namespace zm::jobs {

class JobsAdmin {
 public:
  explicit JobsAdmin(Queue& queue) : queue_(queue) {}

  // kPermissionDenied without queue:read.
  Result<storage::Page<JobRecord>> List(const security::Context& ctx, const JobFilter& filter,
                                        const storage::PageRequest& page);
  // kNotFound for an unknown id.
  Result<JobRecord> Get(const security::Context& ctx, const std::string& id);
  Result<QueueCounts> Counts(const security::Context& ctx);
  // dead -> queued (attempts reset), audited as job.retry. kPermissionDenied without
  // queue:manage; kNotFound; kConflict "not_dead" for a job in another state.
  Result<JobRecord> Retry(const security::Context& ctx, const std::string& id);

 private:
  Queue& queue_;
};

}  // namespace zm::jobs
