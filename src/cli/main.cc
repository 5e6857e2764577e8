// zhimian: the command line. Subcommands: serve, worker, migrate, demo, audit verify, backup,
// routes, train.
#include <pthread.h>
#include <signal.h>

#include <charconv>
#include <chrono>
#include <climits>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/app.h"
#include "common/config.h"
#include "common/log.h"
#include "common/strings.h"
#include "scoring/supervised/supervised.h"
#include "security/audit_log.h"
#include "services/model_service.h"

namespace zm::cli {
namespace {

constexpr char kUsage[] = R"(zhimian - self-hosted AI interview platform (智面)

Usage: zhimian <command> [options]

Commands:
  serve          Run the HTTP server (and apply migrations) with in-process job workers.
  worker         Run background job workers only (a separate process; same config as serve).
  migrate        Apply database migrations and exit.
  demo           Fill an empty database with the demo organisation.
  audit verify   Verify the audit log's hash chain; exit 1 and name the first broken entry.
  backup         Copy the SQLite database (online backup API).
  routes         Print every HTTP route with the access it needs, as JSON lines.
  train          Train a supervised scoring model from HR-rated answers (a question's
                 ratings in the database, or a TSV/CSV file offline).
  notify deliver-pending
                 Send pending notification deliveries now (a manual flush).

Run 'zhimian <command> --help' for the options of a command.
)";

constexpr char kCommonOptions[] = R"(
Options:
  --config FILE      TOML configuration file (default: zhimian.toml when present)
  --db URL           sqlite:PATH or postgresql://user:pass@host:port/db
                     (default: sqlite:<data-dir>/zhimian.db)
  --data-dir DIR     where the SQLite database and the master key live (default: data)
  --help             this text
Environment: ZHIMIAN_DB, ZHIMIAN_DATA_DIR, ZHIMIAN_LISTEN, ZHIMIAN_MASTER_KEY,
  ZHIMIAN_ADMIN_EMAIL, ZHIMIAN_ADMIN_PASSWORD, ZHIMIAN_WEB_DIR, ZHIMIAN_HTTP_THREADS, ZHIMIAN_LOG_LEVEL,
  ZHIMIAN_MIN_RATINGS, ZHIMIAN_JOB_WORKERS, ZHIMIAN_JOB_LEASE_MS, ZHIMIAN_JOB_POLL_MS,
  ZHIMIAN_JOB_BACKOFF_BASE_MS, ZHIMIAN_NOTIFY_TIMEOUT_MS.
Order of precedence: defaults < config file < environment < command line.
)";

// Blocks SIGTERM and SIGINT in this thread and every thread it starts later (one thread then
// waits for them with sigwait on the returned set); ignores SIGPIPE.
sigset_t BlockStopSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  signal(SIGPIPE, SIG_IGN);
  return set;
}

struct Args {
  std::string command;
  std::vector<std::string> positional;
  std::map<std::string, std::string> options;  // --name value
  std::vector<std::string> flags;              // --name
  bool Flag(const std::string& f) const {
    return std::find(flags.begin(), flags.end(), f) != flags.end();
  }
};

const std::vector<std::string> kValueOptions = {
    "--config",   "--db",        "--data-dir", "--listen",    "--web-dir", "--out",  "--threads",
    "--question", "--dimension", "--file",     "--max-label", "--folds",   "--seed", "--limit"};

Result<Args> Parse(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    std::string s = argv[i];
    if (StartsWith(s, "--")) {
      auto eq = s.find('=');
      std::string name = s.substr(0, eq);
      if (std::find(kValueOptions.begin(), kValueOptions.end(), name) != kValueOptions.end()) {
        if (eq != std::string::npos) {
          a.options[name] = s.substr(eq + 1);
        } else if (i + 1 < argc) {
          a.options[name] = argv[++i];
        } else {
          return InvalidArgument(name + " needs a value");
        }
      } else {
        a.flags.push_back(s);
      }
    } else if (a.command.empty()) {
      a.command = s;
    } else {
      a.positional.push_back(s);
    }
  }
  return a;
}

