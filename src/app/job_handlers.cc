// The job kinds of this build and their handlers. Every subsystem that consumes jobs registers
// here (workflow: interview.completed; notify: notify.* and webhook deliveries; scoring:
// model.train), so `zhimian serve` and `zhimian worker` run the same set.
#include <chrono>
#include <cstdlib>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "app/app.h"
#include "notify/job_entry.h"
#include "security/audit_log.h"

namespace zm::app {

namespace {
// TEST ONLY: registered solely when ZHIMIAN_TEST_JOB_KINDS=1 (never in production). A slow job
// whose effect is one audit entry "test.effect" on target `marker`, committed together with the
// job's completion: the crash test (tests/integration/test_jobs.py) kills a worker while it
// sleeps and checks that another worker finishes the job with the effect exactly once.
Status SlowEffect(jobs::JobContext& job) {
  auto p = nlohmann::json::parse(job.job().payload_json, nullptr, false);
  if (!p.is_object() || !p.contains("marker") || !p["marker"].is_string())
    return InvalidArgument("payload needs marker");
  int64_t sleep_ms = p.value("sleep_ms", int64_t{0});
  auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(sleep_ms);
  while (std::chrono::steady_clock::now() < until) {
    if (job.StopRequested())
      return Fail(MakeError(ErrorCode::kUnavailable, "shutting_down", "stop"));
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return job.db().Write([&](storage::Tx& tx) -> Status {
    security::Context ctx;
    ctx.principal = security::Principal::System();
    ctx.principal.id = "job:" + job.job().id;
    ZM_RETURN_IF_ERROR(security::AppendAudit(
        tx, ctx, {"test.effect", "test", p["marker"].get<std::string>(), ""}));
    return job.CompleteIn(tx);
  });
}
}  // namespace

void RegisterJobHandlers(App& app) {
  // interview.completed: the automation rules (stage moves, tasks, notify.* jobs).
  app.automation->Register(*app.job_handlers);

  // notify.<channel>: a rule's message about an application -> deliveries + notify.deliver jobs.
  // notify.deliver: sends one delivery; its retries are this job's retries.
  const notify::DeliveryDeps& deps = app.notify->deps();
  for (std::string_view channel : notify::ChannelKinds()) {
    std::string kind = "notify." + std::string(channel);
    app.job_handlers->Register(kind, [&deps, channel](jobs::JobContext& job) {
      return notify::HandleApplicationMessageJob(deps, std::string(channel), job.job().payload_json,
                                                 job.job().idempotency_key);
    });
  }
  // interview.remind (the sweep): a fresh link e-mailed to a candidate who has not started.
  app.job_handlers->Register(workflow::kInterviewRemindJob, [&app](jobs::JobContext& job) {
    auto p = nlohmann::json::parse(job.job().payload_json, nullptr, false);
    if (!p.is_object() || !p.contains("application_id") || !p["application_id"].is_string())
      return Status(InvalidArgument("payload needs application_id"));
    security::Context ctx;
    ctx.principal = security::Principal::System();
    ctx.principal.id = "reminder.not_started";
    auto sent = app.interviews->Resend(ctx, p["application_id"].get<std::string>(), true,
                                       "interview_reminder");
    // Started, finished or gone meanwhile: nothing to remind of.
    if (!sent &&
        (sent.error().code == ErrorCode::kConflict || sent.error().code == ErrorCode::kNotFound))
      return Ok();
    if (!sent) return Status(Fail(sent.error()));
    return Ok();
  });
  app.job_handlers->Register(std::string(notify::kDeliverJob), [&deps](jobs::JobContext& job) {
    return notify::HandleDeliverJob(deps, job.job().payload_json,
                                    job.job().attempts >= job.job().max_attempts);
  });

  // ---- model.train (supervised scoring, issue #4): training runs of the model registry ----
  app.models->RegisterJobHandlers(*app.job_handlers);
  // ---- end model.train ----

  const char* test_kinds = std::getenv("ZHIMIAN_TEST_JOB_KINDS");
  if (test_kinds != nullptr && std::string(test_kinds) == "1")
    app.job_handlers->Register("test.slow_effect", SlowEffect);
}

}  // namespace zm::app
