#include "storage/sqlite/sqlite_database.h"

#include <sqlite3.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <optional>
#include <string_view>
#include <system_error>
#include <thread>
#include <unordered_map>

#include "common/strings.h"

namespace zm::storage {
namespace {

// Prepared statements of one connection by SQL text; lookups by string_view do not allocate.
struct SqlHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
using StatementCache = std::unordered_map<std::string, sqlite3_stmt*, SqlHash, std::equal_to<>>;

// A connection drops its whole statement cache when it grows past this many entries (SQL built
// with a variable number of placeholders must not grow it without bound).
constexpr size_t kMaxCachedStatements = 256;

// The database whose Write is running on this thread (nested Writes would deadlock).
thread_local const void* tls_writing_db = nullptr;

Error SqliteError(sqlite3* db, int rc) {
  const char* msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  std::string_view text = msg ? msg : "unknown error";
  switch (rc) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY: {
      // "UNIQUE constraint failed: users.email" -> "users.email"
      std::string_view what = text;
      if (auto pos = what.find(": "); pos != std::string_view::npos) what.remove_prefix(pos + 2);
      return MakeError(ErrorCode::kConflict, "unique_violation",
                       "unique constraint violated: " + std::string(what));
    }
    case SQLITE_CONSTRAINT_FOREIGNKEY:
      return MakeError(ErrorCode::kConflict, "foreign_key_violation",
                       "foreign key constraint violated");
    default:
      break;
  }
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return MakeError(ErrorCode::kUnavailable, "unavailable",
                       "database is busy: " + std::string(text));
    default:
      return MakeError(ErrorCode::kInternal, "internal", "sqlite: " + std::string(text));
  }
}

bool IsBlank(std::string_view s) {
  for (char c : s) {
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != ';') return false;
  }
  return true;
}

Status CheckTextParam(const std::string& s) {
  if (std::memchr(s.data(), '\0', s.size()) != nullptr) {
    return InvalidArgument("text contains a NUL byte");
  }
  if (!IsValidUtf8(s)) return InvalidArgument("text is not valid UTF-8");
  return Ok();
}

}  // namespace

// One sqlite3 handle and its prepared statements. Used by one thread at a time (the pool hands
// it out), so the handle is opened with SQLITE_OPEN_NOMUTEX.
struct SqliteDatabase::Connection {
  sqlite3* db = nullptr;
  StatementCache statements;

  ~Connection() {
    ClearStatements();
    if (db) sqlite3_close_v2(db);
  }
  void ClearStatements() {
    for (auto& [sql, stmt] : statements) sqlite3_finalize(stmt);
    statements.clear();
  }
  // Runs a parameterless statement that returns no rows we need (BEGIN, COMMIT, PRAGMA).
  Status Run(const char* sql) {
    char* err = nullptr;
    int rc = sqlite3_exec(db, sql, nullptr, nullptr, &err);
    sqlite3_free(err);
    if (rc != SQLITE_OK) return std::unexpected(SqliteError(db, sqlite3_extended_errcode(db)));
    return Ok();
  }
};

// Returns the connection to the pool when it goes out of scope.
class SqliteDatabase::Lease {
 public:
  Lease(SqliteDatabase* owner, Connection* conn) : owner_(owner), conn_(conn) {}
  Lease(Lease&& other) noexcept
      : owner_(other.owner_), conn_(std::exchange(other.conn_, nullptr)) {}
  Lease& operator=(Lease&&) = delete;
  ~Lease() {
    if (conn_) owner_->Release(conn_);
  }
  Connection& operator*() const { return *conn_; }
  Connection* operator->() const { return conn_; }

 private:
  SqliteDatabase* owner_;
  Connection* conn_;
};

namespace {

// A transaction on one leased connection.
class SqliteTx final : public Tx {
 public:
  SqliteTx(sqlite3* db, StatementCache* cache, bool write)
      : db_(db), cache_(cache), write_(write) {}

