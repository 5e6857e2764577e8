#include "common/config.h"

#include <toml++/toml.h>
#include <algorithm>
#include <charconv>
#include <filesystem>

extern char** environ;

namespace zm {

std::string Config::DatabaseUrl() const {
  if (!db_url.empty()) return db_url;
  return "sqlite:" + (std::filesystem::path(data_dir) / "zhimian.db").string();
}

std::string Config::PublicBaseUrl() const {
  std::string url = public_url;
  while (!url.empty() && url.back() == '/') url.pop_back();
  if (!url.empty()) return url;
  std::string host = listen_host == "0.0.0.0" || listen_host.empty() ? "127.0.0.1" : listen_host;
  return "http://" + host + ":" + std::to_string(listen_port);
}

Status SetListen(Config& config, const std::string& host_port) {
  auto pos = host_port.rfind(':');
  if (pos == std::string::npos || pos == 0)
    return InvalidArgument("listen address must be HOST:PORT, got '" + host_port + "'");
  int port = 0;
  auto port_text = host_port.substr(pos + 1);
  auto [ptr, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc() || ptr != port_text.data() + port_text.size() || port < 0 || port > 65535)
    return InvalidArgument("invalid port in '" + host_port + "'");
  config.listen_host = host_port.substr(0, pos);
  config.listen_port = port;
  return Ok();
}

namespace {
Status ValidateJobSettings(const Config& c) {
  if (c.job_workers < 0 || c.job_workers > 64) return InvalidArgument("jobs.workers must be 0..64");
  if (c.job_lease_ms < 500 || c.job_lease_ms > 86400000)
    return InvalidArgument("jobs.lease_ms must be 500..86400000");
  if (c.job_poll_ms < 10 || c.job_poll_ms > 60000)
    return InvalidArgument("jobs.poll_ms must be 10..60000");
  if (c.job_backoff_base_ms < 0 || c.job_backoff_max_ms < c.job_backoff_base_ms)
    return InvalidArgument("jobs.backoff_base_ms must be >= 0 and <= jobs.backoff_max_ms");
  if (c.notify_timeout_ms < 1000 || c.notify_timeout_ms > 600000)
    return InvalidArgument("notify.timeout_ms must be 1000..600000");
  return Ok();
}

Result<int64_t> EnvInt(const std::string& name, const std::string& v) {
  int64_t n = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (ec != std::errc() || p != v.data() + v.size())
    return InvalidArgument(name + " must be an integer");
  return n;
}
}  // namespace

Result<Config> LoadConfigFile(const std::string& path, bool required, Config c) {
  if (!std::filesystem::exists(path)) {
    if (required) return InvalidArgument("config file not found: " + path);
    return c;
  }
  toml::table t;
  try {
    t = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    return InvalidArgument("config file " + path + ": " + std::string(e.description()));
  }
  if (auto v = t["data_dir"].value<std::string>()) c.data_dir = *v;
  if (auto v = t["log_level"].value<std::string>()) c.log_level = *v;
  if (auto v = t["server"]["listen"].value<std::string>()) ZM_RETURN_IF_ERROR(SetListen(c, *v));
  if (auto v = t["server"]["threads"].value<int64_t>()) c.http_threads = static_cast<int>(*v);
  if (auto v = t["server"]["max_body_bytes"].value<int64_t>()) c.max_body_bytes = *v;
  if (auto v = t["server"]["web_dir"].value<std::string>()) c.web_dir = *v;
  if (auto v = t["server"]["secure_cookies"].value<bool>()) c.secure_cookies = *v;
  if (auto v = t["database"]["url"].value<std::string>()) c.db_url = *v;
  if (auto v = t["database"]["pool_size"].value<int64_t>()) c.db_pool_size = static_cast<int>(*v);
  if (auto v = t["security"]["session_ttl_minutes"].value<int64_t>())
    c.session_ttl_minutes = static_cast<int>(*v);
  if (auto v = t["security"]["login_max_failures"].value<int64_t>())
    c.login_max_failures = static_cast<int>(*v);
  if (auto v = t["security"]["login_lock_minutes"].value<int64_t>())
    c.login_lock_minutes = static_cast<int>(*v);
  if (auto v = t["organisation"]["name"].value<std::string>()) c.organisation_name = *v;
  if (auto v = t["organisation"]["public_url"].value<std::string>()) c.public_url = *v;
  if (auto v = t["organisation"]["retention_days"].value<int64_t>())
    c.retention_days = static_cast<int>(*v);
  if (auto v = t["scoring"]["min_ratings"].value<int64_t>())
    c.scoring_min_ratings = static_cast<int>(*v);
  if (auto v = t["scoring"]["train_threads"].value<int64_t>())
    c.scoring_train_threads = static_cast<int>(*v);
  if (c.scoring_min_ratings < 10 || c.scoring_min_ratings > 100000)
    return InvalidArgument("scoring.min_ratings must be 10..100000");
  if (c.scoring_train_threads < 1 || c.scoring_train_threads > 64)
    return InvalidArgument("scoring.train_threads must be 1..64");
  if (auto v = t["jobs"]["workers"].value<int64_t>()) c.job_workers = static_cast<int>(*v);
  if (auto v = t["jobs"]["lease_ms"].value<int64_t>()) c.job_lease_ms = *v;
  if (auto v = t["jobs"]["poll_ms"].value<int64_t>()) c.job_poll_ms = *v;
  if (auto v = t["jobs"]["backoff_base_ms"].value<int64_t>()) c.job_backoff_base_ms = *v;
  if (auto v = t["jobs"]["backoff_max_ms"].value<int64_t>()) c.job_backoff_max_ms = *v;
  if (auto v = t["notify"]["timeout_ms"].value<int64_t>()) c.notify_timeout_ms = *v;
  ZM_RETURN_IF_ERROR(ValidateJobSettings(c));
  if (c.http_threads < 1 || c.http_threads > 1024)
    return InvalidArgument("server.threads must be 1..1024");
  if (c.retention_days < 1 || c.retention_days > 3650)
    return InvalidArgument("organisation.retention_days must be 1..3650");
  if (c.db_pool_size < 0 || c.db_pool_size > 256)
    return InvalidArgument("database.pool_size must be 0..256 (0: one per HTTP thread)");
  return c;
}

Result<Config> ApplyEnv(Config c, const std::map<std::string, std::string>& env) {
  auto get = [&](const char* k) -> const std::string* {
    auto it = env.find(k);
    return it == env.end() || it->second.empty() ? nullptr : &it->second;
  };
  if (auto* v = get("ZHIMIAN_DB")) c.db_url = *v;
  if (auto* v = get("ZHIMIAN_LISTEN")) ZM_RETURN_IF_ERROR(SetListen(c, *v));
  if (auto* v = get("ZHIMIAN_DATA_DIR")) c.data_dir = *v;
  if (auto* v = get("ZHIMIAN_WEB_DIR")) c.web_dir = *v;
  if (auto* v = get("ZHIMIAN_LOG_LEVEL")) c.log_level = *v;
  if (auto* v = get("ZHIMIAN_MASTER_KEY")) c.master_key_b64 = *v;
  if (auto* v = get("ZHIMIAN_ADMIN_EMAIL")) c.admin_email = *v;
  if (auto* v = get("ZHIMIAN_ADMIN_PASSWORD")) c.admin_password = *v;
  if (auto* v = get("ZHIMIAN_ORG_NAME")) c.organisation_name = *v;
  if (auto* v = get("ZHIMIAN_PUBLIC_URL")) c.public_url = *v;
  if (auto* v = get("ZHIMIAN_SECURE_COOKIES")) c.secure_cookies = (*v == "1" || *v == "true");
  if (auto* v = get("ZHIMIAN_HTTP_THREADS")) {
    int n = 0;
    auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
    if (ec != std::errc() || n < 1 || n > 1024)
      return InvalidArgument("ZHIMIAN_HTTP_THREADS must be 1..1024");
    c.http_threads = n;
  }
  if (auto* v = get("ZHIMIAN_MIN_RATINGS")) {
    int n = 0;
    auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
    if (ec != std::errc() || n < 10 || n > 100000)
      return InvalidArgument("ZHIMIAN_MIN_RATINGS must be 10..100000");
    c.scoring_min_ratings = n;
  }
  if (auto* v = get("ZHIMIAN_JOB_WORKERS")) {
    ZM_ASSIGN_OR_RETURN(int64_t n, EnvInt("ZHIMIAN_JOB_WORKERS", *v));
    c.job_workers = static_cast<int>(std::clamp<int64_t>(n, -1, 1000));
  }
  if (auto* v = get("ZHIMIAN_JOB_LEASE_MS")) {
    ZM_ASSIGN_OR_RETURN(c.job_lease_ms, EnvInt("ZHIMIAN_JOB_LEASE_MS", *v));
  }
  if (auto* v = get("ZHIMIAN_NOTIFY_TIMEOUT_MS")) {
    ZM_ASSIGN_OR_RETURN(c.notify_timeout_ms, EnvInt("ZHIMIAN_NOTIFY_TIMEOUT_MS", *v));
  }
  if (auto* v = get("ZHIMIAN_JOB_POLL_MS")) {
    ZM_ASSIGN_OR_RETURN(c.job_poll_ms, EnvInt("ZHIMIAN_JOB_POLL_MS", *v));
  }
  if (auto* v = get("ZHIMIAN_JOB_BACKOFF_BASE_MS")) {
    ZM_ASSIGN_OR_RETURN(c.job_backoff_base_ms, EnvInt("ZHIMIAN_JOB_BACKOFF_BASE_MS", *v));
  }
  ZM_RETURN_IF_ERROR(ValidateJobSettings(c));
  return c;
}

std::map<std::string, std::string> ProcessEnv() {
  std::map<std::string, std::string> env;
  for (char** e = environ; e && *e; ++e) {
    std::string kv = *e;
    auto pos = kv.find('=');
    if (pos != std::string::npos && kv.rfind("ZHIMIAN_", 0) == 0)
      env[kv.substr(0, pos)] = kv.substr(pos + 1);
  }
  return env;
}

}  // namespace zm