Result<Config> LoadConfig(const Args& a) {
  Config c;
  std::string path = "zhimian.toml";
  bool required = false;
  if (auto it = a.options.find("--config"); it != a.options.end()) {
    path = it->second;
    required = true;
  }
  ZM_ASSIGN_OR_RETURN(c, LoadConfigFile(path, required, c));
  ZM_ASSIGN_OR_RETURN(c, ApplyEnv(c, ProcessEnv()));
  if (auto it = a.options.find("--db"); it != a.options.end()) c.db_url = it->second;
  if (auto it = a.options.find("--data-dir"); it != a.options.end()) c.data_dir = it->second;
  if (auto it = a.options.find("--web-dir"); it != a.options.end()) c.web_dir = it->second;
  if (auto it = a.options.find("--listen"); it != a.options.end())
    ZM_RETURN_IF_ERROR(SetListen(c, it->second));
  if (auto it = a.options.find("--threads"); it != a.options.end()) {
    c.http_threads = std::atoi(it->second.c_str());
    if (c.http_threads < 1 || c.http_threads > 1024)
      return InvalidArgument("--threads must be 1..1024");
  }
  if (c.log_level == "debug") SetLogLevel(LogLevel::kDebug);
  if (c.log_level == "warn") SetLogLevel(LogLevel::kWarn);
  if (c.log_level == "error") SetLogLevel(LogLevel::kError);
  return c;
}

int Die(const Error& e);

// The configuration from the arguments, and the app opened (and migrated) on it.
Result<std::unique_ptr<app::App>> OpenFromArgs(const Args& a) {
  ZM_ASSIGN_OR_RETURN(auto config, LoadConfig(a));
  return app::OpenApp(config);
}

int Die(const Error& e) {
  std::fprintf(stderr, "zhimian: %s\n", e.message.c_str());
  for (const auto& d : e.details)
    std::fprintf(stderr, "  %s: %s\n", d.field.c_str(), d.message.c_str());
  return e.code == ErrorCode::kInvalidArgument ? 2 : 1;
}

void PrintDemoSummary(const app::DemoSummary& s) {
  std::printf(
      "demo organisation loaded: %d departments, %d users, %d jobs, %d questions, %d candidates, "
      "%d applications, %d finished interviews\n"
      "demo staff sign in with their e-mail (see GET /api/v1/users) and the shared password %s\n",
      s.departments, s.users, s.jobs, s.questions, s.candidates, s.applications, s.interviews,
      s.staff_password.c_str());
}

int Serve(const Args& a) {
  if (a.Flag("--help")) {
    std::printf(
        "Usage: zhimian serve [--db URL] [--listen HOST:PORT] [--data-dir DIR] [--web-dir DIR]\n"
        "                     [--threads N] [--demo] [--no-workers]\n"
        "  --listen HOST:PORT  address to serve on (default 127.0.0.1:8080)\n"
        "  --web-dir DIR       built web app to serve (default web/dist, when present)\n"
        "  --threads N         HTTP worker threads = concurrent connections (default 16)\n"
        "  --demo              load the demo organisation when the database is empty\n"
        "  --no-workers        run no in-process job workers (run 'zhimian worker' instead);\n"
        "                      otherwise [jobs] workers (default 1) threads run background jobs\n"
        "SIGTERM or SIGINT: stop accepting, finish in-flight requests and running jobs, exit 0.%s",
        kCommonOptions);
    return 0;
  }
  auto config = LoadConfig(a);
  if (!config) return Die(config.error());
  if (a.Flag("--demo")) app::ApplyDemoDefaults(*config);

  sigset_t set = BlockStopSignals();

  auto app = app::OpenApp(*config);
  if (!app) return Die(app.error());
  if (auto st = app::EnsureAdmin(**app); !st) return Die(st.error());
  if (a.Flag("--demo")) {
    auto demo = app::LoadDemo(**app);
    if (demo)
      PrintDemoSummary(*demo);
    else if (demo.error().reason != "not_empty")
      return Die(demo.error());
  }
  auto server = app::MakeServer(**app);
  std::unique_ptr<jobs::WorkerPool> workers;
  if (!a.Flag("--no-workers") && config->job_workers > 0)
    workers = app::StartWorkers(**app, config->job_workers, "serve");
  auto port = server->Bind();
  if (!port) return Die(port.error());
  if (auto st = app::StartBackground(**app); !st) return Die(st.error());
  Log(LogLevel::kInfo, "listening",
      {{"address", config->listen_host},
       {"port", int64_t{*port}},
       {"db", (*app)->db->dialect() == storage::Dialect::kSqlite ? "sqlite" : "postgresql"}});
  std::printf("Zhimian is serving on http://%s:%d\n", config->listen_host.c_str(), *port);
  std::fflush(stdout);

  std::mutex mu;
  std::condition_variable cv;
  bool returned = false;
  std::thread stopper([&] {
    int sig = 0;
    sigwait(&set, &sig);
    std::unique_lock lock(mu);
    if (returned) return;
    Log(LogLevel::kInfo, "stopping", {{"signal", int64_t{sig}}});
    server->Stop();
    // Requests still running after this long are cut off.
    if (!cv.wait_for(lock, std::chrono::seconds(20), [&] { return returned; })) {
      Log(LogLevel::kWarn, "stop_timeout");
      server->ForceStop();
    }
  });
  auto st = server->Run();
  {
    std::lock_guard lock(mu);
    returned = true;
  }
  cv.notify_all();
  // Run returned on its own (bind failure): wake the stopper if it is still waiting.
  pthread_kill(stopper.native_handle(), SIGTERM);
  stopper.join();
  // Running jobs finish (or are released) before the process exits.
  if (workers) workers->Stop();
  if (!st) return Die(st.error());
  Log(LogLevel::kInfo, "stopped");
  return 0;
}

