// Wiring from configuration: opens the database, applies migrations, loads the master key and
// builds the services and the HTTP server. The App owns everything it builds; destroy it after
// the server has stopped.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "common/config.h"
#include "common/result.h"
#include "http/routes/routes.h"
#include "http/server.h"
#include "jobs/admin.h"
#include "jobs/queue.h"
#include "jobs/worker.h"
#include "notify/notify.h"
#include "security/auth.h"
#include "security/crypto.h"
#include "services/interview_service.h"
#include "services/model_service.h"
#include "services/services.h"
#include "services/workspace_service.h"
#include "storage/database.h"
#include "workflow/automation.h"

namespace zm::text {
class Analyzer;
}
namespace zm::scoring {
class RubricScorer;
}

namespace zm::app {

struct App {
  Config config;
  std::unique_ptr<storage::Database> db;
  std::unique_ptr<security::FieldCipher> cipher;
  std::unique_ptr<security::Auth> auth;
  std::unique_ptr<services::OrgService> org;
  std::unique_ptr<services::JobService> jobs;
  std::unique_ptr<services::CandidateService> candidates;
  std::shared_ptr<const text::Analyzer> analyzer;
  std::shared_ptr<const scoring::RubricScorer> scorer;
  // Before `interviews`, which scores with its model cache (destroyed after it).
  std::unique_ptr<services::ModelService> models;
  std::unique_ptr<services::InterviewService> interviews;
  std::unique_ptr<services::WorkspaceService> workspace;
  std::unique_ptr<notify::NotifyService> notify;
  std::unique_ptr<jobs::Queue> queue;
  std::unique_ptr<jobs::JobsAdmin> queue_admin;
  std::unique_ptr<workflow::Automation> automation;
  // Handlers of every job kind this build knows (filled by OpenApp; read-only afterwards).
  std::unique_ptr<jobs::Registry> job_handlers;
  std::unique_ptr<http::RouteDeps> route_deps;  // referenced by the server's handlers
};

// Opens the database (creating data_dir), migrates it to the latest schema, loads or creates
// the master key (ZHIMIAN_MASTER_KEY or <data_dir>/master.key) and builds the services.
Result<std::unique_ptr<App>> OpenApp(const Config& config);
// Registers the handler of every job kind on app.job_handlers (job_handlers.cc).
void RegisterJobHandlers(App& app);
// A started pool of `threads` workers running app.job_handlers; stop it before destroying the
// App.
std::unique_ptr<jobs::WorkerPool> StartWorkers(App& app, int threads, std::string name);

// A server with every route registered. The App must outlive it.
std::unique_ptr<http::Server> MakeServer(App& app);
// Start-up work of a serving node: training runs without a model.train job get one (and runs
// whose job is dead are marked failed).
Status StartBackground(App& app);
// Creates the first admin on an empty database; prints a generated password once to stdout.
Status EnsureAdmin(App& app);

struct DemoSummary {
  int departments = 0, users = 0, jobs = 0, questions = 0, candidates = 0, applications = 0;
  int interviews = 0;          // finished and scored
  std::string staff_password;  // shared by the demo staff accounts (public demo data)
};
// Fills an empty organisation with the built-in Simplified-Chinese demo data (deterministic
// content). kConflict "not_empty" when jobs or candidates exist already.
Result<DemoSummary> LoadDemo(App& app);
// For `serve --demo`: names the organisation after the demo data (星海科技集团) unless a name
// was configured (config file, ZHIMIAN_ORG_NAME), i.e. while it is still the default. Call before
// OpenApp, whose services copy the name.
void ApplyDemoDefaults(Config& config);

}  // namespace zm::app
