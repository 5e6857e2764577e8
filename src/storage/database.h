// The storage port: a pooled SQL database reached through one small interface, with a SQLite
// adapter (sqlite/) and a PostgreSQL adapter (postgres/) side by side. Repositories are
// written once against this interface in portable SQL, and one contract test suite runs them
// on both adapters, so no SQLite-only behaviour can hide.
//
// SQL conventions (both adapters accept them):
//  - placeholders are `?` (the PostgreSQL adapter rewrites them to $1..$n outside quotes);
//  - integers are BIGINT, booleans are INTEGER 0/1, times are BIGINT Unix milliseconds,
//    binary data is stored as base64 TEXT;
//  - result cells come back as text (NULL as nullopt) and are converted by Row accessors.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "common/result.h"

namespace zm::storage {

enum class Dialect { kSqlite, kPostgres };

// A bound parameter. Null binds SQL NULL.
struct Null {};
using Value = std::variant<Null, int64_t, double, std::string>;

// Helpers to bind optional values.
inline Value OptText(const std::optional<std::string>& v) { return v ? Value{*v} : Value{Null{}}; }
inline Value OptInt(const std::optional<int64_t>& v) { return v ? Value{*v} : Value{Null{}}; }
inline Value OptReal(const std::optional<double>& v) { return v ? Value{*v} : Value{Null{}}; }

class Row {
 public:
  explicit Row(std::vector<std::optional<std::string>> cells) : cells_(std::move(cells)) {}
  size_t size() const { return cells_.size(); }
  bool IsNull(size_t i) const { return !cells_.at(i).has_value(); }
  // Text of the cell; "" for NULL.
  const std::string& Text(size_t i) const;
  std::optional<std::string> OptText(size_t i) const { return cells_.at(i); }
  // Integer value; 0 for NULL or non-numeric text.
  int64_t Int(size_t i) const;
  std::optional<int64_t> OptInt(size_t i) const;
  double Double(size_t i) const;
  std::optional<double> OptDouble(size_t i) const;
  bool Bool(size_t i) const { return Int(i) != 0; }

 private:
  std::vector<std::optional<std::string>> cells_;
};

struct QueryResult {
  std::vector<std::string> columns;
  std::vector<Row> rows;
};

// One connection inside a transaction. Not thread-safe; valid only inside the callback of
// Database::Write/Read that handed it out.
//
// Errors: constraint violations map to kConflict with reason "unique_violation" or
// "foreign_key_violation"; a lost connection or busy timeout to kUnavailable; anything else
// (syntax errors: bugs) to kInternal.
class Tx {
 public:
  virtual ~Tx() = default;
  virtual Dialect dialect() const = 0;
  virtual Result<QueryResult> Query(std::string_view sql,
                                    const std::vector<Value>& params = {}) = 0;
  // Returns the number of rows changed.
  virtual Result<int64_t> Exec(std::string_view sql, const std::vector<Value>& params = {}) = 0;
  // Runs several statements without parameters (DDL in migrations).
  virtual Status ExecScript(std::string_view sql) = 0;

  // Convenience: the first row, or nullopt when there is none.
  Result<std::optional<Row>> QueryOne(std::string_view sql, const std::vector<Value>& params = {});
  // " FOR UPDATE" on PostgreSQL, "" on SQLite (whose write transactions are exclusive already).
  std::string_view ForUpdate() const {
    return dialect() == Dialect::kPostgres ? " FOR UPDATE" : "";
  }
};

struct DatabaseOptions {
  int pool_size = 8;
  // How long a writer waits for a lock before kUnavailable.
  int busy_timeout_ms = 10000;
};

// A pool of connections. Thread-safe: any number of threads may call Read/Write concurrently;
// each call leases one connection for its duration.
class Database {
 public:
  // url: "sqlite:PATH" (PATH ":memory:" is refused: the pool needs a shared file) or
  // "postgresql://..." / "postgres://...". Fails with kInvalidArgument for an unknown scheme,
  // kUnavailable when the database cannot be reached or opened.
  static Result<std::unique_ptr<Database>> Open(const std::string& url,
                                                DatabaseOptions options = {});
  virtual ~Database() = default;

  virtual Dialect dialect() const = 0;
  // Runs fn inside a read-write transaction (SQLite: BEGIN IMMEDIATE; PostgreSQL: READ
  // COMMITTED). Commits when fn returns ok, rolls back otherwise; the error of fn or of the
  // commit is returned. A commit that returned ok is durable (SQLite synchronous=FULL).
  virtual Status Write(const std::function<Status(Tx&)>& fn) = 0;
  // Runs fn inside a read-only transaction (a consistent snapshot).
  virtual Status Read(const std::function<Status(Tx&)>& fn) = 0;
  // Checks that a connection answers (readiness probe).
  Status Ping();
  // SQLite only: copies the database to `dest_path` with the online backup API.
  virtual Status Backup(const std::string& dest_path) = 0;

  // Typed wrappers: return fn's value.
  template <class T>
  Result<T> WriteValue(const std::function<Result<T>(Tx&)>& fn) {
    std::optional<T> out;
    ZM_RETURN_IF_ERROR(Write([&](Tx& tx) -> Status {
      ZM_ASSIGN_OR_RETURN(auto v, fn(tx));
      out.emplace(std::move(v));
      return Ok();
    }));
    return std::move(*out);
  }
  template <class T>
  Result<T> ReadValue(const std::function<Result<T>(Tx&)>& fn) {
    std::optional<T> out;
    ZM_RETURN_IF_ERROR(Read([&](Tx& tx) -> Status {
      ZM_ASSIGN_OR_RETURN(auto v, fn(tx));
      out.emplace(std::move(v));
      return Ok();
    }));
    return std::move(*out);
  }
};

}  // namespace zm::storage