int Worker(const Args& a) {
  if (a.Flag("--help")) {
    std::printf(
        "Usage: zhimian worker [--db URL] [--data-dir DIR] [--threads N]\n"
        "Runs background job workers (interview follow-up, automation rules, notifications,\n"
        "webhooks) until SIGTERM or SIGINT. Several worker processes, on several machines with\n"
        "PostgreSQL, may run at once: each job is claimed by one of them under a lease.\n"
        "  --threads N   worker threads (default [jobs] workers, at least 1)\n"
        "SIGTERM or SIGINT: claim nothing more, finish running jobs, exit 0.%s",
        kCommonOptions);
    return 0;
  }
  auto config = LoadConfig(a);
  if (!config) return Die(config.error());
  int threads = std::max(1, config->job_workers);
  if (auto it = a.options.find("--threads"); it != a.options.end()) {
    threads = std::atoi(it->second.c_str());
    if (threads < 1 || threads > 64) return Die(InvalidArgument("--threads must be 1..64").error());
  }
  sigset_t set = BlockStopSignals();
  auto app = app::OpenApp(*config);
  if (!app) return Die(app.error());
  auto workers = app::StartWorkers(**app, threads, "worker");
  std::printf("Zhimian worker running %d thread(s)\n", threads);
  std::fflush(stdout);
  int sig = 0;
  sigwait(&set, &sig);
  Log(LogLevel::kInfo, "stopping", {{"signal", int64_t{sig}}});
  workers->Stop();
  auto s = workers->Stats();
  Log(LogLevel::kInfo, "stopped",
      {{"jobs_done", s.done},
       {"jobs_retried", s.retried},
       {"jobs_dead", s.dead},
       {"jobs_released", s.released}});
  return 0;
}

int Migrate(const Args& a) {
  if (a.Flag("--help")) {
    std::printf(
        "Usage: zhimian migrate [--db URL] [--data-dir DIR]\n"
        "Applies every pending schema migration, then exits.%s",
        kCommonOptions);
    return 0;
  }
  auto app = OpenFromArgs(a);
  if (!app) return Die(app.error());
  std::printf("database is at the latest schema\n");
  return 0;
}

int Demo(const Args& a) {
  if (a.Flag("--help")) {
    std::printf(
        "Usage: zhimian demo [--db URL] [--data-dir DIR]\n"
        "Fills an empty database with the demo organisation 星海科技集团 (departments, "
        "staff of every role, jobs with competency models, questions and interview "
        "plans, candidates with applications). All demo staff share the password printed "
        "at the end.%s",
        kCommonOptions);
    return 0;
  }
  auto app = OpenFromArgs(a);
  if (!app) return Die(app.error());
  if (auto st = app::EnsureAdmin(**app); !st) return Die(st.error());
  auto demo = app::LoadDemo(**app);
  if (!demo) return Die(demo.error());
  PrintDemoSummary(*demo);
  return 0;
}

