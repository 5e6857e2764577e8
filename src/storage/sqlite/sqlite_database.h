// The SQLite adapter of the storage port: a pool of connections on one database file.
//
// Every connection runs with journal_mode=WAL, synchronous=FULL, foreign_keys=ON and the
// busy timeout of DatabaseOptions, and keeps a cache of prepared statements. Writers of this
// process are serialized by a mutex before BEGIN IMMEDIATE (SQLite allows one writer at a time,
// and the mutex avoids busy-waiting); readers run concurrently on WAL snapshots.
//
// Behaviour shared with the PostgreSQL adapter (checked by database_test.cc):
//  - after a statement fails inside a transaction, the transaction is aborted: later statements
//    fail, and Write returns the first error even when the callback swallowed it and returned ok;
//  - a Read transaction refuses statements that write (kInternal);
//  - string parameters must be valid UTF-8 without NUL bytes (kInvalidArgument);
//  - the number of parameters must match the number of `?` placeholders (kInternal).
#pragma once

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "storage/database.h"

namespace zm::storage {

class SqliteDatabase final : public Database {
 public:
  // Opens (creating the file and its parent directory if missing) the database at `path` with
  // options.pool_size connections. Fails with kInvalidArgument for "" or ":memory:", and with
  // kUnavailable when the file cannot be opened or WAL mode cannot be enabled.
  static Result<std::unique_ptr<SqliteDatabase>> Open(const std::string& path,
                                                      const DatabaseOptions& options);
  // Closes every connection. No Read/Write may be running.
  ~SqliteDatabase() override;

  SqliteDatabase(const SqliteDatabase&) = delete;
  SqliteDatabase& operator=(const SqliteDatabase&) = delete;

  Dialect dialect() const override { return Dialect::kSqlite; }
  // Waits up to busy_timeout_ms for the process-wide writer lock and then for a free
  // connection; kUnavailable on timeout. A nested Write on the same thread fails with kInternal
  // (it would deadlock).
  Status Write(const std::function<Status(Tx&)>& fn) override;
  Status Read(const std::function<Status(Tx&)>& fn) override;
  // Copies a consistent snapshot to `dest_path` (parent directory created if missing) through
  // a temporary file renamed into place, so `dest_path` is never half-written. The copy is a
  // single file in rollback-journal mode. Writers may continue during the backup.
  Status Backup(const std::string& dest_path) override;

  const std::string& path() const { return path_; }

 private:
  struct Connection;
  class Lease;

  SqliteDatabase(std::string path, DatabaseOptions options);
  Result<Connection*> Acquire();
  void Release(Connection* conn);
  Status RunTransaction(bool write, const std::function<Status(Tx&)>& fn);

  const std::string path_;
  const DatabaseOptions options_;
  std::vector<std::unique_ptr<Connection>> connections_;

  std::mutex pool_mu_;
  std::condition_variable pool_cv_;
  std::vector<Connection*> idle_;  // guarded by pool_mu_

  // The writer slot: one Write at a time in this process. (A flag under a mutex rather than
  // std::timed_mutex, whose try_lock_for ThreadSanitizer misreports.)
  std::mutex write_mu_;
  std::condition_variable write_cv_;
  bool writing_ = false;  // guarded by write_mu_
};

}  // namespace zm::storage