  Dialect dialect() const override { return Dialect::kSqlite; }

  Result<QueryResult> Query(std::string_view sql, const std::vector<Value>& params) override {
    ZM_ASSIGN_OR_RETURN(sqlite3_stmt * stmt, Prepare(sql, params));
    StatementReset reset{stmt};
    QueryResult out;
    // Columns are read after the first step: a statement re-prepared after a schema change
    // (SELECT *) only reports its new columns then.
    int rc = sqlite3_step(stmt);
    const int ncols = sqlite3_column_count(stmt);
    out.columns.reserve(ncols);
    for (int c = 0; c < ncols; ++c) {
      const char* name = sqlite3_column_name(stmt, c);
      out.columns.emplace_back(name ? name : "");
    }
    for (; rc == SQLITE_ROW; rc = sqlite3_step(stmt)) {
      std::vector<std::optional<std::string>> cells;
      cells.reserve(ncols);
      for (int c = 0; c < ncols; ++c) {
        if (sqlite3_column_type(stmt, c) == SQLITE_NULL) {
          cells.emplace_back(std::nullopt);
          continue;
        }
        // column_text first, then column_bytes: the documented order for a correct length.
        auto text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, c));
        int len = sqlite3_column_bytes(stmt, c);
        cells.emplace_back(std::string(text ? text : "", text ? len : 0));
      }
      out.rows.emplace_back(std::move(cells));
    }
    if (rc != SQLITE_DONE) return Abort(SqliteError(db_, rc));
    return out;
  }

  Result<int64_t> Exec(std::string_view sql, const std::vector<Value>& params) override {
    ZM_ASSIGN_OR_RETURN(sqlite3_stmt * stmt, Prepare(sql, params));
    StatementReset reset{stmt};
    for (;;) {
      int rc = sqlite3_step(stmt);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) return Abort(SqliteError(db_, rc));
    }
    return static_cast<int64_t>(sqlite3_changes64(db_));
  }

  Status ExecScript(std::string_view sql) override {
    ZM_RETURN_IF_ERROR(CheckUsable());
    // Statement by statement (not sqlite3_exec) so a Read transaction can refuse writes.
    const char* p = sql.data();
    const char* end = sql.data() + sql.size();
    while (p < end && !IsBlank(std::string_view(p, end - p))) {
      sqlite3_stmt* stmt = nullptr;
      const char* tail = nullptr;
      int rc = sqlite3_prepare_v2(db_, p, static_cast<int>(end - p), &stmt, &tail);
      if (rc != SQLITE_OK) return Abort(SqliteError(db_, rc));
      p = tail;
      if (stmt == nullptr) continue;  // a comment
      StatementFinalize finalize{stmt};
      if (!write_ && !sqlite3_stmt_readonly(stmt)) return Abort(WriteInRead());
      for (;;) {
        rc = sqlite3_step(stmt);
        if (rc == SQLITE_DONE) break;
        if (rc != SQLITE_ROW) return Abort(SqliteError(db_, rc));
      }
    }
    return Ok();
  }

  // The first error of a statement in this transaction, if any.
  const std::optional<Error>& failure() const { return failure_; }

 private:
  struct StatementReset {
    sqlite3_stmt* stmt;
    ~StatementReset() {
      sqlite3_reset(stmt);
      sqlite3_clear_bindings(stmt);
    }
  };
  struct StatementFinalize {
    sqlite3_stmt* stmt;
    ~StatementFinalize() { sqlite3_finalize(stmt); }
  };

  static Error WriteInRead() {
    return MakeError(ErrorCode::kInternal, "internal",
                     "a Read transaction cannot run a statement that writes");
  }

  std::unexpected<Error> Abort(Error e) {
    if (!failure_) failure_ = e;
    return std::unexpected(std::move(e));
  }

  Status CheckUsable() const {
    if (failure_) {
      return Internal("transaction aborted by an earlier error (" + failure_->reason + ")");
    }
    return Ok();
  }

  // Returns a cached (or newly prepared and cached) statement with `params` bound.
  Result<sqlite3_stmt*> Prepare(std::string_view sql, const std::vector<Value>& params) {
    ZM_RETURN_IF_ERROR(CheckUsable());
    sqlite3_stmt* stmt = nullptr;
    if (auto it = cache_->find(sql); it != cache_->end()) {
      stmt = it->second;
    } else {
      const char* tail = nullptr;
      int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                  SQLITE_PREPARE_PERSISTENT, &stmt, &tail);
      if (rc != SQLITE_OK) return Abort(SqliteError(db_, rc));
      if (stmt == nullptr) return Abort(MakeError(ErrorCode::kInternal, "internal", "empty SQL"));
      std::string_view rest(tail, sql.data() + sql.size() - tail);
      if (!IsBlank(rest)) {
        // The tail may hold only a comment; anything else is a second statement.
        sqlite3_stmt* extra = nullptr;
        sqlite3_prepare_v2(db_, rest.data(), static_cast<int>(rest.size()), &extra, nullptr);
        if (extra != nullptr) {
          sqlite3_finalize(extra);
          sqlite3_finalize(stmt);
          return Abort(MakeError(ErrorCode::kInternal, "internal",
                                 "Query/Exec take one statement; use ExecScript for several"));
        }
      }
      if (cache_->size() >= kMaxCachedStatements) {
        for (auto& [key, cached] : *cache_) sqlite3_finalize(cached);
        cache_->clear();
      }
      cache_->emplace(std::string(sql), stmt);
    }
    if (!write_ && !sqlite3_stmt_readonly(stmt)) return Abort(WriteInRead());
    const int expected = sqlite3_bind_parameter_count(stmt);
    if (expected != static_cast<int>(params.size())) {
      return Abort(MakeError(ErrorCode::kInternal, "internal",
                             "statement has " + std::to_string(expected) + " placeholders but " +
                                 std::to_string(params.size()) + " parameters were given"));
    }
    for (int i = 0; i < expected; ++i) {
      const Value& v = params[i];
      int rc = SQLITE_OK;
      if (std::holds_alternative<Null>(v)) {
        rc = sqlite3_bind_null(stmt, i + 1);
      } else if (auto* n = std::get_if<int64_t>(&v)) {
        rc = sqlite3_bind_int64(stmt, i + 1, *n);
      } else if (auto* d = std::get_if<double>(&v)) {
        rc = sqlite3_bind_double(stmt, i + 1, *d);
      } else {
        const auto& s = std::get<std::string>(v);
        if (auto st = CheckTextParam(s); !st) {
          sqlite3_clear_bindings(stmt);
          return Abort(st.error());
        }
        rc = sqlite3_bind_text64(stmt, i + 1, s.data(), s.size(), SQLITE_STATIC, SQLITE_UTF8);
      }
      if (rc != SQLITE_OK) {
        sqlite3_clear_bindings(stmt);
        return Abort(SqliteError(db_, rc));
      }
    }
    return stmt;
  }

  sqlite3* db_;
  StatementCache* cache_;
  bool write_;
  std::optional<Error> failure_;
};

}  // namespace