int Audit(const Args& a) {
  if (a.Flag("--help") || a.positional.empty() || a.positional[0] != "verify") {
    std::printf(
        "Usage: zhimian audit verify [--db URL] [--data-dir DIR]\n"
        "Walks the audit log's hash chain. Exit 0 when intact; exit 1 naming the first "
        "broken entry.%s",
        kCommonOptions);
    return a.Flag("--help") ? 0 : 2;
  }
  auto app = OpenFromArgs(a);
  if (!app) return Die(app.error());
  auto v = security::VerifyAuditChain(*(*app)->db);
  if (!v) return Die(v.error());
  if (!v->ok) {
    std::printf("audit log BROKEN at entry seq=%lld: %s (%lld entries checked)\n",
                static_cast<long long>(*v->first_broken_seq), v->problem.c_str(),
                static_cast<long long>(v->entries_checked));
    return 1;
  }
  std::printf("audit log intact: %lld entries verified\n",
              static_cast<long long>(v->entries_checked));
  return 0;
}

int Backup(const Args& a) {
  if (a.Flag("--help") || !a.options.count("--out")) {
    std::printf(
        "Usage: zhimian backup --out FILE [--db URL] [--data-dir DIR]\n"
        "Copies a live SQLite database consistently (online backup API). For PostgreSQL "
        "use pg_dump. Keep the master key (data dir master.key) with the backup: without "
        "it the personal data cannot be decrypted.%s",
        kCommonOptions);
    return a.Flag("--help") ? 0 : 2;
  }
  auto app = OpenFromArgs(a);
  if (!app) return Die(app.error());
  if (auto st = (*app)->db->Backup(a.options.at("--out")); !st) return Die(st.error());
  std::printf("backup written to %s\n", a.options.at("--out").c_str());
  return 0;
}

int Notify(const Args& a) {
  if (a.Flag("--help") || a.positional.empty() || a.positional[0] != "deliver-pending") {
    std::printf(
        "Usage: zhimian notify deliver-pending [--limit N] [--db URL] [--data-dir DIR]\n"
        "Sends up to N (default 100) pending messages and webhooks now, oldest first, and prints "
        "how many were delivered, are to be retried and failed. Safe beside running workers."
        "%s",
        kCommonOptions);
    return a.Flag("--help") ? 0 : 2;
  }
  int limit = 100;
  if (auto it = a.options.find("--limit"); it != a.options.end()) {
    limit = std::atoi(it->second.c_str());
    if (limit < 1 || limit > 100000) {
      std::fprintf(stderr, "zhimian: --limit must be 1..100000\n");
      return 2;
    }
  }
  auto app = OpenFromArgs(a);
  if (!app) return Die(app.error());
  auto run = notify::DeliverPending((*app)->notify->deps(), limit);
  if (!run) return Die(run.error());
  std::printf("{\"delivered\":%d,\"retry_later\":%d,\"failed\":%d}\n", run->delivered,
              run->retry_later, run->failed);
  return 0;
}

int Routes(const Args& a) {
  auto config = LoadConfig(a);
  if (!config) return Die(config.error());
  if (config->db_url.empty() && !a.options.count("--data-dir")) {
    config->data_dir =
        (std::filesystem::temp_directory_path() / ("zhimian-routes-" + std::to_string(getpid())))
            .string();
  }
  SetLogQuiet(true);
  auto app = app::OpenApp(*config);
  if (!app) return Die(app.error());
  auto server = app::MakeServer(**app);
  for (const auto& r : server->routes())
    std::printf("{\"method\":%s,\"path\":%s,\"access\":%s}\n", JsonQuote(r.method).c_str(),
                JsonQuote(r.pattern).c_str(), JsonQuote(r.access.Name()).c_str());
  if (config->db_url.empty() && !a.options.count("--data-dir"))
    std::filesystem::remove_all(config->data_dir);
  return 0;
}

// A non-negative integer option; nullopt when absent, an error when malformed.
Result<std::optional<int64_t>> IntOption(const Args& a, const std::string& name, int64_t lo,
                                         int64_t hi) {
  auto it = a.options.find(name);
  if (it == a.options.end()) return std::optional<int64_t>{};
  const std::string& v = it->second;
  int64_t n = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (ec != std::errc() || p != v.data() + v.size() || n < lo || n > hi)
    return InvalidArgument(name + " must be an integer " + std::to_string(lo) + ".." +
                           std::to_string(hi));
  return std::optional<int64_t>{n};
}

