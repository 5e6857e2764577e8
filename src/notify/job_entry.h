// The bodies of the job handlers of notifications, independent of the job queue's types so the
// queue registers them in a few lines (src/app):
//   notify.email | notify.sms | notify.wecom | notify.dingtalk | notify.feishu
//       payload {"template", "to", "application_id", ...} (automation rule actions):
//       HandleApplicationMessageJob(deps, "<channel>", payload, job idempotency key)
//   notify.deliver  payload {"delivery_id"}: HandleDeliverJob(deps, payload, last try)
// Both return Ok, a retryable error (IsRetryable) or a permanent one (notify.h). Thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"
#include "notify/notify.h"

namespace zm::notify {

inline constexpr std::string_view kDeliverJob = "notify.deliver";

// Creates the application's message deliveries (once per job idempotency key: a retried job
// finds them) with one notify.deliver job each, in one transaction. Sending and its retries
// belong to those jobs, so one slow recipient never holds up or repeats another.
Status HandleApplicationMessageJob(const DeliveryDeps& deps, const std::string& channel_kind,
                                   const std::string& payload_json,
                                   const std::string& job_idempotency_key);

// Sends the delivery named by the payload.
Status HandleDeliverJob(const DeliveryDeps& deps, const std::string& payload_json,
                        bool last_attempt);

}  // namespace zm::notify