SqliteDatabase::SqliteDatabase(std::string path, DatabaseOptions options)
    : path_(std::move(path)), options_(options) {}

SqliteDatabase::~SqliteDatabase() = default;

Result<std::unique_ptr<SqliteDatabase>> SqliteDatabase::Open(const std::string& path,
                                                             const DatabaseOptions& options) {
  if (path.empty() || path == ":memory:") {
    return InvalidArgument("SQLite needs a database file shared by the pool (not \"" + path +
                           "\")");
  }
  if (options.pool_size < 1) return InvalidArgument("database pool_size must be at least 1");
  std::error_code ec;
  auto parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) {
    std::filesystem::create_directories(parent, ec);
    if (ec) {
      return Unavailable("cannot create directory " + parent.string() + ": " + ec.message());
    }
  }
  std::unique_ptr<SqliteDatabase> db(new SqliteDatabase(path, options));
  for (int i = 0; i < options.pool_size; ++i) {
    auto conn = std::make_unique<Connection>();
    int rc =
        sqlite3_open_v2(path.c_str(), &conn->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK) {
      std::string msg = conn->db ? sqlite3_errmsg(conn->db) : sqlite3_errstr(rc);
      return Unavailable("cannot open SQLite database " + path + ": " + msg);
    }
    sqlite3_extended_result_codes(conn->db, 1);
    sqlite3_busy_timeout(conn->db, options.busy_timeout_ms);
    // journal_mode answers with the mode in effect; anything but "wal" means it was refused.
    sqlite3_stmt* stmt = nullptr;
    rc = sqlite3_prepare_v2(conn->db, "PRAGMA journal_mode=WAL", -1, &stmt, nullptr);
    std::string mode;
    if (rc == SQLITE_OK && sqlite3_step(stmt) == SQLITE_ROW) {
      auto text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
      mode = text ? text : "";
    }
    sqlite3_finalize(stmt);
    if (mode != "wal") {
      return Unavailable("cannot enable WAL mode on SQLite database " + path + ": " +
                         sqlite3_errmsg(conn->db));
    }
    auto st = conn->Run("PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;");
    if (!st)
      return Unavailable("cannot configure SQLite database " + path + ": " + st.error().message);
    db->idle_.push_back(conn.get());
    db->connections_.push_back(std::move(conn));
  }
  return db;
}

