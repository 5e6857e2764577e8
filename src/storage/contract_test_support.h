// Scaffolding shared by the storage contract suites (database_test, repository_test): both run
// the same tests on SQLite and on PostgreSQL (ZHIMIAN_TEST_PG_URL). Header-only, test code only.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <string>

#include "common/result.h"
#include "storage/database.h"

namespace zm::storage::testing {

#define ASSERT_OK(expr)                                                                      \
  do {                                                                                       \
    const auto& zm_r_ = (expr);                                                              \
    ASSERT_TRUE(zm_r_.has_value()) << zm_r_.error().reason << ": " << zm_r_.error().message; \
  } while (0)

// Drops the value of a Result (g++ 12's std::expected has no transform()).
template <class T>
Status AsStatus(const Result<T>& r) {
  if (!r) return std::unexpected(r.error());
  return Ok();
}

enum class Backend { kSqlite, kPostgres };

inline std::string BackendName(const ::testing::TestParamInfo<Backend>& info) {
  return info.param == Backend::kSqlite ? "Sqlite" : "Postgres";
}

// Unique within the machine: pid, a per-process counter and a time fragment.
inline std::string UniqueSuffix() {
  static std::atomic<int> counter{0};
  return std::to_string(getpid()) + "_" + std::to_string(counter++) + "_" +
         std::to_string(std::chrono::steady_clock::now().time_since_epoch().count() % 1000000);
}

// `url` with `param` added to its query string.
inline std::string WithParam(const std::string& url, const std::string& param) {
  return url + (url.find('?') == std::string::npos ? "?" : "&") + param;
}

// The PostgreSQL URL for the contract suites, or "" when ZHIMIAN_TEST_PG_URL is unset.
inline std::string PgTestUrl() {
  const char* env = std::getenv("ZHIMIAN_TEST_PG_URL");
  return env == nullptr ? "" : env;
}

inline constexpr char kPgSkipMessage[] =
    "PostgreSQL contract tests skipped: ZHIMIAN_TEST_PG_URL is not set (run "
    "`scripts/pg-test-cluster.sh start /tmp/zm-pg` and export the URL it prints)";

// A fresh schema named prefix + unique suffix on the server at base_url; sets *url to a URL whose
// connections use it, so tests can run in parallel without seeing each other's tables.
inline Result<std::string> CreatePgSchema(const std::string& base_url, const std::string& prefix,
                                          std::string* url) {
  std::string schema = prefix + UniqueSuffix();
  ZM_ASSIGN_OR_RETURN(auto admin, Database::Open(base_url, {.pool_size = 1}));
  ZM_RETURN_IF_ERROR(
      admin->Write([&](Tx& tx) { return tx.ExecScript("CREATE SCHEMA " + schema); }));
  *url = WithParam(base_url, "options=-csearch_path%3D" + schema);
  return schema;
}

// Best effort: drops a schema made by CreatePgSchema.
inline void DropPgSchema(const std::string& base_url, const std::string& schema) {
  auto admin = Database::Open(base_url, {.pool_size = 1});
  if (!admin) return;
  (void)(*admin)->Write(
      [&](Tx& tx) { return tx.ExecScript("DROP SCHEMA " + schema + " CASCADE"); });
}

}  // namespace zm::storage::testing