void PrintReport(const scoring::supervised::TrainReport& r) {
  std::printf("examples:        %zu (ratings 0..%d)\n", r.examples, r.max_label);
  std::printf("cv_qwk:          %.3f (out-of-fold, thresholds tuned on them)\n", r.cv_qwk);
  std::printf("cv_qwk_rounded:  %.3f (out-of-fold, plain rounding)\n", r.cv_qwk_rounded);
  std::printf("cv_pearson:      %.3f\n", r.cv_pearson);
  for (const auto& l : r.learners)
    std::printf("  learner %-9s weight %.2f  cv_pearson %.3f  cv_qwk %.3f\n", l.name.c_str(),
                l.weight, l.cv_pearson, l.cv_qwk);
  std::printf("vocabulary:      %zu n-grams\n", r.vocabulary);
  std::printf("data_hash:       %s\n", r.data_hash.c_str());
  std::printf("train_seconds:   %.2f\n", r.train_seconds);
}

// Offline: a rated TSV/CSV file -> cross-validated metrics (and the model with --out).
int TrainFile(const Args& a) {
  namespace sv = scoring::supervised;
  auto max_label = IntOption(a, "--max-label", 1, 10);
  if (!max_label) return Die(max_label.error());
  if (!max_label->has_value())
    return Die(InvalidArgument("--max-label N is required: ratings are 0..N").error());
  auto folds = IntOption(a, "--folds", 2, 20);
  auto seed = IntOption(a, "--seed", 0, INT64_MAX);
  auto threads = IntOption(a, "--threads", 1, 64);
  for (const auto* r : {&folds, &seed, &threads})
    if (!*r) return Die(r->error());
  const std::string& path = a.options.at("--file");
  std::ifstream in(path, std::ios::binary);
  if (!in) return Die(InvalidArgument("cannot read " + path).error());
  std::stringstream buf;
  buf << in.rdbuf();
  sv::ReadOptions ro;
  ro.max_label = static_cast<int>(max_label->value());
  ro.strict = a.Flag("--strict");
  ro.delimiter = a.Flag("--csv") || path.ends_with(".csv") ? ',' : '\t';
  sv::ReadReport report;
  auto set = sv::ReadTrainingTsv(buf.str(), ro, &report);
  for (const auto& p : report.problems)
    std::fprintf(stderr, "%s:%zu: skipped: %s\n", path.c_str(), p.line, p.message.c_str());
  if (!set) {
    std::fprintf(stderr, "%s: %s\n", path.c_str(), set.error().message.c_str());
    return 2;
  }
  std::printf("read %zu rows: %zu examples, %zu skipped\n", report.rows, set->examples.size(),
              report.skipped);
  sv::TrainOptions to;
  const std::optional<int64_t>& f = *folds;
  const std::optional<int64_t>& sd = *seed;
  const std::optional<int64_t>& th = *threads;
  if (f) to.folds = static_cast<int>(*f);
  if (sd) to.seed = static_cast<uint64_t>(*sd);
  to.threads = th ? static_cast<int>(*th) : 2;
  auto model = sv::Train(*set, to);
  if (!model) {
    std::fprintf(stderr, "zhimian: training failed: %s\n", model.error().message.c_str());
    return 1;
  }
  PrintReport(model->report());
  if (auto it = a.options.find("--out"); it != a.options.end()) {
    std::ofstream out(it->second, std::ios::binary | std::ios::trunc);
    out << model->Save();
    if (!out.good()) return Die(InvalidArgument("cannot write " + it->second).error());
    std::printf("model written to %s\n", it->second.c_str());
  }
  return 0;
}