Result<SqliteDatabase::Connection*> SqliteDatabase::Acquire() {
  std::unique_lock lock(pool_mu_);
  if (!pool_cv_.wait_for(lock, std::chrono::milliseconds(options_.busy_timeout_ms),
                         [&] { return !idle_.empty(); })) {
    return Unavailable("database connection pool exhausted");
  }
  Connection* conn = idle_.back();
  idle_.pop_back();
  return conn;
}

void SqliteDatabase::Release(Connection* conn) {
  {
    std::lock_guard lock(pool_mu_);
    idle_.push_back(conn);
  }
  pool_cv_.notify_one();
}

Status SqliteDatabase::RunTransaction(bool write, const std::function<Status(Tx&)>& fn) {
  struct WriterSlot {
    SqliteDatabase* db = nullptr;
    ~WriterSlot() {
      if (db == nullptr) return;
      {
        std::lock_guard lock(db->write_mu_);
        db->writing_ = false;
      }
      db->write_cv_.notify_one();
    }
  } writer_slot;
  if (write) {
    if (tls_writing_db == this) {
      return Internal("nested Write on the same database (would deadlock)");
    }
    std::unique_lock lock(write_mu_);
    if (!write_cv_.wait_for(lock, std::chrono::milliseconds(options_.busy_timeout_ms),
                            [&] { return !writing_; })) {
      return Unavailable("timed out waiting for the database writer lock");
    }
    writing_ = true;
    writer_slot.db = this;
  }
  ZM_ASSIGN_OR_RETURN(Connection * raw, Acquire());
  Lease conn(this, raw);

  ZM_RETURN_IF_ERROR(conn->Run(write ? "BEGIN IMMEDIATE" : "BEGIN"));
  auto rollback = [&] {
    if (!sqlite3_get_autocommit(conn->db)) (void)conn->Run("ROLLBACK");
  };

  SqliteTx tx(conn->db, &conn->statements, write);
  Status status;
  const void* previous_writer = tls_writing_db;
  if (write) tls_writing_db = this;
  try {
    status = fn(tx);
  } catch (...) {
    tls_writing_db = previous_writer;
    rollback();
    throw;
  }
  tls_writing_db = previous_writer;

  if (status && tx.failure()) status = std::unexpected(*tx.failure());
  if (!status) {
    rollback();
    return status;
  }
  if (auto commit = conn->Run("COMMIT"); !commit) {
    rollback();
    return commit;
  }
  return Ok();
}

