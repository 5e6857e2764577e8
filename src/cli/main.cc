// zhimian: the command line. Subcommands: serve, migrate, demo, audit verify, backup, routes.
#include <pthread.h>
#include <signal.h>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "app/app.h"
#include "common/config.h"
#include "common/log.h"
#include "common/strings.h"
#include "security/audit_log.h"

namespace zm::cli {
namespace {

constexpr char kUsage[] = R"(zhimian - self-hosted AI interview platform (智面)

Usage: zhimian <command> [options]

Commands:
  serve          Run the HTTP server (and apply migrations).
  migrate        Apply database migrations and exit.
  demo           Fill an empty database with the demo organisation.
  audit verify   Verify the audit log's hash chain; exit 1 and name the first broken entry.
  backup         Copy the SQLite database (online backup API).
  routes         Print every HTTP route with the access it needs, as JSON lines.
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
  ZHIMIAN_ADMIN_EMAIL, ZHIMIAN_ADMIN_PASSWORD, ZHIMIAN_WEB_DIR, ZHIMIAN_HTTP_THREADS, ZHIMIAN_LOG_LEVEL.
Order of precedence: defaults < config file < environment < command line.
)";

struct Args {
  std::string command;
  std::vector<std::string> positional;
  std::map<std::string, std::string> options;  // --name value
  std::vector<std::string> flags;              // --name
  bool Flag(const std::string& f) const {
    return std::find(flags.begin(), flags.end(), f) != flags.end();
  }
};

const std::vector<std::string> kValueOptions = {"--config",  "--db",  "--data-dir", "--listen",
                                                "--web-dir", "--out", "--threads",  "--limit"};

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
        "                     [--threads N] [--demo]\n"
        "  --listen HOST:PORT  address to serve on (default 127.0.0.1:8080)\n"
        "  --web-dir DIR       built web app to serve (default web/dist, when present)\n"
        "  --threads N         HTTP worker threads = concurrent connections (default 16)\n"
        "  --demo              load the demo organisation when the database is empty\n"
        "SIGTERM or SIGINT: stop accepting, finish in-flight requests, exit 0.%s",
        kCommonOptions);
    return 0;
  }
  auto config = LoadConfig(a);
  if (!config) return Die(config.error());

  // Block the stop signals in every thread; one thread waits for them.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  signal(SIGPIPE, SIG_IGN);

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
  auto port = server->Bind();
  if (!port) return Die(port.error());
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
  if (!st) return Die(st.error());
  Log(LogLevel::kInfo, "stopped");
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

}  // namespace

int Main(int argc, char** argv) {
  auto args = Parse(argc, argv);
  if (!args) return Die(args.error());
  // A mistyped option must not be ignored silently (e.g. "serve --dmeo").
  for (const auto& f : args->flags) {
    bool known = f == "--help" || (f == "--demo" && args->command == "serve");
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
  if (cmd == "migrate") return Migrate(*args);
  if (cmd == "demo") return Demo(*args);
  if (cmd == "audit") return Audit(*args);
  if (cmd == "backup") return Backup(*args);
  if (cmd == "routes") return Routes(*args);
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