int Train(const Args& a) {
  if (a.Flag("--help") || (!a.options.count("--question") && !a.options.count("--file"))) {
    std::printf(
        "Usage: zhimian train --question ID [--dimension KEY] [--folds N] [--seed N] "
        "[--activate]\n"
        "                     [--db URL] [--data-dir DIR]\n"
        "       zhimian train --file rated.tsv --max-label N [--strict] [--csv] [--out FILE]\n"
        "                     [--folds N] [--seed N] [--threads N]\n"
        "--question: trains on the question's HR ratings in the configured database (the whole\n"
        "  answer, or one dimension with --dimension), registers the model as a new version and\n"
        "  prints its cross-validated metrics; --activate makes it the active model.\n"
        "--file: offline, from a file with a header row naming 'label' (or 'score') and 'text'\n"
        "  (or 'answer') columns, ratings 0..N; malformed rows are reported with their line\n"
        "  numbers and skipped (--strict refuses the file); a label outside 0..N refuses it.\n"
        "  Tab-separated unless --csv or the name ends in .csv. --out writes the model (JSON).%s",
        kCommonOptions);
    return a.Flag("--help") ? 0 : 2;
  }
  if (a.options.count("--file")) return TrainFile(a);
  auto folds = IntOption(a, "--folds", 2, 20);
  auto seed = IntOption(a, "--seed", 0, INT64_MAX);
  if (!folds) return Die(folds.error());
  if (!seed) return Die(seed.error());
  auto app = OpenFromArgs(a);
  if (!app) return Die(app.error());
  security::Context ctx;
  ctx.principal = security::Principal::System();
  ctx.request_id = "cli-train";
  services::TrainRequest req;
  if (auto it = a.options.find("--dimension"); it != a.options.end())
    req.dimension_key = it->second;
  if (*folds) req.folds = static_cast<int>(**folds);
  if (*seed) req.seed = static_cast<uint64_t>(**seed);
  const std::string& qid = a.options.at("--question");
  auto view = (*app)->models->TrainNow(ctx, qid, req);
  if (!view) return Die(view.error());
  const auto& v = *view;
  std::string version = std::to_string(v["version"].get<int64_t>());
  if (v["status"] != "ready") {
    std::fprintf(stderr, "zhimian: model version %s failed: %s\n", version.c_str(),
                 v["error"].is_string() ? v["error"].get<std::string>().c_str() : "");
    return 1;
  }
  std::printf("model version %s of question %s is ready (id %s)\n", version.c_str(), qid.c_str(),
              v["id"].get<std::string>().c_str());
  std::printf("%s\n", v["metrics"].dump(2).c_str());
  if (a.Flag("--activate")) {
    auto act = (*app)->models->Activate(ctx, qid, v["version"].get<int64_t>());
    if (!act) return Die(act.error());
    std::printf("model version %s is now active\n", version.c_str());
  }
  return 0;
}

}  // namespace

int Main(int argc, char** argv) {
  auto args = Parse(argc, argv);
  if (!args) return Die(args.error());
  // A mistyped option must not be ignored silently (e.g. "serve --dmeo").
  for (const auto& f : args->flags) {
    bool known =
        f == "--help" || ((f == "--demo" || f == "--no-workers") && args->command == "serve") ||
        ((f == "--strict" || f == "--csv" || f == "--activate") && args->command == "train");
    if (!known) {
      std::fprintf(stderr, "zhimian: unknown option '%s'; see 'zhimian %s --help'\n", f.c_str(),
                   args->command.c_str());
      return 2;
    }
  }
  const auto& cmd = args->command;
  if (cmd.empty() || cmd == "help" || (cmd.empty() && args->Flag("--help"))) {
    std::printf("%s", kUsage);
    return cmd.empty() && !args->Flag("--help") ? 2 : 0;
  }
  if (cmd == "serve") return Serve(*args);
  if (cmd == "worker") return Worker(*args);
  if (cmd == "migrate") return Migrate(*args);
  if (cmd == "demo") return Demo(*args);
  if (cmd == "audit") return Audit(*args);
  if (cmd == "backup") return Backup(*args);
  if (cmd == "routes") return Routes(*args);
  if (cmd == "train") return Train(*args);
  if (cmd == "notify") return Notify(*args);
  if (cmd == "--help") {
    std::printf("%s", kUsage);
    return 0;
  }
  std::fprintf(stderr, "zhimian: unknown command '%s'\n\n%s", cmd.c_str(), kUsage);
  return 2;
}

}  // namespace zm::cli

int main(int argc, char** argv) { return zm::cli::Main(argc, argv); }
