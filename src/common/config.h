// Server configuration: defaults, then a TOML file, then ZHIMIAN_* environment variables,
// then command-line flags (applied by cli/). Plain data; copy freely.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "common/result.h"

namespace zm {

struct Config {
  // "sqlite:PATH" or "postgresql://user:pass@host:port/db". Empty: sqlite:<data_dir>/zhimian.db.
  std::string db_url;
  std::string listen_host = "127.0.0.1";
  int listen_port = 8080;
  std::string data_dir = "data";
  // Directory holding the built web app (index.html); served when it exists.
  std::string web_dir = "web/dist";
  int http_threads = 16;  // worker threads = concurrent connections served
  // Connections per database pool; 0 = one per HTTP worker thread, so a request never waits
  // for a connection (waiting threads wake in no fixed order, which shows as tail latency).
  int db_pool_size = 0;
  int64_t max_body_bytes = 1 << 20;  // JSON bodies; larger requests answer 413
  int session_ttl_minutes = 8 * 60;
  bool secure_cookies = false;  // set when served behind TLS
  int login_max_failures = 5;
  int login_lock_minutes = 15;
  std::string log_level = "info";
  // Base64 of a 32-byte master key; when empty the key file in data_dir is used.
  std::string master_key_b64;
  std::string admin_email = "admin@example.com";
  std::string admin_password;  // empty: generated and printed once on first start
  // Shown to candidates (interview welcome page, data-use text, report).
  std::string organisation_name = "智面";
  // Base of the links sent to candidates, e.g. "https://hire.example.com". Empty: derived
  // from the listen address.
  std::string public_url;
  int retention_days = 365;  // how long candidate data is kept (stated to candidates)
  // Supervised scoring: fewer HR-rated answers than this and a question keeps the rubric
  // scorer (training is refused); threads of one training run.
  int scoring_min_ratings = 50;
  int scoring_train_threads = 1;

  // Background jobs (jobs/). In-process worker threads of `zhimian serve` (0: none; a separate
  // `zhimian worker` runs them); `zhimian worker --threads N` overrides it for that process.
  int job_workers = 1;
  int64_t job_lease_ms = 60000;          // a dead worker's job is claimed again after this long
  int64_t job_poll_ms = 500;             // idle workers look for due jobs this often
  int64_t job_backoff_base_ms = 2000;    // retry delay after the first failure, doubling
  int64_t job_backoff_max_ms = 3600000;  // cap of the retry delay
  // Notifications: the longest one send (SMTP session or HTTP request) may take. A delivery
  // whose sender died is sent again after this plus 15 s.
  int64_t notify_timeout_ms = 15000;

  // The effective database URL (resolves the default).
  std::string DatabaseUrl() const;
  // public_url without a trailing slash, or http://<listen_host>:<listen_port>.
  std::string PublicBaseUrl() const;
};

// Reads `path` (TOML) over the defaults. A missing file is an error only when `required`.
// Keys: [server] listen, threads, max_body_bytes, web_dir, secure_cookies;
// [database] url, pool_size; [security] session_ttl_minutes, login_max_failures,
// login_lock_minutes; [organisation] name, public_url, retention_days; [scoring] min_ratings,
// train_threads; [jobs] workers, lease_ms, poll_ms, backoff_base_ms, backoff_max_ms; data_dir,
// log_level at top level.
Result<Config> LoadConfigFile(const std::string& path, bool required, Config base = {});
// Applies ZHIMIAN_DB, ZHIMIAN_LISTEN, ZHIMIAN_DATA_DIR, ZHIMIAN_WEB_DIR, ZHIMIAN_HTTP_THREADS,
// ZHIMIAN_LOG_LEVEL, ZHIMIAN_MASTER_KEY, ZHIMIAN_ADMIN_EMAIL, ZHIMIAN_ADMIN_PASSWORD,
// ZHIMIAN_SECURE_COOKIES, ZHIMIAN_ORG_NAME, ZHIMIAN_PUBLIC_URL, ZHIMIAN_MIN_RATINGS,
// ZHIMIAN_JOB_WORKERS, ZHIMIAN_JOB_LEASE_MS, ZHIMIAN_JOB_POLL_MS, ZHIMIAN_JOB_BACKOFF_BASE_MS
// from `env`.
Result<Config> ApplyEnv(Config config, const std::map<std::string, std::string>& env);
// Parses "HOST:PORT" into config.
Status SetListen(Config& config, const std::string& host_port);
std::map<std::string, std::string> ProcessEnv();

}  // namespace zm