Status SqliteDatabase::Write(const std::function<Status(Tx&)>& fn) {
  return RunTransaction(true, fn);
}

Status SqliteDatabase::Read(const std::function<Status(Tx&)>& fn) {
  return RunTransaction(false, fn);
}

Status SqliteDatabase::Backup(const std::string& dest_path) {
  namespace fs = std::filesystem;
  if (dest_path.empty() || dest_path == ":memory:") {
    return InvalidArgument("backup needs a destination file");
  }
  std::error_code ec, ec2;
  const fs::path dest_canon = fs::weakly_canonical(dest_path, ec);
  const fs::path self_canon = fs::weakly_canonical(path_, ec2);
  if (!ec && !ec2 && dest_canon == self_canon) {
    return InvalidArgument("backup destination is the database itself");
  }
  auto parent = fs::path(dest_path).parent_path();
  if (!parent.empty()) {
    fs::create_directories(parent, ec);
    if (ec) return Unavailable("cannot create directory " + parent.string() + ": " + ec.message());
  }
  ZM_ASSIGN_OR_RETURN(Connection * raw, Acquire());
  Lease conn(this, raw);

  const std::string tmp = dest_path + ".tmp";
  for (const char* suffix : {"", "-journal", "-wal", "-shm"}) fs::remove(tmp + suffix, ec);

  sqlite3* out = nullptr;
  int rc = sqlite3_open_v2(
      tmp.c_str(), &out, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  std::unique_ptr<sqlite3, decltype(&sqlite3_close_v2)> out_guard(out, &sqlite3_close_v2);
  if (rc != SQLITE_OK) {
    return Unavailable("cannot create backup file " + tmp + ": " +
                       (out ? sqlite3_errmsg(out) : sqlite3_errstr(rc)));
  }

  Status status;
  if (sqlite3_backup* backup = sqlite3_backup_init(out, "main", conn->db, "main");
      backup == nullptr) {
    status = std::unexpected(SqliteError(out, sqlite3_extended_errcode(out)));
  } else {
    // One step copies everything under one read transaction: a consistent snapshot. In WAL mode
    // it does not block writers; busy/locked only happen when another process holds a lock.
    const auto deadline =
        std::chrono::steady_clock::now() + std::chrono::milliseconds(options_.busy_timeout_ms);
    for (;;) {
      rc = sqlite3_backup_step(backup, -1);
      if (rc == SQLITE_DONE) break;
      if ((rc == SQLITE_BUSY || rc == SQLITE_LOCKED) &&
          std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
        continue;
      }
      break;
    }
    sqlite3_backup_finish(backup);
    if (rc != SQLITE_DONE) status = std::unexpected(SqliteError(out, rc));
  }
  if (status) {
    // The copy carries the WAL flag of the source; make it a self-contained single file.
    char* err = nullptr;
    rc = sqlite3_exec(out, "PRAGMA journal_mode=DELETE", nullptr, nullptr, &err);
    sqlite3_free(err);
    if (rc != SQLITE_OK) status = std::unexpected(SqliteError(out, sqlite3_extended_errcode(out)));
  }
  out_guard.reset();
  if (!status) {
    fs::remove(tmp, ec);
    return status;
  }
  // A stale -wal next to an older copy would be replayed into the new one: remove it first.
  for (const char* suffix : {"-wal", "-shm"}) fs::remove(dest_path + suffix, ec);
  fs::rename(tmp, dest_path, ec);
  if (ec) {
    fs::remove(tmp, ec);
    return Unavailable("cannot move backup into place at " + dest_path);
  }
  return Ok();
}

}  // namespace zm::storage
