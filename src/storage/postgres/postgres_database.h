// The PostgreSQL adapter of the storage port: a pool of libpq connections.
//
// - `?` placeholders are rewritten to $1..$n (RewritePlaceholders below). Parameters travel in
//   text format; int64 parameters are typed bigint and doubles double precision, strings and
//   NULLs are left untyped so the server infers them from the context (like SQLite affinity).
// - Each connection caches prepared statements (by SQL text and parameter types). A successful
//   ExecScript (DDL) invalidates the caches of all connections.
// - Write runs in READ COMMITTED, Read in REPEATABLE READ READ ONLY (one consistent snapshot).
// - Result cells are text; boolean columns come back as "1"/"0" (as on SQLite), double
//   precision in the shortest exact form ("3", "0.1"), NUMERIC as printed by the server.
// - Sessions run with client_min_messages=warning (NOTICEs are dropped) and
//   lock_timeout=busy_timeout_ms.
// - A connection found broken is reconnected when it is next leased.
//
// Behaviour shared with the SQLite adapter (checked by database_test.cc): after a failed
// statement the transaction is aborted and Write returns that first error even if the callback
// swallowed it; Read refuses writes; string parameters must be valid UTF-8 without NUL
// (kInvalidArgument); the parameter count must match the placeholders (kInternal).
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "storage/database.h"

namespace zm::storage {

// Rewrites `?` to $1..$n outside single-quoted strings, double-quoted identifiers and comments
// (`-- ...`, `/* ... */`). Sets *count to the number of placeholders when count is not null.
// E'...' strings with backslash escapes and dollar-quoted strings are not supported.
std::string RewritePlaceholders(std::string_view sql, int* count = nullptr);

// `url` with its password removed (user:secret@ -> user@, and any password= parameter).
std::string RedactPostgresUrl(std::string_view url);

class PostgresDatabase final : public Database {
 public:
  // Connects one connection eagerly (the others on first use). Fails with kUnavailable when
  // the server cannot be reached or refuses the credentials.
  static Result<std::unique_ptr<PostgresDatabase>> Open(const std::string& url,
                                                        const DatabaseOptions& options);
  // Closes every connection. No Read/Write may be running.
  ~PostgresDatabase() override;

  PostgresDatabase(const PostgresDatabase&) = delete;
  PostgresDatabase& operator=(const PostgresDatabase&) = delete;

  Dialect dialect() const override { return Dialect::kPostgres; }
  // Waits up to busy_timeout_ms for a free connection (kUnavailable on timeout).
  // Serialization failures and deadlocks (40001, 40P01) return kUnavailable: retryable.
  Status Write(const std::function<Status(Tx&)>& fn) override;
  Status Read(const std::function<Status(Tx&)>& fn) override;
  // Always kInvalidArgument: PostgreSQL is backed up with pg_dump (the message says how).
  Status Backup(const std::string& dest_path) override;

 private:
  struct Connection;
  class Lease;

  PostgresDatabase(std::string url, DatabaseOptions options);
  Result<Connection*> Acquire();
  void Release(Connection* conn);
  Status RunTransaction(bool write, const std::function<Status(Tx&)>& fn);

  const std::string url_;
  const DatabaseOptions options_;
  std::vector<std::unique_ptr<Connection>> connections_;

  std::mutex pool_mu_;
  std::condition_variable pool_cv_;
  std::vector<Connection*> idle_;  // guarded by pool_mu_

  // Bumped by every successful ExecScript; a connection whose cache is older drops it.
  std::atomic<uint64_t> schema_generation_{0};
};

}  // namespace zm::storage
