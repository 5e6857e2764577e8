#include "app/app.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>

#include "common/log.h"
#include "http/routes/routes.h"
#include "scoring/rubric.h"
#include "storage/migrations.h"
#include "text/analyzer.h"

namespace zm::app {

Result<std::unique_ptr<App>> OpenApp(const Config& config) {
  auto app = std::make_unique<App>();
  app->config = config;
  std::error_code ec;
  std::filesystem::create_directories(config.data_dir, ec);
  if (ec) return InvalidArgument("cannot create data dir " + config.data_dir + ": " + ec.message());

  storage::DatabaseOptions opts;
  // Workers plus a few for background work (CLI commands, readiness probe).
  opts.pool_size = config.db_pool_size > 0 ? config.db_pool_size : config.http_threads + 2;
  ZM_ASSIGN_OR_RETURN(app->db, storage::Database::Open(config.DatabaseUrl(), opts));
  ZM_ASSIGN_OR_RETURN(int applied, storage::Migrate(*app->db));
  if (applied > 0) Log(LogLevel::kInfo, "migrated", {{"migrations_applied", int64_t{applied}}});

  std::string key;
  if (!config.master_key_b64.empty()) {
    ZM_ASSIGN_OR_RETURN(key, security::DecodeKeyB64(config.master_key_b64));
  } else {
    ZM_ASSIGN_OR_RETURN(key, security::LoadOrCreateKeyFile(
                                 (std::filesystem::path(config.data_dir) / "master.key").string()));
  }
  ZM_ASSIGN_OR_RETURN(auto cipher, security::FieldCipher::Create(key));
  security::WipeString(key);
  app->cipher = std::make_unique<security::FieldCipher>(std::move(cipher));

  security::AuthOptions auth_opts;
  auth_opts.session_ttl_minutes = config.session_ttl_minutes;
  auth_opts.max_failures = config.login_max_failures;
  auth_opts.lock_minutes = config.login_lock_minutes;
  app->auth = std::make_unique<security::Auth>(*app->db, auth_opts);
  app->org = std::make_unique<services::OrgService>(*app->db);
  app->jobs = std::make_unique<services::JobService>(*app->db);
  app->candidates = std::make_unique<services::CandidateService>(*app->db, *app->cipher);

  ZM_ASSIGN_OR_RETURN(auto analyzer, text::Analyzer::Create());
  app->analyzer = std::move(analyzer);
  ZM_ASSIGN_OR_RETURN(auto scorer, scoring::RubricScorer::Create(*app->analyzer));
  app->scorer = std::move(scorer);
  services::InterviewSettings settings;
  settings.organisation = config.organisation_name;
  settings.public_base_url = config.PublicBaseUrl();
  settings.retention_days = config.retention_days;
  services::ModelSettings model_settings;
  model_settings.min_ratings = config.scoring_min_ratings;
  model_settings.train_threads = config.scoring_train_threads;
  model_settings.job_lease_ms = config.job_lease_ms;
  model_settings.job_poll_ms = config.job_poll_ms;
  // Training runs are model.train jobs (RegisterJobHandlers): whichever worker claims them.
  app->models = std::make_unique<services::ModelService>(*app->db, *app->cipher, model_settings);
  app->interviews = std::make_unique<services::InterviewService>(
      *app->db, *app->cipher, *app->scorer, settings, &app->models->cache());
  app->workspace = std::make_unique<services::WorkspaceService>(*app->db, *app->cipher,
                                                                *app->candidates, *app->interviews);
  notify::NotifySettings notify_settings;
  notify_settings.organisation_name = config.organisation_name;
  notify_settings.transport.total_timeout_ms = static_cast<int>(config.notify_timeout_ms);
  notify_settings.transport.connect_timeout_ms =
      static_cast<int>(std::min<int64_t>(config.notify_timeout_ms, 5000));
  app->notify = std::make_unique<notify::NotifyService>(*app->db, *app->cipher, notify_settings);
  ZM_RETURN_IF_ERROR(app->notify->SeedDefaultTemplates());
  jobs::BackoffPolicy backoff{.base_ms = config.job_backoff_base_ms,
                              .max_ms = config.job_backoff_max_ms};
  app->queue = std::make_unique<jobs::Queue>(*app->db, backoff);
  app->queue_admin = std::make_unique<jobs::JobsAdmin>(*app->queue);
  app->automation = std::make_unique<workflow::Automation>(*app->db, *app->cipher);
  app->job_handlers = std::make_unique<jobs::Registry>();
  RegisterJobHandlers(*app);
  // Candidates stored before the exact-name index existed get theirs (once; a no-op after).
  ZM_ASSIGN_OR_RETURN(int indexed, app->workspace->BackfillNameIndexes());
  if (indexed > 0)
    Log(LogLevel::kInfo, "name_index_backfilled", {{"candidates", int64_t{indexed}}});
  return app;
}

std::unique_ptr<http::Server> MakeServer(App& app) {
  auto server = std::make_unique<http::Server>(app.config, http::MakeAuthenticator(*app.auth),
                                               [&app] { return app.db->Ping(); });
  app.route_deps = std::make_unique<http::RouteDeps>(http::RouteDeps{
      app.config, *app.db, *app.auth, *app.org, *app.jobs, *app.candidates, *app.interviews,
      *app.workspace, *app.models, *app.notify, *app.queue_admin, *app.automation});
  http::RegisterAllRoutes(*server, *app.route_deps);
  return server;
}

Status StartBackground(App& app) { return app.models->Start(); }

std::unique_ptr<jobs::WorkerPool> StartWorkers(App& app, int threads, std::string name) {
  jobs::WorkerOptions opts;
  opts.threads = threads;
  opts.lease_ms = app.config.job_lease_ms;
  opts.poll_ms = app.config.job_poll_ms;
  opts.name = std::move(name);
  // The periodic sweep (no-action rules, reminders) of this hour; one per slot however many
  // workers start.
  if (auto st = app.automation->ScheduleSweep(); !st)
    Log(LogLevel::kWarn, "sweep_schedule_failed", {{"reason", st.error().reason}});
  auto pool = std::make_unique<jobs::WorkerPool>(*app.queue, *app.job_handlers, opts);
  pool->Start();
  Log(LogLevel::kInfo, "workers_started",
      {{"threads", int64_t{threads}}, {"lease_ms", opts.lease_ms}});
  return pool;
}

Status EnsureAdmin(App& app) {
  ZM_ASSIGN_OR_RETURN(auto generated,
                      app.org->EnsureFirstAdmin(app.config.admin_email, app.config.admin_password));
  if (generated && !generated->empty()) {
    // Printed once, to the terminal of whoever started the first run; never logged.
    std::printf(
        "\n  First start: created the admin account\n    e-mail:   %s\n    password: %s\n"
        "  Store it now; it will not be shown again.\n\n",
        app.config.admin_email.c_str(), generated->c_str());
    std::fflush(stdout);
  } else if (generated) {
    Log(LogLevel::kInfo, "admin_created", {{"email_domain", "configured"}});
  }
  return Ok();
}

}  // namespace zm::app
